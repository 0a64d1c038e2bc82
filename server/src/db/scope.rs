//! What a caller may see: the one place the grid-scope rule is written.
//!
//! A staff member reads the personal data of the grids they work (`staff_grids`), an admin
//! of all grids. Every query of personal data takes a [`Scope`] and applies it through
//! [`Scope::filter`] (a fixed query) or [`Scope::push`] (a [`QueryBuilder`]); no other
//! module names `staff_grids` in a predicate.

use super::Tx;
use super::sql;
use super::sql::{DecodeEither, FromEitherRow, Query, QueryAs, QueryBuilder, QueryScalar};
use shouwang_api::auth::Role;

/// The grids of the account bound after it.
const GRIDS_OF: &str = "SELECT grid_id FROM staff_grids WHERE user_id = ";

/// Whose grids a query may read: all of them (admins) or those of one staff account.
/// Built once per request from the caller (`CurrentUser::scope`).
#[derive(Debug, Clone, Copy)]
pub struct Scope {
    all: bool,
    user_id: i64,
}

impl Scope {
    pub fn of(user_id: i64, role: Role) -> Scope {
        Scope {
            all: role.is_admin(),
            user_id,
        }
    }

    /// Every grid, and no account's: a street's staff member reading under the community's
    /// grant (`ops::street_access`), who holds no account in the community.
    pub fn whole_community() -> Scope {
        Scope {
            all: true,
            user_id: 0,
        }
    }

    /// The caller's account.
    pub fn user_id(self) -> i64 {
        self.user_id
    }

    /// The predicate "`column` is one of the caller's grids" for a fixed query. It takes the
    /// parameters `?1` and `?2`: bind the scope first with [`BindScope::bind_scope`], and
    /// number the query's own parameters from `?3`.
    pub fn filter(column: &str) -> String {
        format!("(?1 OR {column} IN ({GRIDS_OF}?2))")
    }

    /// Appends the same predicate to a built query, binding the scope in place.
    pub fn push(self, b: &mut QueryBuilder<'_>, column: &str) {
        b.push("(")
            .push_bind(self.all)
            .push(format!(" OR {column} IN ({GRIDS_OF}"))
            .push_bind(self.user_id)
            .push("))");
    }

    /// ` AND ` the predicate, for a built query's `WHERE` clause.
    pub fn push_and(self, b: &mut QueryBuilder<'_>, column: &str) {
        b.push(" AND ");
        self.push(b, column);
    }
}

/// Binds a scope as `?1` and `?2` of a fixed query using [`Scope::filter`].
pub trait BindScope {
    fn bind_scope(self, scope: Scope) -> Self;
}

impl BindScope for Query<'_, '_> {
    fn bind_scope(self, scope: Scope) -> Self {
        self.bind(scope.all).bind(scope.user_id)
    }
}

impl<O: FromEitherRow> BindScope for QueryAs<'_, '_, O> {
    fn bind_scope(self, scope: Scope) -> Self {
        self.bind(scope.all).bind(scope.user_id)
    }
}

impl<O: DecodeEither> BindScope for QueryScalar<'_, '_, O> {
    fn bind_scope(self, scope: Scope) -> Self {
        self.bind(scope.all).bind(scope.user_id)
    }
}

/// The staff accounts who work a grid, to tell them about something in it.
pub async fn staff_of_grid(tx: &mut Tx, grid_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sql::query_scalar("SELECT user_id FROM staff_grids WHERE grid_id = ?")
        .bind(grid_id)
        .fetch_all(&mut **tx)
        .await
}

/// A subquery: the first enabled staff account working the grid in `grid_column`, the
/// worker a resident is shown as their contact.
pub fn first_worker_of(grid_column: &str) -> String {
    format!(
        "(SELECT MIN(sg.user_id) FROM staff_grids sg
          JOIN users su ON su.id = sg.user_id AND su.disabled_at IS NULL
          WHERE sg.grid_id = {grid_column})"
    )
}
