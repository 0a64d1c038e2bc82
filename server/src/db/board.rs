//! The board as a whole: search, document-number lookup, the live stream's events.

use super::sql;
use super::{Db, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use shouwang_api::board::{
    BoardItemKind, DocNumberMatch, LiveEvent, LiveEventKind, SearchHit, SupersedingNotice,
};
use shouwang_api::notices::NoticeStatus;
use sqlx::FromRow;

#[derive(FromRow)]
struct HitRow {
    id: i64,
    title_marked: String,
    snippet_marked: String,
    doc_number: Option<String>,
    published_at: Option<DateTime<Utc>>,
}

impl From<HitRow> for SearchHit {
    fn from(r: HitRow) -> Self {
        SearchHit {
            kind: if r.id > 0 {
                BoardItemKind::Notice
            } else {
                BoardItemKind::Update
            },
            id: r.id.abs(),
            title_marked: r.title_marked,
            snippet_marked: r.snippet_marked,
            doc_number: r.doc_number.filter(|d| !d.is_empty()),
            published_at: r.published_at,
        }
    }
}

/// Only what is public: published notices not expired, published updates heading
/// their group. (Rejected or pending updates are never in the index; withdrawn notices
/// leave it by trigger; expiry is checked here.)
const PUBLIC_ONLY: &str =
    "((f.rowid > 0 AND n.status = 'published' AND (n.expires_at IS NULL OR n.expires_at > ?2))
      OR (f.rowid < 0 AND s.status = 'published' AND s.group_id IS NULL))";
const JOINS: &str = "FROM board_search f
     LEFT JOIN notices n ON f.rowid > 0 AND n.id = f.rowid
     LEFT JOIN submissions s ON f.rowid < 0 AND s.id = -f.rowid";

/// Full-text search with the trigram index. `match_expr` is an FTS5 expression built
/// by `domain::board::SearchPlan` (every term quoted).
pub async fn search_fts(
    db: &Db,
    match_expr: &str,
    now: DateTime<Utc>,
    limit: u32,
    offset: u64,
) -> Result<(Vec<SearchHit>, u64), sqlx::Error> {
    let rows = sql::query_as::<HitRow>(&format!(
        "SELECT f.rowid AS id,
                highlight(board_search, 0, char(2), char(3)) AS title_marked,
                snippet(board_search, 1, char(2), char(3), '…', 40) AS snippet_marked,
                f.doc_number,
                COALESCE(n.published_at, s.decided_at) AS published_at
         {JOINS}
         WHERE board_search MATCH ?1 AND {PUBLIC_ONLY}
         ORDER BY f.rank LIMIT ?3 OFFSET ?4"
    ))
    .bind(match_expr)
    .bind(now)
    .bind(i64::from(limit))
    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
    .fetch_all(db.reader())
    .await?;
    let total: i64 = sql::query_scalar(&format!(
        "SELECT COUNT(*) {JOINS} WHERE board_search MATCH ?1 AND {PUBLIC_ONLY}"
    ))
    .bind(match_expr)
    .bind(now)
    .fetch_one(db.reader())
    .await?;
    Ok((
        rows.into_iter().map(SearchHit::from).collect(),
        u64::try_from(total).unwrap_or(0),
    ))
}

/// A matching row before the server marks the matches (LIKE has no highlight()).
#[derive(Debug, FromRow)]
pub struct PlainHit {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub doc_number: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
}

