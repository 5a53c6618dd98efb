//! `watchfloor vendor …`: vendors and their contracts — support hours, targets per
//! priority, renewal and notice — with their open cases and their scorecard.

use super::table;
use super::ticket_print::json;
use crate::app::error::AppError;
use crate::app::session::Session;
use crate::domain::sanitize_line;
use crate::domain::vendor::{SupportHours, Vendor, VendorTarget};
use crate::workflow::LATEST_VERSION;
use chrono::NaiveDate;
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum VendorCommand {
    /// Add a vendor with its contract.
    Add {
        /// Letters, digits, dashes, dots and underscores.
        name: String,
        #[command(flatten)]
        contract: ContractArgs,
    },
    /// Change a vendor's contract; what is not given stays.
    Edit {
        name: String,
        #[command(flatten)]
        contract: ContractArgs,
        /// Replace the targets with those given (default: add to them, a priority
        /// given again replacing its row).
        #[arg(long)]
        replace_targets: bool,
        #[arg(long)]
        if_version: Option<i64>,
    },
    /// Every vendor with its support hours, renewal and open cases.
    List {
        /// Archived ones too.
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        style: table::TextStyle,
    },
    /// A vendor's contract, its open cases with the vendor's clock, and its renewal.
    Show {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Archive a vendor: kept with its history, never offered again.
    Archive { name: String },
}

#[derive(Debug, Clone, Default, clap::Args)]
pub struct ContractArgs {
    #[arg(long)]
    description: Option<String>,
    /// How to reach their support: an address, a phone number, a portal.
    #[arg(long)]
    contact: Option<String>,
    /// `24x7`, or `mon-fri 08:00-18:00 Europe/Berlin`.
    #[arg(long, value_parser = SupportHours::parse)]
    support: Option<SupportHours>,
    /// `P1=30m/4h`: respond within 30 minutes and resolve within 4 hours of support
    /// time at P1; repeat for each priority.
    #[arg(long = "target", value_parser = VendorTarget::parse)]
    targets: Vec<VendorTarget>,
    /// The day the contract renews.
    #[arg(long, value_parser = day)]
    renewal: Option<NaiveDate>,
    /// Notice must be given this many days before the renewal.
    #[arg(long)]
    notice_days: Option<i64>,
}

fn day(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("'{text}' is not a day like 2027-03-31"))
}

impl ContractArgs {
    fn apply(self, v: &mut Vendor, replace_targets: bool) -> Result<(), AppError> {
        let mut given = std::collections::HashSet::new();
        if let Some(twice) = self.targets.iter().find(|t| !given.insert(t.priority)) {
            return Err(AppError::Usage(format!(
                "--target: {} is given twice",
                twice.priority
            )));
        }
        if let Some(d) = self.description {
            v.description = d;
        }
        if let Some(c) = self.contact {
            v.contact = c;
        }
        if let Some(s) = self.support {
            v.support = s;
        }
        if replace_targets {
            v.targets.clear();
        }
        for t in self.targets {
            v.targets.retain(|old| old.priority != t.priority);
            v.targets.push(t);
        }
        if let Some(r) = self.renewal {
            v.renewal_on = Some(r);
        }
        if let Some(n) = self.notice_days {
            v.notice_days = n;
        }
        Ok(())
    }
}

fn known(session: &Session, name: &str) -> Result<(Vendor, i64), AppError> {
    session.store.vendor(name)?.ok_or_else(|| {
        AppError::from(crate::store::StoreError::NotFound(format!(
            "vendor {}",
            sanitize_line(name)
        )))
    })
}

