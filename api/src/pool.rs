//! The street's volunteer pool (跨社区支援): an approved volunteer of one community joins
//! it and takes seats on the shifts the street's other communities open to it. Every call
//! is made at the volunteer's own community's address.

use crate::shifts::{MySignup, Shift};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// `GET /api/pool`: where the signed-in volunteer stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PoolStatus {
    pub in_pool: bool,
    pub street_name: String,
    /// The street's other communities, whose open shifts a member may take.
    pub communities: Vec<String>,
}

/// `POST /api/pool/leave`: nothing confirmed is cancelled; what stays is said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeftPool {
    /// Seats on coming shifts of other communities: kept, the hosts count on them.
    pub seats_kept: u32,
    /// Places on their waitlists: withdrawn, nobody counted on them yet.
    pub waitlist_withdrawn: u32,
}

/// A shift of another community of the street, open to the pool, as a member sees it
/// (their own sign-up included).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PoolShift {
    /// The host community's address (`/c/<slug>/`) and name.
    pub community_slug: String,
    pub community_name: String,
    pub shift: Shift,
}

/// A member's sign-up on another community's shift.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PoolSignup {
    pub community_slug: String,
    pub community_name: String,
    pub signup: MySignup,
}

/// One community's share of a volunteer's hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommunityHours {
    pub community_name: String,
    /// The volunteer's own community.
    pub home: bool,
    pub shifts: u32,
    pub minutes: i64,
}

/// `GET /api/pool/hours`: the volunteer's completed hours in a period, by community (their
/// own first, then those served through the pool).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PoolHours {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub total_minutes: i64,
    pub communities: Vec<CommunityHours>,
}
