//! Domain times as the schema stores them: INTEGER seconds since the epoch.

use crate::domain::Timestamp;

pub fn secs(t: Timestamp) -> i64 {
    t.timestamp()
}

pub fn opt_secs(t: Option<Timestamp>) -> Option<i64> {
    t.map(|t| t.timestamp())
}
