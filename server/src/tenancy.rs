//! Many communities in one deployment.
//!
//! Each community keeps its data in its own SQLite file, so no query of one community can
//! read another's rows: the request's community is chosen once, here, by its address
//! (`/c/<slug>/…`, a host name of its own, or the site's root for the deployment's first
//! community), and every handler after that sees only that community's [`AppState`] — its
//! database, calendar, board cache and live stream. The catalog of streets and
//! communities lives in the deployment's own file (`--database`), which also holds the
//! first community's data: a database made before there were several communities is that
//! first community, unchanged.

use crate::clock::Clock;
use crate::config::{Durability, Store};
use crate::db::catalog::{self, Catalog, NewCommunityRow, StoredCommunity};
use crate::db::{Db, Schema, shifts};
use crate::error::error_response;
use crate::state::{AppState, CommunityContext, Shared};
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use shouwang_api::ErrorCode;
use shouwang_api::deployment::CommunityKind;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use tower::ServiceExt;

/// The names an upgraded single-community database gets until an admin renames them.
const FIRST_STREET: &str = "本街道";
const FIRST_COMMUNITY: &str = "本社区";
const FIRST_SLUG: &str = "main";

/// One community, ready to serve.
#[derive(Clone)]
pub struct Tenant {
    pub community: StoredCommunity,
    pub state: AppState,
    router: Router,
}

/// Builds a community's router from its state (`app::community_router`).
pub type MakeRouter = fn(AppState, Option<Arc<Deployment>>) -> Router;

pub struct Deployment {
    catalog: Catalog,
    /// Where the other communities' data is.
    homes: Homes,
    shared: Shared,
    /// The time; each community's clock shares it.
    clock: Clock,
    make_router: MakeRouter,
    /// Communities opened so far, by id.
    open: RwLock<HashMap<i64, Tenant>>,
    /// One opening at a time, so two first requests do not open a file twice.
    opening: tokio::sync::Mutex<()>,
    /// The first community as served at the site's root.
    root: RwLock<Option<Tenant>>,
    /// Whether this process keeps the street's figures fresh in the background
    /// (`ops::deployment::keep_figures_fresh`; not under `--test-hooks`).
    figures_kept_fresh: AtomicBool,
    /// A pooled volunteer's sign-ups, one at a time across the street's communities
    /// ([`Deployment::volunteer_turn`]).
    volunteer_turns: Vec<Arc<tokio::sync::Mutex<()>>>,
}

/// A pooled volunteer's turn ([`Deployment::volunteer_turn`]), held until dropped.
pub struct VolunteerTurn {
    _local: tokio::sync::OwnedMutexGuard<()>,
    _shared: Option<crate::db::HeldLock>,
}

/// How many locks the volunteers' sign-ups share: two volunteers whose (community, id)
/// fall on one lock wait for each other for the length of a sign-up, which is harmless.
const VOLUNTEER_TURNS: usize = 64;

#[derive(Debug, thiserror::Error)]
pub enum TenancyError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("creating the folder for the communities' files: {0}")]
    Folder(#[from] std::io::Error),
}

/// Where the communities other than the deployment's own keep their data.
enum Homes {
    /// A SQLite file each, in `<deployment file>.communities/`.
    Files {
        folder: PathBuf,
        durability: Durability,
    },
    /// A schema each in the deployment's PostgreSQL database.
    Schemas { url: String },
}

impl Homes {
    fn of(store: &Store, durability: Durability) -> Homes {
        match store {
            Store::Sqlite(path) => {
                let mut folder = path.as_os_str().to_owned();
                folder.push(".communities");
                Homes::Files {
                    folder: PathBuf::from(folder),
                    durability,
                }
            }
            Store::Postgres(url) => Homes::Schemas { url: url.clone() },
        }
    }

    async fn open(&self, community: &StoredCommunity, file: &str) -> Result<Db, TenancyError> {
        Ok(match self {
            Homes::Files { folder, durability } => {
                std::fs::create_dir_all(folder)?;
                Db::open(&folder.join(file), *durability).await?
            }
            Homes::Schemas { url } => {
                Db::open_postgres(url, &Schema::of_community(community.id)).await?
            }
        })
    }
}

