//! Vendors through the real binary: a contract added (bad ones refused with what was
//! wrong), a ticket put pending on the vendor with their case number — its own SLA
//! pausing, or running when the config says so — the vendor's response and the wait's
//! end recorded, an incident the vendor prolonged, the scorecard in `report --vendors`
//! and the report, and the renewal notice on the stand-up.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::cli::{run_as, watchfloor, watchfloor_process};
use common::org_only;
use predicates::prelude::*;
use std::path::Path;

fn json(db: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&run_as(db, "ops", args)).unwrap()
}

fn refused(db: &Path, args: &[&str], says: &str) {
    watchfloor(db)
        .args(["--as", "ops"])
        .args(args)
        .assert()
        .failure()
        .stderr(predicate::str::contains(says));
}

/// A ticket triaged (a new one cannot wait on anyone yet).
fn new_ticket(db: &Path, title: &str) -> String {
    let key = json(db, &["ticket", "new", "--title", title, "--json"])["key"]
        .as_str()
        .unwrap()
        .to_string();
    run_as(db, "ops", &["ticket", "triage", &key, "--impact", "3"]);
    key
}

fn resolution_state(db: &Path, key: &str) -> String {
    json(db, &["ticket", "show", key, "--json"])["sla"]["resolution"]["state"]
        .as_str()
        .unwrap()
        .to_string()
}

fn today() -> String {
    let day = chrono::Utc::now().format("%Y-%m-%d").to_string();
    format!("{day}..{day}")
}

