//! The operations report as mail: `report --mail AUDIENCE` through a real mail server
//! (the Markdown as the text, the CSV attached), an unknown audience refused with
//! nothing queued, and `[[scheduled_reports]]` queued once per period however often
//! the pager looks, and not at all when more than a day late.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::cli::{run_as, watchfloor_process};
use common::receivers::{MailServer, mail_server_available};
use common::{open, raw_integer, temp_db};
use watchfloor::config::{ClockTime, Config, ScheduledReport};
use watchfloor::domain::FixedClock;
use watchfloor::domain::report_schedule::ReportCadence;
use watchfloor::workflow::{Actor, Workflow};

fn at(text: &str) -> watchfloor::domain::Timestamp {
    chrono::DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&chrono::Utc)
}

fn reports_queued(db: &std::path::Path) -> i64 {
    raw_integer(
        db,
        "SELECT count(*) FROM page_deliveries WHERE purpose = 'report'",
    )
}

#[test]
fn report_mail_sends_the_markdown_with_the_csv_attached() {
    if let Err(why) = mail_server_available() {
        return common::skipped(&why);
    }
    let db = temp_db();
    drop(common::demo_session(&db.path, 0.05));
    let dir = db.dir.path();
    let mail = MailServer::start(dir);
    run_as(
        &db.path,
        "ops",
        &[
            "audience",
            "add",
            "ops-leads",
            "--to",
            "email:ops-leads@example.org",
        ],
    );
    let config = dir.join("mail.toml");
    std::fs::write(
        &config,
        format!(
            "[pager.smtp]\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"none\"\nfrom = \"watchfloor@example.org\"\n",
            mail.port
        ),
    )
    .unwrap();
    let refused = watchfloor_process(&db.path)
        .arg("--config")
        .arg(&config)
        .args(["report", "--period", "7d", "--mail", "nobody"])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("no audience 'nobody'"));
    assert_eq!(reports_queued(&db.path), 0, "nothing queued");

    let sent = watchfloor_process(&db.path)
        .arg("--config")
        .arg(&config)
        .args(["report", "--period", "7d", "--mail", "ops-leads"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&sent.stdout);
    assert!(
        sent.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&sent.stderr)
    );
    assert!(said.contains("sent to ops-leads by email"), "{said}");
    let message = mail.wait_for("the report", |m| m.contains("Operations report"));
    assert!(message.contains("ops-leads@example.org"));
    assert!(message.contains("multipart/mixed"), "{message}");
    assert!(message.contains("filename=\"report.csv\""), "{message}");
    assert!(
        message.contains("MTTR") || message.contains("mttr"),
        "{message}"
    );
}

#[test]
fn a_scheduled_report_is_queued_once_per_period_and_not_when_a_day_late() {
    let db = temp_db();
    drop(common::demo_session(&db.path, 0.05));
    let store = open(&db.path);
    let mut config = Config::default();
    config.business_hours.time_zone = watchfloor::config::TimeZoneName(chrono_tz::UTC);
    config.scheduled_reports = vec![ScheduledReport {
        name: "weekly".into(),
        every: ReportCadence::Week,
        at: ClockTime(chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap()),
        audience: "all-staff".into(),
        service: None,
        team: None,
    }];
    let actor = Actor::new("pager", None);
    let queue = |now: &str| {
        let clock = FixedClock::at(at(now));
        let wf = Workflow::new(&store, &config, &clock, &actor);
        watchfloor::cli::scheduled_reports::queue_due(&store, &config, &wf, at(now)).unwrap()
    };
    // Monday 2026-11-23: not yet at 07:59, due at 08:00, once however often it looks.
    assert_eq!(queue("2026-11-16T07:00:00Z"), 0, "a week late: skipped");
    assert_eq!(reports_queued(&db.path), 0);
    assert_eq!(queue("2026-11-23T08:30:00Z"), 1);
    assert_eq!(queue("2026-11-23T08:31:00Z"), 0, "queued once");
    assert_eq!(queue("2026-11-24T07:00:00Z"), 0);
    let key = "report-weekly-2026-11-16-all-staff-0";
    let queued = store.delivery_by_key(key).unwrap().unwrap();
    assert!(
        queued.subject.contains("2026-11-16 to 2026-11-23"),
        "{}",
        queued.subject
    );
    let (name, csv) = queued.attachment.unwrap();
    assert_eq!(name, "report.csv");
    assert!(csv.starts_with("kpi,scope,value"));
    // The next Monday more than a day after its time: left for the week after.
    assert_eq!(queue("2026-12-01T09:00:00Z"), 0, "a day and an hour late");
}
