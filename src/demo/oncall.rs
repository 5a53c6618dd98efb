//! Demo rotations (every team, weekly, Monday 09:00 London), escalation policies (every
//! service: its team's on-call, then the team lead, then a manager), and the pages of
//! past incidents.

use super::org::Company;
use super::rng::DemoRng;
use crate::domain::Timestamp;
use crate::domain::escalation::{
    Escalation, EscalationKind, EscalationPolicy, EscalationTarget, PolicyLevel,
};
use crate::domain::incident::Incident;
use crate::domain::oncall::{Rotation, next_handoff};
use chrono::{Duration, NaiveTime};

pub fn rotations(company: &Company, start: Timestamp) -> Vec<Rotation> {
    let tz = chrono_tz::Europe::London;
    let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default();
    let starts_at = next_handoff(start - Duration::days(7), 0, nine, tz);
    company
        .teams
        .iter()
        .filter_map(|team| {
            let participants = company.members.get(&team.name)?.clone();
            Some(Rotation {
                team: team.name.clone(),
                name: "primary".into(),
                participants,
                starts_at,
                length_days: 7,
                handoff_time: nine,
                time_zone: tz,
            })
        })
        .collect()
}

pub fn policies(company: &Company) -> Vec<(EscalationPolicy, Vec<String>)> {
    company
        .services
        .iter()
        .map(|s| {
            let owner = s
                .owner_team
                .clone()
                .unwrap_or_else(|| "service-desk".into());
            let first_delay = if s.tier == 1 { 15 } else { 30 };
            let mut levels = vec![PolicyLevel {
                target: EscalationTarget::Team(owner.clone()),
                delay_minutes: first_delay,
            }];
            if let Some(lead) = company.leads.get(&owner) {
                levels.push(PolicyLevel {
                    target: EscalationTarget::Person(lead.clone()),
                    delay_minutes: 30,
                });
            }
            levels.push(PolicyLevel {
                target: EscalationTarget::Person(
                    company.managers[1 % company.managers.len()].clone(),
                ),
                delay_minutes: 60,
            });
            (
                EscalationPolicy {
                    name: s.name.clone(),
                    levels,
                    repeat: 1,
                },
                vec![s.name.clone()],
            )
        })
        .collect()
}

/// Some past incidents were escalated past their first responder.
pub fn escalations(
    incidents: &[Incident],
    company: &Company,
    rng: &mut DemoRng,
) -> Vec<Escalation> {
    incidents
        .iter()
        .filter_map(|i| {
            let ack = i.acknowledged_at?;
            if !rng.chance(0.35) {
                return None;
            }
            let owner = company.service_owner(&i.services[0]).to_string();
            let person = company.member_of(&owner, rng);
            Some(Escalation {
                entity: i.key.to_string(),
                kind: EscalationKind::Functional,
                level: Some(1),
                target: format!("{owner} on-call"),
                team: Some(owner),
                person: Some(person),
                reason: "No acknowledgement within the policy delay".into(),
                actor: i.commander.clone().unwrap_or_default(),
                at: ack,
            })
        })
        .collect()
}
