//! `--demo` above the community: one street (和平街道) with three communities, one of them a
//! village, each filled like the first, and the operators who work above them.

use super::DemoAccount;
use crate::db::catalog::{self, NewOperatorRow};
use crate::db::{Tx, meta};
use crate::domain::{passwords, sessions::random_password};
use crate::tenancy::Deployment;
use anyhow::Context;
use shouwang_api::deployment::{CommunityKind, OperatorRole};
use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;

const MARKER: &str = "demo_deployment";
const STREET: &str = "和平街道";
const FIRST: (&str, &str) = ("shouwang", "守望社区");
/// The other communities of the street: slug, name, kind.
const OTHERS: [(&str, &str, CommunityKind); 2] = [
    ("jianshe", "建设社区", CommunityKind::Community),
    ("dongfeng", "东风村", CommunityKind::Village),
];
const OPERATORS: [(OperatorRole, &str, &str); 2] = [
    (OperatorRole::DeploymentAdmin, "platform", "平台管理员"),
    (OperatorRole::StreetStaff, "jiedao", "和平街道 李明"),
];

pub struct DemoDeployment {
    /// The first community's accounts (at the site's root).
    pub first: Vec<DemoAccount>,
    /// Each other community's path and admin.
    pub others: Vec<(String, String, DemoAccount)>,
    pub operators: Vec<(OperatorRole, &'static str, &'static str, String)>,
}

/// Fills the deployment's first community (`super::prepare`), names the street and
/// adds the other two communities, each filled alike, and the operators. Later starts
/// give every demo account a fresh password.
pub async fn prepare(deployment: &Arc<Deployment>) -> anyhow::Result<DemoDeployment> {
    let root = deployment.root().await?;
    let first = super::prepare(&root.state.db, &root.state.clock).await?;
    let catalog = deployment.catalog();
    let now = deployment.now();
    let fresh = meta::get(catalog.db(), MARKER).await?.is_none();
    if fresh {
        let mut tx: Tx = catalog.db().begin().await?;
        catalog::rename_street(&mut tx, root.community.street_id, STREET).await?;
        catalog::rename_community(
            &mut tx,
            root.community.id,
            FIRST.0,
            FIRST.1,
            CommunityKind::Community,
        )
        .await?;
        tx.commit().await?;
        deployment.forget(root.community.id);
        for (slug, name, kind) in OTHERS {
            deployment
                .add_community(root.community.street_id, slug, name, kind)
                .await?
                .with_context(|| format!("the demo community {slug} exists already"))?;
        }
    }
    let mut others = Vec::new();
    for (slug, name, _) in OTHERS {
        let tenant = deployment
            .by_slug(slug)
            .await?
            .with_context(|| format!("the demo community {slug} is missing"))?;
        let accounts = super::prepare(&tenant.state.db, &tenant.state.clock).await?;
        if let Some(admin) = accounts.into_iter().find(|a| a.role.is_admin()) {
            others.push((format!("/c/{slug}/"), name.to_owned(), admin));
        }
    }
    let mut operators = Vec::new();
    for (role, username, display_name) in OPERATORS {
        let password = random_password();
        let hash = passwords::hash_blocking(&password)?;
        let street_id = (role == OperatorRole::StreetStaff).then_some(root.community.street_id);
        let added = catalog::insert_operator(
            catalog,
            &NewOperatorRow {
                username,
                display_name,
                password_hash: &hash,
                role,
                street_id,
            },
            now,
        )
        .await?;
        if added.is_none() {
            catalog::set_operator_password(catalog, username, &hash).await?;
        }
        operators.push((role, username, display_name, password));
    }
    if fresh {
        let mut tx = catalog.db().begin().await?;
        meta::set(&mut tx, MARKER, &now.to_rfc3339()).await?;
        tx.commit().await?;
    }
    Ok(DemoDeployment {
        first,
        others,
        operators,
    })
}

/// Printed to stdout; write errors (a closed pipe) are ignored.
pub fn print_sign_ins(demo: &DemoDeployment, addr: SocketAddr) {
    super::print_sign_ins(&demo.first, addr, &format!("/c/{}", FIRST.0));
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "The street {STREET} has three communities: http://{addr}/ lists them."
    );
    for (path, name, admin) in &demo.others {
        let _ = writeln!(
            out,
            "  {name}: http://{addr}{path}  admin {} password {}",
            admin.username, admin.password
        );
    }
    let _ = writeln!(
        out,
        "Above the communities, sign in at http://{addr}/deployment/login as:"
    );
    for (role, username, display_name, password) in &demo.operators {
        let role = match role {
            OperatorRole::DeploymentAdmin => "deployment admin",
            OperatorRole::StreetStaff => "street staff",
        };
        let _ = writeln!(
            out,
            "  {role:<16} {username:<10} password {password}   ({display_name})"
        );
    }
    let _ = writeln!(out);
    let _ = out.flush();
}
