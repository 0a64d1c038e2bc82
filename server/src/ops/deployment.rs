//! The deployment's use cases: streets, communities and their first admins, operators
//! and their sessions.

use crate::db::catalog::{self, Catalog, KeptFigures, NewOperatorRow, StoredCommunity};
use crate::db::{self, users::InsertUserError};
use crate::domain::sessions::{new_token, token_hash};
use crate::tenancy::{Deployment, TenancyError, Tenant};
use chrono::{DateTime, SubsecRound, Utc};
use futures_util::{StreamExt, TryStreamExt};
use shouwang_api::FieldError;
use shouwang_api::auth::{LoginRequest, Role, Username};
use shouwang_api::deployment::{
    CommunitySummary, NewCommunityRequest, NewOperatorRequest, NewStreetRequest, OperatorRole,
    OperatorSummary, StreetSummary,
};
use shouwang_api::street::{CommunityRow, StreetDashboard};
use shouwang_api::users::NewStaffAccount;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum DeploymentError {
    #[error("{0}")]
    Field(FieldError),
    /// A name or address already in use: the field that clashes.
    #[error("{0} is taken")]
    Taken(&'static str),
    #[error("unknown street")]
    UnknownStreet,
    #[error("already withdrawn")]
    AlreadyWithdrawn,
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("rate limited")]
    RateLimited(Duration),
    #[error(transparent)]
    Tenancy(#[from] TenancyError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<crate::auth::rate_limit::Limited> for DeploymentError {
    fn from(limited: crate::auth::rate_limit::Limited) -> Self {
        use crate::auth::rate_limit::Limited;
        match limited {
            Limited::Wait(wait) => DeploymentError::RateLimited(wait),
            Limited::Store(e) => DeploymentError::Database(e),
        }
    }
}

/// Every street with its communities: what `/` lists.
pub async fn directory(catalog: &Catalog) -> Result<Vec<StreetSummary>, sqlx::Error> {
    let communities = catalog::communities(catalog).await?;
    Ok(catalog::streets(catalog)
        .await?
        .into_iter()
        .map(|(id, name)| StreetSummary {
            id,
            name,
            communities: communities
                .iter()
                .filter(|c| c.street_id == id)
                .map(|c| c.summary())
                .collect(),
        })
        .collect())
}

pub async fn create_street(
    deployment: &Deployment,
    by: &OperatorSummary,
    request: &NewStreetRequest,
) -> Result<StreetSummary, DeploymentError> {
    let name = request.validate().map_err(DeploymentError::Field)?;
    let now = deployment.now();
    let mut tx = deployment.catalog().db().begin().await?;
    let id = catalog::insert_street(&mut tx, &name, now)
        .await?
        .ok_or(DeploymentError::Taken("name"))?;
    tx.commit().await?;
    catalog::audit(
        deployment.catalog(),
        Some(by.id),
        "street.create",
        None,
        Some(&name),
        now,
    )
    .await?;
    Ok(StreetSummary {
        id,
        name,
        communities: Vec::new(),
    })
}

/// A new community with its own database file and its first admin, ready at `/c/<slug>/`.
pub async fn create_community(
    deployment: &Arc<Deployment>,
    by: Option<&OperatorSummary>,
    request: &NewCommunityRequest,
) -> Result<CommunitySummary, DeploymentError> {
    let new = request.validate().map_err(DeploymentError::Field)?;
    if !catalog::street_exists(deployment.catalog(), new.street_id).await? {
        return Err(DeploymentError::UnknownStreet);
    }
    let hash = deployment
        .shared()
        .hasher
        .hash(new.admin_password.expose().to_owned())
        .await?;
    let tenant = deployment
        .add_community(new.street_id, new.slug.as_str(), &new.name, new.kind)
        .await?
        .ok_or(DeploymentError::Taken("slug"))?;
    let now = deployment.now();
    let admin = NewStaffAccount {
        username: new.admin_username.clone(),
        display_name: new.admin_display_name.clone(),
        role: Role::Admin,
        password: new.admin_password.clone(),
    };
    match db::users::insert(&tenant.state.db, &admin, &hash, None, now).await {
        Ok(_) => {}
        // A brand-new community has no accounts: only a retried request gets here.
        Err(InsertUserError::UsernameTaken) => {
            return Err(DeploymentError::Taken("admin_username"));
        }
        Err(InsertUserError::Database(e)) => return Err(e.into()),
    }
    catalog::audit(
        deployment.catalog(),
        by.map(|o| o.id),
        "community.create",
        Some(tenant.community.id),
        Some(new.slug.as_str()),
        now,
    )
    .await?;
    Ok(tenant.community.summary())
}

pub async fn create_operator(
    deployment: &Deployment,
    by: Option<&OperatorSummary>,
    request: &NewOperatorRequest,
) -> Result<OperatorSummary, DeploymentError> {
    let new = request.validate().map_err(DeploymentError::Field)?;
    if let Some(street) = new.street_id
        && !catalog::street_exists(deployment.catalog(), street).await?
    {
        return Err(DeploymentError::UnknownStreet);
    }
    let hash = deployment
        .shared()
        .hasher
        .hash(new.password.expose().to_owned())
        .await?;
    let now = deployment.now();
    let id = catalog::insert_operator(
        deployment.catalog(),
        &NewOperatorRow {
            username: new.username.as_str(),
            display_name: &new.display_name,
            password_hash: &hash,
            role: new.role,
            street_id: new.street_id,
        },
        now,
    )
    .await?
    .ok_or(DeploymentError::Taken("username"))?;
    catalog::audit(
        deployment.catalog(),
        by.map(|o| o.id),
        "operator.create",
        None,
        Some(new.username.as_str()),
        now,
    )
    .await?;
    Ok(OperatorSummary {
        id,
        username: new.username.as_str().to_owned(),
        display_name: new.display_name,
        role: new.role,
        street_id: new.street_id,
    })
}

pub struct OperatorSignedIn {
    pub operator: OperatorSummary,
    /// For the cookie; only its hash is stored.
    pub token: String,
}

/// Signing in an operator, under the same per-address and per-name limits as the
/// communities' accounts (the names are kept apart with a prefix).
pub async fn sign_in(
    deployment: &Deployment,
    address: IpAddr,
    request: LoginRequest,
    now: DateTime<Utc>,
) -> Result<OperatorSignedIn, DeploymentError> {
    request.validate().map_err(DeploymentError::Field)?;
    let shared = deployment.shared();
    let limiters = shared.limiters.as_ref();
    let username = Username::parse(&request.username)
        .map(Username::into_inner)
        .unwrap_or_else(|_| request.username.trim().to_lowercase());
    limiters.sign_in_by_address.check(&address).await?;
    let pair = (format!("operator:{username}"), address);
    limiters.sign_in_failures.check(&pair).await?;
    let record = catalog::operator_for_login(deployment.catalog(), &username).await?;
    let stored = record.as_ref().map(|r| r.password_hash.clone());
    let valid = shared.hasher.verify(request.password, stored).await?;
    let Some(record) = record.filter(|r| valid && !r.disabled) else {
        catalog::audit(
            deployment.catalog(),
            None,
            "operator.login.failure",
            None,
            None,
            now,
        )
        .await?;
        return Err(DeploymentError::InvalidCredentials);
    };
    limiters.sign_in_failures.refund(&pair).await?;
    let (token, hash) = new_token();
    let ttl = chrono::Duration::from_std(shared.settings.session_ttl)
        .unwrap_or(chrono::Duration::days(7));
    catalog::insert_session(deployment.catalog(), &hash, record.id, now + ttl, now).await?;
    catalog::audit(
        deployment.catalog(),
        Some(record.id),
        "operator.login.success",
        None,
        None,
        now,
    )
    .await?;
    Ok(OperatorSignedIn {
        operator: record.summary(),
        token,
    })
}

pub async fn session(
    catalog: &Catalog,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<OperatorSummary>, sqlx::Error> {
    catalog::session_operator(catalog, &token_hash(token), now).await
}

pub async fn sign_out(catalog: &Catalog, token: &str) -> Result<(), sqlx::Error> {
    catalog::delete_session(catalog, &token_hash(token)).await
}

/// Whether `operator` may see the figures of `street`.
pub fn may_see_street(operator: &OperatorSummary, street: i64) -> bool {
    match operator.role {
        OperatorRole::DeploymentAdmin => true,
        OperatorRole::StreetStaff => operator.street_id == Some(street),
    }
}

/// How many communities' figures the keeper reads at the same time. Each community is its
/// own file with its own pool, and SQLite runs each connection on its own thread: two at a
/// time leave a core of a two-core server to the requests (a registration at the door
/// must not wait behind a hundred counts).
const REFRESHED_AT_ONCE: usize = 2;

/// How often the keeper reads every community's figures again. A hundred communities of
/// 5,000 households take about 20 ms each to count (coverage joins every room), two
/// seconds of one core per round; the street's staff compare communities, they do not
/// watch one figure by the second, and the dashboard says when its figures were taken.
pub const FIGURES_REFRESH_EVERY: std::time::Duration = std::time::Duration::from_secs(30);

/// Without a keeper at work (under `--test-hooks` the jobs run only when a test asks),
/// figures older than this are read again when the dashboard asks. With one, kept figures
/// of the community's day are shown however old, with when they were taken: right after
/// a restart its first round is under way, and a hundred files opened for one read
/// would keep the street waiting seconds for figures a few minutes older at most.
pub const FIGURES_STALE_AFTER: chrono::Duration = chrono::Duration::minutes(2);

/// Reads one community's figures and its live grants to the street now.
async fn take_figures(
    deployment: &Deployment,
    tenant: &Tenant,
) -> Result<KeptFigures, sqlx::Error> {
    // To the microsecond, as PostgreSQL keeps it: the first answer and the kept one agree.
    let now = deployment.now().trunc_subsecs(6);
    let clock = tenant.state.clock.community();
    let (_, day_ends_at) = clock.day_bounds(clock.today(now));
    let figures = db::figures::community_figures(&tenant.state.db, clock.today(now), now).await?;
    let granted = db::street_grants::live(&tenant.state.db, now).await?;
    Ok(KeptFigures {
        community_id: tenant.community.id,
        taken_at: now,
        day_ends_at,
        utc_offset_minutes: clock.utc_offset_minutes(),
        figures,
        granted,
    })
}

/// Reads every community's figures again, a few at a time, and keeps them in the
/// deployment's database in one write; one community failing leaves its previous figures
/// (and their older stamp) in place.
pub async fn refresh_figures(deployment: &Arc<Deployment>) -> Result<(), TenancyError> {
    let tenants = deployment.all().await?;
    let taken: Vec<KeptFigures> = futures_util::stream::iter(tenants)
        .map(|tenant| async move { (tenant.community.id, take_figures(deployment, &tenant).await) })
        .buffer_unordered(REFRESHED_AT_ONCE)
        .filter_map(|(community, read)| async move {
            read.inspect_err(|e| {
                tracing::warn!(community, error = %e, "reading a community's figures failed");
            })
            .ok()
        })
        .collect()
        .await;
    catalog::keep_figures(deployment.catalog(), &taken).await?;
    Ok(())
}

/// Reads one community's figures again and keeps them: the test hook that runs a
/// community's jobs, and a grant or revocation, which the street sees at once.
pub async fn refresh_figures_of(
    deployment: &Deployment,
    tenant: &Tenant,
) -> Result<(), sqlx::Error> {
    let kept = take_figures(deployment, tenant).await?;
    catalog::keep_figures(deployment.catalog(), std::slice::from_ref(&kept)).await
}

/// Keeps every community's figures fresh in the background: at start, then every
/// [`FIGURES_REFRESH_EVERY`], so the street's dashboard never waits on a hundred databases.
/// Whoever starts it says so first ([`Deployment::keep_figures_fresh_from_now`]).
pub async fn keep_figures_fresh(deployment: Arc<Deployment>) {
    let mut tick = tokio::time::interval(FIGURES_REFRESH_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = refresh_figures(&deployment).await {
            tracing::warn!(error = %e, "reading or keeping the communities' figures failed");
        }
    }
}

/// Whether figures kept for a community can stand for it now: taken on its current day
/// (yesterday's "today's fevers" are not today's), not after now (a clock set back), and
/// fresh unless a keeper is at work ([`FIGURES_STALE_AFTER`]).
fn still_stands(kept: &KeptFigures, now: DateTime<Utc>, kept_fresh: bool) -> bool {
    kept.taken_at <= now
        && now < kept.day_ends_at
        && (kept_fresh || now - kept.taken_at < FIGURES_STALE_AFTER)
}

/// One community's line on the street's dashboard, from figures taken at the returned
/// instant. Grants that have expired since are left out.
fn community_row(
    community: &StoredCommunity,
    kept: KeptFigures,
    now: DateTime<Utc>,
) -> (DateTime<Utc>, CommunityRow) {
    let granted = kept
        .granted
        .iter()
        .filter(|g| g.expires_at > now)
        .map(|g| g.scope)
        .collect();
    (
        kept.taken_at,
        CommunityRow {
            id: community.id,
            slug: community.slug.clone(),
            name: community.name.clone(),
            kind: community.kind,
            figures: kept.figures,
            granted,
        },
    )
}

/// How many communities without standing figures one dashboard reads at the same time.
const READ_AT_ONCE: usize = 4;

/// A street's figures, community by community, as its staff see them: aggregates only,
/// and which lists each community grants, with when the figures were taken (the oldest).
/// The kept figures of the whole street are one read of the deployment's database; only a
/// community without standing figures is opened and read now.
pub async fn street_dashboard(
    deployment: &Arc<Deployment>,
    operator: &OperatorSummary,
    street: i64,
) -> Result<Option<StreetDashboard>, DeploymentError> {
    if !may_see_street(operator, street) {
        return Ok(None);
    }
    let Some(name) = catalog::streets(deployment.catalog())
        .await?
        .into_iter()
        .find_map(|(id, name)| (id == street).then_some(name))
    else {
        return Ok(None);
    };
    let now = deployment.now();
    let kept_fresh = deployment.figures_kept_fresh();
    let communities: Vec<StoredCommunity> = catalog::communities(deployment.catalog())
        .await?
        .into_iter()
        .filter(|c| c.street_id == street)
        .collect();
    let mut kept: HashMap<i64, KeptFigures> =
        catalog::kept_figures_of_street(deployment.catalog(), street)
            .await?
            .into_iter()
            .filter(|k| still_stands(k, now, kept_fresh))
            .map(|k| (k.community_id, k))
            .collect();
    let missing: Vec<StoredCommunity> = communities
        .iter()
        .filter(|c| !kept.contains_key(&c.id))
        .cloned()
        .collect();
    let taken: Vec<KeptFigures> = futures_util::stream::iter(missing)
        .map(|community| async move {
            let tenant = deployment.tenant(community).await?;
            Ok::<_, DeploymentError>(take_figures(deployment, &tenant).await?)
        })
        .buffered(READ_AT_ONCE)
        .try_collect()
        .await?;
    catalog::keep_figures(deployment.catalog(), &taken).await?;
    kept.extend(taken.into_iter().map(|k| (k.community_id, k)));
    let zone = communities
        .first()
        .and_then(|c| kept.get(&c.id))
        .map(|k| k.utc_offset_minutes);
    let read: Vec<(DateTime<Utc>, CommunityRow)> = communities
        .iter()
        .filter_map(|c| kept.remove(&c.id).map(|k| community_row(c, k, now)))
        .collect();
    let as_of = read.iter().map(|(at, _)| *at).min().unwrap_or(now);
    let rows = read.into_iter().map(|(_, row)| row).collect();
    catalog::audit(
        deployment.catalog(),
        Some(operator.id),
        "street.dashboard",
        None,
        Some(&street.to_string()),
        now,
    )
    .await?;
    let dashboard = StreetDashboard::new(street, name, as_of, rows);
    Ok(Some(match zone {
        Some(zone) => dashboard.in_zone(zone),
        None => dashboard,
    }))
}
