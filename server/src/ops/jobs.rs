//! The background jobs, run together by the server's housekeeping every
//! `housekeeping_every` and by tests (`POST /api/test/run-due` under `serve --test-hooks`).
//! Each job does what has come due by `now` and is a no-op otherwise, so running them
//! twice, or late, changes nothing more.

use super::{health, medicine, retention, zones};
use crate::db;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// What one run did. A job that failed is logged and counts 0; the others still run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Done {
    pub expired_sessions: u64,
    /// Households whose personal data the retention purge deleted.
    pub purged_households: u64,
    /// Buildings whose announced zone change started.
    pub zone_changes_applied: usize,
    pub observations_ended: usize,
    /// Stored answers to `Idempotency-Key` requests past their day.
    pub expired_idempotency_keys: u64,
    /// Cards and record books out past the time limit that staff were told of.
    pub custody_overdue: usize,
}

/// Runs every job that is due at `now` once.
pub async fn run_due(state: &AppState, now: DateTime<Utc>) -> Done {
    let today = state.clock.community().today(now);
    let mut done = Done::default();
    state.limiters.forget_idle().await;
    // Several instances on one database: one of them runs a community's jobs at a time.
    let _claim = match state.db.claim_jobs().await {
        Ok(Some(claim)) => claim,
        Ok(None) => return done,
        Err(e) => {
            tracing::warn!(error = %e, "claiming the scheduled jobs failed");
            return done;
        }
    };
    match db::sessions::delete_expired(&state.db, now).await {
        Ok(n) => done.expired_sessions = n,
        Err(e) => tracing::warn!(error = %e, "removing expired sessions failed"),
    }
    match retention::purge_if_due(&state.db, today, now).await {
        Ok(Some(n)) => {
            tracing::info!(households = n, "residents' personal data deleted");
            done.purged_households = n;
        }
        Ok(None) => {}
        Err(e) => tracing::warn!(error = %e, "the residents' retention purge failed"),
    }
    match zones::apply_due_changes(state, now).await {
        Ok(0) => {}
        Ok(n) => {
            tracing::info!(buildings = n, "announced zone changes applied");
            done.zone_changes_applied = n;
        }
        Err(e) => tracing::warn!(error = %e, "applying announced zone changes failed"),
    }
    match health::end_due_observations(&state.db, today, now).await {
        Ok(0) => {}
        Ok(n) => {
            tracing::info!(members = n, "observation periods ended");
            done.observations_ended = n;
        }
        Err(e) => tracing::warn!(error = %e, "ending observation periods failed"),
    }
    match medicine::escalate_overdue(state, now).await {
        Ok(0) => {}
        Ok(n) => {
            tracing::info!(items = n, "cards out past the limit: staff told");
            done.custody_overdue = n;
        }
        Err(e) => tracing::warn!(error = %e, "telling staff of overdue cards failed"),
    }
    match db::idempotency::delete_expired(&state.db, now).await {
        Ok(n) => done.expired_idempotency_keys = n,
        Err(e) => tracing::warn!(error = %e, "removing expired idempotency keys failed"),
    }
    done
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;
    use crate::config::{Durability, Settings};
    use crate::db::{Db, sql};

    #[tokio::test]
    async fn run_due_removes_the_sessions_expired_by_then_once() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let db = Db::open(&dir.path().join("jobs.db"), Durability::Normal)
            .await
            .expect("a database");
        let start: DateTime<Utc> = "2026-12-07T10:00:00Z".parse().expect("an instant");
        let state = AppState::new(db.clone(), Settings::default(), Clock::starting_at(start));
        sql::query(
            "INSERT INTO users (username, display_name, role, password_hash, created_at)
             VALUES ('wangli', '王丽', 'staff', 'x', ?)",
        )
        .bind(start)
        .execute(db.writer())
        .await
        .expect("an account");
        let hour = std::time::Duration::from_secs(3600);
        crate::ops::sessions::issue(&db, 1, hour, start)
            .await
            .expect("a session");

        assert_eq!(run_due(&state, start).await, Done::default(), "nothing due");
        let later = start + chrono::Duration::hours(2);
        let done = run_due(&state, later).await;
        assert_eq!(
            done,
            Done {
                expired_sessions: 1,
                ..Done::default()
            }
        );
        assert_eq!(run_due(&state, later).await, Done::default(), "done once");
    }
}
