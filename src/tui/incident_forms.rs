//! The bridge's forms, and declaring: what each shows, and what saving it does.

use super::component::{Effect, PaneContext, Saved};
use super::form::{Field, Form};
use super::purpose::IncidentForm;
use super::state::IncidentList;
use crate::domain::bridge::{StatusUpdate, parse_impact_start};
use crate::domain::incident::{IncidentRole, IncidentState, Severity};
use crate::domain::{ArticleKey, IncidentKey, Priority, TicketKey};
use crate::tui::form_field::FieldName;
use crate::workflow::{Declare, WorkflowError};

/// The service picker's first entry when no service is known: a declaration names
/// the affected service on purpose, never the first in the list by accident.
const CHOOSE: &str = "(choose the affected service)";

/// A status update's form with a "Send to" line when there are audiences: those the
/// incident concerns written in, the others named below.
fn with_audiences(mut form: Form, key: IncidentKey, ctx: &PaneContext<'_>) -> Form {
    let all = ctx.session.store.audiences(false).unwrap_or_default();
    if all.is_empty() {
        return form;
    }
    let concerned: Vec<String> = ctx
        .session
        .workflow()
        .concerned_audiences(key)
        .unwrap_or_default()
        .into_iter()
        .map(|a| a.name)
        .collect();
    form.fields
        .push(Field::text(FieldName::Audiences, concerned.join(", ")));
    let others: Vec<&str> = all
        .iter()
        .map(|a| a.name.as_str())
        .filter(|n| !concerned.iter().any(|c| c == n))
        .collect();
    form.notes.push(if others.is_empty() {
        "send to: comma separated; empty posts it only".into()
    } else {
        format!("send to: comma separated; also {}", others.join(", "))
    });
    form
}

