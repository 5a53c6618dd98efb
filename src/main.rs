use clap::Parser;
use std::process::ExitCode;
use watchfloor::cli::{Cli, run};
use watchfloor::paths::Paths;

fn main() -> ExitCode {
    restore_default_sigpipe();
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

/// `watchfloor ticket list | head` should end quietly when `head` closes the pipe, as
/// command-line tools do, not panic on the failed write.
fn restore_default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL is a valid handler.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
