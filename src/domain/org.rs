//! The organisation: people, resolver groups (teams) and the service catalog.

use serde::Serialize;

crate::string_enum! {
    /// A resolver group's support tier.
    pub enum SupportTier ("support tier") {
        ServiceDesk => "l1",
        L2 => "l2",
        L3 => "l3",
        Vendor => "vendor",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Team {
    pub name: String,
    pub tier: SupportTier,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Person {
    pub login: String,
    pub name: String,
    pub team: Option<String>,
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Service {
    pub name: String,
    pub tier: i64,
    pub owner_team: Option<String>,
    /// Availability target as a fraction, e.g. 0.999.
    pub availability_target: f64,
}
