//! The live board: one task per community per server (the pump) reads new rows of
//! `board_events` and fans them out to every open stream over a broadcast channel; a
//! stream that falls behind, or a client reconnecting with `Last-Event-ID`, reads what it
//! missed from the table. So a dropped connection loses nothing, and the database sees one
//! query per read however many people watch.
//!
//! When the pump reads: on SQLite (one server owns the file) a few times a second. On
//! PostgreSQL, where several instances share the database, when woken: an insert into
//! `board_events` notifies the channel `shouwang_board` with the community's schema
//! (migration `postgres/0003`), and one listener per process ([`BoardWakeups`]) wakes that
//! community's pump, on every instance at once. The notification carries nothing else: the
//! pump always re-reads from its last id, so a notification lost while the listener
//! reconnects loses no event (it wakes every pump once reconnected, and a slow fallback
//! tick covers the time it takes).

use crate::db::{self, Db, Pool};
use futures_util::Stream;
use shouwang_api::board::LiveEvent;
use sqlx::postgres::{PgListener, PgPool, PgPoolOptions};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::{Notify, broadcast};

/// On SQLite, how often the pump looks for new events: the worst-case delay before an
/// open board shows a newly published item.
const TICK: Duration = Duration::from_millis(200);
/// On PostgreSQL, the longest a pump waits for a wake-up before reading anyway: the delay
/// of a publication whose notification was lost (its listener was reconnecting).
const FALLBACK: Duration = Duration::from_secs(5);
/// Between two attempts to connect the listener when PostgreSQL refuses.
const RECONNECT: Duration = Duration::from_millis(500);
/// The channel the `board_events` trigger notifies, with the schema's name as payload.
const CHANNEL: &str = "shouwang_board";
/// The listener's connection as `pg_stat_activity` shows it.
pub const LISTENER_NAME: &str = "shouwang-board-listener";
/// Events read per query, both by the pump and by a stream catching up.
const BATCH: u32 = 500;

/// The fan-out of one community's board events to every open stream.
pub struct Live {
    sender: broadcast::Sender<LiveEvent>,
    started: tokio::sync::OnceCell<()>,
    wakeups: Arc<BoardWakeups>,
}

impl Live {
    /// A community's fan-out; `wakeups` is its process's listener, shared by every
    /// community ([`crate::state::Shared`]).
    pub fn new(wakeups: Arc<BoardWakeups>) -> Self {
        Live {
            sender: broadcast::channel(1024).0,
            started: tokio::sync::OnceCell::new(),
            wakeups,
        }
    }

    /// Starts the pump on first use (inside the server's runtime). The pump's starting
    /// point is read before this returns: read inside the spawned task, a publication
    /// landing before the task first ran would have been skipped for every subscriber.
    /// On PostgreSQL the listener listens before that point is read, so a publication
    /// right after it wakes the pump.
    async fn subscribe(&self, db: &Db) -> broadcast::Receiver<LiveEvent> {
        let receiver = self.sender.subscribe();
        self.started
            .get_or_init(|| async {
                let wake = match (db.writer(), db.schema()) {
                    (Pool::Postgres(pool), Some(schema)) => {
                        let notify = self.wakeups.register(schema.name());
                        self.wakeups.start(pool).await;
                        Wake::Notified(notify)
                    }
                    _ => {
                        let mut tick = tokio::time::interval(TICK);
                        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                        Wake::Tick(tick)
                    }
                };
                let last = db::board::last_event(db).await.unwrap_or(0);
                tokio::spawn(pump(db.clone(), self.sender.clone(), last, wake));
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

/// What the pump waits for before each read.
enum Wake {
    /// SQLite: the next tick.
    Tick(tokio::time::Interval),
    /// PostgreSQL: the listener's wake-up, or the fallback tick.
    Notified(Arc<Notify>),
}

impl Wake {
    async fn wait(&mut self) {
        match self {
            Wake::Tick(tick) => {
                tick.tick().await;
            }
            Wake::Notified(notify) => {
                // Timing out is the fallback read, not an error.
                let _ = tokio::time::timeout(FALLBACK, notify.notified()).await;
            }
        }
    }
}

async fn pump(db: Db, sender: broadcast::Sender<LiveEvent>, mut last: i64, mut wake: Wake) {
    loop {
        wake.wait().await;
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

/// The live board's wake-ups on PostgreSQL, one per process for all its communities: a
/// connection listening on [`CHANNEL`], started by the first live stream, and each
/// community's pump by its schema's name.
#[derive(Default)]
pub struct BoardWakeups {
    pumps: Mutex<HashMap<String, Arc<Notify>>>,
    listener: tokio::sync::OnceCell<()>,
}

impl BoardWakeups {
    /// The wake-up of the pump of the community in `schema` (one per community per
    /// process, as its `Live` is).
    fn register(&self, schema: &str) -> Arc<Notify> {
        let mut pumps = self.pumps.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(pumps.entry(schema.to_owned()).or_default())
    }

    fn wake(&self, schema: &str) {
        let pumps = self.pumps.lock().unwrap_or_else(PoisonError::into_inner);
        // A permit is kept if the pump is busy reading: it reads once more after.
        if let Some(notify) = pumps.get(schema) {
            notify.notify_one();
        }
    }

    fn wake_all(&self) {
        let pumps = self.pumps.lock().unwrap_or_else(PoisonError::into_inner);
        for notify in pumps.values() {
            notify.notify_one();
        }
    }

    /// Starts the listener once, on a connection of its own to `community`'s database.
    /// Returns once it listens, or has failed to (it then keeps trying in the background,
    /// and the pumps read on their fallback tick meanwhile).
    async fn start(self: &Arc<Self>, community: &PgPool) {
        self.listener
            .get_or_init(|| async {
                let options = (*community.connect_options())
                    .clone()
                    .application_name(LISTENER_NAME);
                let pool = PgPoolOptions::new()
                    .max_connections(1)
                    .min_connections(0)
                    .idle_timeout(None)
                    .max_lifetime(None)
                    .acquire_timeout(Duration::from_secs(5))
                    .connect_lazy_with(options);
                let listener = match listen(&pool).await {
                    Ok(listener) => Some(listener),
                    Err(e) => {
                        tracing::warn!(error = %e, "the live board's listener could not connect");
                        None
                    }
                };
                tokio::spawn(dispatch(Arc::clone(self), pool, listener));
            })
            .await;
    }
}

async fn listen(pool: &PgPool) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

/// Hands each notification to its community's pump, for the life of the process. After
/// the connection was lost, once listening again, it wakes every pump: what was published
/// meanwhile raised notifications nobody received.
async fn dispatch(wakeups: Arc<BoardWakeups>, pool: PgPool, mut listener: Option<PgListener>) {
    loop {
        let Some(listening) = listener.as_mut() else {
            match listen(&pool).await {
                Ok(again) => {
                    listener = Some(again);
                    tracing::info!("the live board's listener listens again");
                    wakeups.wake_all();
                }
                Err(e) => {
                    tracing::warn!(error = %e, "the live board's listener could not reconnect");
                    tokio::time::sleep(RECONNECT).await;
                }
            }
            continue;
        };
        match listening.try_recv().await {
            Ok(Some(notification)) => wakeups.wake(notification.payload()),
            // The connection was lost and sqlx has connected and listened again.
            Ok(None) => {
                tracing::info!("the live board's listener reconnected");
                wakeups.wake_all();
            }
            Err(e) => {
                tracing::warn!(error = %e, "the live board's listener lost its connection");
                listener = None;
                tokio::time::sleep(RECONNECT).await;
            }
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
