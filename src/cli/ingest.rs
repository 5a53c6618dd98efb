//! `watchfloor ingest alertmanager`: one Alertmanager (or Grafana) webhook body on
//! standard input becomes tickets and incidents, all in one transaction.

use crate::app::error::AppError;
use crate::app::session::Session;
use crate::domain::alert::parse_payload;
use crate::workflow::IngestSummary;
use std::io::Read;

#[derive(Debug, clap::Subcommand)]
pub enum IngestCommand {
    /// Read one Alertmanager or Grafana webhook body (JSON) from standard input.
    Alertmanager {
        /// Print what it did as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(command: IngestCommand, session: &Session) -> Result<(), AppError> {
    let IngestCommand::Alertmanager { json } = command;
    let limit = session.config.serve.max_body_bytes;
    let mut body = Vec::new();
    std::io::stdin()
        .take(limit + 1)
        .read_to_end(&mut body)
        .map_err(|e| AppError::Failed(format!("standard input: {e}")))?;
    if body.len() as u64 > limit {
        return Err(AppError::Failed(format!(
            "standard input: the body is over {limit} bytes ([serve] max_body_bytes); nothing was written"
        )));
    }
    let payload = parse_payload(&body)
        .map_err(|e| AppError::Failed(format!("standard input: {e}; nothing was written")))?;
    let summary = session.workflow().ingest_alerts(&payload)?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&summary).map_err(|e| AppError::Failed(e.to_string()))?
        );
    } else {
        println!("{}", describe(&summary));
    }
    Ok(())
}

/// One line: what a body did.
pub fn describe(s: &IngestSummary) -> String {
    let keys = |list: &[String]| {
        if list.is_empty() {
            String::new()
        } else {
            format!(" ({})", list.join(", "))
        }
    };
    let opened: Vec<String> = s.tickets_opened.iter().map(|k| k.to_string()).collect();
    let declared: Vec<String> = s.incidents_declared.iter().map(|k| k.to_string()).collect();
    let resolved: Vec<String> = s.tickets_resolved.iter().map(|k| k.to_string()).collect();
    format!(
        "{} tickets opened{}, {} incidents declared{}, {} repeats counted, {} tickets resolved{}, {} noted, {} ignored, {} joined their group",
        opened.len(),
        keys(&opened),
        declared.len(),
        keys(&declared),
        s.occurrences,
        resolved.len(),
        keys(&resolved),
        s.annotated,
        s.ignored,
        s.grouped
    )
}
