//! Work that can take longer than a frame — the KPIs of two periods, the stand-up
//! board, the calendar's range and its conflicts, what is due for escalation, the
//! pickers' names — runs on a thread of its own with its own read-only connection to the store,
//! and reports back. The screen keeps the previous figures meanwhile, so keys never
//! wait for it.
//!
//! Jobs of one kind coalesce: when writes pile up, only the newest request of each
//! kind is computed, and an answer to an older request is dropped.

use super::state::Catalog;
use crate::config::Config;
use crate::domain::ChangeKey;
use crate::domain::Timestamp;
use crate::domain::change::{Change, FreezeWindow};
use crate::domain::page::Delivery;
use crate::metrics::knowledge::add_knowledge;
use crate::metrics::period::Period;
use crate::metrics::report::{Report, compute};
use crate::metrics::scope::ResolvedScope;
use crate::metrics::standup::{Standup, gather};
use crate::store::{Store, StoreError};
use crate::views::escalation_watch::{DueEscalation, due_escalations};
use crate::workflow::unacknowledged_counts;
use std::collections::HashMap;
use std::collections::VecDeque;
use std::sync::mpsc::{self, Receiver, Sender};

/// What to compute.
#[derive(Debug, Clone)]
pub enum Job {
    /// The scorecard's two reports: the period and the one before it.
    Metrics {
        period: Period,
        scope: ResolvedScope,
        now: Timestamp,
    },
    Standup {
        now: Timestamp,
        since: Timestamp,
    },
    /// What is due for escalation (the status bar's): a few queries per active
    /// incident and per breached ticket; and the pager's news: pages that could not be
    /// delivered, and pages for `person` waiting for a console to show them.
    EscalationsDue {
        now: Timestamp,
        person: String,
    },
    /// The names the forms' pickers offer: services, teams, people.
    Catalog,
    /// The calendar's range: its changes (or the CAB's agenda), the freezes, and each
    /// change's unacknowledged conflicts.
    Calendar {
        cab: bool,
        from: Timestamp,
        to: Timestamp,
        config_freezes: Vec<FreezeWindow>,
    },
}

/// What the calendar shows of a range.
#[derive(Debug)]
pub struct CalendarRange {
    pub changes: Vec<Change>,
    pub freezes: Vec<FreezeWindow>,
    pub open_conflicts: HashMap<ChangeKey, usize>,
    /// The conflicts could not be checked: said, not shown as "no conflicts".
    pub conflicts_failed: Option<String>,
}

/// A finished job, tagged with the request it answers.
#[derive(Debug)]
pub enum Done {
    Metrics {
        request: u64,
        result: Result<Box<(Report, Report)>, String>,
    },
    Standup {
        request: u64,
        result: Result<Box<Standup>, String>,
    },
    Calendar {
        request: u64,
        result: Result<Box<CalendarRange>, String>,
    },
    EscalationsDue {
        request: u64,
        result: Result<Watch, String>,
    },
    Catalog {
        request: u64,
        result: Result<Catalog, String>,
    },
}

impl Job {
    fn kind(&self) -> usize {
        match self {
            Job::Metrics { .. } => 0,
            Job::Standup { .. } => 1,
            Job::Calendar { .. } => 2,
            Job::EscalationsDue { .. } => 3,
            Job::Catalog => 4,
        }
    }

    fn run(self, request: u64, store: &Store, config: &Config) -> Done {
        match self {
            Job::Metrics { period, scope, now } => Done::Metrics {
                request,
                result: compute(store, config, period, now, &scope)
                    .and_then(|mut shown| {
                        let mut before = compute(store, config, period.previous(), now, &scope)?;
                        add_knowledge(&mut shown, store, config, &scope)?;
                        add_knowledge(&mut before, store, config, &scope)?;
                        Ok(Box::new((shown, before)))
                    })
                    .map_err(|e| e.to_string()),
            },
            Job::Calendar {
                cab,
                from,
                to,
                config_freezes,
            } => Done::Calendar {
                request,
                result: calendar_range(store, cab, from, to, config_freezes)
                    .map(Box::new)
                    .map_err(|e| e.to_string()),
            },
            Job::EscalationsDue { now, person } => Done::EscalationsDue {
                request,
                result: watch(store, now, &person).map_err(|e| e.to_string()),
            },
            Job::Catalog => Done::Catalog {
                request,
                result: catalog(store).map_err(|e| e.to_string()),
            },
            Job::Standup { now, since } => Done::Standup {
                request,
                result: gather(store, config, now, since)
                    .map(Box::new)
                    .map_err(|e| e.to_string()),
            },
        }
    }
}

/// What the status bar watches besides the incidents.
#[derive(Debug, Default)]
pub struct Watch {
    pub due: Vec<DueEscalation>,
    /// Deliveries of active pages that failed for good.
    pub undelivered: Vec<Delivery>,
    /// Pages for the person at this console, for it to ring.
    pub paged: Vec<Delivery>,
    /// Messages overdue with no `serve` holding the pager: nobody is sending them.
    pub pager_down: i64,
}

fn watch(store: &Store, now: Timestamp, person: &str) -> Result<Watch, StoreError> {
    Ok(Watch {
        due: due_escalations(store, now)?,
        undelivered: store.undelivered_pages()?,
        paged: store.console_deliveries_for(person, now)?,
        pager_down: if store.lease(crate::workflow::PAGER_LEASE, now)?.is_some() {
            0
        } else {
            store.queued_unsent(now)?
        },
    })
}

