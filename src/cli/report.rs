//! `watchfloor report`: the operations report of a period.

use super::existing;
use crate::app::error::AppError;
use crate::app::output::write_private;
use crate::app::session::Session;
use crate::metrics::knowledge::add_knowledge;
use crate::metrics::period::Period;
use crate::metrics::report::{add_themes, compute, csv, markdown};
use crate::metrics::scope::Scope;
use crate::workflow::ReportMessage;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// 7d, 30d, 90d, quarter, or YYYY-MM-DD..YYYY-MM-DD.
    #[arg(long, default_value = "30d")]
    pub period: String,
    /// md, json or csv.
    #[arg(long, default_value = "md")]
    pub format: String,
    /// Write here (a new private file) instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace the --out file if it exists (never through a link).
    #[arg(long, requires = "out")]
    pub replace: bool,
    /// Only this service: its tickets, incidents, changes, review actions and availability.
    #[arg(long)]
    pub service: Option<String>,
    /// Only this team: its resolver group's tickets and the services it owns.
    #[arg(long)]
    pub team: Option<String>,
    /// The alert rules instead: by pages and after-hours pages, with what people
    /// answered when they closed what each opened (the noise share).
    #[arg(long, conflicts_with_all = ["service", "team"])]
    pub alerts: bool,
    /// The vendor scorecard instead: per vendor, cases, met response and resolution,
    /// mean time with the vendor, incidents caused or prolonged, renewal.
    #[arg(long, conflicts_with = "alerts")]
    pub vendors: bool,
    /// Send it to this audience (repeat for more): the Markdown as the message, the
    /// CSV attached; sent now, and by serve's pager again if an address fails.
    #[arg(long, value_name = "AUDIENCE", conflicts_with_all = ["out", "format"])]
    pub mail: Vec<String>,
}

pub fn run(args: ReportArgs, session: &Session) -> Result<(), AppError> {
    let now = session.clock.now();
    let period =
        Period::parse(&args.period, now).map_err(|e| AppError::Usage(format!("--period: {e}")))?;
    let store = &session.store;
    if args.alerts {
        let rules = crate::metrics::alert_rules::alert_rules(store, &session.config, period)?;
        let text = match args.format.as_str() {
            "md" => crate::metrics::alert_rules::markdown(&rules, &args.period),
            "json" => {
                serde_json::to_string_pretty(&rules).map_err(|e| AppError::Failed(e.to_string()))?
                    + "\n"
            }
            "csv" => crate::metrics::alert_rules::csv(&rules),
            other => {
                return Err(AppError::Usage(format!(
                    "--format '{other}': expected md, json or csv"
                )));
            }
        };
        if !args.mail.is_empty() {
            let message = ReportMessage {
                subject: format!("Alert rules report, {}", shown(period)),
                markdown: crate::metrics::alert_rules::markdown(&rules, &args.period),
                csv: crate::metrics::alert_rules::csv(&rules),
                key: format!("report-alerts-{}", now.timestamp()),
            };
            return mail(session, &args.mail, &message);
        }
        return deliver(text, args.out, args.replace);
    }
    let scope = Scope {
        service: args.service,
        team: args.team,
    }
    .resolve(&store.services()?, &store.teams()?)
    .map_err(|e| {
        let flag = if e.starts_with("no service") {
            "--service"
        } else {
            "--team"
        };
        AppError::Usage(format!("{flag}: {e}"))
    })?;
    if args.vendors {
        let scores = crate::metrics::vendors::vendor_scores(
            store,
            &session.config,
            period,
            now,
            &scope.filter,
        )?;
        let md = format!(
            "# Vendor scorecard, {}
{}",
            shown(period),
            crate::metrics::vendors::markdown(
                &scores,
                session.config.kpi_targets.vendor_sla_compliance
            )
        );
        let csv = crate::metrics::vendors::csv(&scores);
        if !args.mail.is_empty() {
            let message = ReportMessage {
                subject: format!("Vendor scorecard, {}", shown(period)),
                markdown: md,
                csv,
                key: format!("report-vendors-{}", now.timestamp()),
            };
            return mail(session, &args.mail, &message);
        }
        let text = match args.format.as_str() {
            "md" => md,
            "json" => {
                serde_json::to_string_pretty(&scores)
                    .map_err(|e| AppError::Failed(e.to_string()))?
                    + "\n"
            }
            "csv" => csv,
            other => {
                return Err(AppError::Usage(format!(
                    "--format '{other}': expected md, json or csv"
                )));
            }
        };
        return deliver(text, args.out, args.replace);
    }
    let report = full_report(store, &session.config, period, now, &scope)?;
    if let Some(note) = super::sla::stale_rules_note(session)? {
        eprintln!("{note}");
    }
    if !args.mail.is_empty() {
        let message = ReportMessage {
            subject: format!("Operations report, {}", shown(period)),
            markdown: markdown(&report, &session.config),
            csv: csv(&report),
            key: format!("report-{}", now.timestamp()),
        };
        return mail(session, &args.mail, &message);
    }
    let text = match args.format.as_str() {
        "md" => markdown(&report, &session.config),
        "json" => {
            serde_json::to_string_pretty(&report).map_err(|e| AppError::Failed(e.to_string()))?
                + "\n"
        }
        "csv" => csv(&report),
        other => {
            return Err(AppError::Usage(format!(
                "--format '{other}': expected md, json or csv"
            )));
        }
    };
    deliver(text, args.out, args.replace)
}

