//! `watchfloor incident …`: run the bridge from a script or an alert.

use super::incident_print;
use crate::app::error::AppError;
use crate::app::session::Session;
use crate::domain::bridge::{StatusUpdate, parse_impact_start};
use crate::domain::incident::{Incident, IncidentRole, IncidentState, Severity, TimelineKind};
use crate::domain::{IncidentKey, TicketKey};
use crate::workflow::LATEST_VERSION;
use crate::workflow::{Declare, WorkflowError};
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct IncidentTarget {
    /// The incident's key, like INC-57 (or just 57).
    pub key: IncidentKey,
    /// Refuse if the incident is no longer at this version.
    #[arg(long, value_name = "N")]
    pub if_version: Option<i64>,
    /// Print the changed incident as a JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum IncidentCommand {
    /// Declare an incident; prints its key.
    Declare {
        #[arg(long)]
        title: String,
        /// SEV1 … SEV4.
        #[arg(long)]
        severity: Severity,
        /// An affected service (repeat for more).
        #[arg(long = "service", required = true)]
        services: Vec<String>,
        /// Defaults to you.
        #[arg(long)]
        commander: Option<String>,
        /// When impact began: minutes or hours ago (15m, 2h) or a time today (09:40).
        #[arg(long)]
        impact_start: Option<String>,
        /// Promote this ticket: link it to the new incident.
        #[arg(long)]
        from_ticket: Option<TicketKey>,
        #[arg(long)]
        json: bool,
    },
    /// Acknowledge (stops the MTTA clock).
    Ack {
        #[command(flatten)]
        target: IncidentTarget,
    },
    /// Append a line to the timeline.
    Note {
        key: IncidentKey,
        text: String,
        /// note, decision or action.
        #[arg(long, default_value = "note")]
        kind: TimelineKind,
        #[arg(long)]
        json: bool,
    },
    /// Post a status update (stakeholder form, CAN form, or free text), or with
    /// --show / --markdown print or save the latest one.
    Update {
        key: IncidentKey,
        #[arg(long)]
        impact: Option<String>,
        #[arg(long)]
        known: Option<String>,
        #[arg(long)]
        doing: Option<String>,
        #[arg(long)]
        conditions: Option<String>,
        #[arg(long)]
        actions: Option<String>,
        #[arg(long)]
        needs: Option<String>,
        #[arg(long)]
        text: Option<String>,
        /// Print the latest update instead of posting one.
        #[arg(long)]
        show: bool,
        /// Save the latest update as Markdown to this file (a new private file).
        #[arg(long, value_name = "FILE")]
        markdown: Option<PathBuf>,
        /// Replace the --markdown file if it exists (never through a link).
        #[arg(long, requires = "markdown")]
        replace: bool,
        /// Send it to this audience too (repeat for more); `concerned` names those the
        /// incident's services and severity concern (`audience list`).
        #[arg(long = "audience", value_name = "NAME")]
        audiences: Vec<String>,
        /// Put it on the status page too (updates are internal unless posted public).
        #[arg(long)]
        public: bool,
        #[arg(long)]
        json: bool,
    },
    /// Change the severity, with a reason.
    Severity {
        #[command(flatten)]
        target: IncidentTarget,
        severity: Severity,
        #[arg(long)]
        reason: String,
    },
    /// Give a role (commander, communications, scribe, responder) to a person; no person clears it.
    Role {
        #[command(flatten)]
        target: IncidentTarget,
        role: IncidentRole,
        person: Option<String>,
    },
    /// Move to a state: investigating, identified, monitoring, resolved.
    State {
        #[command(flatten)]
        target: IncidentTarget,
        state: IncidentState,
    },
    /// Service restored (recorded apart from resolution).
    Mitigate {
        #[command(flatten)]
        target: IncidentTarget,
    },
    /// Resolve; --tickets also resolves the open linked tickets.
    Resolve {
        #[command(flatten)]
        target: IncidentTarget,
        #[arg(long)]
        tickets: bool,
        #[command(flatten)]
        verdict: super::alert::VerdictArgs,
    },
    /// Link a ticket to the incident.
    Link { key: IncidentKey, ticket: TicketKey },
    /// Say a vendor caused or prolonged the incident (it counts on their scorecard).
    Vendor {
        key: IncidentKey,
        vendor: String,
        /// caused or prolonged.
        #[arg(long, default_value = "caused")]
        role: crate::domain::vendor::VendorRole,
    },
    /// Tick step N (from 1) of a runbook the incident brings up, with what was done.
    Step {
        key: IncidentKey,
        article: crate::domain::ArticleKey,
        step: i64,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Page the next responder: --to a team or person, or the service policy's next level.
    Escalate {
        #[command(flatten)]
        target: IncidentTarget,
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        reason: String,
    },
    /// Raise to the next manager up the chain (as far as the severity allows).
    Raise {
        #[command(flatten)]
        target: IncidentTarget,
        #[arg(long)]
        reason: String,
    },
    /// Active incidents, then those resolved in the last 7 days, through a view.
    List {
        /// A view by name: all, active, or one from the config's [[incident_views]].
        #[arg(long, default_value = "all")]
        view: String,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        style: super::table::TextStyle,
    },
    /// One incident with its timeline.
    Show {
        key: IncidentKey,
        #[arg(long)]
        json: bool,
    },
}

fn current(session: &Session, key: IncidentKey) -> Result<Incident, AppError> {
    session
        .store
        .incident(key)?
        .ok_or_else(|| AppError::Failed(format!("{key} does not exist")))
}

pub fn run(command: IncidentCommand, session: &Session) -> Result<(), AppError> {
    let wf = session.workflow();
    let act = |target: &IncidentTarget,
               verb: &str,
               f: &dyn Fn(i64) -> Result<Incident, WorkflowError>| {
        // Without --if-version the change applies to the record as it is when written.
        let version = target.if_version.unwrap_or(LATEST_VERSION);
        let incident = f(version)?;
        incident_print::changed(&incident, verb, target.json)
    };
    match command {
        IncidentCommand::Declare {
            title,
            severity,
            services,
            commander,
            impact_start,
            from_ticket,
            json,
        } => {
            let impact_start = parse_impact_start(
                impact_start.as_deref().unwrap_or(""),
                session.clock.now(),
                &chrono::Local,
            )
            .map_err(|e| AppError::Usage(format!("--impact-start: {e}")))?;
            let incident = wf.declare_incident(Declare {
                title,
                severity,
                services,
                commander,
                impact_start,
                from_ticket,
            })?;
            if json {
                incident_print::json(&incident)
            } else {
                println!("{}", incident.key);
                Ok(())
            }
        }
        IncidentCommand::Ack { target } => act(&target, "acknowledged", &|v| {
            wf.acknowledge_incident(target.key, v)
        }),
        IncidentCommand::Note {
            key,
            text,
            kind,
            json,
        } => {
            if kind == TimelineKind::StatusUpdate {
                return Err(AppError::Usage(
                    "post status updates with `incident update`".into(),
                ));
            }
            let entry = wf.add_timeline_entry(key, kind, &text)?;
            if json {
                incident_print::json(&entry)
            } else {
                println!("{key}: {kind} added");
                Ok(())
            }
        }
        IncidentCommand::Update {
            key,
            impact,
            known,
            doing,
            conditions,
            actions,
            needs,
            text,
            show,
            markdown,
            replace,
            audiences,
            public,
            json,
        } => {
            if show || markdown.is_some() {
                let markdown = markdown
                    .as_deref()
                    .map(|path| (path, super::existing(replace)));
                return incident_print::latest_update(session, key, markdown, json);
            }
            let given = |v: &Option<String>| v.clone().unwrap_or_default();
            let update = if text.is_some() {
                None
            } else if conditions.is_some() || actions.is_some() || needs.is_some() {
                Some(StatusUpdate::Can {
                    conditions: given(&conditions),
                    actions: given(&actions),
                    needs: given(&needs),
                })
            } else if impact.is_some() || known.is_some() || doing.is_some() {
                Some(StatusUpdate::Stakeholder {
                    impact: given(&impact),
                    known: given(&known),
                    doing: given(&doing),
                })
            } else {
                return Err(AppError::Usage(
                    "give --impact/--known/--doing (stakeholder), --conditions/--actions/--needs (CAN), or --text".into(),
                ));
            };
            let mut names = Vec::new();
            for name in audiences {
                if name == "concerned" {
                    names.extend(wf.concerned_audiences(key)?.into_iter().map(|a| a.name));
                } else {
                    names.push(name);
                }
            }
            let posted = match (&update, &text) {
                (Some(update), _) => wf.post_status_update_to(key, Ok(update), &names, public)?,
                (None, text) => wf.post_status_update_to(key, Err(&given(text)), &names, public)?,
            };
            if json {
                let mut shown = serde_json::to_value(&posted.entry).unwrap_or_default();
                shown["sent_to"] = posted
                    .sent_to
                    .iter()
                    .map(|(a, n)| serde_json::json!({ "audience": a, "addresses": n }))
                    .collect();
                return incident_print::json(&shown);
            }
            println!("{}", crate::domain::sanitize_text(&posted.entry.text));
            for (audience, n) in &posted.sent_to {
                let addresses = if *n == 1 { "address" } else { "addresses" };
                println!("sent to {audience} ({n} {addresses})");
            }
            Ok(())
        }
        IncidentCommand::Severity {
            target,
            severity,
            reason,
        } => act(&target, "severity changed", &|v| {
            wf.set_incident_severity(target.key, v, severity, &reason)
        }),
        IncidentCommand::Role {
            target,
            role,
            person,
        } => act(&target, "role set", &|v| {
            wf.set_incident_role(target.key, v, role, person.clone())
        }),
        IncidentCommand::State { target, state } => act(&target, "moved", &|v| {
            wf.set_incident_state(target.key, v, state)
        }),
        IncidentCommand::Mitigate { target } => act(&target, "mitigated", &|v| {
            wf.mitigate_incident(target.key, v)
        }),
        IncidentCommand::Resolve {
            target,
            tickets,
            verdict,
        } => {
            let verdict = verdict.verdict()?;
            act(&target, "resolved", &|v| {
                wf.resolve_incident_judged(target.key, v, tickets, verdict.as_ref())
                    .map(|(i, _)| i)
            })
        }
        IncidentCommand::Link { key, ticket } => {
            wf.link_ticket(key, ticket)?;
            println!("{ticket} linked to {key}");
            Ok(())
        }
        IncidentCommand::Vendor { key, vendor, role } => {
            wf.incident_vendor(key, &vendor, role)?;
            println!("{key}: {role} by {}", crate::domain::sanitize_line(&vendor));
            Ok(())
        }
        IncidentCommand::Escalate { target, to, reason } => {
            let to = to.map(|t| wf.parse_escalation_target(&t)).transpose()?;
            let version = target.if_version.unwrap_or(LATEST_VERSION);
            let (_, escalated) = wf.escalate_incident(target.key, version, to, &reason)?;
            super::escalation_print::report(&escalated, target.json)
        }
        IncidentCommand::Raise { target, reason } => {
            let version = target.if_version.unwrap_or(LATEST_VERSION);
            let (_, escalated) = wf.raise_incident(target.key, version, &reason)?;
            super::escalation_print::report(&escalated, target.json)
        }
        IncidentCommand::List { view, json, style } => {
            incident_print::list(session, &view, json, style)
        }
        IncidentCommand::Step {
            key,
            article,
            step,
            note,
        } => {
            let s = wf.tick_runbook_step(key, article, step, &note)?;
            println!("{key}: {} step {} done", s.article, s.step);
            Ok(())
        }
        IncidentCommand::Show { key, json } => {
            incident_print::detail(&current(session, key)?, session, json)
        }
    }
}
