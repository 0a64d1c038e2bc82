//! Markdown to safe HTML: pulldown-cmark renders, ammonia sanitises.
//!
//! Everything people write passes through [`render`] before it reaches a page, so the
//! app can insert the result as HTML: no `<script>`, no event handlers, no `javascript:`
//! links, whatever the source contains.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::sync::LazyLock;

static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
        .link_rel(Some("noopener noreferrer nofollow"))
        // Images from other hosts would tell them who reads the board (and the
        // Content-Security-Policy blocks them anyway).
        .rm_tags(["img"]);
    builder
});

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

pub fn render(markdown: &str) -> String {
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(markdown, options()));
    SANITISER.clean(&html).to_string()
}

/// The first `max_chars` characters of the text, without markup, for list cards.
pub fn excerpt(markdown: &str, max_chars: usize) -> String {
    let mut text = String::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => text.push(' '),
            Event::Start(Tag::Image { .. }) => {}
            _ => {}
        }
        if text.chars().count() > max_chars * 2 {
            break;
        }
    }
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() > max_chars {
        let mut cut: String = collapsed.chars().take(max_chars).collect();
        cut.push('…');
        cut
    } else {
        collapsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders() {
        let html = render("# 通知\n\n请**按时**核酸检测。\n\n- 一\n- 二");
        assert!(html.contains("<h1>通知</h1>"), "{html}");
        assert!(html.contains("<strong>按时</strong>"), "{html}");
        assert!(html.contains("<li>一</li>"), "{html}");
    }

    #[test]
    fn scripts_handlers_and_javascript_links_are_removed() {
        let cases = [
            "<script>alert(1)</script>hello",
            "<img src=x onerror=alert(1)>",
            "<a href=\"javascript:alert(1)\">click</a>",
            "[click](javascript:alert(1))",
            "<div onclick=\"steal()\">x</div>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<svg><script>alert(1)</script></svg>",
            "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
            "<style>body{display:none}</style>",
        ];
        for case in cases {
            let html = render(case).to_ascii_lowercase();
            for forbidden in [
                "<script",
                "onerror",
                "onclick",
                "javascript:",
                "<iframe",
                "<style",
                "<img",
            ] {
                assert!(!html.contains(forbidden), "{case:?} rendered as {html:?}");
            }
        }
    }

    #[test]
    fn links_open_safely() {
        let html = render("[民政部](https://www.mca.gov.cn/)");
        assert!(html.contains("href=\"https://www.mca.gov.cn/\""), "{html}");
        assert!(
            html.contains("rel=\"noopener noreferrer nofollow\""),
            "{html}"
        );
    }

    #[test]
    fn excerpts_are_plain_and_short() {
        let md = "# 标题\n\n各区民政局：\n\n现就**有关**工作通知如下。";
        assert_eq!(excerpt(md, 100), "标题 各区民政局： 现就有关工作通知如下。");
        assert_eq!(excerpt(md, 4), "标题 各…");
    }
}
