//! The status page's read model: public services only, each with its state now and 90
//! days of uptime; the incidents on them that have public updates, told by those
//! updates alone (never the internal title, notes or names), and the maintenance
//! announced on them. What is not public never enters this model, so no rendering of
//! it can leak it.

use crate::config::Config;
use crate::domain::Timestamp;
use crate::domain::change::ChangeState;
use crate::domain::incident::{Incident, Severity};
use crate::metrics::period::Period;
use crate::metrics::report::impact_minutes;
use crate::store::{Store, StoreError};
use chrono::{Duration, NaiveDate};
use serde::Serialize;

/// How many days of history the page shows.
pub const HISTORY_DAYS: i64 = 90;

crate::string_enum! {
    pub enum ServiceStatus ("service status") {
        Operational => "operational",
        Degraded => "degraded",
        PartialOutage => "partial_outage",
        MajorOutage => "major_outage",
        Maintenance => "maintenance",
    }
}

impl ServiceStatus {
    /// "Partial outage", as the page writes it.
    pub fn label(self) -> &'static str {
        match self {
            ServiceStatus::Operational => "Operational",
            ServiceStatus::Degraded => "Degraded performance",
            ServiceStatus::PartialOutage => "Partial outage",
            ServiceStatus::MajorOutage => "Major outage",
            ServiceStatus::Maintenance => "Under maintenance",
        }
    }

    fn of(severity: Severity) -> ServiceStatus {
        match severity {
            Severity::Sev1 => ServiceStatus::MajorOutage,
            Severity::Sev2 => ServiceStatus::PartialOutage,
            Severity::Sev3 | Severity::Sev4 => ServiceStatus::Degraded,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayUptime {
    pub date: NaiveDate,
    /// The share of the day without an outage (SEV1 or SEV2, as availability counts).
    pub uptime: f64,
    /// The worst incident of the day, if any.
    pub worst: Option<ServiceStatus>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicService {
    pub name: String,
    pub description: String,
    pub status: ServiceStatus,
    pub uptime_90d: f64,
    pub days: Vec<DayUptime>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicUpdate {
    pub at: Timestamp,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicIncident {
    /// A stable id for the feed: `INC-7`.
    pub id: String,
    /// "Partial outage: checkout" — from its severity and its public services.
    pub heading: String,
    pub status: ServiceStatus,
    pub resolved: bool,
    pub started_at: Timestamp,
    pub resolved_at: Option<Timestamp>,
    pub services: Vec<String>,
    /// Its public updates, the latest first.
    pub updates: Vec<PublicUpdate>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicMaintenance {
    pub id: String,
    pub services: Vec<String>,
    pub starts_at: Option<Timestamp>,
    pub ends_at: Option<Timestamp>,
    pub impact: String,
    pub in_progress: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusPage {
    pub generated_at: Timestamp,
    /// The worst status of any public service.
    pub overall: ServiceStatus,
    pub services: Vec<PublicService>,
    /// Active ones first, then the resolved of the last 90 days, the latest first.
    pub incidents: Vec<PublicIncident>,
    pub maintenance: Vec<PublicMaintenance>,
}

/// The share of `whole` minutes not `lost`; all of it when there were none.
fn up_share(lost: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        (1.0 - lost / whole).clamp(0.0, 1.0)
    } else {
        1.0
    }
}

pub fn status_page(
    store: &Store,
    config: &Config,
    now: Timestamp,
) -> Result<StatusPage, StoreError> {
    let public: Vec<_> = store
        .services()?
        .into_iter()
        .filter(|s| s.public && !s.archived)
        .collect();
    let names: Vec<String> = public.iter().map(|s| s.name.clone()).collect();
    let zone = config.business_hours.time_zone.0;
    let today = now.with_timezone(&zone).date_naive();
    let first = today - Duration::days(HISTORY_DAYS - 1);
    let from = crate::domain::report_schedule::local_midnight(zone, first);
    // `to` is exclusive, and an incident declared this very second counts.
    let incidents = store.incidents_overlapping(from, now + Duration::seconds(1))?;
    let on_public = |i: &Incident| i.services.iter().any(|s| names.contains(s));
    let changes = store.changes_between(now - Duration::days(1), now + Duration::days(7))?;
    let maintenance: Vec<PublicMaintenance> = changes
        .into_iter()
        .filter(|c| {
            !c.stakeholder_impact.is_empty()
                && matches!(
                    c.state,
                    ChangeState::Approved | ChangeState::Scheduled | ChangeState::InProgress
                )
                && c.services.iter().any(|s| names.contains(s))
        })
        .map(|c| PublicMaintenance {
            id: c.key.to_string(),
            services: c
                .services
                .iter()
                .filter(|s| names.contains(s))
                .cloned()
                .collect(),
            starts_at: c.planned_start_at,
            ends_at: c.planned_end_at,
            impact: c.stakeholder_impact.clone(),
            in_progress: c.state == ChangeState::InProgress,
        })
        .collect();
    let mut services = Vec::new();
    for s in &public {
        let active = incidents
            .iter()
            .filter(|i| i.state.is_active() && i.services.contains(&s.name))
            .map(|i| i.severity)
            .min();
        let under_maintenance = maintenance
            .iter()
            .any(|m| m.in_progress && m.services.contains(&s.name));
        let status = match (active, under_maintenance) {
            (Some(worst), _) => ServiceStatus::of(worst),
            (None, true) => ServiceStatus::Maintenance,
            (None, false) => ServiceStatus::Operational,
        };
        let mut days = Vec::new();
        let mut down = 0.0;
        let mut whole = 0.0;
        for n in 0..HISTORY_DAYS {
            let date = first + Duration::days(n);
            let day = Period {
                from: crate::domain::report_schedule::local_midnight(zone, date),
                to: crate::domain::report_schedule::local_midnight(zone, date + Duration::days(1))
                    .min(now),
            };
            let minutes = (day.to - day.from).num_seconds().max(0) as f64 / 60.0;
            let lost = impact_minutes(&incidents, &s.name, day, now);
            let worst = incidents
                .iter()
                .filter(|i| i.services.contains(&s.name))
                .filter(|i| {
                    let start = i.impact_start_at.unwrap_or(i.detected_at);
                    let end = i.mitigated_at.or(i.resolved_at).unwrap_or(now);
                    start < day.to && end > day.from
                })
                .map(|i| i.severity)
                .min()
                .map(ServiceStatus::of);
            down += lost;
            whole += minutes;
            days.push(DayUptime {
                date,
                uptime: up_share(lost, minutes),
                worst,
            });
        }
        services.push(PublicService {
            name: s.name.clone(),
            description: s.description.clone(),
            status,
            uptime_90d: up_share(down, whole),
            days,
        });
    }
    let mut told = Vec::new();
    for i in incidents.iter().filter(|i| on_public(i)) {
        let updates: Vec<PublicUpdate> = store
            .timeline(i.key)?
            .into_iter()
            .rev()
            .filter(|e| e.public)
            .map(|e| PublicUpdate {
                at: e.at,
                text: e.text,
            })
            .collect();
        if updates.is_empty() {
            continue;
        }
        let shown: Vec<String> = i
            .services
            .iter()
            .filter(|s| names.contains(s))
            .cloned()
            .collect();
        let status = ServiceStatus::of(i.severity);
        told.push(PublicIncident {
            id: i.key.to_string(),
            heading: format!("{}: {}", status.label(), shown.join(", ")),
            status,
            resolved: !i.state.is_active(),
            started_at: i.impact_start_at.unwrap_or(i.detected_at),
            resolved_at: i.resolved_at,
            services: shown,
            updates,
        });
    }
    told.sort_by_key(|i| (i.resolved, std::cmp::Reverse(i.started_at)));
    let overall = services
        .iter()
        .map(|s| s.status)
        .filter(|s| *s != ServiceStatus::Operational)
        .min_by_key(|s| match s {
            ServiceStatus::MajorOutage => 0,
            ServiceStatus::PartialOutage => 1,
            ServiceStatus::Degraded => 2,
            ServiceStatus::Maintenance => 3,
            ServiceStatus::Operational => 4,
        })
        .unwrap_or(ServiceStatus::Operational);
    Ok(StatusPage {
        generated_at: now,
        overall,
        services,
        incidents: told,
        maintenance,
    })
}