/// Search with terms shorter than a trigram (`停水`, `停`): every bigram phrase in
/// `bigrams` must match, and so must the trigram expression `index` and every LIKE
/// pattern in `patterns` (already escaped) when given. Ranked by the bigram index (title
/// first) when it is used, newest first otherwise; the caller marks the matches.
pub async fn search_plain(
    db: &Db,
    index: Option<&str>,
    bigrams: Option<&str>,
    patterns: &[String],
    now: DateTime<Utc>,
    limit: u32,
    offset: u64,
) -> Result<(Vec<PlainHit>, u64), sqlx::Error> {
    let mut condition = String::new();
    for i in 0..patterns.len() {
        let p = i + 6;
        condition.push_str(&format!(
            " AND (f.title LIKE ?{p} ESCAPE '\\' OR f.body LIKE ?{p} ESCAPE '\\' OR f.doc_number LIKE ?{p} ESCAPE '\\')"
        ));
    }
    // A MATCH inside an OR would not use its index, so the SQL differs instead. With both
    // indexes, the bigram index drives (CROSS JOIN fixes the order) and the trigram
    // matches are a set it is checked against once (`+` keeps that check out of FTS5's
    // hands, which would otherwise re-run the whole MATCH for each row).
    let (from, filter, order) = match (bigrams.is_some(), index.is_some()) {
        (true, true) => (
            "FROM board_bigrams b CROSS JOIN board_search f ON f.rowid = b.rowid",
            "board_bigrams MATCH ?5
             AND +f.rowid IN (SELECT rowid FROM board_search WHERE board_search MATCH ?1)",
            "bm25(board_bigrams, 5.0, 1.0, 2.0), published_at DESC",
        ),
        (true, false) => (
            "FROM board_bigrams b CROSS JOIN board_search f ON f.rowid = b.rowid",
            "board_bigrams MATCH ?5 AND ?1 IS NULL",
            "bm25(board_bigrams, 5.0, 1.0, 2.0), published_at DESC",
        ),
        (false, true) => (
            "FROM board_search f",
            "board_search MATCH ?1 AND ?5 IS NULL",
            "published_at DESC",
        ),
        (false, false) => (
            "FROM board_search f",
            "?1 IS NULL AND ?5 IS NULL",
            "published_at DESC",
        ),
    };
    let joins = "LEFT JOIN notices n ON f.rowid > 0 AND n.id = f.rowid
         LEFT JOIN submissions s ON f.rowid < 0 AND s.id = -f.rowid";
    let filter = format!("{filter} AND {PUBLIC_ONLY}{condition}");
    let items_sql = format!(
        "SELECT f.rowid AS id, f.title, f.body, f.doc_number,
                COALESCE(n.published_at, s.decided_at) AS published_at
         {from} {joins}
         WHERE {filter}
         ORDER BY {order} LIMIT ?3 OFFSET ?4"
    );
    let count_sql =
        format!("SELECT COUNT(*) {from} {joins} WHERE {filter} AND ?3 IS NULL AND ?4 IS NULL");
    let mut items = sql::query_as::<PlainHit>(&items_sql)
        .bind(index)
        .bind(now)
        .bind(i64::from(limit))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .bind(bigrams);
    let mut count = sql::query_scalar::<i64>(&count_sql)
        .bind(index)
        .bind(now)
        .bind(None::<i64>)
        .bind(None::<i64>)
        .bind(bigrams);
    for p in patterns {
        items = items.bind(p);
        count = count.bind(p);
    }
    let rows = items.fetch_all(db.reader()).await?;
    let total = count.fetch_one(db.reader()).await?;
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}

/// A long term's part of PostgreSQL's search: a substring the title, body or document
/// number must hold (what a trigram match is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Substring {
    /// A LIKE pattern, `%`, `_` and `\` escaped.
    pub pattern: String,
    /// Whether the pattern has letters with a case (ILIKE); without any, LIKE gives the
    /// same rows without lower-casing every body it reads.
    pub case_insensitive: bool,
}

#[derive(FromRow)]
struct PostgresHitRow {
    id: i64,
    title: String,
    body: String,
    doc_number: Option<String>,
    published_at: Option<DateTime<Utc>>,
    total: i64,
}

