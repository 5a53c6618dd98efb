//! The rules of change management: the lifecycle, how many approvals a change needs,
//! and the conflicts that must be acknowledged before it is approved.

use super::change::{Change, ChangeKind, ChangeState, FreezeWindow};
use super::clock::Timestamp;
use super::directory::Directory;
use super::keys::{ChangeKey, IncidentKey};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a change cannot go from {from} to {to}")]
pub struct InvalidChangeTransition {
    pub from: ChangeState,
    pub to: ChangeState,
}

impl ChangeState {
    /// Still to happen or happening: can be cancelled, counts for conflicts.
    pub fn is_open(self) -> bool {
        use ChangeState::*;
        matches!(self, Draft | Submitted | Approved | Scheduled | InProgress)
    }

    pub fn can_become(self, to: ChangeState) -> bool {
        use ChangeState::*;
        match (self, to) {
            (Draft, Submitted) => true,
            (Submitted, Approved | Rejected) => true,
            (Rejected, Draft) => true,
            (Approved, Scheduled) => true,
            (Scheduled, InProgress) => true,
            (InProgress, Completed | Failed | RolledBack) => true,
            (from, Cancelled) => from.is_open() && from != InProgress,
            _ => false,
        }
    }

    pub fn transition(self, to: ChangeState) -> Result<ChangeState, InvalidChangeTransition> {
        if self.can_become(to) {
            Ok(to)
        } else {
            Err(InvalidChangeTransition { from: self, to })
        }
    }

    /// Ended badly: counts against the change failure rate.
    pub fn is_failure(self) -> bool {
        matches!(self, ChangeState::Failed | ChangeState::RolledBack)
    }
}

/// How many approvals a change needs: none for standard changes; for the others the
/// number configured for its risk (1 = lowest … 5 = highest).
pub fn approvals_needed(kind: ChangeKind, risk: i64, by_risk: &[u32; 5]) -> u32 {
    match kind {
        ChangeKind::Standard => 0,
        _ => by_risk[(risk.clamp(1, 5) - 1) as usize],
    }
}

/// Risk 1..5 from impact and likelihood (each 1 high … 3 low): the configured matrix.
pub fn risk(impact: u8, likelihood: u8, matrix: &[[u8; 3]; 3]) -> i64 {
    i64::from(matrix[(impact.clamp(1, 3) - 1) as usize][(likelihood.clamp(1, 3) - 1) as usize])
}

/// Why a change needs a second look before it is approved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Conflict {
    /// Another open change on a shared service at an overlapping time.
    Overlap { other: ChangeKey, service: String },
    /// The change falls (partly) inside a freeze window.
    Freeze { window: String },
    /// A service the change touches has an active incident.
    ActiveIncident {
        incident: IncidentKey,
        service: String,
    },
    /// The implementer is booked on another overlapping change.
    Implementer { other: ChangeKey, person: String },
    /// A service the change touches depends on, or is needed by, one with an active
    /// incident (`upstream`: the change's service depends on `related`).
    DependencyIncident {
        incident: IncidentKey,
        service: String,
        related: String,
        upstream: bool,
    },
    /// Another open change at an overlapping time on a service this one depends on.
    DependencyChange {
        other: ChangeKey,
        service: String,
        dependency: String,
    },
}

