//! `watchfloor kpi …`: the KPIs other systems measure, recorded by hand or from a CSV
//! export, and listed as they are kept.

use super::table;
use super::ticket_print::json;
use crate::app::error::AppError;
use crate::app::session::Session;
use crate::domain::kpi_reading::{KpiReading, RecordedKpi};
use crate::metrics::period::Period;
use clap::Subcommand;

/// Largest file `kpi import` reads.
const MAX_FILE: u64 = 16 * 1024 * 1024;

#[derive(Debug, Subcommand)]
pub enum KpiCommand {
    /// Record one reading: a share as a fraction (0.97), an NPS as a score (-100..100).
    Record {
        /// endpoint_compliance, patch_compliance, asset_accuracy, licence_utilisation,
        /// stakeholder_nps or automation_rate.
        name: RecordedKpi,
        value: f64,
        /// When it was measured: a day (2026-11-30) or RFC 3339; default now.
        #[arg(long)]
        at: Option<String>,
        /// The service it is about; default the whole estate.
        #[arg(long)]
        service: Option<String>,
        /// Where it came from (the system's name).
        #[arg(long, default_value = "by hand")]
        source: String,
    },
    /// Record the readings of a CSV file: columns kpi, value, at, and optionally
    /// service and source. All or none; a row already there as given changes nothing.
    Import {
        file: std::path::PathBuf,
        /// The source of rows that name none; default the file's name.
        #[arg(long)]
        source: Option<String>,
    },
    /// The readings of a period, oldest first.
    List {
        /// 7d, 30d, 90d, quarter, 2026-Q3, or FROM..TO.
        #[arg(long, default_value = "90d")]
        period: String,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        style: table::TextStyle,
    },
}

fn said(r: crate::workflow::Recorded) {
    let reading = |n: usize| if n == 1 { "reading" } else { "readings" };
    if r.unchanged == 0 {
        println!("recorded {} {}", r.changed, reading(r.changed));
    } else {
        println!(
            "recorded {} {}; {} already there as given",
            r.changed,
            reading(r.changed),
            r.unchanged
        );
    }
}

pub fn run(command: KpiCommand, session: &Session) -> Result<(), AppError> {
    let zone = session.config.business_hours.time_zone.0;
    match command {
        KpiCommand::Record {
            name,
            value,
            at,
            service,
            source,
        } => {
            let at = match at {
                Some(text) => crate::import::dates::day_or_moment(&text, zone)
                    .map_err(|e| AppError::Usage(format!("--at: {e}")))?,
                None => session.clock.now(),
            };
            let reading = KpiReading {
                kpi: name,
                value,
                at,
                service,
                source,
            };
            said(
                session
                    .workflow()
                    .record_kpis(vec![reading], name.as_str())?,
            );
            Ok(())
        }
        KpiCommand::Import { file, source } => {
            let shown = file.display().to_string();
            let failed = |e: String| AppError::Failed(format!("{shown}: {e}"));
            let size = std::fs::metadata(&file)
                .map_err(|e| failed(e.to_string()))?
                .len();
            if size > MAX_FILE {
                return Err(failed(format!("larger than {} MiB", MAX_FILE >> 20)));
            }
            let text = std::fs::read_to_string(&file).map_err(|e| failed(e.to_string()))?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_else(|| shown.clone());
            let source = source.unwrap_or(name.clone());
            // The parser's "line N: …" is said as "FILE:N: …".
            let readings = crate::import::kpi_csv::parse(&text, &source, zone).map_err(|e| {
                let located = e
                    .strip_prefix("line ")
                    .map_or_else(|| format!("{shown}: {e}"), |rest| format!("{shown}:{rest}"));
                AppError::Failed(format!("{located}; nothing was recorded"))
            })?;
            said(session.workflow().record_kpis(readings, &name)?);
            Ok(())
        }
        KpiCommand::List {
            period,
            json: as_json,
            style,
        } => {
            let now = session.clock.now();
            let period = Period::parse(&period, now)
                .map_err(|e| AppError::Usage(format!("--period: {e}")))?;
            let readings = session.store.kpi_readings_between(period.from, period.to)?;
            if as_json {
                return json(&readings);
            }
            let rows: Vec<Vec<String>> = readings
                .iter()
                .map(|r| {
                    vec![
                        r.at.with_timezone(&zone)
                            .format("%Y-%m-%d %H:%M")
                            .to_string(),
                        r.kpi.to_string(),
                        if r.kpi.is_share() {
                            format!("{:.1}%", r.value * 100.0)
                        } else {
                            format!("{:+.0}", r.value)
                        },
                        r.service.clone().unwrap_or_else(|| "(all)".into()),
                        crate::domain::sanitize_line(&r.source),
                    ]
                })
                .collect();
            table::print(
                style,
                &["AT", "KPI", "VALUE", "SERVICE", "SOURCE"],
                &rows,
                &[16, 20, 8, 24, 40],
            );
            Ok(())
        }
    }
}
