use clap::Parser;
use std::process::ExitCode;
use watchfloor::app::error::AppError;
use watchfloor::app::paths::Paths;
use watchfloor::cli::{Cli, ConsoleRequest, Next, Screen};

/// Chooses the face: the command line runs to completion, or prepares a session that
/// the console opens.
fn main() -> ExitCode {
    restore_default_sigpipe();
    let cli = Cli::parse();
    watchfloor::app::logging::init(
        &Paths::resolve(cli.db.as_deref(), cli.config.as_deref()).log_dir,
    );
    let result = watchfloor::cli::run(cli).and_then(|next| match next {
        Next::Done => Ok(()),
        Next::Console(request) => open_console(*request),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "command failed");
            eprintln!("watchfloor: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}

fn open_console(request: ConsoleRequest) -> Result<(), AppError> {
    let ConsoleRequest {
        session,
        theme,
        screen,
        remove_after,
    } = request;
    let result = match screen {
        Screen::Console => watchfloor::tui::run(session, theme),
        Screen::Standup { since } => watchfloor::tui::run_standup(session, theme, since),
    };
    if let Some(dir) = remove_after {
        let _ = std::fs::remove_dir_all(dir);
    }
    result
}

/// `watchfloor ticket list | head` should end quietly when `head` closes the pipe, as
/// command-line tools do, not panic on the failed write.
#[allow(
    unsafe_code,
    reason = "signal(2) has no safe wrapper in the standard library"
)]
fn restore_default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL is a valid handler.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