impl Conflict {
    /// A stable identity, so an acknowledgement names the conflict it covers.
    pub fn id(&self) -> String {
        match self {
            Conflict::Overlap { other, service } => format!("overlap:{other}:{service}"),
            Conflict::Freeze { window } => {
                format!("freeze:{}", window.to_lowercase().replace(' ', "-"))
            }
            Conflict::ActiveIncident { incident, service } => {
                format!("incident:{incident}:{service}")
            }
            Conflict::Implementer { other, person } => format!("implementer:{other}:{person}"),
            Conflict::DependencyIncident {
                incident, related, ..
            } => format!("dependency-incident:{incident}:{related}"),
            Conflict::DependencyChange {
                other, dependency, ..
            } => format!("dependency-change:{other}:{dependency}"),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Conflict::Overlap { other, service } => format!("overlaps {other} on {service}"),
            Conflict::Freeze { window } => format!("inside the freeze '{window}'"),
            Conflict::ActiveIncident { incident, service } => {
                format!("{service} has an active incident, {incident}")
            }
            Conflict::Implementer { other, person } => {
                format!("{person} is also implementing {other} at that time")
            }
            Conflict::DependencyIncident {
                incident,
                service,
                related,
                upstream: true,
            } => {
                format!("{service} depends on {related}, which has an active incident, {incident}")
            }
            Conflict::DependencyIncident {
                incident,
                service,
                related,
                upstream: false,
            } => format!("{related} depends on {service} and has an active incident, {incident}"),
            Conflict::DependencyChange {
                other,
                service,
                dependency,
            } => format!("overlaps {other} on {dependency}, which {service} depends on"),
        }
    }
}

/// Half-open intervals `[a, b)` and `[c, d)` overlap: touching windows do not.
fn overlaps(a: Timestamp, b: Timestamp, c: Timestamp, d: Timestamp) -> bool {
    a < d && c < b
}

/// An active incident, for conflict checks: its key and services.
pub struct ActiveIncident<'a> {
    pub key: IncidentKey,
    pub services: &'a [String],
}

