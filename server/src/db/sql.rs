//! One query interface over both storage backends, SQLite and PostgreSQL.
//!
//! Every query in `db/` is written once, in the SQL both backends understand (`RETURNING`,
//! `ON CONFLICT`, `CAST`, `COALESCE`, …), with SQLite's `?`/`?N` placeholders; the few
//! places where the dialects part (full-text search, JSON lists, date arithmetic) branch on
//! [`Backend`]. The builders below mirror sqlx's own (`query`, `query_as`, `query_scalar`,
//! `QueryBuilder`) so a query reads as before; they hold their arguments until the
//! connection is known, then hand them to the backend's own driver. sqlx's `Any` driver is
//! avoided on purpose: it has no chrono types and would leave the placeholders to us anyway.

use sqlx::error::BoxDynError;
use sqlx::postgres::{PgArguments, PgConnection, PgPool, PgRow};
use sqlx::sqlite::{SqliteArguments, SqliteConnection, SqlitePool, SqliteRow};
use sqlx::{Arguments, Decode, Encode, FromRow, Postgres, Sqlite, Transaction, Type};
use std::borrow::Cow;
use std::fmt::Display;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};

/// Which database a deployment stores its data in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A pool of either backend; what [`super::Db::reader`] and [`super::Db::writer`] give.
#[derive(Debug, Clone)]
pub enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Pool {
    pub fn backend(&self) -> Backend {
        match self {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn close(&self) {
        match self {
            Pool::Sqlite(pool) => pool.close().await,
            Pool::Postgres(pool) => pool.close().await,
        }
    }
}

/// A transaction of either backend. Queries run on `&mut **tx`, as on a sqlx transaction.
#[derive(Debug)]
pub struct Tx(TxConnection);

#[derive(Debug)]
pub enum TxConnection {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Tx {
    pub fn sqlite(tx: Transaction<'static, Sqlite>) -> Tx {
        Tx(TxConnection::Sqlite(tx))
    }

    pub fn postgres(tx: Transaction<'static, Postgres>) -> Tx {
        Tx(TxConnection::Postgres(tx))
    }

    pub fn backend(&self) -> Backend {
        match &self.0 {
            TxConnection::Sqlite(_) => Backend::Sqlite,
            TxConnection::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self.0 {
            TxConnection::Sqlite(tx) => tx.commit().await,
            TxConnection::Postgres(tx) => tx.commit().await,
        }
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        match self.0 {
            TxConnection::Sqlite(tx) => tx.rollback().await,
            TxConnection::Postgres(tx) => tx.rollback().await,
        }
    }
}

impl Deref for Tx {
    type Target = TxConnection;
    fn deref(&self) -> &TxConnection {
        &self.0
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut TxConnection {
        &mut self.0
    }
}

/// Where a query runs: a pool, or the connection of a transaction.
pub enum Exec<'c> {
    SqlitePool(&'c SqlitePool),
    SqliteConnection(&'c mut SqliteConnection),
    PostgresPool(&'c PgPool),
    PostgresConnection(&'c mut PgConnection),
}

pub trait IntoExec<'c>: Send {
    fn into_exec(self) -> Exec<'c>;
}

impl<'c> IntoExec<'c> for &'c Pool {
    fn into_exec(self) -> Exec<'c> {
        match self {
            Pool::Sqlite(pool) => Exec::SqlitePool(pool),
            Pool::Postgres(pool) => Exec::PostgresPool(pool),
        }
    }
}

impl<'c> IntoExec<'c> for &'c mut TxConnection {
    fn into_exec(self) -> Exec<'c> {
        match self {
            TxConnection::Sqlite(tx) => Exec::SqliteConnection(tx),
            TxConnection::Postgres(tx) => Exec::PostgresConnection(tx),
        }
    }
}

impl<'c> IntoExec<'c> for &'c mut Tx {
    fn into_exec(self) -> Exec<'c> {
        (&mut self.0).into_exec()
    }
}

impl<'c> IntoExec<'c> for &'c mut SqliteConnection {
    fn into_exec(self) -> Exec<'c> {
        Exec::SqliteConnection(self)
    }
}