/// Opens (creating and migrating if needed) the deployment's own database: its file, or
/// the `public` schema of its PostgreSQL database.
pub async fn open_home(store: &Store, durability: Durability) -> Result<Db, sqlx::Error> {
    match store {
        Store::Sqlite(path) => Db::open(path, durability).await,
        Store::Postgres(url) => Db::open_postgres(url, &Schema::deployment()).await,
    }
}

impl Deployment {
    /// Opens the deployment whose own database is `home` (already opened and migrated). A
    /// database without a catalog yet (new, or made before there were several
    /// communities) becomes the first community of a first street.
    pub async fn open(
        home: Db,
        store: &Store,
        durability: Durability,
        shared: Shared,
        clock: Clock,
        make_router: MakeRouter,
    ) -> Result<Arc<Deployment>, TenancyError> {
        let catalog = Catalog::new(home);
        ensure_first_community(&catalog, clock.now()).await?;
        let deployment = Arc::new(Deployment {
            catalog,
            homes: Homes::of(store, durability),
            shared,
            clock,
            make_router,
            open: RwLock::default(),
            opening: tokio::sync::Mutex::new(()),
            root: RwLock::default(),
            figures_kept_fresh: AtomicBool::new(false),
            volunteer_turns: (0..VOLUNTEER_TURNS)
                .map(|_| Arc::new(tokio::sync::Mutex::new(())))
                .collect(),
        });
        Ok(deployment)
    }

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    pub fn shared(&self) -> &Shared {
        &self.shared
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The community whose data is in the deployment's own file, served at the root.
    pub async fn root(self: &Arc<Self>) -> Result<Tenant, TenancyError> {
        if let Some(root) = self
            .root
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
        {
            return Ok(root);
        }
        let first = catalog::communities(&self.catalog)
            .await?
            .into_iter()
            .find(|c| c.file.is_none())
            .ok_or(sqlx::Error::RowNotFound)?;
        let at_slug = self.tenant(first).await?;
        // The same state (one live stream, one cache), its cookie confined to the root.
        let mut state = at_slug.state.clone();
        state.community = Arc::new(CommunityContext {
            base: String::new(),
            ..(*state.community).clone()
        });
        let root = Tenant {
            community: at_slug.community.clone(),
            router: (self.make_router)(state.clone(), Some(Arc::clone(self))),
            state,
        };
        *self.root.write().unwrap_or_else(PoisonError::into_inner) = Some(root.clone());
        Ok(root)
    }

    pub async fn by_slug(self: &Arc<Self>, slug: &str) -> Result<Option<Tenant>, TenancyError> {
        if let Some(t) = self
            .open
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .find(|t| t.community.slug == slug)
        {
            return Ok(Some(t.clone()));
        }
        match catalog::community_by_slug(&self.catalog, slug).await? {
            Some(community) => Ok(Some(self.tenant(community).await?)),
            None => Ok(None),
        }
    }

    pub async fn by_host(self: &Arc<Self>, host: &str) -> Result<Option<Tenant>, TenancyError> {
        let found = catalog::communities(&self.catalog)
            .await?
            .into_iter()
            .find(|c| {
                c.host
                    .as_deref()
                    .is_some_and(|h| h.eq_ignore_ascii_case(host))
            });
        match found {
            Some(community) => Ok(Some(self.tenant(community).await?)),
            None => Ok(None),
        }
    }

    /// One community by its id, opened.
    pub async fn by_id(self: &Arc<Self>, id: i64) -> Result<Option<Tenant>, TenancyError> {
        if let Some(t) = self.cached(id) {
            return Ok(Some(t));
        }
        match catalog::communities(&self.catalog)
            .await?
            .into_iter()
            .find(|c| c.id == id)
        {
            Some(community) => Ok(Some(self.tenant(community).await?)),
            None => Ok(None),
        }
    }

    /// Every community, opened (for the jobs and the street's figures).
    pub async fn all(self: &Arc<Self>) -> Result<Vec<Tenant>, TenancyError> {
        let mut all = Vec::new();
        for community in catalog::communities(&self.catalog).await? {
            all.push(self.tenant(community).await?);
        }
        Ok(all)
    }

    /// The communities of one street, opened.
    pub async fn of_street(self: &Arc<Self>, street_id: i64) -> Result<Vec<Tenant>, TenancyError> {
        let mut all = Vec::new();
        for community in catalog::communities(&self.catalog).await? {
            if community.street_id == street_id {
                all.push(self.tenant(community).await?);
            }
        }
        Ok(all)
    }

    /// A community the catalog has just listed, opened.
    pub async fn tenant(
        self: &Arc<Self>,
        community: StoredCommunity,
    ) -> Result<Tenant, TenancyError> {
        if let Some(t) = self.cached(community.id) {
            return Ok(t);
        }
        let _one_at_a_time = self.opening.lock().await;
        if let Some(t) = self.cached(community.id) {
            return Ok(t);
        }
        let db = match &community.file {
            None => self.catalog.db().clone(),
            Some(file) => self.homes.open(&community, file).await?,
        };
        let clock = self.clock.for_another_community();
        clock.use_settings(&shifts::settings(db.reader()).await?);
        let context = CommunityContext {
            id: community.id,
            slug: community.slug.clone(),
            name: community.name.clone(),
            base: format!("/c/{}", community.slug),
        };
        let state = AppState::for_community(db, &self.shared, clock, context);
        let tenant = Tenant {
            router: (self.make_router)(state.clone(), None),
            community,
            state,
        };
        self.open
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(tenant.community.id, tenant.clone());
        Ok(tenant)
    }

    /// From now on this process keeps the street's figures fresh in the background.
    pub fn keep_figures_fresh_from_now(&self) {
        self.figures_kept_fresh.store(true, Ordering::Relaxed);
    }

    pub fn figures_kept_fresh(&self) -> bool {
        self.figures_kept_fresh.load(Ordering::Relaxed)
    }

    /// Waits for the turn of volunteer `volunteer` of community `home`, held until the
    /// guard drops. A pool member's rotation rules read their seats in every community of
    /// the street before one community's transaction takes the seat: two sign-ups in two
    /// communities at once would both pass the check. Taken before the check and held
    /// until the seat is committed, it makes the check and the seat one step.
    ///
    /// Several instances on one PostgreSQL database share the turn through an advisory
    /// lock in the catalog, taken after this instance's own lock, so an instance's
    /// concurrent sign-ups queue in memory and hold one connection between them.
    pub async fn volunteer_turn(
        &self,
        home: i64,
        volunteer: i64,
    ) -> Result<VolunteerTurn, sqlx::Error> {
        let mut hasher = std::hash::DefaultHasher::new();
        std::hash::Hash::hash(&(home, volunteer), &mut hasher);
        let slot = usize::try_from(std::hash::Hasher::finish(&hasher) % VOLUNTEER_TURNS as u64)
            .unwrap_or_default();
        let local = Arc::clone(&self.volunteer_turns[slot]).lock_owned().await;
        let shared = self
            .catalog
            .db()
            .hold_lock(&format!("volunteer:{home}:{volunteer}"))
            .await?;
        Ok(VolunteerTurn {
            _local: local,
            _shared: shared,
        })
    }

    fn cached(&self, id: i64) -> Option<Tenant> {
        self.open
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&id)
            .cloned()
    }