/// Every conflict of `change` with the other changes, the freeze windows and the
/// active incidents, along the directory's dependencies too. A change without a
/// planned window has none.
pub fn conflicts(
    change: &Change,
    others: &[Change],
    freezes: &[FreezeWindow],
    incidents: &[ActiveIncident<'_>],
    directory: &Directory,
) -> Vec<Conflict> {
    let (Some(start), Some(end)) = (change.planned_start_at, change.planned_end_at) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for other in others
        .iter()
        .filter(|o| o.key != change.key && o.state.is_open())
    {
        let (Some(os), Some(oe)) = (other.planned_start_at, other.planned_end_at) else {
            continue;
        };
        if !overlaps(start, end, os, oe) {
            continue;
        }
        for service in change
            .services
            .iter()
            .filter(|s| other.services.contains(s))
        {
            found.push(Conflict::Overlap {
                other: other.key,
                service: service.clone(),
            });
        }
        for service in &change.services {
            for dependency in directory.depends_on(service) {
                if other.services.contains(&dependency) && !change.services.contains(&dependency) {
                    found.push(Conflict::DependencyChange {
                        other: other.key,
                        service: service.clone(),
                        dependency,
                    });
                }
            }
        }
        if let (Some(me), Some(them)) = (&change.implementer, &other.implementer)
            && me == them
        {
            found.push(Conflict::Implementer {
                other: other.key,
                person: me.clone(),
            });
        }
    }
    for window in freezes
        .iter()
        .filter(|w| overlaps(start, end, w.starts_at, w.ends_at))
    {
        found.push(Conflict::Freeze {
            window: window.name.clone(),
        });
    }
    for incident in incidents {
        for service in change
            .services
            .iter()
            .filter(|s| incident.services.contains(s))
        {
            found.push(Conflict::ActiveIncident {
                incident: incident.key,
                service: service.clone(),
            });
        }
        for service in &change.services {
            let related = directory
                .depends_on(service)
                .into_iter()
                .map(|r| (r, true))
                .chain(
                    directory
                        .dependents(service)
                        .into_iter()
                        .map(|r| (r, false)),
                );
            for (related, upstream) in related {
                if incident.services.contains(&related) && !change.services.contains(&related) {
                    found.push(Conflict::DependencyIncident {
                        incident: incident.key,
                        service: service.clone(),
                        related,
                        upstream,
                    });
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::ChangeState::*;
    use super::*;
    use crate::domain::calendar::fixtures::utc;

    fn change(n: i64, services: &[&str], start: &str, end: &str, implementer: &str) -> Change {
        Change {
            key: ChangeKey(n),
            kind: ChangeKind::Normal,
            title: format!("change {n}"),
            description: String::new(),
            state: Submitted,
            risk: 3,
            services: services.iter().map(|s| s.to_string()).collect(),
            implementer: Some(implementer.to_string()),
            requested_at: utc("2026-11-01 09:00"),
            planned_start_at: Some(utc(start)),
            planned_end_at: Some(utc(end)),
            actual_start_at: None,
            actual_end_at: None,
            backout_plan: String::new(),
            stakeholder_impact: String::new(),
            test_plan: String::new(),
            outcome: None,
            updated_at: utc("2026-11-01 09:00"),
            version: 1,
        }
    }

    #[test]
    fn the_lifecycle_allows_exactly_its_steps() {
        let allowed = [
            (Draft, Submitted),
            (Submitted, Approved),
            (Submitted, Rejected),
            (Rejected, Draft),
            (Approved, Scheduled),
            (Scheduled, InProgress),
            (InProgress, Completed),
            (InProgress, Failed),
            (InProgress, RolledBack),
            (Draft, Cancelled),
            (Submitted, Cancelled),
            (Approved, Cancelled),
            (Scheduled, Cancelled),
        ];
        for from in ChangeState::ALL {
            for to in ChangeState::ALL {
                assert_eq!(
                    from.can_become(*to),
                    allowed.contains(&(*from, *to)),
                    "{from} → {to}"
                );
            }
        }
    }

    #[test]
    fn approvals_follow_kind_and_risk() {
        let by_risk = [1, 1, 1, 2, 2];
        assert_eq!(approvals_needed(ChangeKind::Standard, 5, &by_risk), 0);
        assert_eq!(approvals_needed(ChangeKind::Normal, 2, &by_risk), 1);
        assert_eq!(approvals_needed(ChangeKind::Emergency, 4, &by_risk), 2);
        assert_eq!(
            approvals_needed(ChangeKind::Normal, 9, &by_risk),
            2,
            "clamped"
        );
        let matrix = [[5, 4, 3], [4, 3, 2], [3, 2, 1]];
        assert_eq!(risk(1, 1, &matrix), 5);
        assert_eq!(risk(3, 3, &matrix), 1);
    }

    #[test]
    fn touching_windows_do_not_conflict_but_overlaps_do() {
        let a = change(1, &["dns"], "2026-12-01 02:00", "2026-12-01 04:00", "ann");
        let touching = change(2, &["dns"], "2026-12-01 04:00", "2026-12-01 05:00", "bob");
        let overlapping = change(
            3,
            &["dns", "vpn"],
            "2026-12-01 03:59",
            "2026-12-01 05:00",
            "bob",
        );
        assert!(
            conflicts(
                &a,
                std::slice::from_ref(&touching),
                &[],
                &[],
                &Directory::default()
            )
            .is_empty()
        );
        assert_eq!(
            conflicts(&a, &[overlapping], &[], &[], &Directory::default()),
            [Conflict::Overlap {
                other: ChangeKey(3),
                service: "dns".into()
            }]
        );
    }

    #[test]
    fn multi_service_changes_conflict_per_shared_service_and_by_implementer() {
        let a = change(
            1,
            &["dns", "vpn", "cdn"],
            "2026-12-01 02:00",
            "2026-12-01 04:00",
            "ann",
        );
        let b = change(
            2,
            &["vpn", "cdn"],
            "2026-12-01 03:00",
            "2026-12-01 06:00",
            "ann",
        );
        let mut closed = change(3, &["dns"], "2026-12-01 03:00", "2026-12-01 06:00", "ann");
        closed.state = Completed;
        let found: Vec<String> = conflicts(&a, &[b, closed], &[], &[], &Directory::default())
            .iter()
            .map(Conflict::id)
            .collect();
        assert_eq!(
            found,
            [
                "overlap:CHG-2:vpn",
                "overlap:CHG-2:cdn",
                "implementer:CHG-2:ann"
            ]
        );
    }

    #[test]
    fn windows_given_in_different_time_zones_compare_as_instants() {
        use chrono::TimeZone;
        let london = chrono_tz::Europe::London;
        let berlin = chrono_tz::Europe::Berlin;
        let at = |tz: chrono_tz::Tz, h: u32| {
            tz.with_ymd_and_hms(2026, 7, 1, h, 0, 0)
                .unwrap()
                .with_timezone(&chrono::Utc)
        };
        let mut a = change(1, &["dns"], "2026-07-01 00:00", "2026-07-01 00:00", "ann");
        (a.planned_start_at, a.planned_end_at) = (Some(at(london, 2)), Some(at(london, 4)));
        let mut b = change(2, &["dns"], "2026-07-01 00:00", "2026-07-01 00:00", "bob");
        // 04:00–05:00 Berlin is 02:00–03:00 UTC, inside London's 01:00–03:00 UTC.
        (b.planned_start_at, b.planned_end_at) = (Some(at(berlin, 4)), Some(at(berlin, 5)));
        assert_eq!(
            conflicts(
                &a,
                std::slice::from_ref(&b),
                &[],
                &[],
                &Directory::default()
            )
            .len(),
            1
        );
        (b.planned_start_at, b.planned_end_at) = (Some(at(berlin, 5)), Some(at(berlin, 6)));
        assert!(
            conflicts(&a, &[b], &[], &[], &Directory::default()).is_empty(),
            "05:00 Berlin is when London's window ends"
        );
    }

    #[test]
    fn incidents_and_changes_along_the_dependencies_conflict() {
        use crate::domain::org::Service;
        let service = |name: &str, deps: &[&str]| {
            let mut s = Service::new(name, 2);
            s.depends_on = deps.iter().map(|d| d.to_string()).collect();
            s
        };
        let directory = Directory {
            services: vec![
                service("db", &[]),
                service("api", &["db"]),
                service("storefront", &["api"]),
            ],
            ..Directory::default()
        };
        let a = change(1, &["api"], "2026-03-10 10:00", "2026-03-10 12:00", "ana");
        let on_db = change(2, &["db"], "2026-03-10 11:00", "2026-03-10 13:00", "bo");
        let on_front = change(
            3,
            &["storefront"],
            "2026-03-10 11:00",
            "2026-03-10 13:00",
            "cy",
        );
        let found: Vec<String> = conflicts(&a, &[on_db, on_front], &[], &[], &directory)
            .iter()
            .map(Conflict::describe)
            .collect();
        assert_eq!(
            found,
            ["overlaps CHG-2 on db, which api depends on"],
            "a dependent's change is no conflict"
        );
        let db_down = [ActiveIncident {
            key: IncidentKey(7),
            services: &["db".to_string()],
        }];
        let front_down = [ActiveIncident {
            key: IncidentKey(8),
            services: &["storefront".to_string()],
        }];
        assert_eq!(
            conflicts(&a, &[], &[], &db_down, &directory)[0].describe(),
            "api depends on db, which has an active incident, INC-7"
        );
        assert_eq!(
            conflicts(&a, &[], &[], &front_down, &directory)[0].describe(),
            "storefront depends on api and has an active incident, INC-8"
        );
    }

    #[test]
    fn freeze_boundaries_and_active_incidents() {
        let freeze = FreezeWindow {
            name: "Peak".into(),
            starts_at: utc("2026-11-25 00:00"),
            ends_at: utc("2026-12-01 00:00"),
            reason: String::new(),
        };
        let after = change(1, &["cdn"], "2026-12-01 00:00", "2026-12-01 01:00", "ann");
        let ending_inside = change(2, &["cdn"], "2026-11-24 22:00", "2026-11-25 00:01", "ann");
        assert!(
            conflicts(
                &after,
                &[],
                std::slice::from_ref(&freeze),
                &[],
                &Directory::default()
            )
            .is_empty(),
            "starts as the freeze ends"
        );
        assert_eq!(
            conflicts(&ending_inside, &[], &[freeze], &[], &Directory::default()),
            [Conflict::Freeze {
                window: "Peak".into()
            }]
        );
        let services = vec!["cdn".to_string()];
        let incident = ActiveIncident {
            key: IncidentKey(7),
            services: &services,
        };
        assert_eq!(
            conflicts(&after, &[], &[], &[incident], &Directory::default())[0].describe(),
            "cdn has an active incident, INC-7"
        );
    }
}
