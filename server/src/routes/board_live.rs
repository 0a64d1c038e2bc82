//! The board where people are: live (server-sent events) and as Atom feeds.
//!
//! Every publication or withdrawal is a row in `board_events`, written by triggers in
//! the same transaction as the change; `ops::live` fans them out to every open stream.

use crate::db;
use crate::domain::board::{FeedEntry, atom};
use crate::error::{AppError, AppResult};
use crate::extract::Query;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::{Stream, StreamExt};
use shouwang_api::notices::{NoticeCategory, NoticeStatusFilter};
use shouwang_api::submissions::SubmissionCategory;
use std::convert::Infallible;
use std::time::Duration;

const FEED_ENTRIES: u32 = 50;

/// `?last_event_id=` does what the `Last-Event-ID` header does, for clients that cannot
/// set headers.
#[derive(Debug, Clone, Copy, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct LiveQuery {
    pub last_event_id: Option<i64>,
}

/// Newly published board items as server-sent events (`event: board`, `data`: a
/// `LiveEvent`, `id`: its sequence number). Reconnect with `Last-Event-ID` to receive
/// everything published since.
#[utoipa::path(get, path = "/api/board/live", tag = "board", params(LiveQuery),
    responses((status = 200, description = "text/event-stream of LiveEvent", content_type = "text/event-stream")))]
pub async fn live(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<LiveQuery>,
) -> AppResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .or(query.last_event_id);
    let events = state.live.stream(&state.db, resume).await?;
    let stream = events.map(|event| {
        Ok(Event::default()
            .id(event.seq.to_string())
            .event("board")
            .json_data(&event)
            .unwrap_or_else(|_| Event::default().comment("unserialisable event")))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(20))))
}

/// The community's address on this site: scheme, host and `/c/<slug>` when it has one.
fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("localhost");
    let scheme = if crate::auth::cookies::is_https(headers) {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}{}", state.community.base)
}

/// Which part of the board a feed carries.
#[derive(Debug, Clone, Copy)]
enum FeedScope {
    All,
    Notices(NoticeCategory),
    Updates(SubmissionCategory),
}

async fn feed(
    state: &AppState,
    headers: &HeaderMap,
    scope: FeedScope,
    path: &str,
) -> AppResult<Response> {
    let base = base_url(state, headers);
    let mut entries = Vec::new();
    let notices_category = match scope {
        FeedScope::All => Some(None),
        FeedScope::Notices(c) => Some(Some(c)),
        FeedScope::Updates(_) => None,
    };
    if let Some(category) = notices_category {
        let (notices, _) = db::notices::list(
            &state.db,
            NoticeStatusFilter::Published,
            category,
            state.clock.now(),
            FEED_ENTRIES,
            0,
        )
        .await?;
        entries.extend(notices.into_iter().map(|n| FeedEntry {
            id: format!("{base}/notices/{}", n.id),
            title: match &n.doc_number {
                Some(doc) => format!("{}（{doc}）", n.title),
                None => n.title.clone(),
            },
            link: format!("{base}/notices/{}", n.id),
            summary: n.excerpt,
            category: n.category.as_str().to_owned(),
            updated: n.published_at.unwrap_or(n.updated_at),
        }));
    }
    let updates_category = match scope {
        FeedScope::All => Some(None),
        FeedScope::Updates(c) => Some(Some(c)),
        FeedScope::Notices(_) => None,
    };
    if let Some(category) = updates_category {
        let (updates, _) = db::submissions::published(&state.db, category, FEED_ENTRIES, 0).await?;
        entries.extend(updates.into_iter().map(|u| FeedEntry {
            id: format!("{base}/updates/{}", u.id),
            title: u.text.chars().take(40).collect(),
            link: format!("{base}/updates/{}", u.id),
            summary: format!(
                "{}\n核实：{}（{}）",
                u.text, u.provenance.source_who, u.provenance.source_how
            ),
            category: u.category.as_str().to_owned(),
            updated: u.published_at,
        }));
    }
    entries.sort_by_key(|e| std::cmp::Reverse(e.updated));
    entries.truncate(FEED_ENTRIES as usize);
    let xml = atom("守望 · 社区信息公告栏", &base, path, &entries);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/atom+xml; charset=utf-8"),
            ),
            // Feed readers poll; a minute's staleness is fine and spares the server.
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=60"),
            ),
        ],
        xml,
    )
        .into_response())
}

/// The whole public board as an Atom feed.
pub async fn feed_all(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    feed(&state, &headers, FeedScope::All, "/feed.xml").await
}

/// One category as an Atom feed: `/feed/debunk.xml`, `/feed/outage.xml`.
pub async fn feed_category(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> AppResult<Response> {
    let name = file.strip_suffix(".xml").ok_or_else(AppError::not_found)?;
    let scope = NoticeCategory::parse(name)
        .map(FeedScope::Notices)
        .or_else(|| SubmissionCategory::parse(name).map(FeedScope::Updates))
        .ok_or_else(AppError::not_found)?;
    feed(&state, &headers, scope, &format!("/feed/{name}.xml")).await
}

/// `?path=/notices/12`: the page a printed poster's QR code leads back to.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct QrQuery {
    pub path: String,
}

/// Only a path on this site, short and plain: the QR code can never point elsewhere.
fn qr_path_ok(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && path.len() <= 200
        && path.bytes().all(|b| b.is_ascii_graphic() && b != b'\\')
}

/// A QR code (SVG) of this site's address for `path`, for posters.
#[utoipa::path(get, path = "/api/board/qr.svg", tag = "board", params(QrQuery),
    responses((status = 200, description = "image/svg+xml", content_type = "image/svg+xml"),
        (status = 422, body = shouwang_api::ErrorBody)))]
pub async fn qr_svg(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<QrQuery>,
) -> AppResult<Response> {
    if !qr_path_ok(&query.path) {
        return Err(AppError::with_field(
            shouwang_api::ErrorCode::InvalidValue,
            "path",
            "A path on this site, such as /notices/12.",
        ));
    }
    let url = format!("{}{}", base_url(&state, &headers), query.path);
    let code = qrcode::QrCode::new(url.as_bytes()).map_err(|e| AppError::Internal(e.into()))?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(160, 160)
        .quiet_zone(true)
        .build();
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("image/svg+xml"),
        )],
        svg,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::qr_path_ok;

    #[test]
    fn qr_codes_only_lead_to_this_site() {
        assert!(qr_path_ok("/notices/12"));
        assert!(qr_path_ok("/"));
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/a b",
            "/\\evil",
            "",
        ] {
            assert!(!qr_path_ok(bad), "{bad}");
        }
    }
}
