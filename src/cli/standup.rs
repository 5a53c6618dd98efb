//! `watchfloor standup`: the stand-up screen, read-only and refreshing by itself; or,
//! with `--once`, the same stand-up printed as text.

use crate::app::error::AppError;
use crate::app::session::Session;
use crate::metrics::standup::{gather, parse_since, previous_standup};
use crate::views::standup_board::text;

#[derive(Debug, clap::Args)]
pub struct StandupArgs {
    /// Look back this far (12h, 3d) instead of to the previous working day's stand-up.
    #[arg(long)]
    pub since: Option<String>,
    /// Print the stand-up once as text and exit, instead of opening the screen.
    #[arg(long)]
    pub once: bool,
}

/// Where the stand-up went.
pub enum Shown {
    /// Printed as text (`--once`).
    Printed,
    /// For the stand-up screen to show, looking back `since` when given.
    OnScreen { since: Option<String> },
}

pub fn run(args: StandupArgs, session: &Session) -> Result<Shown, AppError> {
    let now = session.clock.now();
    let since = match &args.since {
        Some(text) => {
            Some(parse_since(text, now).map_err(|e| AppError::Usage(format!("--since: {e}")))?)
        }
        None => None,
    };
    if args.once {
        let since = since.unwrap_or_else(|| previous_standup(now, &session.config));
        let standup = gather(&session.store, &session.config, now, since)?;
        print!(
            "{}",
            text(&standup, session.config.business_hours.time_zone.0)
        );
        return Ok(Shown::Printed);
    }
    Ok(Shown::OnScreen { since: args.since })
}
