//! The notification hook: runs the configured program with an event as JSON on its
//! standard input. The program is started directly from its argument list — no shell
//! ever sees the event — and is stopped when it outlives its timeout.

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
    let mut child = match Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => return HookOutcome::Failed(format!("cannot start {program}: {e}")),
    };
    if let Some(mut stdin) = child.stdin.take() {
        // A hook that does not read its input is its own business, not an error.
        let _ = stdin.write_all(event.to_string().as_bytes());
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
                let _ = child.kill();
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
