//! `watchfloor audience …`: who hears from us — add or change one (its addresses,
//! services and least severity), list, show, archive.

use super::table;
use super::ticket_print::json;
use crate::app::error::AppError;
use crate::app::session::Session;
use crate::domain::audience::Audience;
use crate::domain::contact::ContactMethod;
use crate::domain::incident::Severity;
use crate::domain::sanitize_line;
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum AudienceCommand {
    /// Add an audience, or replace one of that name.
    Add {
        /// Lower case, digits, '-', '_', '.': all-staff, finance-leads.
        name: String,
        /// An address: email:ADDR (a person or a mailing list), webhook:URL, slack:URL,
        /// teams:URL, mattermost:URL, matrix:URL or ntfy:URL; repeat for more.
        #[arg(long = "to", required = true)]
        to: Vec<ContactMethod>,
        /// A service it hears about; repeat for more; none: every service.
        #[arg(long)]
        service: Vec<String>,
        /// It hears about incidents of this severity or worse (SEV1..SEV4); default all.
        #[arg(long)]
        min_severity: Option<Severity>,
        #[arg(long, default_value = "")]
        description: String,
    },
    /// Every audience, with its addresses and what it hears about.
    List {
        /// Archived ones too.
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        style: table::TextStyle,
    },
    /// One audience in full.
    Show {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Archive an audience: kept, never sent to again.
    Archive { name: String },
}

pub fn run(command: AudienceCommand, session: &Session) -> Result<(), AppError> {
    match command {
        AudienceCommand::Add {
            name,
            to,
            service,
            min_severity,
            description,
        } => {
            let mut a = Audience::new(name);
            a.targets = to;
            a.services = service;
            a.min_severity = min_severity;
            a.description = description;
            let a = session.workflow().put_audience(a)?;
            let addresses = if a.targets.len() == 1 {
                "address"
            } else {
                "addresses"
            };
            println!(
                "audience {}: {} {addresses}; hears of {}",
                a.name,
                a.targets.len(),
                hears(&a)
            );
            Ok(())
        }
        AudienceCommand::List {
            all,
            json: as_json,
            style,
        } => {
            let audiences = session.store.audiences(all)?;
            if as_json {
                return json(&audiences);
            }
            if audiences.is_empty() {
                println!("No audiences (add one with `watchfloor audience add`).");
                return Ok(());
            }
            let rows: Vec<Vec<String>> = audiences
                .iter()
                .map(|a| {
                    // A webhook's URL is its credential: a list, read over shoulders and
                    // pasted into tickets, names its host; `show` gives it whole.
                    let to: Vec<String> = a
                        .targets
                        .iter()
                        .map(|t| {
                            sanitize_line(&crate::domain::contact::shown_address(t.kind, &t.to))
                        })
                        .collect();
                    vec![
                        a.name.clone(),
                        hears(a),
                        to.join(", "),
                        if a.archived { "archived" } else { "" }.into(),
                    ]
                })
                .collect();
            table::print(
                style,
                &["AUDIENCE", "HEARS OF", "ADDRESSES", ""],
                &rows,
                &[24, 40, 60, 8],
            );
            Ok(())
        }
        AudienceCommand::Show {
            name,
            json: as_json,
        } => {
            let a = session.store.audience(&name)?.ok_or_else(|| {
                AppError::Workflow(crate::workflow::WorkflowError::NotFound(format!(
                    "audience {}",
                    sanitize_line(&name)
                )))
            })?;
            if as_json {
                return json(&a);
            }
            println!("{}{}", a.name, if a.archived { " (archived)" } else { "" });
            if !a.description.is_empty() {
                println!("{}", sanitize_line(&a.description));
            }
            println!("hears of    {}", hears(&a));
            for t in &a.targets {
                println!("to          {}", sanitize_line(&t.to_string()));
            }
            Ok(())
        }
        AudienceCommand::Archive { name } => {
            let a = session.workflow().archive_audience(&name)?;
            println!("audience {} archived", a.name);
            Ok(())
        }
    }
}

/// "SEV2 or worse on payments-gateway, checkout", "every incident".
fn hears(a: &Audience) -> String {
    let severity = a
        .min_severity
        .map(|s| format!("{s} or worse"))
        .unwrap_or_else(|| "every incident".into());
    if a.services.is_empty() {
        severity
    } else {
        format!("{severity} on {}", sanitize_line(&a.services.join(", ")))
    }
}
