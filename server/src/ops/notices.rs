//! Writing notices: stored with their rendered body, audited, and the cached board
//! refreshed.

use crate::db::{self, Db, audit, notices::NoticeRecord};
use crate::domain::notices as rules;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use shouwang_api::ErrorCode;
use shouwang_api::notices::{Notice, ValidNotice};

/// `author` writes a new notice; it starts as a draft.
pub async fn create(
    state: &AppState,
    author: i64,
    notice: &ValidNotice,
    now: DateTime<Utc>,
) -> AppResult<Notice> {
    save(state, author, None, notice, now).await
}

/// `editor` edits notice `id`, whatever its status.
pub async fn update(
    state: &AppState,
    editor: i64,
    id: i64,
    notice: &ValidNotice,
    now: DateTime<Utc>,
) -> AppResult<Notice> {
    save(state, editor, Some(id), notice, now).await
}

/// Stores a new notice (`existing` `None`) or the edit of one, with its rendered body.
async fn save(
    state: &AppState,
    actor: i64,
    existing: Option<i64>,
    notice: &ValidNotice,
    now: DateTime<Utc>,
) -> AppResult<Notice> {
    let rendered = rules::render(notice);
    let mut tx = state.db.begin().await?;
    let record = NoticeRecord {
        notice,
        body_html: &rendered.body_html,
        excerpt: &rendered.excerpt,
    };
    let (id, action) = match existing {
        None => (
            db::notices::insert(&mut tx, record, actor, now).await?,
            "notice.create",
        ),
        Some(id) => {
            if db::notices::is_from_street(&mut tx, id).await? {
                return Err(street_notice_is_read_only());
            }
            if !db::notices::update(&mut tx, id, record, now).await? {
                return Err(AppError::not_found());
            }
            (id, "notice.update")
        }
    };
    audit::record(
        &mut tx,
        audit::Entry::new(Some(actor), action).target("notice", id),
        now,
    )
    .await?;
    tx.commit().await?;
    state.board_cache.invalidate();
    load(&state.db, id).await
}

/// A street's notice is the street's to withdraw (街道发布): a community's staff read it.
pub fn street_notice_is_read_only() -> AppError {
    AppError::with_field(
        ErrorCode::Forbidden,
        "from_street",
        "The street published this notice; only the street can withdraw it.",
    )
}

async fn load(db: &Db, id: i64) -> AppResult<Notice> {
    db::notices::find(db, id)
        .await?
        .ok_or_else(AppError::not_found)
}
