//! Personal data for the street, only as its communities grant it (授权街道查看).
//!
//! The community's admin grants, revokes and reads the trail here
//! ([`grant`], [`revoke`]); the street's staff read under a live grant
//! ([`follow_up_list`], [`person`]), each read written to the community's audit log with
//! the reader's name. The rules, in order: the reader is street staff of the community's
//! own street (another street's community does not exist for them: 404; deployment admins
//! run the platform and read no one's data: 403), the community has a live grant of the
//! list (403 `not_granted` otherwise), and a person opened is one the list covers today.

use crate::db::{self, audit, scope::Scope};
use crate::domain::health as rules;
use crate::state::AppState;
use crate::tenancy::{Deployment, TenancyError, Tenant};
use shouwang_api::FieldError;
use shouwang_api::PageQuery;
use shouwang_api::deployment::{OperatorRole, OperatorSummary};
use shouwang_api::health::{MemberHealth, WorklistQuery, check_reason};
use shouwang_api::personal::Phone;
use shouwang_api::street_access::{
    GrantScope, GrantedListQuery, NewGrantRequest, StreetFollowUpList, StreetGrant,
    StreetPersonRecord,
};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum StreetAccessError {
    #[error("{0}")]
    Field(FieldError),
    /// No such community or person, or one of another street.
    #[error("not found")]
    NotFound,
    /// Not street staff.
    #[error("forbidden")]
    Forbidden,
    /// The community has no live grant of this list.
    #[error("not granted")]
    NotGranted,
    #[error(transparent)]
    Tenancy(#[from] TenancyError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// The community's admin grants the street's staff a list for a purpose and some days.
pub async fn grant(
    state: &AppState,
    admin_id: i64,
    request: &NewGrantRequest,
) -> Result<StreetGrant, StreetAccessError> {
    let valid = request.validate().map_err(StreetAccessError::Field)?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let id = db::street_grants::insert(&mut tx, &valid, admin_id, now).await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(admin_id), "street_grant.create")
            .target("street_grant", id)
            .detail(serde_json::json!({ "scope": valid.scope.as_str(), "days": valid.days })),
        now,
    )
    .await?;
    tx.commit().await?;
    granted(state, id).await
}

/// Ends a live grant at once. 404 when there is no live grant of that id.
pub async fn revoke(
    state: &AppState,
    admin_id: i64,
    id: i64,
) -> Result<StreetGrant, StreetAccessError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if !db::street_grants::revoke(&mut tx, id, admin_id, now).await? {
        return Err(StreetAccessError::NotFound);
    }
    audit::record(
        &mut tx,
        audit::Entry::new(Some(admin_id), "street_grant.revoke").target("street_grant", id),
        now,
    )
    .await?;
    tx.commit().await?;
    granted(state, id).await
}

/// The street's dashboard shows a grant or a revocation at once: the community's line
/// there carries its live grants, kept in the deployment's database with the figures. The
/// change is committed already; a failure here only leaves the line to the keeper's next
/// round (reading a granted list always checks the community's own grant).
pub async fn show_to_street(deployment: &Deployment, state: &AppState) {
    let now = state.clock.now();
    let shown = match db::street_grants::live(&state.db, now).await {
        Ok(granted) => {
            db::catalog::keep_grants(deployment.catalog(), state.community.id, &granted, now).await
        }
        Err(e) => Err(e),
    };
    if let Err(e) = shown {
        tracing::warn!(error = %e, "showing a grant on the street's dashboard failed");
    }
}

async fn granted(state: &AppState, id: i64) -> Result<StreetGrant, StreetAccessError> {
    db::street_grants::list(&state.db, state.clock.now())
        .await?
        .into_iter()
        .find(|g| g.id == id)
        .ok_or(StreetAccessError::NotFound)
}

