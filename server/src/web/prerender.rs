//! The board and a notice written into the page as plain HTML, so a phone shows them
//! before the WebAssembly module has arrived (on an overloaded network that is seconds),
//! and shows them at all with scripts disabled.
//!
//! The markup is the app's own (the same elements and classes as `BoardPage`,
//! `NoticeCard`, `UpdateCard`, `NoticePage`, the header and the footer), and the words
//! come from the app's Chinese locale file, so the app replacing it changes nothing on
//! the screen. The copy sits in `#prerendered`; `style/prerender.css` hides the app's
//! own elements until the app's page has its data and removes the copy.

use crate::db;
use crate::state::AppState;
use chrono::{DateTime, FixedOffset, NaiveDate, Offset as _, Utc};
use shouwang_api::auth::Role;
use shouwang_api::notices::{Notice, NoticeCategory, NoticeStatus, NoticeStatusFilter};
use shouwang_api::page::DEFAULT_PER_PAGE;
use shouwang_api::submissions::{BoardUpdate, SubmissionCategory};
use std::fmt::Write as _;
use std::sync::LazyLock;

/// The pages the server writes out; every other path gets the loading placeholder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prerendered {
    Board,
    Notice(i64),
}

impl Prerendered {
    pub fn for_path(path: &str) -> Option<Prerendered> {
        if path == "/" {
            return Some(Prerendered::Board);
        }
        let id = path.strip_prefix("/notices/")?;
        // Only canonical ids: `/notices/007` is the app's to answer (its router parses it).
        let parsed = id.parse::<i64>().ok().filter(|n| *n > 0)?;
        (parsed.to_string() == id).then_some(Prerendered::Notice(parsed))
    }
}

/// The page's `<title>` and the HTML that replaces the loading placeholder, or `None`
/// when there is nothing public to show (a draft, a withdrawn or unknown notice: the app
/// says why).
pub struct Rendered {
    pub title: String,
    pub body: String,
}

pub async fn render(
    state: &AppState,
    page: Prerendered,
    signed_in: bool,
) -> Result<Option<Rendered>, sqlx::Error> {
    let now = state.clock.now();
    let zone = FixedOffset::east_opt(state.clock.community().utc_offset_minutes() * 60)
        .unwrap_or(Utc.fix());
    // Links stay inside the community's address (`/c/<slug>`; empty at the site's root).
    let base = state.community.base.as_str();
    let dates = Dates { zone, base };
    let (title, main) = match page {
        Prerendered::Board => {
            let (notices, total) = db::notices::list(
                &state.db,
                NoticeStatusFilter::Published,
                None,
                now,
                DEFAULT_PER_PAGE,
                0,
            )
            .await?;
            let (updates, _) =
                db::submissions::published(&state.db, None, DEFAULT_PER_PAGE, 0).await?;
            (
                format!("{} · {}", t("board.title"), t("app_name")),
                board_html(&notices, total, &updates, &dates),
            )
        }
        Prerendered::Notice(id) => {
            let Some(notice) = db::notices::find(&state.db, id).await? else {
                return Ok(None);
            };
            let public = notice.status == NoticeStatus::Published
                && notice.expires_at.is_none_or(|at| at > now);
            if !public {
                return Ok(None);
            }
            (notice.title.clone(), notice_html(&notice, &dates))
        }
    };
    let current = matches!(page, Prerendered::Board);
    Ok(Some(Rendered {
        title,
        body: frame(&main, current, signed_in, base),
    }))
}

/// Dates as the app prints them: in the community's zone; and the community's address,
/// which every link starts with.
struct Dates<'a> {
    zone: FixedOffset,
    base: &'a str,
}

impl Dates<'_> {
    fn date(&self, d: NaiveDate) -> String {
        d.format("%Y-%m-%d").to_string()
    }

    fn date_of(&self, t: DateTime<Utc>) -> String {
        self.date(t.with_timezone(&self.zone).date_naive())
    }

    fn date_time(&self, t: DateTime<Utc>) -> String {
        t.with_timezone(&self.zone)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }

    /// `path` (starting with `/`) inside the community's address, escaped for an attribute.
    fn href(&self, path: &str) -> String {
        e(&format!("{}{path}", self.base))
    }
}