/// The operations report of a period as `report` writes it: every KPI, the themes and
/// the knowledge KPIs.
pub(super) fn full_report(
    store: &crate::store::Store,
    config: &crate::config::Config,
    period: Period,
    now: crate::domain::Timestamp,
    scope: &crate::metrics::scope::ResolvedScope,
) -> Result<crate::metrics::report::Report, AppError> {
    let mut report = compute(store, config, period, now, scope)?;
    add_themes(&mut report, store, scope)?;
    add_knowledge(&mut report, store, config, scope)?;
    Ok(report)
}

/// "2026-11-01 to 2026-12-01".
pub(super) fn shown(period: Period) -> String {
    format!("{} to {}", period.from.date_naive(), period.to.date_naive())
}

/// Queues the report to each audience and sends it now; says what became of each
/// address (a failed one stays in the outbox for serve's pager to try again).
pub(super) fn mail(
    session: &Session,
    audiences: &[String],
    message: &ReportMessage,
) -> Result<(), AppError> {
    let wf = session.workflow();
    let mut keys = Vec::new();
    for audience in audiences {
        keys.extend(wf.queue_report(audience, message)?);
    }
    let outbound = crate::notify::outbound::Outbound::new(
        session.config.pager.clone(),
        session.config.notify.clone(),
        super::pager::secrets(&session.config.pager)?,
    );
    let now = session.clock.now().timestamp();
    let attempts = wf.deliver_now(&keys, &|d| outbound.send(d, now))?;
    let mut failed = 0;
    for a in &attempts {
        let to = crate::domain::sanitize_line(&a.delivery.channel());
        match &a.outcome {
            Ok(()) => println!("{}: sent to {} by {to}", message.subject, a.delivery.person),
            Err(why) => {
                failed += 1;
                println!(
                    "{}: to {} by {to} FAILED: {} (serve's pager tries again)",
                    message.subject,
                    a.delivery.person,
                    crate::domain::sanitize_line(why)
                );
            }
        }
    }
    if failed > 0 {
        return Err(AppError::Failed(format!(
            "{failed} of {} addresses not reached yet",
            attempts.len()
        )));
    }
    Ok(())
}

/// To standard output, or to a new private file.
fn deliver(text: String, out: Option<PathBuf>, replace: bool) -> Result<(), AppError> {
    match out {
        Some(path) => {
            write_private(&path, text.as_bytes(), existing(replace)).map_err(AppError::Failed)?;
            println!("report written to {}", path.display());
        }
        None => print!("{text}"),
    }
    Ok(())
}
