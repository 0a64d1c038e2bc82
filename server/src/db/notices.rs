//! Notices of the information board.

use super::sql;
use super::{Db, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use shouwang_api::notices::{
    Notice, NoticeCategory, NoticeStatus, NoticeStatusFilter, NoticeSummary, ValidNotice,
};
use sqlx::FromRow;

/// A validated notice together with what the server derives from its body.
#[derive(Debug, Clone)]
pub struct NoticeRecord<'a> {
    pub notice: &'a ValidNotice,
    pub body_html: &'a str,
    pub excerpt: &'a str,
}

pub async fn insert(
    tx: &mut Tx,
    record: NoticeRecord<'_>,
    author_id: i64,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let n = record.notice;
    let id = sql::query_scalar::<i64>(
        "INSERT INTO notices (title, body, body_html, excerpt, category, issuing_body, doc_number,
                              issued_on, expires_at, pinned, status, author_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?) RETURNING id",
    )
    .bind(&n.title)
    .bind(&n.body)
    .bind(record.body_html)
    .bind(record.excerpt)
    .bind(n.category)
    .bind(&n.issuing_body)
    .bind(&n.doc_number)
    .bind(n.issued_on)
    .bind(n.expires_at)
    .bind(n.pinned)
    .bind(author_id)
    .bind(now)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Returns false when there is no such notice.
pub async fn update(
    tx: &mut Tx,
    id: i64,
    record: NoticeRecord<'_>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let n = record.notice;
    let changed = sql::query(
        "UPDATE notices SET title = ?, body = ?, body_html = ?, excerpt = ?, category = ?,
                issuing_body = ?, doc_number = ?, issued_on = ?, expires_at = ?, pinned = ?, updated_at = ?
         WHERE id = ?",
    )
    .bind(&n.title)
    .bind(&n.body)
    .bind(record.body_html)
    .bind(record.excerpt)
    .bind(n.category)
    .bind(&n.issuing_body)
    .bind(&n.doc_number)
    .bind(n.issued_on)
    .bind(n.expires_at)
    .bind(n.pinned)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(changed > 0)
}

/// Writes a notice the server publishes at once — a zone announcement, a debunk, seeded
/// notices — with its body rendered. It is inserted as a draft and published through
/// [`change_status`], the same transition staff make, so the search index and the live
/// board's triggers see nothing different.
pub async fn insert_published(
    tx: &mut Tx,
    notice: &ValidNotice,
    author_id: i64,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let rendered = crate::domain::notices::render(notice);
    let record = NoticeRecord {
        notice,
        body_html: &rendered.body_html,
        excerpt: &rendered.excerpt,
    };
    let id = insert(tx, record, author_id, now).await?;
    change_status(tx, id, NoticeStatus::Draft, NoticeStatus::Published, now).await?;
    Ok(id)
}

/// Moves a notice to `to`, only if it is still in `from` (so two moderators acting at
/// once cannot both succeed). Returns whether it moved.
pub async fn change_status(
    tx: &mut Tx,
    id: i64,
    from: NoticeStatus,
    to: NoticeStatus,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let changed = sql::query(
        "UPDATE notices SET status = ?1, updated_at = ?2,
                published_at = CASE WHEN ?1 = 'published' THEN ?2 ELSE published_at END
         WHERE id = ?3 AND status = ?4",
    )
    .bind(to)
    .bind(now)
    .bind(id)
    .bind(from)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(changed > 0)
}

#[derive(Debug, FromRow)]
struct NoticeRow {
    id: i64,
    title: String,
    body: String,
    body_html: String,
    category: NoticeCategory,
    issuing_body: Option<String>,
    doc_number: Option<String>,
    issued_on: Option<NaiveDate>,
    expires_at: Option<DateTime<Utc>>,
    pinned: bool,
    status: NoticeStatus,
    author_name: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    published_at: Option<DateTime<Utc>>,
    from_street: bool,
}

impl TryFrom<NoticeRow> for Notice {
    type Error = sqlx::Error;

    fn try_from(r: NoticeRow) -> Result<Self, Self::Error> {
        Ok(Notice {
            id: r.id,
            status: r.status,
            category: r.category,
            title: r.title,
            body: r.body,
            body_html: r.body_html,
            issuing_body: r.issuing_body,
            doc_number: r.doc_number,
            issued_on: r.issued_on,
            expires_at: r.expires_at,
            pinned: r.pinned,
            author_name: r.author_name,
            created_at: r.created_at,
            updated_at: r.updated_at,
            published_at: r.published_at,
            from_street: r.from_street,
        })
    }
}

pub async fn find(db: &Db, id: i64) -> Result<Option<Notice>, sqlx::Error> {
    sql::query_as::<NoticeRow>(
        "SELECT n.id, n.title, n.body, n.body_html, n.category, n.issuing_body, n.doc_number,
                n.issued_on, n.expires_at, n.pinned, n.status, u.display_name AS author_name,
                n.created_at, n.updated_at, n.published_at,
                COALESCE(u.username LIKE 'street:%', FALSE) AS from_street
         FROM notices n LEFT JOIN users u ON u.id = n.author_id WHERE n.id = ?",
    )
    .bind(id)
    .fetch_optional(db.reader())
    .await?
    .map(Notice::try_from)
    .transpose()
}

