//! `watchfloor alert …`: muting an alert name for a while, and the mutes in force.

use super::table;
use super::ticket_print::json;
use crate::app::error::AppError;
use crate::app::session::Session;
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum AlertCommand {
    /// Mute an alert name: while muted it opens nothing and pages nobody.
    Mute {
        name: String,
        /// For how long: 1m … 7d (30m, 2h).
        #[arg(long = "for", default_value = "1h")]
        duration: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// End an alert name's mute now.
    Unmute { name: String },
    /// Judge what an alert opened: actionable (yes) or noise, with the reason. Replaces
    /// an earlier verdict; counted by `report --alerts`.
    Verdict {
        key: crate::domain::RecordKey,
        verdict: crate::domain::alert_verdict::Actionable,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// The mutes in force, with how many alerts each held back.
    Mutes {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        style: table::TextStyle,
    },
}

pub fn run(command: AlertCommand, session: &Session) -> Result<(), AppError> {
    match command {
        AlertCommand::Mute {
            name,
            duration,
            reason,
        } => {
            let seconds = crate::domain::heartbeat::parse_interval(&duration)
                .map_err(|e| AppError::Usage(format!("--for {e}")))?;
            let mute = session
                .workflow()
                .mute_alert(&name, seconds / 60, &reason)?;
            println!(
                "alert {} muted until {}",
                mute.name,
                mute.until.format("%Y-%m-%d %H:%M UTC")
            );
            Ok(())
        }
        AlertCommand::Verdict {
            key,
            verdict,
            reason,
        } => {
            let verdict = crate::domain::alert_verdict::Verdict::new(verdict, &reason)
                .map_err(|e| AppError::Usage(format!("--reason: {e}")))?;
            let judged = session.workflow().judge_alert_record(key, &verdict)?;
            println!("{key}: {} ({})", judged.actionable, judged.judged_by);
            Ok(())
        }
        AlertCommand::Unmute { name } => {
            session.workflow().unmute_alert(&name)?;
            println!("alert {name} unmuted");
            Ok(())
        }
        AlertCommand::Mutes {
            json: as_json,
            style,
        } => {
            let mutes = session.store.alert_mutes(session.clock.now())?;
            if as_json {
                return json(&mutes);
            }
            if mutes.is_empty() {
                println!("No alert is muted.");
                return Ok(());
            }
            let rows: Vec<Vec<String>> = mutes
                .iter()
                .map(|m| {
                    vec![
                        m.name.clone(),
                        m.until.format("%Y-%m-%d %H:%M").to_string(),
                        m.muted_by.clone(),
                        m.suppressed.to_string(),
                        m.reason.clone(),
                    ]
                })
                .collect();
            table::print(
                style,
                &["ALERT", "UNTIL", "BY", "HELD BACK", "REASON"],
                &rows,
                &[30, 16, 16, 9, 40],
            );
            Ok(())
        }
    }
}

/// `--actionable yes|noise [--noise-reason R]` on resolving what an alert opened.
#[derive(Debug, Clone, clap::Args)]
pub struct VerdictArgs {
    /// What the alert that opened it was worth: yes (actionable) or noise.
    #[arg(long)]
    actionable: Option<crate::domain::alert_verdict::Actionable>,
    /// Why it was noise (required with --actionable noise).
    #[arg(long, default_value = "", requires = "actionable")]
    noise_reason: String,
}

impl VerdictArgs {
    pub fn verdict(&self) -> Result<Option<crate::domain::alert_verdict::Verdict>, AppError> {
        self.actionable
            .map(|a| crate::domain::alert_verdict::Verdict::new(a, &self.noise_reason))
            .transpose()
            .map_err(|e| AppError::Usage(format!("--noise-reason: {e}")))
    }
}
