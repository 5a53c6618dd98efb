//! `watchfloor sla recompute`: every ticket's stored SLA due times computed again from
//! its history under the config's rules, after `[sla]` or `[business_hours]` changed.
//! A dry run by default, like an import.

use crate::app::error::AppError;
use crate::app::session::Session;

#[derive(Debug, clap::Subcommand)]
pub enum SlaCommand {
    /// Compute every ticket's due times again under the config's rules (a dry run
    /// unless --commit).
    Recompute {
        /// Write them (one transaction, one audit row).
        #[arg(long)]
        commit: bool,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(command: SlaCommand, session: &Session) -> Result<(), AppError> {
    match command {
        SlaCommand::Recompute { commit, json } => {
            let done = session.workflow().recompute_sla(commit)?;
            if json {
                return super::ticket_print::json(&done);
            }
            let verb = if done.committed {
                "recomputed"
            } else {
                "would change"
            };
            println!(
                "{} tickets: {} {verb} under the config's [sla] and [business_hours]",
                done.tickets, done.changed
            );
            if !done.committed {
                println!("dry run: nothing was written (add --commit)");
            }
            Ok(())
        }
    }
}

/// The note for a face that judges by stored due times, when they follow other rules.
pub fn stale_rules_note(session: &Session) -> Result<Option<String>, AppError> {
    Ok(session.workflow().sla_rules_differ()?.then(|| {
        "note: the stored SLA due times were computed under other [sla] or [business_hours] rules than this config's; `watchfloor sla recompute --commit` brings them up to date".to_string()
    }))
}