/// A value both backends can bind.
pub trait Bind<'q>: Send + 'q {
    fn add_sqlite(self: Box<Self>, args: &mut SqliteArguments<'q>) -> Result<(), BoxDynError>;
    fn add_postgres(self: Box<Self>, args: &mut PgArguments) -> Result<(), BoxDynError>;
}

impl<'q, T> Bind<'q> for T
where
    T: Encode<'q, Sqlite> + Type<Sqlite> + Encode<'q, Postgres> + Type<Postgres> + Send + 'q,
{
    fn add_sqlite(self: Box<Self>, args: &mut SqliteArguments<'q>) -> Result<(), BoxDynError> {
        args.add(*self)
    }

    fn add_postgres(self: Box<Self>, args: &mut PgArguments) -> Result<(), BoxDynError> {
        args.add(*self)
    }
}

/// A row both backends can decode into.
pub trait FromEitherRow:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

impl<T> FromEitherRow for T where
    T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

/// A single column value both backends can decode.
pub trait DecodeEither:
    for<'r> Decode<'r, Sqlite>
    + Type<Sqlite>
    + for<'r> Decode<'r, Postgres>
    + Type<Postgres>
    + Send
    + Unpin
{
}

impl<T> DecodeEither for T where
    T: for<'r> Decode<'r, Sqlite>
        + Type<Sqlite>
        + for<'r> Decode<'r, Postgres>
        + Type<Postgres>
        + Send
        + Unpin
{
}

/// A fetched row, for the few queries that decode rows one by one
/// ([`super::decode_rows`]).
pub enum Row {
    Sqlite(SqliteRow),
    Postgres(PgRow),
}

impl Row {
    pub fn decode<T: FromEitherRow>(&self) -> Result<T, sqlx::Error> {
        match self {
            Row::Sqlite(row) => T::from_row(row),
            Row::Postgres(row) => T::from_row(row),
        }
    }

    pub fn id(&self) -> Option<i64> {
        use sqlx::Row as _;
        match self {
            Row::Sqlite(row) => row.try_get::<i64, _>("id").ok(),
            Row::Postgres(row) => row.try_get::<i64, _>("id").ok(),
        }
    }
}

/// What a statement that returns no rows did.
#[derive(Debug, Clone, Copy)]
pub struct Done {
    rows_affected: u64,
}

impl Done {
    pub fn rows_affected(&self) -> u64 {
        self.rows_affected
    }
}

#[derive(Default)]
struct Args<'q>(Vec<Box<dyn Bind<'q>>>);

impl<'q> Args<'q> {
    fn push<T: Bind<'q>>(&mut self, value: T) {
        self.0.push(Box::new(value));
    }

    fn sqlite(self) -> Result<SqliteArguments<'q>, BoxDynError> {
        let mut args = SqliteArguments::default();
        for value in self.0 {
            value.add_sqlite(&mut args)?;
        }
        Ok(args)
    }

    fn postgres(self) -> Result<PgArguments, BoxDynError> {
        let mut args = PgArguments::default();
        for value in self.0 {
            value.add_postgres(&mut args)?;
        }
        Ok(args)
    }
}

