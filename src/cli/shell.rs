//! `watchfloor completions SHELL` and `watchfloor man`, both generated from the
//! command-line definitions, so they cannot drift from the flags.

use super::Cli;
use crate::app::error::AppError;
use clap::CommandFactory;

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, elvish or powershell.
    pub shell: clap_complete::Shell,
}

pub fn completions(args: CompletionsArgs) -> Result<(), AppError> {
    let mut command = Cli::command();
    clap_complete::generate(
        args.shell,
        &mut command,
        "watchfloor",
        &mut std::io::stdout(),
    );
    Ok(())
}

/// The man page (roff) on standard output: `watchfloor man > watchfloor.1`.
pub fn man() -> Result<(), AppError> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(|e| AppError::Failed(format!("man page: {e}")))?;
    use std::io::Write;
    std::io::stdout()
        .write_all(&out)
        .map_err(|e| AppError::Failed(format!("man page: {e}")))
}
