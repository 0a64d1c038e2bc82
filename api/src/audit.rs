//! The audit trail as admins read it.

use crate::auth::Role;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub actor_role: Option<Role>,
    /// The actor is a member of the street's staff (not an account of this community),
    /// reading under the community's grant; `actor_name` is theirs.
    #[serde(default)]
    pub by_street_staff: bool,
    /// What happened, e.g. `notice.publish`, `login.failure`.
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<i64>,
    /// Ids, counts and field names; never personal data.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub detail: Option<serde_json::Value>,
}
