use clap::Parser;
use std::process::ExitCode;
use watchfloor::cli::{Cli, run};
use watchfloor::paths::Paths;

fn main() -> ExitCode {
    let cli = Cli::parse();
    watchfloor::logging::init(&Paths::resolve(cli.db.as_deref(), cli.config.as_deref()).log_dir);
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "command failed");
            eprintln!("watchfloor: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}
