//! The pager's engine as `serve` runs it: a thread with its own connection to the
//! store that, while it holds the pager's lease, pages the levels that are due and
//! sends what the outbox holds. Two `serve` processes on one store page once: the one
//! without the lease waits, and takes over when the holder's lease lapses.

use crate::app::error::AppError;
use crate::app::secret_file::read_private;
use crate::config::{Config, PagerConfig};
use crate::domain::page_link::MIN_SECRET_BYTES;
use crate::domain::{Clock, SystemClock};
use crate::notify::outbound::{Outbound, Secrets};
use crate::store::Store;
use crate::workflow::{Actor, Workflow};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How often the engine looks for work.
const TICK: Duration = Duration::from_secs(1);

/// How often the engine looks for a pager changing hands.
const HANDOFF_TICK: Duration = Duration::from_secs(15);

/// Deliveries sent in one turn, before the levels are looked at again.
const BATCH: i64 = 20;

pub const PAGER_SECRET_ENV: &str = "WATCHFLOOR_PAGER_SECRET";
pub const WEBHOOK_SECRET_ENV: &str = "WATCHFLOOR_WEBHOOK_SECRET";
pub const SMTP_PASSWORD_ENV: &str = "WATCHFLOOR_SMTP_PASSWORD";

/// The pager's secrets, each from its environment variable or its file (mode 0600).
pub fn secrets(config: &PagerConfig) -> Result<Secrets, AppError> {
    let links = secret(PAGER_SECRET_ENV, &config.secret_file, "[pager] secret_file")?;
    if let Some(key) = &links
        && key.len() < MIN_SECRET_BYTES
    {
        return Err(AppError::Usage(format!(
            "the pager's link secret is {} bytes; it must be at least {MIN_SECRET_BYTES} (for example `head -c 48 /dev/urandom | base64`)",
            key.len()
        )));
    }
    let webhook = secret(
        WEBHOOK_SECRET_ENV,
        &config.webhook_secret_file,
        "[pager] webhook_secret_file",
    )?;
    let smtp_password = secret(
        SMTP_PASSWORD_ENV,
        &config.smtp.password_file,
        "[pager.smtp] password_file",
    )?
    .map(|p| String::from_utf8_lossy(&p).into_owned());
    Ok(Secrets {
        links,
        webhook,
        smtp_password,
    })
}

fn secret(env: &str, file: &str, what: &str) -> Result<Option<Vec<u8>>, AppError> {
    if let Ok(value) = std::env::var(env) {
        let value = value.trim();
        return Ok((!value.is_empty()).then(|| value.as_bytes().to_vec()));
    }
    if file.is_empty() {
        return Ok(None);
    }
    let path = std::path::Path::new(file);
    let text = read_private(path, &format!("{what} '{}'", path.display()))?;
    Ok(Some(text.trim().as_bytes().to_vec()))
}

/// This process's pager, as `/healthz` tells it: its name in the lease, and whether
/// it holds the lease (pages from here) or stands by.
#[derive(Clone)]
pub struct PagerStatus {
    pub holder: String,
    pub running: Arc<AtomicBool>,
}

impl PagerStatus {
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "holder": self.holder,
            "state": if self.running.load(Ordering::Relaxed) { "paging" } else { "standing by" },
        })
    }
}

/// Starts the engine on a thread of its own, over `store` (a connection of its own).
pub fn spawn(store: Store, config: Config, outbound: Outbound) -> Result<PagerStatus, AppError> {
    let status = PagerStatus {
        holder: holder_name(),
        running: Arc::new(AtomicBool::new(false)),
    };
    let shared = status.clone();
    std::thread::Builder::new()
        .name("watchfloor-pager".into())
        .spawn(move || run(&store, &config, &outbound, &shared))
        .map_err(|e| AppError::Failed(format!("cannot start the pager: {e}")))?;
    Ok(status)
}

/// This process, as the lease names it: host, process id and a random part (a pid
/// may come again after a restart).
fn holder_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into());
    let mut random = [0u8; 4];
    if let Ok(mut f) = std::fs::File::open("/dev/urandom") {
        let _ = std::io::Read::read_exact(&mut f, &mut random);
    }
    format!(
        "{host}:{}:{:08x}",
        std::process::id(),
        u32::from_le_bytes(random)
    )
}

