//! The stand-up against a real file: a small history worked out by hand, and the
//! screen-share rule that only keys, names, states and counts are shown.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::tui::rendered;

use assert_cmd::Command;
use chrono::{Duration, NaiveDate};
use common::{open, t0, temp_db};
use watchfloor::app::session::Session;
use watchfloor::config::action::Action;
use watchfloor::config::{Config, ThemeName};
use watchfloor::domain::change::ChangeKind;
use watchfloor::domain::incident::{Incident, Severity};
use watchfloor::domain::review::ActionItemKind;
use watchfloor::domain::{FixedClock, Level, Timestamp};
use watchfloor::metrics::standup::{gather, previous_standup};
use watchfloor::tui::app::App;
use watchfloor::tui::theme::Theme;
use watchfloor::views::standup_board::text;
use watchfloor::workflow::{Declare, NewChange, NewTicket, Resolution, Workflow};

/// Thursday 19 November 2026, the day before `t0`, at a UTC time (London is on UTC then).
fn thursday(hour: u32, minute: u32) -> Timestamp {
    NaiveDate::from_ymd_opt(2026, 11, 19)
        .unwrap()
        .and_hms_opt(hour, minute, 0)
        .unwrap()
        .and_utc()
}

/// Words that appear only in titles, descriptions and notes: never on the stand-up.
const PRIVATE: [&str; 5] = ["Payroll", "ACME", "VIP laptop", "Rotate keys", "printer"];

struct History {
    earlier: Incident,
    major: Incident,
    minor: Incident,
    breached: watchfloor::domain::TicketKey,
    oldest: watchfloor::domain::TicketKey,
}

fn declare(wf: &Workflow<'_>, severity: Severity, title: &str) -> Incident {
    wf.declare_incident(Declare {
        title: title.into(),
        severity,
        services: vec!["checkout".into()],
        commander: None,
        impact_start: None,
        from_ticket: None,
    })
    .unwrap()
}

fn ticket(wf: &Workflow<'_>, title: &str, level: i64) -> watchfloor::domain::Ticket {
    let mut t = NewTicket::new(title);
    t.impact = Level::new(level).unwrap();
    t.urgency = Level::new(level).unwrap();
    wf.create_ticket(t).unwrap()
}

fn change(wf: &Workflow<'_>, start: Timestamp, hours: i64) -> watchfloor::domain::ChangeKey {
    wf.create_change(NewChange {
        kind: ChangeKind::Normal,
        title: "Patch the ACME inventory hosts".into(),
        description: String::new(),
        services: vec!["inventory".into()],
        impact: 2,
        likelihood: 2,
        implementer: None,
        start,
        end: start + Duration::hours(hours),
        backout_plan: "redeploy".into(),
        test_plan: "smoke".into(),
        stakeholder_impact: String::new(),
    })
    .unwrap()
    .key
}

/// The history, all written through the workflow at the times it says.
fn history(store: &watchfloor::store::Store, clock: &FixedClock) -> History {
    let config = Config::default();
    let actor = common::actor();
    let wf = Workflow::new(store, &config, clock, &actor);
    let owner = store.people().unwrap()[3].login.clone();

    clock.set(t0() - Duration::days(40));
    let oldest = ticket(&wf, "Old printer jam", 3).key;

    // Before the last stand-up (Thursday 09:30): a SEV2.
    clock.set(thursday(8, 0));
    let earlier = declare(&wf, Severity::Sev2, "Earlier checkout errors");
    // After it: a P1 nobody answers within its 15 minutes, a SEV1, a SEV3, a ticket resolved.
    clock.set(thursday(10, 0));
    let breached = ticket(&wf, "VIP laptop stolen", 1).key;
    clock.set(thursday(11, 0));
    let major = declare(&wf, Severity::Sev1, "Payroll data of ACME exposed");
    let minor = declare(&wf, Severity::Sev3, "Slow search");
    let quick = ticket(&wf, "Password reset", 3);
    clock.set(thursday(12, 0));
    wf.resolve_ticket(
        quick.key,
        quick.version,
        Resolution {
            code: watchfloor::domain::ticket::ResolutionCode::Fixed,
            note: "reset".into(),
            first_contact: true,
        },
    )
    .unwrap();
    // The SEV2 is resolved after the stand-up; its review has an action overdue by Friday.
    clock.set(thursday(14, 0));
    let (earlier, _) = wf
        .resolve_incident(earlier.key, earlier.version, false)
        .unwrap();
    let review = match store.review_for_incident(earlier.key).unwrap() {
        Some(r) => r,
        None => wf.create_review(earlier.key).unwrap(),
    };
    wf.add_action(
        review.key,
        "Rotate keys",
        Some(owner),
        Some(thursday(16, 0)),
        ActionItemKind::Prevent,
    )
    .unwrap();
    // Two changes on Saturday (tomorrow, seen from Friday) that overlap; one next week.
    change(&wf, thursday(10, 0) + Duration::days(2), 2);
    change(&wf, thursday(11, 0) + Duration::days(2), 2);
    change(&wf, thursday(10, 0) + Duration::days(6), 1);
    clock.set(t0());
    History {
        earlier,
        major,
        minor,
        breached,
        oldest,
    }
}

