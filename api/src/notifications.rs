//! In-app notifications for the signed-in account.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One message. `kind` says which (e.g. `shift.promoted`); `params` fills it in. The app
/// translates each kind it knows and shows a generic line for the others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: i64,
    pub kind: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub params: serde_json::Value,
    /// Where in the app the message leads, e.g. `/volunteer/shifts/12`.
    pub link: Option<String>,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnreadCount {
    pub unread: u64,
}