/// PostgreSQL's search, answering the same plan with the same results: every substring
/// in the title, body or document number, and the rows narrowed down through the GIN
/// index on `board_search.grams` by `grams` (the short terms' bigram phrases and the
/// tokens the long terms' substrings cannot be without). Ranked by `rank` (the short
/// terms' phrases) when there are any, newest first otherwise; the caller marks the
/// matches.
///
/// The SQL is built for the case at hand rather than switched by `?N IS NULL`, so that
/// the planner sees a GIN condition whenever there is one; the substrings are checked
/// on the index's candidates only, the rank computed for the matching rows only, and
/// the count taken from the same matching rows as the page, in one statement.
pub async fn search_postgres(
    db: &Db,
    substrings: &[Substring],
    grams: Option<&str>,
    rank: Option<&str>,
    now: DateTime<Utc>,
    limit: u32,
    offset: u64,
) -> Result<(Vec<PlainHit>, u64), sqlx::Error> {
    // ?1 is the limit, ?2 the moment (PUBLIC_ONLY's), ?3 the offset; the rest follow.
    let mut next = 4;
    let mut filter = String::new();
    let mut rank_expr = "0::real".to_owned();
    if grams.is_some() {
        filter.push_str(&format!(" AND f.grams @@ to_tsquery('simple', ?{next})"));
        next += 1;
    }
    if rank.is_some() {
        rank_expr = format!("ts_rank(f.grams, to_tsquery('simple', ?{next}))");
        next += 1;
    }
    for s in substrings {
        let like = if s.case_insensitive { "ILIKE" } else { "LIKE" };
        filter.push_str(&format!(
            " AND (f.title {like} ?{next} ESCAPE '\\' OR f.body {like} ?{next} ESCAPE '\\' OR f.doc_number {like} ?{next} ESCAPE '\\')"
        ));
        next += 1;
    }
    // `hits` holds only ids and sort keys, so counting them and sorting them costs little
    // even when thousands match; the page's texts are read for its rows alone.
    let items_sql = format!(
        "WITH hits AS (
             SELECT f.rowid AS id, {rank_expr} AS rank,
                    COALESCE(n.published_at, s.decided_at) AS published_at
             {JOINS} WHERE {PUBLIC_ONLY}{filter}
         ), page AS (
             SELECT id, rank, published_at FROM hits
             ORDER BY rank DESC, published_at DESC LIMIT ?1 OFFSET ?3
         )
         SELECT f.rowid AS id, f.title, f.body, f.doc_number, p.published_at,
                (SELECT COUNT(*) FROM hits) AS total
         FROM page p JOIN board_search f ON f.rowid = p.id
         ORDER BY p.rank DESC, p.published_at DESC"
    );
    let offset = i64::try_from(offset).unwrap_or(i64::MAX);
    let mut items = sql::query_as::<PostgresHitRow>(&items_sql)
        .bind(i64::from(limit))
        .bind(now)
        .bind(offset);
    for query in grams.iter().chain(rank.iter()) {
        items = items.bind(*query);
    }
    for s in substrings {
        items = items.bind(s.pattern.as_str());
    }
    let rows = items.fetch_all(db.reader()).await?;
    let total = match rows.first() {
        Some(row) => row.total,
        // A page past the last one: the total still counts what matched.
        None if offset > 0 => {
            let count_sql = format!(
                "SELECT COUNT(*) {JOINS} WHERE {PUBLIC_ONLY}{filter} AND ?1 IS NULL AND ?3 IS NULL"
            );
            let mut count = sql::query_scalar::<i64>(&count_sql)
                .bind(None::<i64>)
                .bind(now)
                .bind(None::<i64>);
            for query in grams.iter().chain(rank.iter()) {
                count = count.bind(*query);
            }
            for s in substrings {
                count = count.bind(s.pattern.as_str());
            }
            count.fetch_one(db.reader()).await?
        }
        None => 0,
    };
    let hits = rows
        .into_iter()
        .map(|r| PlainHit {
            id: r.id,
            title: r.title,
            body: r.body,
            doc_number: r.doc_number,
            published_at: r.published_at,
        })
        .collect();
    Ok((hits, u64::try_from(total).unwrap_or(0)))
}

