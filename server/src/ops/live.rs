//! The live board: one task per server reads new rows of `board_events` a few times a
//! second and fans them out to every open stream over a broadcast channel; a stream that
//! falls behind, or a client reconnecting with `Last-Event-ID`, reads what it missed
//! from the table. So a dropped connection loses nothing, and the database sees one
//! query per tick however many people watch.

use crate::db::{self, Db};
use futures_util::Stream;
use shouwang_api::board::LiveEvent;
use std::collections::VecDeque;
use std::time::Duration;
use tokio::sync::broadcast;

/// How often the pump looks for new events: the worst-case delay before an open board
/// shows a newly published item.
const TICK: Duration = Duration::from_millis(200);
/// Events read per query, both by the pump and by a stream catching up.
const BATCH: u32 = 500;

/// The fan-out of board events to every open stream.
pub struct Live {
    sender: broadcast::Sender<LiveEvent>,
    started: tokio::sync::OnceCell<()>,
}

impl Default for Live {
    fn default() -> Self {
        Live {
            sender: broadcast::channel(1024).0,
            started: tokio::sync::OnceCell::new(),
        }
    }
}

impl Live {
    /// Starts the pump on first use (inside the server's runtime). The pump's starting
    /// point is read before this returns: read inside the spawned task, a publication
    /// landing before the task first ran would have been skipped for every subscriber.
    async fn subscribe(&self, db: &Db) -> broadcast::Receiver<LiveEvent> {
        let receiver = self.sender.subscribe();
        self.started
            .get_or_init(|| async {
                let last = db::board::last_event(db).await.unwrap_or(0);
                tokio::spawn(pump(db.clone(), self.sender.clone(), last));
            })
            .await;
        receiver
    }

    /// Every board event after `resume` (or, without it, from now on), as they happen.
    pub async fn stream(
        &self,
        db: &Db,
        resume: Option<i64>,
    ) -> Result<impl Stream<Item = LiveEvent> + use<>, sqlx::Error> {
        // Subscribe before reading the table, so nothing falls between the two.
        let receiver = self.subscribe(db).await;
        let mut subscription = Subscription {
            db: db.clone(),
            last: 0,
            receiver,
            backlog: VecDeque::new(),
        };
        match resume {
            Some(seq) => {
                subscription.last = seq.max(0);
                subscription.catch_up().await;
            }
            None => subscription.last = db::board::last_event(db).await?,
        }
        Ok(futures_util::stream::unfold(
            subscription,
            Subscription::next,
        ))
    }

    pub fn subscribers(&self) -> usize {
        self.sender.receiver_count()
    }
}

async fn pump(db: Db, sender: broadcast::Sender<LiveEvent>, mut last: i64) {
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match db::board::events_since(&db, last, BATCH).await {
            Ok(events) => {
                for event in events {
                    last = event.seq;
                    // No receivers is fine: nobody is watching right now.
                    let _ = sender.send(event);
                }
            }
            Err(e) => tracing::warn!(error = %e, "reading board events failed"),
        }
    }
}

struct Subscription {
    db: Db,
    last: i64,
    receiver: broadcast::Receiver<LiveEvent>,
    backlog: VecDeque<LiveEvent>,
}

impl Subscription {
    async fn catch_up(&mut self) {
        match db::board::events_since(&self.db, self.last, BATCH).await {
            Ok(events) => self.backlog.extend(events),
            Err(e) => tracing::warn!(error = %e, "catching up board events failed"),
        }
    }

    async fn next(mut self) -> Option<(LiveEvent, Self)> {
        loop {
            if let Some(event) = self.backlog.pop_front() {
                if event.seq <= self.last {
                    continue;
                }
                self.last = event.seq;
                if self.backlog.is_empty() && self.receiver.is_empty() {
                    // Drained a catch-up batch: there may be more in the table.
                    self.catch_up().await;
                }
                return Some((event, self));
            }
            match self.receiver.recv().await {
                Ok(event) => self.backlog.push_back(event),
                Err(broadcast::error::RecvError::Lagged(_)) => self.catch_up().await,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    }
}