#[test]
fn the_standup_counts_what_changed_since_the_previous_working_day() {
    let (_db, store) = common::org_only();
    let clock = FixedClock::at(t0());
    let h = history(&store, &clock);
    let config = Config::default();

    let since = previous_standup(t0(), &config);
    assert_eq!(
        since,
        thursday(9, 30),
        "Friday looks back to Thursday's stand-up"
    );
    let s = gather(&store, &config, t0(), since).unwrap();

    let keys = |list: &[Incident]| list.iter().map(|i| i.key).collect::<Vec<_>>();
    assert_eq!(
        keys(&s.new_major),
        [h.major.key],
        "the SEV2 came before; the SEV3 is minor"
    );
    assert_eq!(keys(&s.resolved_incidents), [h.earlier.key]);
    assert_eq!(
        keys(&s.active),
        [h.major.key, h.minor.key],
        "most severe first"
    );
    assert_eq!(s.resolved_tickets, 1);
    assert_eq!(
        (s.new_breaches, s.new_breach_tickets[0].key),
        (1, h.breached),
        "the old ticket breached long before: not new"
    );
    assert_eq!(s.oldest_tickets[0].key, h.oldest);
    assert_eq!(s.overdue_actions.len(), 1);
    let conflicts: Vec<usize> = s.changes.iter().map(|(_, n)| *n).collect();
    // Each: the other Saturday change, and the two active incidents on checkout,
    // which depends on inventory.
    assert_eq!(
        conflicts,
        [3, 3],
        "Saturday's two overlap; next week's is not listed"
    );
    assert!(
        s.kpis.iter().any(|l| l.kpi == "MTTA" && l.target.is_some()),
        "KPIs against target"
    );

    // Looking back only an hour: nothing new happened in it.
    let recent = gather(&store, &config, t0(), t0() - Duration::hours(1)).unwrap();
    assert!(recent.new_major.is_empty() && recent.new_breaches == 0);
    assert_eq!(
        recent.active.len(),
        2,
        "active is as of now, whatever the look-back"
    );

    let printed = text(&s, config.business_hours.time_zone.0);
    for key in [
        h.major.key.to_string(),
        h.breached.to_string(),
        h.oldest.to_string(),
    ] {
        assert!(printed.contains(&key), "{key} missing:\n{printed}");
    }
    assert!(printed.contains("1 new SEV1/SEV2"), "{printed}");
    assert!(printed.contains("3 conflicts"), "{printed}");
    for word in PRIVATE {
        assert!(!printed.contains(word), "'{word}' leaked:\n{printed}");
    }
}

#[test]
fn the_screen_fits_80x24_shows_keys_only_and_is_read_only() {
    let (db, store) = common::org_only();
    let clock = FixedClock::at(t0());
    let h = history(&store, &clock);
    let audit_before = store.audit_count().unwrap();
    let session = Session {
        store,
        config: Config::default(),
        actor: common::actor(),
        clock: Box::new(FixedClock::at(t0())),
    };
    let mut app = App::new(session, Theme::new(ThemeName::Default, true), 80, 24).unwrap();
    app.apply(Action::PaneStandup);
    app.settle();
    let screen = rendered(&app, 80, 24);
    for needle in [
        "STAND-UP Fri 20 Nov 09:00",
        "Since Thu 19 Nov 09:30",
        "1 new SEV1/SEV2",
        "Active incidents (2)",
        "Changes today and tomorrow (2)",
        "KPIs 7d vs target",
        "Overdue review actions (1)",
        "Oldest open tickets",
        "esc back",
    ] {
        assert!(screen.contains(needle), "{needle}:\n{screen}");
    }
    assert!(
        screen.contains(&format!("SEV1 {}", h.major.key)),
        "{screen}"
    );
    for word in PRIVATE {
        assert!(!screen.contains(word), "'{word}' leaked:\n{screen}");
    }
    // Every key that would write does nothing here.
    for action in [
        Action::Declare,
        Action::Resolve,
        Action::Triage,
        Action::NewTicket,
    ] {
        app.apply(action);
    }
    assert_eq!(*app.state.overlay(), watchfloor::tui::state::Overlay::None);
    // Esc goes back where it came from.
    app.apply(Action::Back);
    assert_eq!(app.state.pane, watchfloor::tui::pane::Pane::Tickets);
    let store = open(&db.path);
    assert_eq!(
        store.audit_count().unwrap(),
        audit_before,
        "nothing written"
    );
}

#[test]
fn standup_once_prints_text_and_never_writes() {
    let db = temp_db();
    drop(common::demo_session(&db.path, 0.1));
    let run = |args: &[&str]| {
        Command::cargo_bin("watchfloor")
            .unwrap()
            .env("WATCHFLOOR_LOG_DIR", db.dir.path())
            .env_remove("WATCHFLOOR_CONFIG")
            .arg("--db")
            .arg(&db.path)
            .args(args)
            .output()
            .unwrap()
    };
    let audit = || open(&db.path).audit_count().unwrap();
    let before = audit();
    let out = run(&["standup", "--once", "--since", "3d"]);
    assert!(out.status.success(), "{out:?}");
    let printed = String::from_utf8(out.stdout).unwrap();
    for section in [
        "Stand-up ",
        "Active incidents (",
        "Changes today and tomorrow (",
        "KPIs 7d vs target",
        "Overdue review actions (",
        "Oldest open tickets",
    ] {
        assert!(printed.contains(section), "{section}:\n{printed}");
    }
    assert!(printed.contains("TKT-"), "{printed}");
    assert_eq!(audit(), before);

    let bad = run(&["standup", "--once", "--since", "yesterday"]);
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8(bad.stderr).unwrap();
    assert!(
        err.contains("--since") && err.contains("12h or 3d"),
        "{err}"
    );
}