#[test]
fn a_ticket_waits_on_a_vendor_whose_case_and_contract_make_their_scorecard() {
    let (db, store) = org_only();
    let db = db.path.clone();
    let renewal = (chrono::Utc::now() + chrono::Duration::days(40)).date_naive();
    let said = run_as(
        &db,
        "ops",
        &[
            "vendor",
            "add",
            "acme-isp",
            "--support",
            "24x7",
            "--target",
            "P1=15m/4h",
            "--target",
            "P2=1h/8h",
            "--target",
            "P3=4h/3d",
            "--target",
            "P4=1d/5d",
            "--target",
            "P5=2d/10d",
            "--renewal",
            &renewal.to_string(),
            "--notice-days",
            "20",
            "--contact",
            "noc@acme.example",
        ],
    );
    assert_eq!(said.trim(), "vendor acme-isp added");
    refused(
        &db,
        &[
            "vendor",
            "add",
            "bad",
            "--support",
            "mon-fri 18:00-09:00 UTC",
        ],
        "ends before it starts",
    );
    refused(
        &db,
        &[
            "vendor", "add", "bad", "--target", "P2=1h/8h", "--target", "P2=2h/9h",
        ],
        "P2 is given twice",
    );
    refused(
        &db,
        &["vendor", "add", "bad name", "--support", "24x7"],
        "name",
    );
    refused(&db, &["vendor", "add", "acme-isp"], "exists already");
    assert_eq!(
        json(&db, &["vendor", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Pending on the vendor: the reason names them and the case; the SLA pauses.
    let key = new_ticket(&db, "Office link down");
    refused(
        &db,
        &[
            "ticket", "pending", &key, "--vendor", "nobody", "--case", "1",
        ],
        "no vendor 'nobody'",
    );
    run_as(
        &db,
        "ops",
        &[
            "ticket", "pending", &key, "--vendor", "acme-isp", "--case", "CS-4411",
        ],
    );
    let shown = json(&db, &["ticket", "show", &key, "--json"]);
    assert_eq!(shown["state"], "pending");
    assert_eq!(shown["pending_reason"], "vendor acme-isp case CS-4411");
    assert_eq!(resolution_state(&db, &key), "paused");
    refused(
        &db,
        &[
            "ticket", "pending", &key, "--vendor", "acme-isp", "--case", "CS-4412",
        ],
        "pending already",
    );
    refused(
        &db,
        &["vendor", "archive", "acme-isp"],
        &format!("cannot be archived while ticket {key} (case CS-4411) still refers to it"),
    );
    let vendor = run_as(&db, "ops", &["vendor", "show", "acme-isp"]);
    assert!(vendor.contains("Open cases (1)"), "{vendor}");
    assert!(vendor.contains(&format!("{key} ")) && vendor.contains("case CS-4411"));
    assert!(
        vendor.contains("targets   P1=15m/4h P2=1h/8h P3=4h/3d P4=1d/5d P5=2d/10d"),
        "{vendor}"
    );

    // Their answer, then the wait's end when the ticket resumes.
    let answered = run_as(&db, "ops", &["ticket", "vendor-response", &key]);
    assert!(
        answered.contains("acme-isp responded on case CS-4411"),
        "{answered}"
    );
    refused(
        &db,
        &["ticket", "vendor-response", &key],
        "recorded already",
    );
    run_as(&db, "ops", &["ticket", "resume", &key]);
    refused(
        &db,
        &["ticket", "vendor-response", &key],
        "not waiting on a vendor",
    );
    assert!(run_as(&db, "ops", &["vendor", "show", "acme-isp"]).contains("Open cases (0)"));

    // An incident the vendor prolonged.
    let service = store.services().unwrap()[0].name.clone();
    let incident = common::cli::declare(&db, "ops", "Branch offices offline", "SEV2", &[&service]);
    run_as(
        &db,
        "ops",
        &[
            "incident",
            "vendor",
            &incident,
            "acme-isp",
            "--role",
            "prolonged",
        ],
    );
    let timeline = run_as(&db, "ops", &["incident", "show", &incident]);
    assert!(
        timeline.contains("Vendor acme-isp prolonged this incident"),
        "{timeline}"
    );

    // The scorecard: one case, response and resolution met, the incident counted.
    let period = today();
    let csv = run_as(
        &db,
        "ops",
        &[
            "report",
            "--vendors",
            "--period",
            &period,
            "--format",
            "csv",
        ],
    );
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows[0],
        "vendor,cases,response_judged,response_met,resolution_judged,resolution_met,mean_hours_with_vendor,incidents_caused,incidents_prolonged,renewal_on,notice_by"
    );
    let notice_by = renewal - chrono::Duration::days(20);
    assert!(rows[1].starts_with("acme-isp,1,1,1,1,1,0.00,0,1,"), "{csv}");
    assert!(
        rows[1].ends_with(&format!("{renewal},{notice_by}")),
        "{csv}"
    );
    // A period before anything happened: the vendor is listed with nothing judged.
    let empty = run_as(
        &db,
        "ops",
        &[
            "report",
            "--vendors",
            "--period",
            "2020-01-01..2020-01-31",
            "--format",
            "csv",
        ],
    );
    assert!(
        empty
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("acme-isp,0,0,0,0,0,,0,0,"),
        "{empty}"
    );
    let empty_md = run_as(
        &db,
        "ops",
        &["report", "--vendors", "--period", "2020-01-01..2020-01-31"],
    );
    assert!(
        empty_md
            .contains("Vendor SLA compliance (responses and resolutions within contract): no data"),
        "{empty_md}"
    );
    let md = run_as(&db, "ops", &["report", "--vendors", "--period", &period]);
    assert!(
        md.contains("| acme-isp | 1 | 100.0% (1 of 1) | 100.0% (1 of 1) |"),
        "{md}"
    );
    let report = run_as(&db, "ops", &["report", "--period", &period]);
    assert!(report.contains("## Vendors"), "{report}");
    assert!(
        report.contains(
            "Vendor SLA compliance (responses and resolutions within contract): 100.0% (target 95%)"
        ),
        "{report}"
    );

    // The renewal's notice deadline is 20 days off: within the 30 the stand-up warns of.
    let standup = run_as(&db, "ops", &["standup", "--once"]);
    assert!(standup.contains("Vendor renewals (1)"), "{standup}");
    assert!(
        standup.contains(&format!(
            "acme-isp · 20d to give notice (by {notice_by}, renews {renewal})"
        )),
        "{standup}"
    );

    // Archived: kept, no longer taking cases.
    run_as(&db, "ops", &["vendor", "archive", "acme-isp"]);
    let other = new_ticket(&db, "Second outage");
    refused(
        &db,
        &[
            "ticket", "pending", &other, "--vendor", "acme-isp", "--case", "CS-9",
        ],
        "archived",
    );
    assert!(
        json(&db, &["vendor", "list", "--json"])
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        json(&db, &["vendor", "list", "--all", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn the_config_decides_whether_a_vendor_wait_pauses_the_tickets_own_sla() {
    let (db, _store) = org_only();
    let db = db.path.clone();
    run_as(
        &db,
        "ops",
        &["vendor", "add", "slowco", "--target", "P3=1h/1d"],
    );
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("running.toml");
    std::fs::write(&config, "[vendors]\npause_sla = false\n").unwrap();
    let key = new_ticket(&db, "Printer fleet offline");
    common::cli::run_ok(watchfloor_process(&db).arg("--config").arg(&config).args([
        "--as", "ops", "ticket", "pending", &key, "--vendor", "slowco", "--case", "77",
    ]));
    assert_eq!(
        resolution_state(&db, &key),
        "running",
        "the vendor wait counts"
    );
    // Waiting on the requester afterwards pauses as always.
    run_as(&db, "ops", &["ticket", "resume", &key]);
    run_as(
        &db,
        "ops",
        &["ticket", "pending", &key, "--reason", "asked for a photo"],
    );
    assert_eq!(resolution_state(&db, &key), "paused");
}

#[test]
fn vendors_move_in_with_the_org_file_and_come_back_out_the_same() {
    let (db, _store) = org_only();
    let db = db.path.clone();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("vendors.toml");
    let vendors = "[[vendors]]\nname = \"acme-isp\"\ncontact = \"noc@acme.example\"\n\
        support = \"mon-fri 09:00-17:00 Europe/London\"\ntargets = [\"P1=30m/4h\", \"P2=2h/1d\"]\n\
        renewal_on = \"2027-06-30\"\nnotice_days = 90\n";
    std::fs::write(
        &file,
        format!("{vendors}\n[[vendors]]\nname = \"bad\"\nsupport = \"sometimes\"\n"),
    )
    .unwrap();
    let path = file.display().to_string();
    refused(
        &db,
        &["org", "plan", &path, "--keep-missing"],
        "vendors.toml:9: vendor 'bad': support: 'sometimes' is not support hours",
    );
    std::fs::write(&file, vendors).unwrap();
    let plan = run_as(&db, "ops", &["org", "plan", &path, "--keep-missing"]);
    assert!(plan.contains("+ vendor acme-isp"), "{plan}");
    run_as(&db, "ops", &["org", "apply", &path, "--keep-missing"]);
    let shown = run_as(&db, "ops", &["vendor", "show", "acme-isp"]);
    assert!(
        shown.contains("support   mon-fri 09:00-17:00 Europe/London"),
        "{shown}"
    );
    assert!(
        shown.contains("renewal   2027-06-30 (notice by 2027-04-01"),
        "{shown}"
    );
    let exported = run_as(&db, "ops", &["org", "export"]);
    assert!(exported.contains(vendors), "{exported}");
    // A changed field is planned by name.
    std::fs::write(
        &file,
        vendors.replace("notice_days = 90", "notice_days = 60"),
    )
    .unwrap();
    let plan = run_as(&db, "ops", &["org", "plan", &path, "--keep-missing"]);
    assert!(plan.contains("~ vendor acme-isp (notice_days)"), "{plan}");
    // Left out of a whole org file, a vendor is kept, as an audience is.
    std::fs::write(&file, exported.replace(vendors, "")).unwrap();
    let plan = run_as(&db, "ops", &["org", "plan", &path]);
    assert!(plan.starts_with("no changes"), "{plan}");
}