fn audiences_of(form: &Form) -> Vec<String> {
    form.value(FieldName::Audiences)
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// "INC-4: status update posted, sent to all-staff, finance-leads".
fn posted(key: IncidentKey, what: &str, sent: &crate::workflow::UpdateSent) -> String {
    if sent.sent_to.is_empty() {
        return format!("{key}: {what} posted");
    }
    let names: Vec<&str> = sent.sent_to.iter().map(|(a, _)| a.as_str()).collect();
    format!("{key}: {what} posted, sent to {}", names.join(", "))
}

impl IncidentList {
    pub fn form(&self, purpose: &IncidentForm, ctx: &PaneContext<'_>) -> Option<Form> {
        let catalog = ctx.catalog;
        let me = ctx.session.actor.name().to_string();
        let severities: Vec<String> = ctx
            .session
            .config
            .severities
            .iter()
            .map(|s| format!("{} — {}", s.name, s.description))
            .collect();
        let form = match purpose {
            IncidentForm::Declare { from_ticket } => {
                let ticket = from_ticket.and_then(|k| ctx.session.store.ticket(k).ok().flatten());
                let severity = ticket
                    .as_ref()
                    .map_or(Severity::Sev3, |t| severity_for(t.priority));
                let default_sev = severities
                    .iter()
                    .find(|s| s.starts_with(severity.as_str()))
                    .cloned();
                let mut form = Form::new(
                    match from_ticket {
                        Some(k) => format!("Declare an incident from {k}"),
                        None => "Declare an incident".to_string(),
                    },
                    vec![
                        Field::text(
                            FieldName::Title,
                            ticket.as_ref().map(|t| t.title.clone()).unwrap_or_default(),
                        ),
                        Field::choice(FieldName::Severity, severities, default_sev.as_deref()),
                        Field::choice(
                            FieldName::Service,
                            std::iter::once(CHOOSE.to_string())
                                .chain(catalog.services.iter().cloned())
                                .collect(),
                            Some(
                                ticket
                                    .as_ref()
                                    .and_then(|t| t.service.as_deref())
                                    .unwrap_or(CHOOSE),
                            ),
                        ),
                        Field::text(FieldName::MoreServices, ""),
                        Field::choice(FieldName::Commander, catalog.people.clone(), Some(&me)),
                        Field::text(FieldName::ImpactStart, ""),
                    ],
                );
                form.notes =
                    vec!["impact start: 15m or 2h ago, or HH:MM today; empty if unknown".into()];
                form
            }
            IncidentForm::StakeholderUpdate(key) => with_audiences(
                Form::new(
                    format!("{key}: status update for stakeholders"),
                    vec![
                        Field::text(FieldName::Impact, ""),
                        Field::text(FieldName::WhatWeKnow, ""),
                        Field::text(FieldName::WhatWeDo, ""),
                        Field::toggle(FieldName::Public, false),
                    ],
                ),
                *key,
                ctx,
            ),
            IncidentForm::CanUpdate(key) => with_audiences(
                Form::new(
                    format!("{key}: CAN report"),
                    vec![
                        Field::text(FieldName::Conditions, ""),
                        Field::text(FieldName::Actions, ""),
                        Field::text(FieldName::Needs, ""),
                    ],
                ),
                *key,
                ctx,
            ),
            IncidentForm::Severity(key, _) => {
                let current = self
                    .bridge
                    .as_ref()
                    .map(|b| b.incident.severity.as_str())
                    .unwrap_or("SEV3");
                let default_sev = severities.iter().find(|s| s.starts_with(current)).cloned();
                Form::new(
                    format!("{key}: severity"),
                    vec![
                        Field::choice(FieldName::Severity, severities, default_sev.as_deref()),
                        Field::text(FieldName::Reason, ""),
                    ],
                )
            }
            IncidentForm::Role(key, _) => Form::new(
                format!("{key}: roles"),
                vec![
                    Field::choice(
                        FieldName::Role,
                        IncidentRole::ALL.iter().map(|r| r.to_string()).collect(),
                        None,
                    ),
                    Field::choice(FieldName::Person, catalog.people.clone(), Some(&me)),
                ],
            ),
            IncidentForm::State(key, _) => Form::new(
                format!("{key}: state"),
                vec![Field::choice(
                    FieldName::State,
                    [
                        IncidentState::Investigating,
                        IncidentState::Identified,
                        IncidentState::Monitoring,
                    ]
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                    self.bridge
                        .as_ref()
                        .map(|b| b.incident.state.to_string())
                        .as_deref(),
                )],
            ),
            IncidentForm::Resolve(key, _) => {
                let open = linked_open_tickets(*key, ctx);
                let mut form = Form::new(
                    format!("Resolve {key}"),
                    vec![Field::toggle(FieldName::ResolveLinkedTickets, open > 0)],
                );
                form.notes = vec![format!("{open} linked tickets are still open")];
                super::verdict_fields::ask_if_alert_opened(&mut form, (*key).into(), ctx);
                form
            }
            IncidentForm::TickStep(key) => {
                let knowledge =
                    crate::views::knowledge::incident_knowledge(&ctx.session.store, *key).ok()?;
                let steps: Vec<String> = knowledge
                    .open_steps()
                    .into_iter()
                    .map(|(a, n, text)| {
                        crate::domain::display::truncate(
                            &format!("{a} {n}. {}", crate::domain::sanitize_line(&text)),
                            70,
                        )
                    })
                    .collect();
                let first = steps.first().cloned();
                let mut form = Form::new(
                    format!("{key}: tick a runbook step"),
                    vec![
                        Field::choice(FieldName::Step, steps, first.as_deref()),
                        Field::text(FieldName::Note, ""),
                    ],
                );
                form.notes = vec!["the note says what was done (else the step's text)".into()];
                form
            }
            IncidentForm::LinkTicket(key) => Form::new(
                format!("{key}: link a ticket"),
                vec![Field::text(FieldName::Ticket, "")],
            ),
            IncidentForm::Mitigate(..) => return None,
        };
        Some(form)
    }

    /// Saves a bridge form (or the declare form) through the workflow.
    pub fn save(&mut self, form: &Form, purpose: &IncidentForm, ctx: &PaneContext<'_>) -> Saved {
        let wf = ctx.session.workflow();
        let severity = |text: String| {
            text.split_whitespace()
                .next()
                .unwrap_or_default()
                .parse::<Severity>()
        };
        let result = match purpose {
            IncidentForm::Declare { from_ticket } => {
                if form.value(FieldName::Service) == CHOOSE {
                    return Saved::refused("service: pick the service that is affected");
                }
                let services = form.services();
                let impact_start = match parse_impact_start(
                    &form.value(FieldName::ImpactStart),
                    ctx.session.clock.now(),
                    &chrono::Local,
                ) {
                    Ok(t) => t,
                    Err(e) => {
                        return Saved::from(Err(WorkflowError::invalid(
                            "impact start",
                            e.to_string(),
                        )));
                    }
                };
                let declared = severity(form.value(FieldName::Severity))
                    .map_err(|e| WorkflowError::invalid("severity", e.to_string()))
                    .and_then(|severity| {
                        wf.declare_incident(Declare {
                            title: form.value(FieldName::Title),
                            severity,
                            services,
                            commander: Some(form.value(FieldName::Commander))
                                .filter(|c| !c.is_empty()),
                            impact_start,
                            from_ticket: *from_ticket,
                        })
                    });
                declared.map(|i| {
                    ctx.ask(Effect::OpenOnClose(i.key.into()));
                    format!("{} declared ({})", i.key, i.severity)
                })
            }
            IncidentForm::StakeholderUpdate(key) => wf
                .post_status_update_to(
                    *key,
                    Ok(&StatusUpdate::Stakeholder {
                        impact: form.value(FieldName::Impact),
                        known: form.value(FieldName::WhatWeKnow),
                        doing: form.value(FieldName::WhatWeDo),
                    }),
                    &audiences_of(form),
                    form.field(FieldName::Public).is_some_and(Field::is_on),
                )
                .map(|sent| posted(*key, "status update", &sent)),
            IncidentForm::CanUpdate(key) => wf
                .post_status_update_to(
                    *key,
                    Ok(&StatusUpdate::Can {
                        conditions: form.value(FieldName::Conditions),
                        actions: form.value(FieldName::Actions),
                        needs: form.value(FieldName::Needs),
                    }),
                    &audiences_of(form),
                    false,
                )
                .map(|sent| posted(*key, "CAN report", &sent)),
            IncidentForm::Severity(key, v) => severity(form.value(FieldName::Severity))
                .map_err(|e| WorkflowError::invalid("severity", e.to_string()))
                .and_then(|s| wf.set_incident_severity(*key, *v, s, &form.value(FieldName::Reason)))
                .map(|i| format!("{} is now {}", i.key, i.severity)),
            IncidentForm::Role(key, v) => form
                .value(FieldName::Role)
                .parse::<IncidentRole>()
                .map_err(|e| WorkflowError::invalid("role", e.to_string()))
                .and_then(|role| {
                    wf.set_incident_role(*key, *v, role, Some(form.value(FieldName::Person)))
                })
                .map(|i| format!("{}: roles updated", i.key)),
            IncidentForm::State(key, v) => form
                .value(FieldName::State)
                .parse::<IncidentState>()
                .map_err(|e| WorkflowError::invalid("state", e.to_string()))
                .and_then(|s| wf.set_incident_state(*key, *v, s))
                .map(|i| format!("{} is {}", i.key, i.state)),
            IncidentForm::Resolve(key, v) => {
                let tickets = form
                    .field(FieldName::ResolveLinkedTickets)
                    .is_some_and(|f| f.is_on());
                super::verdict_fields::verdict_of(form)
                    .and_then(|verdict| {
                        wf.resolve_incident_judged(*key, *v, tickets, verdict.as_ref())
                    })
                    .map(|(i, n)| format!("{} resolved; {n} linked tickets resolved", i.key))
            }
            IncidentForm::TickStep(key) => {
                let chosen = form.value(FieldName::Step);
                let mut words = chosen.split_whitespace();
                let article = words.next().and_then(|w| w.parse::<ArticleKey>().ok());
                let step = words
                    .next()
                    .and_then(|w| w.trim_end_matches('.').parse::<i64>().ok());
                match (article, step) {
                    (Some(a), Some(n)) => wf
                        .tick_runbook_step(*key, a, n, &form.value(FieldName::Note))
                        .map(|s| format!("{} step {} done", s.article, s.step)),
                    _ => Err(WorkflowError::invalid("step", "choose a step")),
                }
            }
            IncidentForm::LinkTicket(key) => form
                .value(FieldName::Ticket)
                .trim()
                .parse::<TicketKey>()
                .map_err(|e| WorkflowError::invalid("ticket", e.to_string()))
                .and_then(|t| {
                    wf.link_ticket(*key, t)
                        .map(|_| format!("{t} linked to {key}"))
                }),
            IncidentForm::Mitigate(..) => return Saved::Closed,
        };
        result.into()
    }

    /// The answer `y` to "mitigated?": the moment MTTR is measured to.
    pub fn confirmed(&mut self, purpose: &IncidentForm, ctx: &PaneContext<'_>) {
        if let IncidentForm::Mitigate(key, version) = purpose {
            let r = ctx.session.workflow().mitigate_incident(*key, *version);
            ctx.report(r.map(|i| format!("{} mitigated: service restored", i.key)));
        }
    }
}

fn linked_open_tickets(key: IncidentKey, ctx: &PaneContext<'_>) -> usize {
    let store = &ctx.session.store;
    store
        .incident_ticket_keys(key)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|k| store.ticket(k).ok().flatten())
        .filter(|t| t.state.is_open())
        .count()
}

/// The default severity for a ticket's priority when it is promoted.
pub fn severity_for(priority: Priority) -> Severity {
    match priority.get() {
        1 => Severity::Sev2,
        2 => Severity::Sev3,
        _ => Severity::Sev4,
    }
}