#[derive(FromRow)]
struct DocRow {
    id: i64,
    title: String,
    excerpt: String,
    issuing_body: Option<String>,
    doc_number: String,
    issued_on: Option<NaiveDate>,
    status: NoticeStatus,
    expires_at: Option<DateTime<Utc>>,
    superseded_by: Option<i64>,
    new_title: Option<String>,
    new_doc_number: Option<String>,
}

/// Notices carrying this (normalised) document number; drafts are never shown.
pub async fn by_doc_number(
    db: &Db,
    doc_number: &str,
    now: DateTime<Utc>,
) -> Result<Vec<DocNumberMatch>, sqlx::Error> {
    let rows = sql::query_as::<DocRow>(
        "SELECT n.id, n.title, n.excerpt, n.issuing_body, n.doc_number, n.issued_on, n.status,
                n.expires_at, sn.id AS superseded_by, sn.title AS new_title, sn.doc_number AS new_doc_number
         FROM notices n
         LEFT JOIN notice_supersessions x ON x.notice_id = n.id
         LEFT JOIN notices sn ON sn.id = x.superseded_by AND sn.status = 'published'
         WHERE n.doc_number = ? AND n.status IN ('published', 'withdrawn')
         ORDER BY n.issued_on DESC, n.id DESC LIMIT 20",
    )
    .bind(doc_number)
    .fetch_all(db.reader())
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(DocNumberMatch {
                id: r.id,
                title: r.title,
                excerpt: r.excerpt,
                issuing_body: r.issuing_body,
                doc_number: r.doc_number,
                issued_on: r.issued_on,
                status: r.status,
                expired: r.expires_at.is_some_and(|at| at <= now),
                superseded_by: r.superseded_by.map(|id| SupersedingNotice {
                    id,
                    title: r.new_title.unwrap_or_default(),
                    doc_number: r.new_doc_number,
                }),
            })
        })
        .collect()
}

/// Records that `newer` replaces `older`. Both must exist; returns false otherwise.
pub async fn supersede(
    tx: &mut Tx,
    older: i64,
    newer: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sql::query_scalar("SELECT COUNT(*) FROM notices WHERE id IN (?, ?)")
        .bind(older)
        .bind(newer)
        .fetch_one(&mut **tx)
        .await?;
    if n < 2 {
        return Ok(false);
    }
    sql::query(
        "INSERT INTO notice_supersessions (notice_id, superseded_by, created_at) VALUES (?, ?, ?)
         ON CONFLICT (notice_id) DO UPDATE SET superseded_by = excluded.superseded_by, created_at = excluded.created_at",
    )
    .bind(older)
    .bind(newer)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

#[derive(FromRow)]
struct EventRow {
    id: i64,
    kind: LiveEventKind,
    item_id: i64,
    title: String,
    at: DateTime<Utc>,
}

/// Events after `seq`, oldest first, at most `limit`.
pub async fn events_since(db: &Db, seq: i64, limit: u32) -> Result<Vec<LiveEvent>, sqlx::Error> {
    let rows = sql::query_as::<EventRow>(
        "SELECT id, kind, item_id, title, at FROM board_events WHERE id > ? ORDER BY id LIMIT ?",
    )
    .bind(seq)
    .bind(i64::from(limit))
    .fetch_all(db.reader())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| LiveEvent {
            seq: r.id,
            kind: r.kind,
            item_id: r.item_id,
            title: r.title,
            at: r.at,
        })
        .collect())
}

pub async fn last_event(db: &Db) -> Result<i64, sqlx::Error> {
    sql::query_scalar("SELECT COALESCE(MAX(id), 0) FROM board_events")
        .fetch_one(db.reader())
        .await
}
