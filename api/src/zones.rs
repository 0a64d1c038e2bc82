//! Building zones (三区划分): 防范区, 管控区, 封控区. A building is always in exactly one
//! zone; every change is kept as history. The zone decides what a building's residents see
//! on their home page and which requests are open to them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Zone {
    /// 防范区: ordinary life with precautions; the default for every building.
    #[default]
    Precaution,
    /// 管控区: people stay in the compound (足不出区).
    Controlled,
    /// 封控区: people stay home (足不出户); supplies come to the door.
    Sealed,
}

impl Zone {
    pub const ALL: [Zone; 3] = [Zone::Precaution, Zone::Controlled, Zone::Sealed];

    /// The stored form (the `zone` columns of `buildings` and `building_zones`).
    pub fn as_str(self) -> &'static str {
        match self {
            Zone::Precaution => "precaution",
            Zone::Controlled => "controlled",
            Zone::Sealed => "sealed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|zone| zone.as_str() == s)
    }

    /// Residents of controlled and sealed buildings check in on their health every day.
    pub fn needs_daily_health_check(self) -> bool {
        matches!(self, Zone::Controlled | Zone::Sealed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_form_round_trips() {
        for zone in Zone::ALL {
            assert_eq!(Zone::parse(zone.as_str()), Some(zone));
        }
        assert_eq!(Zone::parse("locked"), None);
    }

    #[test]
    fn only_restricted_zones_need_a_daily_check() {
        assert!(!Zone::Precaution.needs_daily_health_check());
        assert!(Zone::Controlled.needs_daily_health_check());
        assert!(Zone::Sealed.needs_daily_health_check());
    }
}
