//! The deployment's use cases: streets, communities and their first admins, operators
//! and their sessions.

use crate::db::catalog::{self, Catalog, NewOperatorRow};
use crate::db::{self, users::InsertUserError};
use crate::domain::sessions::{new_token, token_hash};
use crate::tenancy::{Deployment, KeptFigures, TenancyError, Tenant};
use chrono::{DateTime, Utc};
use futures_util::{StreamExt, TryStreamExt};
use shouwang_api::FieldError;
use shouwang_api::auth::{LoginRequest, Role, Username};
use shouwang_api::deployment::{
    CommunitySummary, NewCommunityRequest, NewOperatorRequest, NewStreetRequest, OperatorRole,
    OperatorSummary, StreetSummary,
};
use shouwang_api::street::{CommunityRow, StreetDashboard};
use shouwang_api::users::NewStaffAccount;
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

/// Figures older than this are read again when the dashboard asks: the keeper is behind,
/// or not running (under `--test-hooks` the jobs run only when a test asks).
pub const FIGURES_STALE_AFTER: chrono::Duration = chrono::Duration::minutes(2);

/// Reads one community's figures now and keeps them for the dashboard.
async fn take_figures(
    deployment: &Deployment,
    tenant: &Tenant,
) -> Result<KeptFigures, sqlx::Error> {
    let now = deployment.now();
    let today = tenant.state.clock.community().today(now);
    let figures = db::figures::community_figures(&tenant.state.db, today, now).await?;
    let kept = KeptFigures {
        at: now,
        today,
        figures,
    };
    deployment.keep_figures(tenant.community.id, kept);
    Ok(kept)
}

/// Reads every community's figures again, a few at a time; one community failing leaves
/// its previous figures (and their older stamp) in place.
pub async fn refresh_figures(deployment: &Arc<Deployment>) -> Result<(), TenancyError> {
    let tenants = deployment.all().await?;
    futures_util::stream::iter(tenants)
        .map(|tenant| async move { (tenant.community.id, take_figures(deployment, &tenant).await) })
        .buffer_unordered(REFRESHED_AT_ONCE)
        .for_each(|(community, read)| async move {
            if let Err(e) = read {
                tracing::warn!(community, error = %e, "reading a community's figures failed");
            }
        })
        .await;
    Ok(())
}

/// Reads one community's figures again (the test hook that runs a community's jobs).
pub async fn refresh_figures_of(
    deployment: &Deployment,
    tenant: &Tenant,
) -> Result<(), sqlx::Error> {
    take_figures(deployment, tenant).await.map(|_| ())
}

/// Keeps every community's figures fresh in the background: at start, then every
/// [`FIGURES_REFRESH_EVERY`], so the street's dashboard never waits on a hundred databases.
pub async fn keep_figures_fresh(deployment: Arc<Deployment>) {
    let mut tick = tokio::time::interval(FIGURES_REFRESH_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = refresh_figures(&deployment).await {
            tracing::warn!(error = %e, "listing the communities for their figures failed");
        }
    }
}

/// One community's line on the street's dashboard: its figures as the keeper last took
/// them (read now only when it has none, none of today, or stale ones) and what it grants
/// the street now (read every time: a revoked grant disappears at once).
async fn community_row(
    deployment: &Deployment,
    tenant: &Tenant,
    now: DateTime<Utc>,
) -> Result<(DateTime<Utc>, CommunityRow), sqlx::Error> {
    // Yesterday's "today's fevers" are not today's: a new day reads them again.
    let today = tenant.state.clock.community().today(now);
    let kept = deployment
        .kept_figures(tenant.community.id)
        .filter(|k| k.today == today && now - k.at < FIGURES_STALE_AFTER && k.at <= now);
    let kept = match kept {
        Some(kept) => kept,
        None => take_figures(deployment, tenant).await?,
    };
    let granted = db::street_grants::live(&tenant.state.db, now)
        .await?
        .into_iter()
        .map(|g| g.scope)
        .collect();
    Ok((
        kept.at,
        CommunityRow {
            id: tenant.community.id,
            slug: tenant.community.slug.clone(),
            name: tenant.community.name.clone(),
            kind: tenant.community.kind,
            figures: kept.figures,
            granted,
        },
    ))
}

/// How many communities' grants are read at the same time for one dashboard: a small
/// indexed read each, so a few at once answer quickly without crowding the cores.
const GRANTS_AT_ONCE: usize = 4;

/// A street's figures, community by community, as its staff see them: aggregates only,
/// and which lists each community grants, with when the figures were taken (the oldest).
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
    let tenants = deployment.of_street(street).await?;
    let zone = tenants
        .first()
        .map(|t| t.state.clock.community().utc_offset_minutes());
    let read: Vec<(DateTime<Utc>, CommunityRow)> = futures_util::stream::iter(tenants)
        .map(|tenant| async move { community_row(deployment, &tenant, now).await })
        .buffered(GRANTS_AT_ONCE)
        .try_collect()
        .await?;
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