/// SQLite's placeholders in PostgreSQL's spelling: `?N` becomes `$N`, and a bare `?` the
/// next number after the largest so far (SQLite's own rule). Text inside quotes is left
/// alone.
pub fn postgres_placeholders(sql: &str) -> Cow<'_, str> {
    if !sql.contains('?') {
        return Cow::Borrowed(sql);
    }
    let mut out = String::with_capacity(sql.len() + 8);
    let mut largest = 0u32;
    let mut chars = sql.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                out.push(c);
            }
            None if c == '?' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                    digits.push(d);
                    chars.next();
                }
                let n = match digits.parse::<u32>() {
                    Ok(n) => n,
                    Err(_) => largest + 1,
                };
                largest = largest.max(n);
                out.push('$');
                out.push_str(&n.to_string());
            }
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Runs `$body` on whichever executor `$exec` is, with `$sql` in that backend's spelling
/// and the arguments converted for it. The body is the same text for every arm; the types
/// in it are each backend's own.
macro_rules! each_backend {
    ($exec:expr, $sql:expr, $args:expr, |$s:ident, $a:ident, $c:ident| $body:expr) => {
        match $exec.into_exec() {
            Exec::SqlitePool($c) => {
                let $s: &str = $sql;
                let $a = $args.sqlite().map_err(sqlx::Error::Encode)?;
                $body
            }
            Exec::SqliteConnection($c) => {
                let $s: &str = $sql;
                let $a = $args.sqlite().map_err(sqlx::Error::Encode)?;
                $body
            }
            Exec::PostgresPool($c) => {
                let spelled = postgres_placeholders($sql);
                let $s: &str = &spelled;
                let $a = $args.postgres().map_err(sqlx::Error::Encode)?;
                $body
            }
            Exec::PostgresConnection($c) => {
                let spelled = postgres_placeholders($sql);
                let $s: &str = &spelled;
                let $a = $args.postgres().map_err(sqlx::Error::Encode)?;
                $body
            }
        }
    };
}

impl From<SqliteRow> for Row {
    fn from(row: SqliteRow) -> Row {
        Row::Sqlite(row)
    }
}

impl From<PgRow> for Row {
    fn from(row: PgRow) -> Row {
        Row::Postgres(row)
    }
}

/// A statement, as `sqlx::query`.
pub struct Query<'s, 'q> {
    sql: &'s str,
    args: Args<'q>,
}

pub fn query<'s, 'q>(sql: &'s str) -> Query<'s, 'q> {
    Query {
        sql,
        args: Args::default(),
    }
}

impl<'q> Query<'_, 'q> {
    pub fn bind<T: Bind<'q>>(mut self, value: T) -> Self {
        self.args.push(value);
        self
    }

    pub async fn execute<'c>(self, exec: impl IntoExec<'c>) -> Result<Done, sqlx::Error> {
        each_backend!(exec, self.sql, self.args, |sql, args, c| {
            sqlx::query_with(sql, args)
                .execute(c)
                .await
                .map(|done| Done {
                    rows_affected: done.rows_affected(),
                })
        })
    }

    pub async fn fetch_all<'c>(self, exec: impl IntoExec<'c>) -> Result<Vec<Row>, sqlx::Error> {
        each_backend!(exec, self.sql, self.args, |sql, args, c| {
            sqlx::query_with(sql, args)
                .fetch_all(c)
                .await
                .map(|rows| rows.into_iter().map(Row::from).collect())
        })
    }

    pub async fn fetch_one<'c>(self, exec: impl IntoExec<'c>) -> Result<Row, sqlx::Error> {
        each_backend!(exec, self.sql, self.args, |sql, args, c| {
            sqlx::query_with(sql, args)
                .fetch_one(c)
                .await
                .map(Row::from)
        })
    }

    pub async fn fetch_optional<'c>(
        self,
        exec: impl IntoExec<'c>,
    ) -> Result<Option<Row>, sqlx::Error> {
        each_backend!(exec, self.sql, self.args, |sql, args, c| {
            sqlx::query_with(sql, args)
                .fetch_optional(c)
                .await
                .map(|row| row.map(Row::from))
        })
    }
}

/// A query whose rows decode into `O`, as `sqlx::query_as`.
pub struct QueryAs<'s, 'q, O> {
    query: Query<'s, 'q>,
    row: PhantomData<fn() -> O>,
}

pub fn query_as<'s, 'q, O>(sql: &'s str) -> QueryAs<'s, 'q, O> {
    QueryAs {
        query: query(sql),
        row: PhantomData,
    }
}