    /// Forgets what was opened for a community whose catalog entry changed (renamed).
    pub fn forget(&self, id: i64) {
        self.open
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&id);
        let mut root = self.root.write().unwrap_or_else(PoisonError::into_inner);
        if root.as_ref().is_some_and(|r| r.community.id == id) {
            *root = None;
        }
    }

    /// Adds a community with its own, new database file, and returns it opened. None when
    /// the slug is taken.
    pub async fn add_community(
        self: &Arc<Self>,
        street_id: i64,
        slug: &str,
        name: &str,
        kind: CommunityKind,
    ) -> Result<Option<Tenant>, TenancyError> {
        let now = self.clock.now();
        let mut tx = self.catalog.db().begin().await?;
        let Some(id) = catalog::insert_community(
            &mut tx,
            &NewCommunityRow {
                street_id,
                slug,
                name,
                kind,
                // Set below, once the id is known: the file is named by the id, which never
                // changes, not by the slug, which may.
                file: Some(&format!("pending-{slug}")),
            },
            now,
        )
        .await?
        else {
            return Ok(None);
        };
        catalog::set_community_file(&mut tx, id, &format!("{id}.db")).await?;
        tx.commit().await?;
        self.by_slug(slug).await
    }
}

async fn ensure_first_community(catalog: &Catalog, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    if !catalog::communities(catalog).await?.is_empty() {
        return Ok(());
    }
    let mut tx = catalog.db().begin().await?;
    let street = match catalog::insert_street(&mut tx, FIRST_STREET, now).await? {
        Some(id) => id,
        None => return Ok(()),
    };
    catalog::insert_community(
        &mut tx,
        &NewCommunityRow {
            street_id: street,
            slug: FIRST_SLUG,
            name: FIRST_COMMUNITY,
            kind: CommunityKind::Community,
            file: None,
        },
        now,
    )
    .await?;
    tx.commit().await
}

