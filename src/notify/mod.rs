//! The notification hook: runs the configured program with an event as JSON on its
//! standard input. The program is started directly from its argument list — no shell
//! ever sees the event —, with a minimal environment (none of the caller's secrets),
//! in a process group of its own; the event is written from a thread of its own, so a
//! hook that never reads cannot hold the caller past the timeout, and when the timeout
//! passes the whole group is stopped, whatever the hook started.

pub mod chat;
mod mail;
pub mod outbound;

use crate::config::NotifyConfig;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What became of one hook run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HookOutcome {
    /// No hook is configured.
    NotConfigured,
    Delivered,
    Failed(String),
}

impl HookOutcome {
    /// A line for the user when the hook did not deliver.
    pub fn problem(&self) -> Option<String> {
        match self {
            HookOutcome::Failed(why) => Some(format!("the notification hook failed: {why}")),
            _ => None,
        }
    }
}

pub fn run(config: &NotifyConfig, event: &serde_json::Value) -> HookOutcome {
    let Some((program, args)) = config.command.split_first() else {
        return HookOutcome::NotConfigured;
    };
    let outcome = deliver(
        program,
        args,
        event,
        Duration::from_secs(config.timeout_seconds.max(1)),
    );
    match &outcome {
        HookOutcome::Failed(why) => tracing::warn!(%program, %why, "notification hook failed"),
        _ => tracing::info!(%program, "notification hook delivered"),
    }
    outcome
}

fn deliver(
    program: &str,
    args: &[String],
    event: &serde_json::Value,
    timeout: Duration,
) -> HookOutcome {
    let mut command = Command::new(program);
    command
        .args(args)
        .env_clear()
        .envs(
            PASSED_ON
                .iter()
                .filter_map(|name| Some((name, std::env::var_os(name)?))),
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) => return HookOutcome::Failed(format!("cannot start {program}: {e}")),
    };
    if let Some(stdin) = child.stdin.take() {
        let text = event.to_string();
        // A hook that does not read its input is its own business, not an error: the
        // writer waits on its own thread, and ends when the hook does.
        let _ = std::thread::Builder::new()
            .name("watchfloor-hook-input".into())
            .spawn(move || write_ignoring_sigpipe(stdin, text.as_bytes()));
    }
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return HookOutcome::Delivered,
            Ok(Some(status)) => {
                let mut stderr = String::new();
                if let Some(mut err) = child.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut err, &mut stderr);
                }
                let first = stderr
                    .lines()
                    .next()
                    .map(crate::domain::sanitize_line)
                    .unwrap_or_default();
                return HookOutcome::Failed(format!(
                    "{program} exited with {status}{}",
                    if first.is_empty() {
                        String::new()
                    } else {
                        format!(": {first}")
                    }
                ));
            }
            Ok(None) if started.elapsed() >= timeout => {
                stop_group(&mut child);
                let _ = child.wait();
                return HookOutcome::Failed(format!(
                    "{program} did not finish within {} s and was stopped",
                    timeout.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return HookOutcome::Failed(format!("waiting for {program}: {e}")),
        }
    }
}

/// What the hook may see of the caller's environment: where programs are, the home, the
/// language and the time zone — no database URL, password or cloud key.
const PASSED_ON: &[&str] = &["PATH", "HOME", "LANG", "LC_ALL", "TZ", "USER", "LOGNAME"];

/// Writes the event; a hook that closed its input (or was stopped) ends the write with
/// an error here, never with SIGPIPE for the whole process (which `main` restores to
/// its default for `| head`).
fn write_ignoring_sigpipe(mut stdin: std::process::ChildStdin, bytes: &[u8]) {
    #[cfg(unix)]
    block_sigpipe_on_this_thread();
    let _ = stdin.write_all(bytes);
}

#[cfg(unix)]
#[allow(
    unsafe_code,
    reason = "pthread_sigmask: SIGPIPE blocked on this thread alone"
)]
fn block_sigpipe_on_this_thread() {
    // SAFETY: the set is initialised by sigemptyset before use, and pthread_sigmask only
    // changes this thread's mask. A SIGPIPE raised by this thread's write then stays
    // pending and is dropped when the thread ends; the write returns EPIPE.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&raw mut set);
        libc::sigaddset(&raw mut set, libc::SIGPIPE);
        libc::pthread_sigmask(libc::SIG_BLOCK, &raw const set, std::ptr::null_mut());
    }
}

/// Stops the hook and everything it started (its process group).
fn stop_group(child: &mut std::process::Child) {
    #[cfg(unix)]
    if let Ok(pid) = i32::try_from(child.id()) {
        kill_group(pid);
    }
    let _ = child.kill();
}

#[cfg(unix)]
#[allow(unsafe_code, reason = "kill(2) on the hook's own process group")]
fn kill_group(pid: i32) {
    // SAFETY: kill with a negative pid signals the process group the hook leads (it was
    // started with process_group(0)); no memory is touched.
    unsafe {
        libc::kill(-pid, libc::SIGKILL);
    }
}