fn run(store: &Store, config: &Config, outbound: &Outbound, status: &PagerStatus) {
    let holder = status.holder.as_str();
    let clock = SystemClock;
    let actor = Actor::new(
        crate::workflow::Actor::from_environment(None).os_user,
        Some("pager".into()),
    );
    let wf = Workflow::new(store, config, &clock, &actor);
    // A holder killed with `kill -9` hands over after at most this long.
    let lease = i64::from(config.pager.lease_seconds.max(2));
    let mut held_until: Option<crate::domain::Timestamp> = None;
    let mut handoffs_looked_at: Option<std::time::Instant> = None;
    loop {
        let now = clock.now();
        let renew = held_until.is_none_or(|until| (until - now).num_seconds() < lease / 2);
        if renew {
            let was_holding = held_until.is_some();
            match wf.hold_pager_lease(holder, lease) {
                Ok(true) => {
                    if !was_holding {
                        tracing::info!(%holder, "holding the pager's lease: paging from here");
                        eprintln!("watchfloor: the pager runs here ({holder})");
                    }
                    held_until = Some(now + chrono::Duration::seconds(lease));
                }
                Ok(false) => {
                    if was_holding {
                        tracing::warn!(%holder, "lost the pager's lease");
                    }
                    held_until = None;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot renew the pager's lease");
                    held_until = None;
                }
            }
        }
        let holding = held_until.is_some_and(|until| until > now);
        status.running.store(holding, Ordering::Relaxed);
        if holding {
            if handoffs_looked_at.is_none_or(|at| at.elapsed() >= HANDOFF_TICK) {
                handoffs(store, config, &wf);
                match super::scheduled_reports::queue_due(store, config, &wf, clock.now()) {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(reports = n, "scheduled reports queued"),
                    Err(e) => tracing::warn!(error = %e, "scheduled reports failed this turn"),
                }
                match wf.announce_maintenance() {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(messages = n, "maintenance announced"),
                    Err(e) => tracing::warn!(error = %e, "maintenance announcements failed"),
                }
                handoffs_looked_at = Some(std::time::Instant::now());
            }
            turn(store, &wf, outbound, &clock);
        }
        std::thread::sleep(TICK);
    }
}

/// Hand-offs: the incoming person paged with the report, the outgoing person paged
/// when it stays unacknowledged.
fn handoffs(store: &Store, config: &Config, wf: &Workflow<'_>) {
    let report = |team: &str, at: crate::domain::Timestamp| {
        let report = crate::views::handoff::handoff(store, config, team, at)?;
        Ok(crate::views::handoff::markdown(
            &report,
            config.business_hours.time_zone.0,
        ))
    };
    match wf.run_handoffs(&report) {
        Ok(run) if run.sent + run.outgoing_paged > 0 => tracing::info!(
            sent = run.sent,
            outgoing_paged = run.outgoing_paged,
            "hand-offs"
        ),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "hand-offs failed this turn"),
    }
}

/// One turn: levels due, then the outbox, when the store says something is due.
fn turn(store: &Store, wf: &Workflow<'_>, outbound: &Outbound, clock: &SystemClock) {
    let work = store
        .next_pager_work(crate::workflow::CONSOLE_WAIT_MINUTES * 60)
        .and_then(|at| Ok(at.into_iter().chain(store.next_missed_beat()?).min()));
    let due = match work {
        Ok(at) => at.is_some_and(|at| at <= clock.now()),
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the pager's work");
            return;
        }
    };
    if !due {
        return;
    }
    match wf.check_heartbeats() {
        Ok(0) => {}
        Ok(n) => tracing::info!(missed = n, "heartbeats missed"),
        Err(e) => tracing::warn!(error = %e, "checking heartbeats failed this turn"),
    }
    match wf.run_pager() {
        Ok(run) if run.levels + run.exhausted > 0 => {
            tracing::info!(levels = run.levels, exhausted = run.exhausted, "pager turn");
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "paging failed this turn"),
    }
    let send = |d: &crate::domain::page::Delivery| outbound.send(d, clock.now().timestamp());
    match wf.deliver_due(&send, BATCH) {
        Ok(attempts) => {
            for a in attempts {
                match &a.outcome {
                    Ok(()) => tracing::info!(
                        id = a.delivery.id,
                        person = %a.delivery.person,
                        kind = %a.delivery.kind,
                        "delivered"
                    ),
                    Err(why) => tracing::warn!(
                        id = a.delivery.id,
                        person = %a.delivery.person,
                        kind = %a.delivery.kind,
                        %why,
                        "delivery failed"
                    ),
                }
            }
        }
        Err(e) => tracing::warn!(error = %e, "sending failed this turn"),
    }
}