/// `/c/<slug>/…`: hands the request to that community with the prefix taken off. Any
/// other address goes on to [`at_root`].
pub async fn at_slug(
    State(deployment): State<Arc<Deployment>>,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let Some(rest) = path.strip_prefix("/c/") else {
        return next.run(request).await;
    };
    let (slug, tail) = match rest.split_once('/') {
        Some((slug, tail)) => (slug, format!("/{tail}")),
        // `/c/<slug>` without the slash: the app's relative paths need it.
        None => return Redirect::permanent(&format!("/c/{rest}/")).into_response(),
    };
    let tenant = match deployment.by_slug(slug).await {
        Ok(Some(tenant)) => tenant,
        Ok(None) => return unknown_community(&tail),
        Err(e) => {
            tracing::error!(error = %e, "opening a community failed");
            return error_response(ErrorCode::Internal);
        }
    };
    let query = request
        .uri()
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    match format!("{tail}{query}").parse::<Uri>() {
        Ok(uri) => *request.uri_mut() = uri,
        Err(_) => return error_response(ErrorCode::NotFound),
    }
    serve(&deployment, tenant, request).await
}

/// Everything else: the community that owns the host name, or else the first community.
pub async fn at_root(State(deployment): State<Arc<Deployment>>, request: Request) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|h| h.split(':').next().unwrap_or(h).to_owned());
    let by_host = match host {
        Some(host) => deployment.by_host(&host).await,
        None => Ok(None),
    };
    let tenant = match by_host {
        Ok(Some(tenant)) => Ok(tenant),
        Ok(None) => {
            if request.uri().path() == "/"
                && request.method() == axum::http::Method::GET
                && let Ok(streets) = crate::ops::deployment::directory(&deployment.catalog).await
                && streets.iter().map(|s| s.communities.len()).sum::<usize>() > 1
            {
                return crate::web::directory::page(&streets);
            }
            deployment.root().await
        }
        Err(e) => Err(e),
    };
    match tenant {
        Ok(tenant) => serve(&deployment, tenant, request).await,
        Err(e) => {
            tracing::error!(error = %e, "opening the first community failed");
            error_response(ErrorCode::Internal)
        }
    }
}

/// Every community's handlers may reach the deployment (the street's volunteer pool reads
/// the other communities of its street); only the root mounts the deployment's own API.
async fn serve(deployment: &Arc<Deployment>, tenant: Tenant, mut request: Request) -> Response {
    request.extensions_mut().insert(Arc::clone(deployment));
    match tenant.router.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

fn unknown_community(tail: &str) -> Response {
    if tail.starts_with("/api") {
        error_response(ErrorCode::NotFound)
    } else {
        (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            "<!doctype html><meta charset=utf-8><title>守望</title>\
             <p>没有这个社区。<a href=\"/\">查看本平台的社区</a></p>",
        )
            .into_response()
    }
}

/// Runs the jobs that are due in every community.
pub async fn run_due_everywhere(deployment: &Arc<Deployment>) {
    let now = deployment.now();
    match deployment.all().await {
        Ok(tenants) => {
            for tenant in tenants {
                crate::ops::jobs::run_due(&tenant.state, now).await;
            }
        }
        Err(e) => tracing::warn!(error = %e, "listing the communities for the jobs failed"),
    }
    if let Err(e) = catalog::delete_expired_sessions(&deployment.catalog, now).await {
        tracing::warn!(error = %e, "removing expired operator sessions failed");
    }
}

/// Closes every community's database.
pub async fn close(deployment: &Arc<Deployment>) {
    let open: Vec<Tenant> = deployment
        .open
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .values()
        .cloned()
        .collect();
    for tenant in open {
        tenant.state.db.close().await;
    }
    deployment.catalog.db().close().await;
}