/// `bind` and the three fetches of a typed query, over `sqlx::$with` (`query_as_with`
/// or `query_scalar_with`).
macro_rules! typed_fetches {
    ($with:ident) => {
        pub fn bind<T: Bind<'q>>(mut self, value: T) -> Self {
            self.query.args.push(value);
            self
        }

        pub async fn fetch_all<'c>(self, exec: impl IntoExec<'c>) -> Result<Vec<O>, sqlx::Error> {
            each_backend!(exec, self.query.sql, self.query.args, |sql, args, c| {
                sqlx::$with::<_, O, _>(sql, args).fetch_all(c).await
            })
        }

        pub async fn fetch_one<'c>(self, exec: impl IntoExec<'c>) -> Result<O, sqlx::Error> {
            each_backend!(exec, self.query.sql, self.query.args, |sql, args, c| {
                sqlx::$with::<_, O, _>(sql, args).fetch_one(c).await
            })
        }

        pub async fn fetch_optional<'c>(
            self,
            exec: impl IntoExec<'c>,
        ) -> Result<Option<O>, sqlx::Error> {
            each_backend!(exec, self.query.sql, self.query.args, |sql, args, c| {
                sqlx::$with::<_, O, _>(sql, args).fetch_optional(c).await
            })
        }
    };
}

impl<'q, O: FromEitherRow> QueryAs<'_, 'q, O> {
    typed_fetches!(query_as_with);
}

/// A query of one column, as `sqlx::query_scalar`.
pub struct QueryScalar<'s, 'q, O> {
    query: Query<'s, 'q>,
    value: PhantomData<fn() -> O>,
}

pub fn query_scalar<'s, 'q, O>(sql: &'s str) -> QueryScalar<'s, 'q, O> {
    QueryScalar {
        query: query(sql),
        value: PhantomData,
    }
}

impl<'q, O: DecodeEither> QueryScalar<'_, 'q, O> {
    typed_fetches!(query_scalar_with);
}

/// A query put together at run time, as `sqlx::QueryBuilder`: `push` appends SQL,
/// `push_bind` a placeholder and its value.
pub struct QueryBuilder<'q> {
    sql: String,
    args: Option<Args<'q>>,
}

impl<'q> QueryBuilder<'q> {
    pub fn new(init: impl Into<String>) -> Self {
        QueryBuilder {
            sql: init.into(),
            args: Some(Args::default()),
        }
    }

    pub fn push(&mut self, sql: impl Display) -> &mut Self {
        use std::fmt::Write as _;
        // Writing to a String cannot fail.
        let _ = write!(self.sql, "{sql}");
        self
    }

    pub fn push_bind<T: Bind<'q>>(&mut self, value: T) -> &mut Self {
        self.sql.push('?');
        if let Some(args) = self.args.as_mut() {
            args.push(value);
        }
        self
    }

    /// Values separated by `separator`, as in an `IN (…)` list.
    pub fn separated(&mut self, separator: &'static str) -> Separated<'_, 'q> {
        Separated {
            builder: self,
            separator,
            first: true,
        }
    }

    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// The statement, taking the bound values: build it once.
    pub fn build(&mut self) -> Query<'_, 'q> {
        Query {
            sql: &self.sql,
            args: self.args.take().unwrap_or_default(),
        }
    }

    pub fn build_query_as<O>(&mut self) -> QueryAs<'_, 'q, O> {
        QueryAs {
            query: self.build(),
            row: PhantomData,
        }
    }

    pub fn build_query_scalar<O>(&mut self) -> QueryScalar<'_, 'q, O> {
        QueryScalar {
            query: self.build(),
            value: PhantomData,
        }
    }
}

pub struct Separated<'b, 'q> {
    builder: &'b mut QueryBuilder<'q>,
    separator: &'static str,
    first: bool,
}

impl<'q> Separated<'_, 'q> {
    pub fn push_bind<T: Bind<'q>>(&mut self, value: T) -> &mut Self {
        if !self.first {
            self.builder.sql.push_str(self.separator);
        }
        self.first = false;
        self.builder.push_bind(value);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::postgres_placeholders;

    #[test]
    fn placeholders_are_numbered_as_sqlite_numbers_them() {
        assert_eq!(
            postgres_placeholders("SELECT ? , ?, ?5, ? WHERE a = '?' AND b = ?2"),
            "SELECT $1 , $2, $5, $6 WHERE a = '?' AND b = $2"
        );
        assert_eq!(postgres_placeholders("SELECT 1"), "SELECT 1");
    }
}
