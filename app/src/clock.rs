//! The app's clock: the one place that reads the device's time. Dates a person reads
//! ("today" in the community) are derived from it in `format::today`.

use chrono::{DateTime, Utc};

/// Now, by the device's clock.
pub fn now() -> DateTime<Utc> {
    Utc::now()
}
