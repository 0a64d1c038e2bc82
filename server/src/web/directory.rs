//! `/` of a deployment with several communities: the list of them, as plain HTML that a
//! phone reads at once (no WebAssembly to load before choosing where to go).

use crate::domain::board::xml_escape;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use shouwang_api::deployment::{CommunityKind, StreetSummary};
use std::fmt::Write;

pub fn page(streets: &[StreetSummary]) -> Response {
    let mut body = String::new();
    for street in streets.iter().filter(|s| !s.communities.is_empty()) {
        let _ = write!(body, "<h2>{}</h2><ul>", xml_escape(&street.name));
        for community in &street.communities {
            let kind = match community.kind {
                CommunityKind::Community => "社区",
                CommunityKind::Village => "村",
            };
            let _ = write!(
                body,
                "<li><a href=\"{}\">{}</a> <small>{kind}</small></li>",
                xml_escape(&community.path),
                xml_escape(&community.name),
            );
        }
        body.push_str("</ul>");
    }
    let html = format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>守望 · 选择社区</title><link rel=\"icon\" href=\"/icon.svg\">\
         <style>body{{font:1.05rem/1.6 system-ui,sans-serif;margin:0 auto;max-width:40rem;\
         padding:1rem;color:#1f1b16;background:#faf8f5}}h1{{color:#b3261e}}\
         ul{{list-style:none;padding:0}}li{{margin:.5rem 0}}\
         a{{display:inline-block;padding:.6rem .2rem;color:#8c1d18;font-weight:600}}\
         small{{color:#5f574f}}footer{{margin-top:2rem;font-size:.9rem}}</style></head>\
         <body><main><h1>守望 · 选择您的社区</h1><p>本平台服务以下社区和村。请选择您所在的社区，\
         登记、求助和公告都在社区自己的页面里。</p>{body}</main>\
         <footer><a href=\"/deployment/login\">街道与平台工作人员登录</a></footer></body></html>"
    );
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        html,
    )
        .into_response()
}