/// The current status, for deciding a transition inside a write transaction.
pub async fn status_in(tx: &mut Tx, id: i64) -> Result<Option<NoticeStatus>, sqlx::Error> {
    sql::query_scalar("SELECT status FROM notices WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

#[derive(Debug, FromRow)]
struct SummaryRow {
    id: i64,
    title: String,
    excerpt: String,
    category: NoticeCategory,
    issuing_body: Option<String>,
    doc_number: Option<String>,
    issued_on: Option<NaiveDate>,
    expires_at: Option<DateTime<Utc>>,
    pinned: bool,
    status: NoticeStatus,
    published_at: Option<DateTime<Utc>>,
    updated_at: DateTime<Utc>,
    receipt_asked: bool,
    from_street: bool,
}

impl TryFrom<SummaryRow> for NoticeSummary {
    type Error = sqlx::Error;

    fn try_from(r: SummaryRow) -> Result<Self, Self::Error> {
        Ok(NoticeSummary {
            id: r.id,
            status: r.status,
            category: r.category,
            title: r.title,
            excerpt: r.excerpt,
            issuing_body: r.issuing_body,
            doc_number: r.doc_number,
            issued_on: r.issued_on,
            expires_at: r.expires_at,
            pinned: r.pinned,
            published_at: r.published_at,
            updated_at: r.updated_at,
            receipt_asked: r.receipt_asked,
            from_street: r.from_street,
        })
    }
}

/// One page of notices. The `WHERE` and `ORDER BY` follow the indexes: the public board
/// by (status, pinned, published_at), covering every column a summary needs (migration
/// 0006); staff lists by (status, updated_at).
pub async fn list(
    db: &Db,
    filter: NoticeStatusFilter,
    category: Option<NoticeCategory>,
    now: DateTime<Utc>,
    limit: u32,
    offset: u64,
) -> Result<(Vec<NoticeSummary>, u64), sqlx::Error> {
    // Whether a notice asks for receipts, and whether the street wrote it, are one
    // primary-key lookup each per row of the page.
    const COLUMNS: &str = "id, title, excerpt, category, issuing_body, doc_number, issued_on, expires_at, pinned, status, published_at, updated_at,
        EXISTS (SELECT 1 FROM receipt_notices rn WHERE rn.notice_id = notices.id) AS receipt_asked,
        EXISTS (SELECT 1 FROM users u WHERE u.id = notices.author_id AND u.username LIKE 'street:%') AS from_street";
    // Parameters are numbered, so a condition that does not mention ?1 (now) is fine:
    // SQLite counts parameters up to the highest number used.
    let (condition, order) = match filter {
        NoticeStatusFilter::Published => (
            "status = 'published' AND (expires_at IS NULL OR expires_at > ?1)",
            "pinned DESC, published_at DESC, id DESC",
        ),
        NoticeStatusFilter::Expired => (
            "status = 'published' AND expires_at <= ?1",
            "expires_at DESC, id DESC",
        ),
        NoticeStatusFilter::Draft => ("status = 'draft'", "updated_at DESC, id DESC"),
        NoticeStatusFilter::Withdrawn => ("status = 'withdrawn'", "updated_at DESC, id DESC"),
        NoticeStatusFilter::All => ("1 = 1", "updated_at DESC, id DESC"),
    };
    let category_condition = super::optional_filter(category.is_some(), "category", 2);
    let items_sql = format!(
        "SELECT {COLUMNS} FROM notices WHERE {condition}{category_condition} ORDER BY {order} LIMIT ?3 OFFSET ?4"
    );
    let count_sql = format!("SELECT COUNT(*) FROM notices WHERE {condition}{category_condition}");
    let rows = sql::query_as::<SummaryRow>(&items_sql)
        .bind(now)
        .bind(category)
        .bind(i64::from(limit))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(db.reader())
        .await?;
    let total: i64 = sql::query_scalar(&count_sql)
        .bind(now)
        .bind(category)
        .fetch_one(db.reader())
        .await?;
    let items = rows
        .into_iter()
        .map(NoticeSummary::try_from)
        .collect::<Result<_, _>>()?;
    Ok((items, u64::try_from(total).unwrap_or(0)))
}

/// Whether the street wrote notice `id` (its copy is read-only in the community).
pub async fn is_from_street(tx: &mut Tx, id: i64) -> Result<bool, sqlx::Error> {
    sql::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM notices n JOIN users u ON u.id = n.author_id
                        WHERE n.id = ? AND u.username LIKE 'street:%')",
    )
    .bind(id)
    .fetch_one(&mut **tx)
    .await
}

/// The newest published, unexpired notices, newest first (the street's reading of every
/// board, merged across communities), and how many there are.
pub async fn latest_published(
    db: &Db,
    now: DateTime<Utc>,
    limit: u32,
) -> Result<(Vec<NoticeSummary>, u64), sqlx::Error> {
    let rows = sql::query_as::<SummaryRow>(
        "SELECT id, title, excerpt, category, issuing_body, doc_number, issued_on, expires_at, pinned,
                status, published_at, updated_at,
                EXISTS (SELECT 1 FROM receipt_notices rn WHERE rn.notice_id = notices.id) AS receipt_asked,
                EXISTS (SELECT 1 FROM users u WHERE u.id = notices.author_id AND u.username LIKE 'street:%') AS from_street
         FROM notices WHERE status = 'published' AND (expires_at IS NULL OR expires_at > ?1)
         ORDER BY published_at DESC, id DESC LIMIT ?2",
    )
    .bind(now)
    .bind(i64::from(limit))
    .fetch_all(db.reader())
    .await?;
    let total: i64 = sql::query_scalar(
        "SELECT COUNT(*) FROM notices WHERE status = 'published' AND (expires_at IS NULL OR expires_at > ?)",
    )
    .bind(now)
    .fetch_one(db.reader())
    .await?;
    let items = rows
        .into_iter()
        .map(NoticeSummary::try_from)
        .collect::<Result<_, _>>()?;
    Ok((items, u64::try_from(total).unwrap_or(0)))
}