fn targets(v: &Vendor) -> String {
    if v.targets.is_empty() {
        return "-".into();
    }
    v.targets
        .iter()
        .map(|t| t.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn run(command: VendorCommand, session: &Session) -> Result<(), AppError> {
    let wf = session.workflow();
    let now = session.clock.now();
    let today = now
        .with_timezone(&session.config.business_hours.time_zone.0)
        .date_naive();
    match command {
        VendorCommand::Add { name, contract } => {
            if session.store.vendor(&name)?.is_some() {
                return Err(AppError::Usage(format!(
                    "vendor {} exists already; change it with vendor edit",
                    sanitize_line(&name)
                )));
            }
            let mut v = Vendor::new(name);
            contract.apply(&mut v, true)?;
            let v = wf.put_vendor(v, LATEST_VERSION)?;
            println!("vendor {} added", v.name);
        }
        VendorCommand::Edit {
            name,
            contract,
            replace_targets,
            if_version,
        } => {
            let (mut v, version) = known(session, &name)?;
            contract.apply(&mut v, replace_targets)?;
            let v = wf.put_vendor(v, if_version.unwrap_or(version))?;
            println!("vendor {} changed", v.name);
        }
        VendorCommand::Archive { name } => {
            known(session, &name)?;
            wf.set_in_use(crate::domain::org::RecordKind::Vendor, &name, false)?;
            println!("vendor {} archived", sanitize_line(&name));
        }
        VendorCommand::List {
            all,
            json: as_json,
            style,
        } => {
            let open = session.store.open_vendor_cases()?;
            let vendors: Vec<Vendor> = session
                .store
                .vendors()?
                .into_iter()
                .map(|(v, _)| v)
                .filter(|v| all || !v.archived)
                .collect();
            if as_json {
                return json(&vendors);
            }
            let rows: Vec<Vec<String>> = vendors
                .iter()
                .map(|v| {
                    vec![
                        v.name.clone(),
                        v.support.to_string(),
                        targets(v),
                        v.renewal_on
                            .map(|d| d.to_string())
                            .unwrap_or_else(|| "-".into()),
                        v.notice_by()
                            .map(|d| d.to_string())
                            .unwrap_or_else(|| "-".into()),
                        open.iter()
                            .filter(|c| c.vendor == v.name)
                            .count()
                            .to_string(),
                        if v.archived { "archived" } else { "active" }.into(),
                    ]
                })
                .collect();
            table::print(
                style,
                &[
                    "VENDOR",
                    "SUPPORT",
                    "TARGETS",
                    "RENEWAL",
                    "NOTICE BY",
                    "OPEN",
                    "STATE",
                ],
                &rows,
                &[24, 34, 40, 10, 10, 5, 8],
            );
        }
        VendorCommand::Show {
            name,
            json: as_json,
        } => {
            let (v, version) = known(session, &name)?;
            let open: Vec<_> = session
                .store
                .open_vendor_cases()?
                .into_iter()
                .filter(|c| c.vendor == v.name)
                .collect();
            if as_json {
                let cases: Vec<serde_json::Value> = open
                    .iter()
                    .map(|c| {
                        serde_json::json!({
                            "case": c,
                            "clock": c.clock(&v.support, v.target(c.priority), now),
                        })
                    })
                    .collect();
                return json(&serde_json::json!({
                    "vendor": v,
                    "version": version,
                    "notice_by": v.notice_by(),
                    "open_cases": cases,
                }));
            }
            let warning = v.renewal_warning(
                today,
                i64::from(session.config.vendors.renewal_warning_days),
            );
            let renewal = match (v.renewal_on, v.notice_by()) {
                (Some(on), Some(by)) => format!(
                    "{on} (notice by {by}{})",
                    warning.map_or(String::new(), |d| format!(", {d} days left"))
                ),
                _ => "-".into(),
            };
            let mut out = format!("{}\n", v.name);
            for (field, value) in [
                (
                    "state",
                    if v.archived { "archived" } else { "active" }.to_string(),
                ),
                ("about", sanitize_line(&v.description)),
                ("contact", sanitize_line(&v.contact)),
                ("support", v.support.to_string()),
                ("targets", targets(&v)),
                ("renewal", renewal),
                ("version", version.to_string()),
            ] {
                out.push_str(&format!("  {field:<9} {value}\n"));
            }
            out.push_str(&format!("\nOpen cases ({})\n", open.len()));
            for c in &open {
                let clock = c.clock(&v.support, v.target(c.priority), now);
                let verdict = |met: Option<bool>| match met {
                    Some(true) => " met",
                    Some(false) => " MISSED",
                    None => "",
                };
                out.push_str(&format!(
                    "  {} {} case {} · opened {} · response {}{} · resolution {}{}\n",
                    c.ticket,
                    c.priority,
                    sanitize_line(&c.case_number),
                    c.opened_at
                        .with_timezone(&session.config.business_hours.time_zone.0)
                        .format("%Y-%m-%d %H:%M"),
                    crate::domain::control::minutes(clock.response_minutes),
                    verdict(clock.response_met),
                    crate::domain::control::minutes(clock.resolution_minutes),
                    verdict(clock.resolution_met),
                ));
            }
            print!("{out}");
        }
    }
    Ok(())
}