/// The community `community_id` when `operator` is staff of its street.
async fn community_of_own_street(
    deployment: &Arc<Deployment>,
    operator: &OperatorSummary,
    community_id: i64,
) -> Result<Tenant, StreetAccessError> {
    let street = match operator.role {
        OperatorRole::StreetStaff => operator.street_id,
        OperatorRole::DeploymentAdmin => return Err(StreetAccessError::Forbidden),
    };
    let tenant = deployment
        .by_id(community_id)
        .await?
        .ok_or(StreetAccessError::NotFound)?;
    if Some(tenant.community.street_id) == street {
        Ok(tenant)
    } else {
        Err(StreetAccessError::NotFound)
    }
}

/// One page of a community's health follow-up list, phones masked. Audited.
pub async fn follow_up_list(
    deployment: &Arc<Deployment>,
    operator: &OperatorSummary,
    community_id: i64,
    query: &GrantedListQuery,
) -> Result<StreetFollowUpList, StreetAccessError> {
    let tenant = community_of_own_street(deployment, operator, community_id).await?;
    let state = &tenant.state;
    let now = state.clock.now();
    let grant = db::street_grants::live_of(&state.db, GrantScope::HealthFollowUp, now)
        .await?
        .ok_or(StreetAccessError::NotGranted)?;
    let paging = PageQuery {
        page: query.page,
        per_page: query.per_page,
    };
    let today = state.clock.today();
    let worklist = WorklistQuery {
        flag: query.flag,
        ..WorklistQuery::default()
    };
    let (rows, total) = db::health::worklist(
        &state.db,
        Scope::whole_community(),
        &worklist,
        today,
        paging.per_page(),
        paging.offset(),
    )
    .await?;
    audit::record_alone(
        &state.db,
        audit::Entry::by_operator(
            "street.health_follow_up.list",
            operator.id,
            &operator.display_name,
        )
        .detail(serde_json::json!({
            "page": paging.page(),
            "flag": query.flag.map(|f| f.as_str()),
            "shown": rows.len(),
        })),
        now,
    )
    .await?;
    Ok(StreetFollowUpList {
        community_name: tenant.community.name.clone(),
        grant,
        items: rows
            .into_iter()
            .map(|row| rules::worklist_entry(row, today))
            .collect(),
        page: paging.page(),
        per_page: paging.per_page(),
        total,
    })
}

/// One person of the list, opened: their health record, phone and address. Audited.
/// Only someone the list covers today (under observation, or in a controlled or sealed
/// building); anyone else of the community is 404 to the street.
pub async fn person(
    deployment: &Arc<Deployment>,
    operator: &OperatorSummary,
    community_id: i64,
    member_id: i64,
) -> Result<StreetPersonRecord, StreetAccessError> {
    let tenant = community_of_own_street(deployment, operator, community_id).await?;
    let state = &tenant.state;
    let now = state.clock.now();
    if db::street_grants::live_of(&state.db, GrantScope::HealthFollowUp, now)
        .await?
        .is_none()
    {
        return Err(StreetAccessError::NotGranted);
    }
    let today = state.clock.today();
    let mut tx = state.db.begin().await?;
    let person = db::health::person_in_scope(&mut tx, member_id, Scope::whole_community())
        .await?
        .filter(|p| check_reason(p.observation_start, p.observation_end, p.zone(), today).is_some())
        .ok_or(StreetAccessError::NotFound)?;
    let (phone, address) = db::street_grants::contact_of_member(&mut tx, member_id)
        .await?
        .ok_or(StreetAccessError::NotFound)?;
    audit::record(
        &mut tx,
        audit::Entry::by_operator(
            "street.health_follow_up.view",
            operator.id,
            &operator.display_name,
        )
        .target("member", member_id),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(StreetPersonRecord {
        community_name: tenant.community.name.clone(),
        phone: phone.map(Phone::into_string),
        address,
        health: MemberHealth {
            member_id: person.member_id,
            household_id: person.household_id,
            name: person.name,
            observation_start: person.observation_start,
            observation_end: person.observation_end,
            check_ins: db::health::check_ins_of_member(&state.db, member_id).await?,
            follow_ups: db::health::follow_ups_of_member(&state.db, member_id).await?,
            ended_observations: db::health::ended_observations_of_member(&state.db, member_id)
                .await?,
        },
    })
}
