//! A street's notices on its communities' boards (街道发布), and the street's reading of
//! every board.
//!
//! Each community is its own database file, so a street notice is one ordinary published
//! notice per chosen community, written through the same path as a community's own
//! announcements (`db::notices::insert_published`: the live stream's and the search
//! index's triggers fire), with that community's cached board dropped after each. The
//! catalog remembers where each copy went, so the street can withdraw them all.

use crate::auth::operator::RequireStreetStaff;
use crate::db::{self, audit, catalog};
use crate::ops::deployment::DeploymentError;
use crate::state::AppState;
use crate::tenancy::{Deployment, Tenant};
use chrono::{DateTime, Utc};
use serde_json::json;
use shouwang_api::notices::{NoticeStatus, ValidNotice};
use shouwang_api::street_notices::{
    StreetBoardItem, StreetBoardLink, StreetBoards, StreetNoticeCopy, StreetNoticeRequest,
    StreetNoticeSummary,
};
use shouwang_api::{ErrorCode, FieldError, Page, PageQuery};
use std::sync::Arc;

/// Street staff publish one notice to the boards of the chosen communities of their
/// street (all of them when none are named). A community of another street, or none at
/// all, is refused as a bad `communities` field, before anything is written.
pub async fn publish(
    deployment: &Arc<Deployment>,
    staff: &RequireStreetStaff,
    request: &StreetNoticeRequest,
) -> Result<StreetNoticeSummary, DeploymentError> {
    let valid = request.validate().map_err(DeploymentError::Field)?;
    let street_name = catalog::street_name(deployment.catalog(), staff.street_id)
        .await?
        .ok_or(DeploymentError::UnknownStreet)?;
    let tenants = deployment.of_street(staff.street_id).await?;
    let chosen: Vec<Tenant> = match &valid.communities {
        None => tenants,
        Some(ids) => {
            let theirs = |id: &i64| tenants.iter().any(|t| t.community.id == *id);
            if !ids.iter().all(theirs) {
                return Err(DeploymentError::Field(FieldError::new(
                    "communities",
                    ErrorCode::InvalidValue,
                )));
            }
            tenants
                .into_iter()
                .filter(|t| ids.contains(&t.community.id))
                .collect()
        }
    };
    if chosen.is_empty() {
        return Err(DeploymentError::Field(FieldError::new(
            "communities",
            ErrorCode::Required,
        )));
    }
    let notice = ValidNotice {
        issuing_body: Some(street_name.clone()),
        ..valid.notice
    };
    let now = deployment.now();
    let id = catalog::insert_street_notice(
        deployment.catalog(),
        &catalog::NewStreetNoticeRow {
            street_id: staff.street_id,
            operator_id: staff.operator.id,
            title: &notice.title,
            category: notice.category,
            doc_number: notice.doc_number.as_deref(),
        },
        now,
    )
    .await?;
    let mut copies = Vec::new();
    // One community after another, each in its own transaction on its own file: should
    // one fail, those before it keep the notice and the catalog knows where it went, so
    // withdrawing still reaches every copy.
    for tenant in chosen {
        let by = Signer {
            staff,
            street_name: &street_name,
            street_notice_id: id,
        };
        let notice_id = publish_in(&tenant.state, &by, &notice, now).await?;
        catalog::insert_street_notice_copy(
            deployment.catalog(),
            id,
            tenant.community.id,
            notice_id,
        )
        .await?;
        catalog::audit(
            deployment.catalog(),
            Some(staff.operator.id),
            "street_notice.publish",
            Some(tenant.community.id),
            Some(&id.to_string()),
            now,
        )
        .await?;
        copies.push(copy(&tenant, notice_id));
    }
    Ok(StreetNoticeSummary {
        id,
        title: notice.title,
        category: notice.category,
        doc_number: notice.doc_number,
        sent_by: staff.operator.display_name.clone(),
        created_at: now,
        withdrawn_at: None,
        copies,
    })
}

/// Who acts in a community's file for the street, and for which street notice.
struct Signer<'a> {
    staff: &'a RequireStreetStaff,
    street_name: &'a str,
    street_notice_id: i64,
}

impl Signer<'_> {
    /// For the community's audit log, which names accounts only: the street's account
    /// is the actor, these ids say which street notice and which operator.
    fn audit_detail(&self) -> serde_json::Value {
        json!({
            "street_notice_id": self.street_notice_id,
            "operator_id": self.staff.operator.id,
        })
    }
}

/// The copy on one community's board, written by its account for the street, published
/// at once and audited in the community's own log.
async fn publish_in(
    state: &AppState,
    by: &Signer<'_>,
    notice: &ValidNotice,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let mut tx = state.db.begin().await?;
    let author =
        db::users::street_account(&mut tx, by.staff.street_id, by.street_name, now).await?;
    let notice_id = db::notices::insert_published(&mut tx, notice, author, now).await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(author), "notice.create")
            .target("notice", notice_id)
            .detail(by.audit_detail()),
        now,
    )
    .await?;
    tx.commit().await?;
    // Published: the cached board must show it now (the live stream reads board_events).
    state.board_cache.invalidate();
    Ok(notice_id)
}

fn copy(tenant: &Tenant, notice_id: i64) -> StreetNoticeCopy {
    StreetNoticeCopy {
        community_id: tenant.community.id,
        community_name: tenant.community.name.clone(),
        notice_id,
        path: format!("/c/{}/notices/{notice_id}", tenant.community.slug),
    }
}

/// What the street sent, newest first, with where each went.
pub async fn sent(
    deployment: &Arc<Deployment>,
    staff: &RequireStreetStaff,
    paging: PageQuery,
) -> Result<Page<StreetNoticeSummary>, DeploymentError> {
    let (rows, total) = catalog::street_notices(
        deployment.catalog(),
        staff.street_id,
        paging.per_page(),
        paging.offset(),
    )
    .await?;
    let mut items = Vec::new();
    for row in rows {
        items.push(summary(deployment, row).await?);
    }
    Ok(Page::new(items, paging, total))
}