/// One link of the navigation: `<a href="{base}{path}"{attributes}>{label}</a>`.
fn nav_link(html: &mut String, base: &str, path: &str, attributes: &str, label: &str) {
    let _ = write!(
        html,
        r#"<a href="{}"{attributes}>{}</a>"#,
        e(&format!("{base}{path}")),
        e(label)
    );
}

/// The header, navigation and footer around `main`, as the app draws them for a visitor.
/// The buttons that need the app (大字, English, 菜单) keep their place but stay invisible
/// until it runs, so nothing moves when it takes over.
fn frame(main: &str, board_is_current: bool, signed_in: bool, base: &str) -> String {
    let mut html = String::new();
    let current = if board_is_current {
        r#" aria-current="page""#
    } else {
        ""
    };
    let _ = write!(
        html,
        r##"<div id="prerendered" class="prerendered"><a class="skip-link" href="#content">{skip}</a><header class="topbar"><a href="{home}" class="brand"><span class="brand-mark" aria-hidden="true">守</span><span class="brand-text"><span class="brand-name">{name}</span><span class="brand-tagline">{tagline}</span></span></a><div class="topbar-tools" aria-hidden="true"><button type="button" class="tool" tabindex="-1" disabled>{large}</button><button type="button" class="tool" tabindex="-1" disabled>{language}</button></div></header><nav class="mainnav" aria-label="{menu_label}"><button type="button" class="link-button nav-toggle" aria-hidden="true" tabindex="-1" disabled>{menu}</button>"##,
        skip = e(t("nav.skip_to_content")),
        home = e(&format!("{base}/")),
        name = e(t("app_name")),
        tagline = e(t("app_tagline")),
        large = e(t("nav.large_text")),
        language = e(t("nav.language")),
        menu_label = e(t("nav.main_menu")),
        menu = e(t("forms.menu")),
    );
    nav_link(&mut html, base, "/", current, t("nav.board"));
    // A signed-in visitor's links depend on the account, which the app reads; a visitor
    // without a session sees exactly what the app will show.
    if !signed_in {
        nav_link(
            &mut html,
            base,
            "/register",
            "",
            t("residents.nav_register"),
        );
        nav_link(
            &mut html,
            base,
            "/volunteer/sign-up",
            "",
            t("volunteers.nav_join"),
        );
        html.push_str(r#"<span class="nav-spacer"></span>"#);
        nav_link(&mut html, base, "/login", "", t("nav.sign_in"));
    }
    let _ = write!(
        html,
        r#"</nav><main id="content" class="page">{main}</main><footer class="footer"><p>{motto}</p></footer></div>"#,
        motto = e(t("motto")),
    );
    html
}

fn board_html(
    notices: &[shouwang_api::notices::NoticeSummary],
    total: u64,
    updates: &[BoardUpdate],
    dates: &Dates,
) -> String {
    let mut html = String::new();
    let _ = write!(
        html,
        r#"<section class="board"><h1>{title}</h1><p class="lead">{intro}</p><p class="board-tools"><a href="{search_href}" class="button small secondary">{search}</a><a href="{poster_href}" class="button small secondary">{poster}</a><a href="{screen_href}" class="button small secondary">{screen}</a></p><p class="live-status" role="status"></p><nav class="chips" aria-label="{filter}"><a href="{home}" class="chip" aria-current="page">{all}</a>"#,
        search_href = dates.href("/search"),
        poster_href = dates.href("/poster"),
        screen_href = dates.href("/screen"),
        home = dates.href("/"),
        title = e(t("board.title")),
        intro = e(t("board.intro")),
        search = e(t("infoboard.nav_search")),
        poster = e(t("infoboard.poster_board")),
        screen = e(t("infoboard.nav_screen")),
        filter = e(t("board.filter_label")),
        all = e(t("category.all")),
    );
    for c in NoticeCategory::ALL {
        let _ = write!(
            html,
            r#"<a href="{}" class="chip" aria-current="false">{}</a>"#,
            dates.href(&format!("/?category={}", c.as_str())),
            e(category_label(c)),
        );
    }
    html.push_str("</nav>");
    if notices.is_empty() {
        let _ = write!(html, r#"<p class="empty">{}</p>"#, e(t("board.empty")));
    }
    html.push_str(r#"<div class="card-list">"#);
    for n in notices {
        let pinned = if n.pinned { " pinned" } else { "" };
        let _ = write!(
            html,
            r#"<article class="card notice-card{pinned}"><a href="{href}" class="card-link"><p class="card-tags">"#,
            href = dates.href(&format!("/notices/{}", n.id))
        );
        if n.pinned {
            let _ = write!(
                html,
                r#"<span class="tag tag-pinned">{}</span>"#,
                e(t("board.pinned"))
            );
        }
        let _ = write!(
            html,
            r#"<span class="tag">{}</span>"#,
            e(category_label(n.category))
        );
        if n.receipt_asked {
            let _ = write!(
                html,
                r#"<span class="tag tag-warning">{}</span>"#,
                e(t("trial_resident.receipt_asked"))
            );
        }
        if n.from_street {
            html.push_str(&street_mark());
        }
        let _ = write!(html, r#"</p><h2 class="card-title">{}</h2>"#, e(&n.title));
        let date = n
            .issued_on
            .map(|d| dates.date(d))
            .or_else(|| n.published_at.map(|t| dates.date_of(t)));
        let parts: Vec<String> = [n.issuing_body.clone(), n.doc_number.clone(), date]
            .into_iter()
            .flatten()
            .collect();
        if !parts.is_empty() {
            let _ = write!(html, r#"<p class="meta">{}</p>"#, e(&parts.join(" · ")));
        }
        let _ = write!(
            html,
            r#"<p class="excerpt">{}</p></a></article>"#,
            e(&n.excerpt)
        );
    }
    html.push_str("</div>");
    let pages = total.div_ceil(u64::from(DEFAULT_PER_PAGE)).max(1);
    let status = format!(
        "{} · {}",
        t("common.page_of")
            .replace("{{ page }}", "1")
            .replace("{{ pages }}", &pages.to_string()),
        t("common.total_items").replace("{{ total }}", &total.to_string()),
    );
    let _ = write!(
        html,
        r#"<nav class="pager" aria-label="{label}"><span class="pager-status">{status}</span>"#,
        label = e(&t("common.page_of")
            .replace("{{ page }}", "1")
            .replace("{{ pages }}", &pages.to_string())),
        status = e(&status),
    );
    if pages > 1 {
        let _ = write!(
            html,
            r#"<a href="{}" class="button secondary" rel="next">{}</a>"#,
            dates.href("/?page=2"),
            e(t("common.next_page"))
        );
    }
    let _ = write!(
        html,
        r#"</nav><section class="updates" aria-labelledby="updates-title"><h2 id="updates-title">{}</h2>"#,
        e(t("infoboard.updates_title"))
    );
    if updates.is_empty() {
        let _ = write!(
            html,
            r#"<p class="empty">{}</p>"#,
            e(t("infoboard.updates_empty"))
        );
    }
    html.push_str(r#"<div class="card-list">"#);
    for u in updates {
        let _ = write!(
            html,
            r#"<article class="card update-card"><p class="card-tags"><span class="tag tag-update">{}</span>"#,
            e(submission_category_label(u.category))
        );
        if let Some(place) = &u.place {
            let _ = write!(html, r#"<span class="tag">{}</span>"#, e(place));
        }
        let p = &u.provenance;
        let provenance = t("infoboard.provenance")
            .replace("{{ role }}", role_label(p.verified_by_role))
            .replace("{{ time }}", &dates.date_time(p.verified_at))
            .replace("{{ who }}", &p.source_who)
            .replace("{{ how }}", &p.source_how);
        // The photo is left to the app: it loads lazily and is not what the board is read for.
        let _ = write!(
            html,
            r#"</p><p class="update-text">{}</p><p class="meta provenance-line">{}</p></article>"#,
            e(&u.text),
            e(&provenance)
        );
    }
    html.push_str("</div></section></section>");
    html
}

fn notice_html(n: &Notice, dates: &Dates) -> String {
    let mut html = String::new();
    let _ = write!(
        html,
        r#"<p class="back"><a href="{home}">{back}</a></p><article class="notice"><header class="notice-header"><p class="card-tags"><span class="tag">{category}</span>{mark}</p><h1>{title}</h1><dl class="provenance">"#,
        home = dates.href("/"),
        back = e(t("notice.back_to_board")),
        category = e(category_label(n.category)),
        mark = if n.from_street {
            street_mark()
        } else {
            String::new()
        },
        title = e(&n.title),
    );
    let rows = [
        ("notice.issuing_body", n.issuing_body.clone()),
        ("notice.doc_number", n.doc_number.clone()),
        ("notice.issued_on", n.issued_on.map(|d| dates.date(d))),
        (
            "notice.published_at",
            n.published_at.map(|d| dates.date_time(d)),
        ),
        (
            "notice.expires_at",
            n.expires_at.map(|d| dates.date_time(d)),
        ),
    ];
    for (label, value) in rows {
        if let Some(value) = value {
            let _ = write!(html, "<dt>{}</dt><dd>{}</dd>", e(t(label)), e(&value));
        }
    }
    // body_html was rendered from Markdown and sanitised by ammonia when it was stored
    // (domain::notices::render); the app inserts the same string as HTML.
    let _ = write!(
        html,
        r#"</dl></header><div class="prose">{body}</div><p class="actions"><a href="{poster_href}" class="button secondary">{poster}</a></p></article>"#,
        body = n.body_html,
        poster_href = dates.href(&format!("/notices/{}/poster", n.id)),
        poster = e(t("infoboard.poster")),
    );
    html
}

/// The mark of a notice the street published (街道发布), as `StreetMark` draws it.
fn street_mark() -> String {
    format!(
        r#"<span class="tag tag-street">{}</span>"#,
        e(t("street_notices.mark"))
    )
}

/// Text for HTML element content and quoted attribute values.
pub fn e(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The app's Chinese strings: the prerendered page says what the app will say.
static ZH: LazyLock<serde_json::Value> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../../app/locales/zh.json"))
        .unwrap_or(serde_json::Value::Null)
});

/// A string of the Chinese locale by its dotted key; the key itself if it is missing
/// (a unit test checks every key used here exists).
fn t(key: &'static str) -> &'static str {
    key.split('.')
        .try_fold(&*ZH, |v, part| v.get(part))
        .and_then(serde_json::Value::as_str)
        .unwrap_or(key)
}

fn category_label(c: NoticeCategory) -> &'static str {
    match c {
        NoticeCategory::Announcement => t("category.announcement"),
        NoticeCategory::Policy => t("category.policy"),
        NoticeCategory::Prevention => t("category.prevention"),
        NoticeCategory::Services => t("category.services"),
        NoticeCategory::Health => t("category.health"),
        NoticeCategory::Debunk => t("category.debunk"),
        NoticeCategory::Other => t("category.other"),
    }
}

fn submission_category_label(c: SubmissionCategory) -> &'static str {
    match c {
        SubmissionCategory::SupplyDrop => t("infoboard.cat_supply_drop"),
        SubmissionCategory::Outage => t("infoboard.cat_outage"),
        SubmissionCategory::Closure => t("infoboard.cat_closure"),
        SubmissionCategory::Question => t("infoboard.cat_question"),
        SubmissionCategory::RumourCheck => t("infoboard.cat_rumour_check"),
        SubmissionCategory::Other => t("infoboard.cat_other"),
    }
}

fn role_label(role: Role) -> &'static str {
    match role {
        Role::Admin => t("role.admin"),
        Role::Staff => t("role.staff"),
        Role::Volunteer => t("role.volunteer"),
        Role::Resident => t("role.resident"),
    }
}

/// Puts the prerendered page into index.html: the title, and the body in place of the
/// loading placeholder (between `<!--boot-->` and `<!--/boot-->`). The module's preload
/// goes: with the content in the page, the module must not compete with it for a slow
/// link (the boot script still fetches it, one small request later).
pub fn into_index(index: &str, rendered: &Rendered) -> Option<String> {
    let index = without_module_preload(index);
    let (head, rest) = index.split_once("<!--boot-->")?;
    let (_, tail) = rest.split_once("<!--/boot-->")?;
    let (before_title, after_open) = head.split_once("<title>")?;
    let (_, after_title) = after_open.split_once("</title>")?;
    let note = format!(
        r#"<noscript><p class="prerender-note">{}</p></noscript>"#,
        e(t("prerender.no_script"))
    );
    Some(format!(
        "{before_title}<title>{}</title>{after_title}{note}{}{tail}",
        e(&rendered.title),
        rendered.body
    ))
}

fn without_module_preload(index: &str) -> String {
    index
        .lines()
        .filter(|line| !(line.contains(r#"rel="preload""#) && line.contains("application/wasm")))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_board_and_canonical_notice_paths_are_prerendered() {
        assert_eq!(Prerendered::for_path("/"), Some(Prerendered::Board));
        assert_eq!(
            Prerendered::for_path("/notices/12"),
            Some(Prerendered::Notice(12))
        );
        for other in [
            "/notices/012",
            "/notices/x",
            "/notices/-1",
            "/notices/12/poster",
            "/login",
        ] {
            assert_eq!(Prerendered::for_path(other), None, "{other}");
        }
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            e(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }

    #[test]
    fn every_string_used_is_in_the_locale() {
        let keys = [
            "app_name",
            "app_tagline",
            "motto",
            "nav.skip_to_content",
            "nav.large_text",
            "nav.language",
            "nav.main_menu",
            "forms.menu",
            "nav.board",
            "nav.sign_in",
            "residents.nav_register",
            "volunteers.nav_join",
            "board.title",
            "board.intro",
            "board.empty",
            "board.pinned",
            "board.filter_label",
            "category.all",
            "infoboard.nav_search",
            "infoboard.poster_board",
            "infoboard.nav_screen",
            "infoboard.updates_title",
            "infoboard.updates_empty",
            "infoboard.provenance",
            "infoboard.poster",
            "trial_resident.receipt_asked",
            "common.page_of",
            "common.total_items",
            "common.next_page",
            "notice.back_to_board",
            "notice.issuing_body",
            "notice.doc_number",
            "notice.issued_on",
            "notice.published_at",
            "notice.expires_at",
            "prerender.no_script",
            "street_notices.mark",
        ];
        for key in keys {
            assert_ne!(t(key), key, "{key} is missing from zh.json");
        }
        for c in NoticeCategory::ALL {
            let label = category_label(c);
            assert!(!label.starts_with("category."), "{label}");
        }
    }

    #[test]
    fn the_page_keeps_the_boot_script_and_replaces_the_placeholder() {
        let index = "<head><title>x</title>\n<link rel=\"preload\" href=\"/assets/app-1.wasm\" as=\"fetch\" type=\"application/wasm\" crossorigin>\n<script>boot</script></head><body><!--boot--><div id=\"boot\">…</div><!--/boot--></body>";
        let rendered = Rendered {
            title: "<b>".into(),
            body: "<div id=\"prerendered\"></div>".into(),
        };
        let page = into_index(index, &rendered).unwrap();
        assert!(page.contains("<title>&lt;b&gt;</title>"));
        assert!(page.contains("<script>boot</script>"));
        assert!(page.contains("<div id=\"prerendered\">"));
        assert!(!page.contains("id=\"boot\""));
        assert!(!page.contains("app-1.wasm"), "the module is not preloaded");
    }
}
