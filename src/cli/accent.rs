//! `watchfloor accent`: the database's own status-bar colour, the same on every console
//! that opens it (production in red, say), above each user's `[ui] accent`.

use crate::app::error::AppError;
use crate::app::session::Session;
use crate::workflow::ACCENT;

#[derive(Debug, clap::Args)]
pub struct AccentArgs {
    /// A colour (red, lightblue, #rrggbb, 0-255); without one, print the current.
    pub colour: Option<String>,
    /// Remove the database's accent (each user's [ui] accent applies again).
    #[arg(long, conflicts_with = "colour")]
    pub clear: bool,
}

pub fn run(args: AccentArgs, session: &Session) -> Result<(), AppError> {
    if args.clear {
        session.workflow().set_accent(None)?;
        println!("the database has no accent of its own now");
        return Ok(());
    }
    match args.colour {
        Some(colour) => {
            session.workflow().set_accent(Some(&colour))?;
            println!("every console on this database shows its status bar in {colour}");
        }
        None => match session.store.setting(ACCENT)? {
            Some(colour) => println!("{colour}"),
            None => println!("none (each user's [ui] accent applies)"),
        },
    }
    Ok(())
}