async fn summary(
    deployment: &Arc<Deployment>,
    row: catalog::StoredStreetNotice,
) -> Result<StreetNoticeSummary, DeploymentError> {
    let communities = catalog::communities(deployment.catalog()).await?;
    let copies = catalog::street_notice_copies(deployment.catalog(), row.id)
        .await?
        .into_iter()
        .filter_map(|(community_id, notice_id)| {
            communities
                .iter()
                .find(|c| c.id == community_id)
                .map(|c| StreetNoticeCopy {
                    community_id,
                    community_name: c.name.clone(),
                    notice_id,
                    path: format!("/c/{}/notices/{notice_id}", c.slug),
                })
        })
        .collect();
    Ok(StreetNoticeSummary {
        id: row.id,
        title: row.title,
        category: row.category,
        doc_number: row.doc_number,
        sent_by: row.sent_by,
        created_at: row.created_at,
        withdrawn_at: row.withdrawn_at,
        copies,
    })
}

/// Street staff withdraw street notice `id` from every board it went to. None when it is
/// not their street's.
pub async fn withdraw(
    deployment: &Arc<Deployment>,
    staff: &RequireStreetStaff,
    id: i64,
) -> Result<Option<StreetNoticeSummary>, DeploymentError> {
    let Some(row) = catalog::street_notice(deployment.catalog(), staff.street_id, id).await? else {
        return Ok(None);
    };
    if row.withdrawn_at.is_some() {
        return Err(DeploymentError::AlreadyWithdrawn);
    }
    let street_name = catalog::street_name(deployment.catalog(), staff.street_id)
        .await?
        .ok_or(DeploymentError::UnknownStreet)?;
    let now = deployment.now();
    let tenants = deployment.of_street(staff.street_id).await?;
    // Every copy first, the catalog last: should one community fail, the notice still
    // shows as sent and withdrawing again reaches the copies left.
    for (community_id, notice_id) in catalog::street_notice_copies(deployment.catalog(), id).await?
    {
        let Some(tenant) = tenants.iter().find(|t| t.community.id == community_id) else {
            continue;
        };
        let by = Signer {
            staff,
            street_name: &street_name,
            street_notice_id: id,
        };
        withdraw_in(&tenant.state, &by, notice_id, now).await?;
        catalog::audit(
            deployment.catalog(),
            Some(staff.operator.id),
            "street_notice.withdraw",
            Some(community_id),
            Some(&id.to_string()),
            now,
        )
        .await?;
    }
    if !catalog::withdraw_street_notice(deployment.catalog(), id, staff.operator.id, now).await? {
        return Err(DeploymentError::AlreadyWithdrawn);
    }
    let row = catalog::street_notice(deployment.catalog(), staff.street_id, row.id)
        .await?
        .ok_or(DeploymentError::Database(sqlx::Error::RowNotFound))?;
    Ok(Some(summary(deployment, row).await?))
}

async fn withdraw_in(
    state: &AppState,
    by: &Signer<'_>,
    notice_id: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let mut tx = state.db.begin().await?;
    let author =
        db::users::street_account(&mut tx, by.staff.street_id, by.street_name, now).await?;
    let withdrawn = db::notices::change_status(
        &mut tx,
        notice_id,
        NoticeStatus::Published,
        NoticeStatus::Withdrawn,
        now,
    )
    .await?;
    if withdrawn {
        audit::record(
            &mut tx,
            audit::Entry::new(Some(author), "notice.withdraw")
                .target("notice", notice_id)
                .detail(by.audit_detail()),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    state.board_cache.invalidate();
    Ok(())
}

/// Every board of the street: a link to each, and the latest notices of all of them,
/// newest first, a page at a time. Each community gives its newest (page × size) notices;
/// merged, they hold the page asked for.
pub async fn boards(
    deployment: &Arc<Deployment>,
    staff: &RequireStreetStaff,
    paging: PageQuery,
) -> Result<StreetBoards, DeploymentError> {
    let street_name = catalog::street_name(deployment.catalog(), staff.street_id)
        .await?
        .ok_or(DeploymentError::UnknownStreet)?;
    let now = deployment.now();
    let wanted = u32::try_from(paging.offset())
        .unwrap_or(u32::MAX)
        .saturating_add(paging.per_page());
    let mut boards = Vec::new();
    let mut merged = Vec::new();
    let mut total = 0;
    for tenant in deployment.of_street(staff.street_id).await? {
        let path = format!("/c/{}/", tenant.community.slug);
        let (items, count) = db::notices::latest_published(&tenant.state.db, now, wanted).await?;
        total += count;
        merged.extend(items.into_iter().map(|notice| StreetBoardItem {
            community_id: tenant.community.id,
            community_name: tenant.community.name.clone(),
            community_path: path.clone(),
            notice,
        }));
        boards.push(StreetBoardLink {
            community_id: tenant.community.id,
            name: tenant.community.name.clone(),
            path,
        });
    }
    merged.sort_by(|a, b| {
        (b.notice.published_at, b.community_id, b.notice.id).cmp(&(
            a.notice.published_at,
            a.community_id,
            a.notice.id,
        ))
    });
    let items = merged
        .into_iter()
        .skip(usize::try_from(paging.offset()).unwrap_or(usize::MAX))
        .take(usize::try_from(paging.per_page()).unwrap_or(usize::MAX))
        .collect();
    Ok(StreetBoards {
        street_id: staff.street_id,
        street_name,
        boards,
        latest: Page::new(items, paging, total),
    })
}
