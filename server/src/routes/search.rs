//! Search across notices and updates, and the document-number (文号) lookup.

use crate::auth::RequireStaff;
use crate::db::{self, audit};
use crate::domain::bigrams;
use crate::domain::board as rules;
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Path, Query};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use shouwang_api::board::{
    BoardItemKind, DocNumberAnswer, DocNumberQuery, SearchHit, SearchQuery, SupersedeInput,
    TRIGRAM_MIN,
};
use shouwang_api::{ErrorBody, ErrorCode, Page};

const SNIPPET_CHARS: usize = 60;

/// Search what is public on the board (published notices not expired, verified
/// updates). Matches are marked with U+0002 … U+0003. Terms of three or more characters
/// use the trigram index; shorter ones (two-character words, single characters) the
/// bigram index.
#[utoipa::path(get, path = "/api/board/search", tag = "board", params(SearchQuery),
    responses((status = 200, body = Page<SearchHit>), (status = 422, body = ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    Query(query): Query<SearchQuery>,
) -> AppResult<Json<Page<SearchHit>>> {
    let now = state.clock.now();
    let q = query.validate()?;
    let paging = query.paging();
    let terms = rules::terms(&q);
    let plan = rules::SearchPlan::new(&terms);
    let postgres = state.db.backend() == db::Backend::Postgres;
    let (items, total) = match plan.index_only() {
        Some(expr) if !postgres => {
            db::board::search_fts(&state.db, expr, now, paging.per_page(), paging.offset()).await?
        }
        _ => {
            let (rows, total) = if postgres {
                let substrings: Vec<db::board::Substring> = plan
                    .substrings
                    .iter()
                    .chain(&plan.scan)
                    .map(|pattern| db::board::Substring {
                        pattern: pattern.clone(),
                        case_insensitive: !bigrams::caseless(pattern),
                    })
                    .collect();
                // The GIN index narrows the rows down by the short terms' phrases and by
                // the tokens the long terms cannot be without; the substrings are then
                // checked on those candidates only.
                let grams: Vec<String> = plan
                    .tsquery
                    .iter()
                    .cloned()
                    .chain(
                        terms
                            .iter()
                            .filter(|t| t.chars().count() >= TRIGRAM_MIN)
                            .filter_map(|t| bigrams::substring_tsquery(t)),
                    )
                    .collect();
                let grams = (!grams.is_empty()).then(|| grams.join(" & "));
                db::board::search_postgres(
                    &state.db,
                    &substrings,
                    grams.as_deref(),
                    plan.tsquery.as_deref(),
                    now,
                    paging.per_page(),
                    paging.offset(),
                )
                .await?
            } else {
                db::board::search_plain(
                    &state.db,
                    plan.index.as_deref(),
                    plan.bigrams.as_deref(),
                    &plan.scan,
                    now,
                    paging.per_page(),
                    paging.offset(),
                )
                .await?
            };
            let hits = rows
                .into_iter()
                .map(|r| SearchHit {
                    kind: if r.id > 0 {
                        BoardItemKind::Notice
                    } else {
                        BoardItemKind::Update
                    },
                    id: r.id.abs(),
                    title_marked: rules::mark(&r.title, &terms),
                    snippet_marked: rules::snippet(&r.body, &terms, SNIPPET_CHARS),
                    doc_number: r.doc_number.filter(|d| !d.is_empty()),
                    published_at: r.published_at,
                })
                .collect();
            (hits, total)
        }
    };
    Ok(Json(Page::new(items, paging, total)))
}

/// Is a forwarded notice real? Looks its document number up: what the board holds
/// under it, and whether it was withdrawn or superseded.
#[utoipa::path(get, path = "/api/board/doc-number", tag = "board", params(DocNumberQuery),
    responses((status = 200, body = DocNumberAnswer), (status = 422, body = ErrorBody)))]
pub async fn doc_number(
    State(state): State<AppState>,
    Query(query): Query<DocNumberQuery>,
) -> AppResult<Json<DocNumberAnswer>> {
    let doc_number = query.validate()?;
    let matches = db::board::by_doc_number(&state.db, &doc_number, state.clock.now()).await?;
    Ok(Json(DocNumberAnswer {
        doc_number,
        matches,
    }))
}

/// Staff record that a newer notice replaces this one.
#[utoipa::path(post, path = "/api/notices/{id}/superseded-by", tag = "board", request_body = SupersedeInput,
    params(("id" = i64, Path, description = "The older notice")),
    responses((status = 204, description = "Recorded"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = [])))]
pub async fn supersede(
    State(state): State<AppState>,
    RequireStaff(staff): RequireStaff,
    Path(id): Path<i64>,
    Json(input): Json<SupersedeInput>,
) -> AppResult<StatusCode> {
    let now = state.clock.now();
    if input.notice_id == id {
        return Err(AppError::with_field(
            ErrorCode::InvalidValue,
            "notice_id",
            "A notice cannot supersede itself.",
        ));
    }
    let mut tx = state.db.begin().await?;
    if !db::board::supersede(&mut tx, id, input.notice_id, now).await? {
        return Err(AppError::not_found());
    }
    audit::record(
        &mut tx,
        audit::Entry::new(Some(staff.id()), "notice.supersede")
            .target("notice", id)
            .detail(serde_json::json!({ "superseded_by": input.notice_id })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