/// The names the forms' pickers offer.
/// Only records in use: archived teams and services and deactivated people are never
/// offered.
pub fn catalog(store: &Store) -> Result<Catalog, StoreError> {
    let d = store.directory()?;
    Ok(Catalog {
        dependencies: crate::domain::directory::Directory {
            services: d.services.clone(),
            ..Default::default()
        },
        services: d
            .services
            .into_iter()
            .filter(|s| !s.archived)
            .map(|s| s.name)
            .collect(),
        teams: d
            .teams
            .into_iter()
            .filter(|t| !t.archived)
            .map(|t| t.name)
            .collect(),
        people: d
            .people
            .into_iter()
            .filter(|p| p.active)
            .map(|p| p.login)
            .collect(),
        loaded: true,
    })
}

fn calendar_range(
    store: &Store,
    cab: bool,
    from: Timestamp,
    to: Timestamp,
    config_freezes: Vec<FreezeWindow>,
) -> Result<CalendarRange, StoreError> {
    let changes = if cab {
        store.changes_awaiting_decision()?
    } else {
        store.changes_between(from, to)?
    };
    let mut freezes = store.freeze_windows()?;
    let (open_conflicts, conflicts_failed) =
        match unacknowledged_counts(store, &changes, config_freezes.clone()) {
            Ok(counts) => (counts, None),
            Err(e) => (HashMap::new(), Some(format!("conflicts not checked: {e}"))),
        };
    freezes.extend(config_freezes);
    Ok(CalendarRange {
        changes,
        freezes,
        open_conflicts,
        conflicts_failed,
    })
}

/// The worker, or — for a store that has no second connection (one in memory) — the
/// same jobs run in place.
pub struct Background {
    worker: Option<Worker>,
    /// Answers computed in place, waiting to be taken like the worker's.
    inline: VecDeque<Done>,
    next_request: u64,
    /// The newest request of each kind still unanswered.
    awaited: [Option<u64>; KINDS],
}

const KINDS: usize = 5;

struct Worker {
    jobs: Sender<(u64, Job)>,
    done: Receiver<Done>,
}

impl Done {
    fn kind_and_request(&self) -> (usize, u64) {
        match self {
            Done::Metrics { request, .. } => (0, *request),
            Done::Standup { request, .. } => (1, *request),
            Done::Calendar { request, .. } => (2, *request),
            Done::EscalationsDue { request, .. } => (3, *request),
            Done::Catalog { request, .. } => (4, *request),
        }
    }
}

impl Background {
    /// Starts the worker on a new read-only connection to `store`'s database.
    pub fn start(store: &Store, config: &Config) -> Background {
        let worker = match store.reader() {
            Ok(reader) => Worker::spawn(reader, config.clone()),
            Err(e) => {
                tracing::info!(error = %e, "no second connection: slow work runs in place");
                None
            }
        };
        Background {
            worker,
            inline: VecDeque::new(),
            next_request: 0,
            awaited: [None; KINDS],
        }
    }

    /// Asks for a job. An answer to an earlier request of the same kind that has not
    /// come yet will be dropped when it does.
    pub fn request(&mut self, job: Job, store: &Store, config: &Config) {
        self.next_request += 1;
        let request = self.next_request;
        self.awaited[job.kind()] = Some(request);
        let sent = self
            .worker
            .as_ref()
            .is_some_and(|w| w.jobs.send((request, job.clone())).is_ok());
        if !sent {
            self.inline.push_back(job.run(request, store, config));
        }
    }

    /// The newest answer that has arrived, without waiting.
    pub fn try_take(&mut self) -> Option<Done> {
        loop {
            let done = self
                .inline
                .pop_front()
                .or_else(|| self.worker.as_ref().and_then(|w| w.done.try_recv().ok()))?;
            if let Some(done) = self.accept(done) {
                return Some(done);
            }
        }
    }

    /// Whether an answer is still to come.
    pub fn busy(&self) -> bool {
        self.awaited.iter().any(Option::is_some)
    }

    /// Waits for the next awaited answer: for tests and benchmarks, which need the
    /// screen as it is once the work is done.
    pub fn wait(&mut self) -> Option<Done> {
        while self.busy() {
            let done = match self.inline.pop_front() {
                Some(done) => done,
                None => self.worker.as_ref()?.done.recv().ok()?,
            };
            if let Some(done) = self.accept(done) {
                return Some(done);
            }
        }
        None
    }

    /// The answer to the newest request of its kind; older answers are dropped.
    fn accept(&mut self, done: Done) -> Option<Done> {
        let (kind, request) = done.kind_and_request();
        if self.awaited[kind] == Some(request) {
            self.awaited[kind] = None;
            Some(done)
        } else {
            None
        }
    }
}

impl Worker {
    /// The thread ends by itself when the console drops its end of the queue.
    fn spawn(store: Store, config: Config) -> Option<Worker> {
        let (jobs, queue) = mpsc::channel::<(u64, Job)>();
        let (report, done) = mpsc::channel::<Done>();
        let spawned = std::thread::Builder::new()
            .name("watchfloor-background".into())
            .spawn(move || {
                while let Ok(first) = queue.recv() {
                    // Everything queued behind the first: only the newest of each kind.
                    let mut newest: [Option<(u64, Job)>; KINDS] = Default::default();
                    for (request, job) in std::iter::once(first).chain(queue.try_iter()) {
                        let kind = job.kind();
                        newest[kind] = Some((request, job));
                    }
                    for (request, job) in newest.into_iter().flatten() {
                        if report.send(job.run(request, &store, &config)).is_err() {
                            return;
                        }
                    }
                }
            });
        match spawned {
            Ok(_) => Some(Worker { jobs, done }),
            Err(e) => {
                tracing::warn!(error = %e, "could not start the background thread");
                None
            }
        }
    }
}
