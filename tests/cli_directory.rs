//! Moving in, as a new user would, through the real binary: the org file planned,
//! applied, applied again and exported; bad files refused by file, line and record
//! with the store unchanged; single records added, edited, shown, listed and archived;
//! people imported from an HR export; and the first incident on one's own service.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::cli::{run_ok, temp, watchfloor, watchfloor_process};
use predicates::prelude::*;
use std::path::Path;

const ORG: &str = r#"
[[teams]]
name = "network"
tier = "l2"
lead = "bo.chen"

[[teams]]
name = "identity"
tier = "l3"

[[people]]
login = "ana.silva"
name = "Ana Silva"
email = "ana.silva@example.org"
teams = ["network", "identity"]
manager = "bo.chen"
time_zone = "Europe/Lisbon"
contact = [
  { kind = "email", to = "ana.silva@example.org", after_minutes = 0 },
  { kind = "webhook", url = "https://hooks.example.org/ana", after_minutes = 2 },
]

[[people]]
login = "bo.chen"
name = "Bo Chen"
email = "bo.chen@example.org"
teams = ["network"]
role = "team_lead"

[[services]]
name = "ldap"
tier = 1
owner = "identity"

[[services]]
name = "sso"
tier = 1
owner = "identity"
depends_on = ["ldap"]

[[services]]
name = "vpn"
tier = 1
owner = "network"
depends_on = ["sso"]
availability_target = 0.999
"#;

fn run(db: &Path, args: &[&str]) -> String {
    run_ok(watchfloor_process(db).args(args))
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn audit_rows(db: &Path) -> i64 {
    common::raw_integer(db, "SELECT count(*) FROM audit_log")
}

#[test]
fn an_org_file_is_planned_applied_once_and_exported_the_same_after_a_round_trip() {
    let (tmp, db) = temp();
    let file = write(tmp.dir.path(), "org.toml", ORG);
    let plan = run(&db, &["org", "plan", &file]);
    assert_eq!(
        plan.lines().collect::<Vec<_>>(),
        vec![
            "+ team identity",
            "+ team network",
            "+ person ana.silva",
            "+ person bo.chen",
            "+ service ldap",
            "+ service sso",
            "+ service vpn",
        ]
    );
    assert_eq!(audit_rows(&db), 0, "a plan writes nothing");
    run(&db, &["org", "apply", &file]);
    let after_first = audit_rows(&db);
    assert_eq!(after_first, 7, "one audit row a record");
    let again = run(&db, &["org", "apply", &file]);
    assert!(again.contains("no changes"), "{again}");
    assert_eq!(
        audit_rows(&db),
        after_first,
        "a second apply writes no audit row"
    );
    // Nothing to do opens no write at all: even a read-only store takes it.
    let read_only = run(&db, &["--read-only", "org", "apply", &file]);
    assert!(read_only.contains("no changes"), "{read_only}");

    // The issue's first try, now on one's own service.
    let declared = run(
        &db,
        &[
            "incident",
            "declare",
            "--title",
            "VPN down",
            "--severity",
            "SEV2",
            "--service",
            "vpn",
        ],
    );
    assert!(declared.contains("INC-1"), "{declared}");

    let exported = run(&db, &["org", "export"]);
    let (tmp2, db2) = temp();
    let file2 = write(tmp2.dir.path(), "exported.toml", &exported);
    run(&db2, &["org", "apply", &file2]);
    assert_eq!(run(&db2, &["org", "export"]), exported);

    // A change shows as ~ with its fields; a record left out is archived.
    let changed = ORG
        .replace(
            "email = \"ana.silva@example.org\"",
            "email = \"ana@example.org\"",
        )
        .replace(
            "[[services]]\nname = \"ldap\"\ntier = 1\nowner = \"identity\"\n",
            "",
        )
        .replace("depends_on = [\"ldap\"]\n", "");
    let file3 = write(tmp.dir.path(), "changed.toml", &changed);
    let plan = run(&db, &["org", "plan", &file3]);
    assert_eq!(
        plan.lines().collect::<Vec<_>>(),
        vec![
            "~ person ana.silva (email)",
            "- service ldap (archive)",
            "~ service sso (depends_on)",
        ]
    );
    let kept = run(&db, &["org", "plan", &file3, "--keep-missing"]);
    assert!(!kept.contains("- service ldap"), "{kept}");
}

#[test]
fn a_bad_org_file_is_one_error_naming_file_line_and_record_and_nothing_is_applied() {
    let (tmp, db) = temp();
    for (name, text, said) in [
        (
            "unknown.toml",
            ORG.replace("manager = \"bo.chen\"", "manager = \"cy.diaz\""),
            "unknown.toml:11: person 'ana.silva': manager names person 'cy.diaz', which is not in the directory",
        ),
        (
            "cycle.toml",
            ORG.replace(
                "owner = \"identity\"\n\n",
                "owner = \"identity\"\ndepends_on = [\"vpn\"]\n\n",
            ),
            "service 'ldap': the dependencies go round: ldap → vpn → sso → ldap",
        ),
        (
            "twice.toml",
            ORG.replace("login = \"bo.chen\"", "login = \"ana.silva\""),
            "twice.toml:23: person 'ana.silva': the login is used twice",
        ),
        (
            "value.toml",
            ORG.replace(
                "time_zone = \"Europe/Lisbon\"",
                "time_zone = \"Mars/Olympus\"",
            ),
            "value.toml:11: person 'ana.silva': time_zone: unknown time zone 'Mars/Olympus'",
        ),
        (
            "kind.toml",
            ORG.replace("kind = \"webhook\"", "kind = \"fax\""),
            "kind.toml:20: person 'ana.silva': unknown contact method 'fax'",
        ),
        (
            "target.toml",
            ORG.replace("to = \"ana.silva@example.org\",", "to = \"nobody\","),
            "target.toml:11: person 'ana.silva': contact: email: 'nobody' is not an email address",
        ),
        (
            "type.toml",
            ORG.replace(
                "availability_target = 0.999",
                "availability_target = \"high\"",
            ),
            "type.toml:46: service 'vpn': invalid type",
        ),
    ] {
        let file = write(tmp.dir.path(), name, &text);
        watchfloor(&db)
            .args(["org", "apply", &file])
            .assert()
            .failure()
            .stderr(
                predicate::str::contains(said).and(predicate::str::contains("nothing was applied")),
            );
    }
    assert_eq!(common::raw_integer(&db, "SELECT count(*) FROM people"), 0);
    assert_eq!(common::raw_integer(&db, "SELECT count(*) FROM teams"), 0);
    assert_eq!(audit_rows(&db), 0);
}

#[test]
fn records_one_at_a_time_with_reads_in_every_style_and_archiving_that_names_what_refers() {
    let (tmp, db) = temp();
    run(
        &db,
        &["org", "apply", &write(tmp.dir.path(), "org.toml", ORG)],
    );
    run(
        &db,
        &[
            "team",
            "add",
            "storage",
            "--tier",
            "l3",
            "--description",
            "Disks and backups",
        ],
    );
    run(
        &db,
        &[
            "person",
            "add",
            "cy.diaz",
            "--name",
            "Cy Diaz",
            "--teams",
            "storage,network",
            "--manager",
            "bo.chen",
            "--email",
            "cy@example.org",
        ],
    );
    run(
        &db,
        &[
            "service",
            "add",
            "backup",
            "--tier",
            "2",
            "--owner",
            "storage",
            "--depends-on",
            "vpn",
        ],
    );
    run(&db, &["team", "edit", "storage", "--lead", "cy.diaz"]);

    let show = run(&db, &["service", "show", "ldap"]);
    assert!(
        show.contains("needed by    sso, vpn (indirect), backup (indirect)"),
        "{show}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&run(&db, &["service", "show", "vpn", "--json"])).unwrap();
    assert_eq!(json["needs"][0]["service"], "sso");
    assert_eq!(json["needs"][1]["service"], "ldap");
    assert_eq!(json["needs"][1]["direct"], false);
    assert_eq!(json["needed_by"][0]["service"], "backup");
    let person: serde_json::Value =
        serde_json::from_str(&run(&db, &["person", "show", "cy.diaz", "--json"])).unwrap();
    assert_eq!(person["teams"], serde_json::json!(["storage", "network"]));
    assert_eq!(person["leads"], serde_json::json!(["storage"]));
    let version = person["version"].as_i64().unwrap();
    assert_eq!(version, 1);

    let csv = run(&db, &["person", "list", "--team", "network", "--csv"]);
    assert!(
        csv.starts_with("LOGIN,NAME,TEAMS,ROLE,EMAIL,STATE\n"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 4, "{csv}");
    let fields = run(&db, &["service", "show", "vpn", "--csv"]);
    assert!(fields.starts_with("FIELD,VALUE\nservice,vpn\n"), "{fields}");
    assert!(
        fields.contains("depends on,\"sso, ldap (indirect)\""),
        "{fields}"
    );
    let plain = run(&db, &["team", "list", "--plain"]);
    assert!(
        plain.contains("storage\tl3\tcy.diaz\t1\tbackup\tactive"),
        "{plain}"
    );

    // Archiving what others refer to is refused, naming them; nothing changes.
    watchfloor(&db)
        .args(["team", "archive", "storage"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "team 'storage': cannot be archived while person cy.diaz (teams), service backup (owner) still refer to it",
        ));
    watchfloor(&db)
        .args(["person", "deactivate", "bo.chen"])
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("team network (lead)")
                .and(predicate::str::contains("person cy.diaz (manager)")),
        );

    // A stale edit is refused; the latest goes through and moves the version.
    run(
        &db,
        &["person", "edit", "cy.diaz", "--phone", "+44 20 7946 0000"],
    );
    watchfloor(&db)
        .args([
            "person",
            "edit",
            "cy.diaz",
            "--role",
            "manager",
            "--if-version",
            &version.to_string(),
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains("was changed since you opened it"));
    // A person who left: out of the rotation first, then deactivated; kept, not listed.
    run(&db, &["service", "archive", "backup"]);
    run(&db, &["team", "edit", "storage", "--lead", ""]);
    run(&db, &["person", "edit", "cy.diaz", "--teams", ""]);
    let gone = run(&db, &["person", "deactivate", "cy.diaz"]);
    assert_eq!(gone.trim(), "- person cy.diaz (deactivate)");
    assert!(!run(&db, &["person", "list"]).contains("cy.diaz"));
    assert!(run(&db, &["person", "list", "--all"]).contains("deactivated"));
    let audit = common::raw_strings(
        &db,
        "SELECT action FROM audit_log WHERE entity = 'person:cy.diaz' ORDER BY id",
    );
    assert_eq!(
        audit,
        vec![
            "person.add",
            "person.edit",
            "person.edit",
            "person.deactivate"
        ]
    );
}

#[test]
fn contact_methods_are_kept_in_the_directory_and_edited_one_at_a_time() {
    let (tmp, db) = temp();
    let file = write(tmp.dir.path(), "org.toml", ORG);
    run(&db, &["org", "apply", &file]);
    let shown = run(&db, &["person", "show", "ana.silva"]);
    assert!(
        shown.contains(
            "email:ana.silva@example.org; webhook:https://hooks.example.org/ana after 2m"
        ),
        "{shown}"
    );
    let bo = run(&db, &["person", "show", "bo.chen"]);
    assert!(
        bo.contains("console; email:bo.chen@example.org (none set: the defaults)"),
        "{bo}"
    );
    run(
        &db,
        &[
            "person",
            "edit",
            "ana.silva",
            "--add-contact",
            "ntfy:https://ntfy.sh/ana-pager",
            "--remove-contact",
            "webhook",
        ],
    );
    let json: serde_json::Value =
        serde_json::from_str(&run(&db, &["person", "show", "ana.silva", "--json"])).unwrap();
    assert_eq!(
        json["contacts"],
        serde_json::json!([
            { "kind": "email", "to": "ana.silva@example.org", "after_minutes": 0 },
            { "kind": "ntfy", "to": "https://ntfy.sh/ana-pager", "after_minutes": 0 },
        ])
    );
    let plan = run(&db, &["org", "plan", &file]);
    assert_eq!(plan.trim(), "~ person ana.silva (contact)");
    let audit = audit_rows(&db);
    watchfloor(&db)
        .args(["person", "edit", "ana.silva", "--add-contact", "pager:555"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("unknown contact method 'pager'"));
    watchfloor(&db)
        .args(["person", "edit", "ana.silva", "--remove-contact", "slack"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "ana.silva has no contact method 'slack'",
        ));
    assert_eq!(audit_rows(&db), audit, "refused: nothing written");
}

#[test]
fn people_come_from_an_hr_export_as_a_plan_then_in_one_transaction() {
    let (tmp, db) = temp();
    run(
        &db,
        &["org", "apply", &write(tmp.dir.path(), "org.toml", ORG)],
    );
    let csv = write(
        tmp.dir.path(),
        "hr.csv",
        "Username,First Name,Last Name,Mail,Department,Manager,Status\n\
         ana.silva,Ana,Silva,ana.silva@example.org,network;identity,bo.chen@example.org,Active\n\
         dev.rao,Dev,Rao,dev.rao@example.org,identity,bo.chen,Active\n\
         bo.chen,Bo,Chen,bo.chen@example.org,network,,Active\n",
    );
    let plan = run(&db, &["person", "import", &csv]);
    assert!(plan.contains("+ person dev.rao"), "{plan}");
    assert!(plan.contains("dry run"), "{plan}");
    assert_eq!(common::raw_integer(&db, "SELECT count(*) FROM people"), 2);
    let done = run(&db, &["person", "import", &csv, "--commit"]);
    assert!(done.contains("3 people read: 1 to add"), "{done}");
    let dev: serde_json::Value =
        serde_json::from_str(&run(&db, &["person", "show", "dev.rao", "--json"])).unwrap();
    assert_eq!(dev["manager"], "bo.chen");
    assert_eq!(dev["name"], "Dev Rao");

    let bad = write(
        tmp.dir.path(),
        "bad.csv",
        "login,name,team,time zone\nnew.one,New One,network,Nowhere/Else\nx.y,X Y,payments,UTC\n",
    );
    watchfloor(&db)
        .args(["person", "import", &bad, "--commit"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "bad.csv: line 3: person 'x.y': team 'payments' is not in the directory",
        ));
    let bad = write(
        tmp.dir.path(),
        "bad2.csv",
        "login,name,time zone\nnew.one,New One,Nowhere/Else\n",
    );
    watchfloor(&db)
        .args(["person", "import", &bad, "--commit"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "bad2.csv:2: person 'new.one': time_zone: unknown time zone",
        ));
    assert_eq!(common::raw_integer(&db, "SELECT count(*) FROM people"), 3);
}

#[test]
fn init_writes_a_starter_that_applies_and_a_config_that_changes_nothing() {
    let (tmp, db) = temp();
    let dir = tmp.dir.path().join("start");
    let said = run(&db, &["init", "--dir", &dir.display().to_string()]);
    assert!(said.contains("org apply"), "{said}");
    let org = dir.join("org.toml").display().to_string();
    let config = dir.join("config.toml").display().to_string();
    run(&db, &["--config", &config, "org", "apply", &org]);
    let services = run(&db, &["--config", &config, "service", "list", "--plain"]);
    assert!(services.contains("vpn"), "{services}");
    watchfloor(&db)
        .args(["init", "--dir", &dir.display().to_string()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("already exists"));
}

#[test]
fn the_demo_directory_with_its_policies_exports_applies_to_an_empty_store_and_exports_the_same() {
    let (_tmp, db) = temp();
    watchfloor(&db)
        .args(["demo", "--no-tui", "--scale", "0.02"])
        .assert()
        .success();
    let exported = run(&db, &["org", "export"]);
    assert!(exported.contains("[[policies]]"), "{exported}");
    assert!(exported.contains("escalation_policy = "), "{exported}");
    let (tmp2, db2) = temp();
    let file = write(tmp2.dir.path(), "demo-org.toml", &exported);
    run(&db2, &["org", "apply", &file]);
    assert_eq!(run(&db2, &["org", "export"]), exported);
    let again = run(&db2, &["org", "plan", &file]);
    assert!(again.contains("no changes"), "{again}");
    // A policy's level naming someone unknown is refused by the policy's line.
    let broken = exported.replacen(
        "[[policies.levels]]\nteam = \"",
        "[[policies.levels]]\nteam = \"nobody-",
        1,
    );
    assert_ne!(broken, exported);
    let file = write(tmp2.dir.path(), "broken.toml", &broken);
    watchfloor(&db2)
        .args(["org", "apply", &file])
        .assert()
        .failure()
        .stderr(predicate::str::contains("levels names team 'nobody-"));
}

const AUDIENCES: &str = r#"
[[audiences]]
name = "identity-leads"
description = "Hear of sign-in outages"
to = ["email:identity-leads@example.org", "slack:https://hooks.slack.com/services/T0/B0/secret"]
services = ["sso", "ldap"]
min_severity = "SEV2"

[[audiences]]
name = "all-staff"
to = ["email:all-staff@example.org"]
"#;

#[test]
fn audiences_move_in_with_the_org_file_and_a_file_without_them_keeps_them() {
    let (tmp, db) = temp();
    let file = write(tmp.dir.path(), "org.toml", &format!("{ORG}{AUDIENCES}"));
    let plan = run(&db, &["org", "plan", &file]);
    assert!(
        plan.ends_with("+ audience all-staff\n+ audience identity-leads\n"),
        "{plan}"
    );
    run(&db, &["org", "apply", &file]);
    let shown = run(&db, &["audience", "show", "identity-leads"]);
    assert!(shown.contains("SEV2"), "{shown}");
    assert!(shown.contains("ldap, sso"), "{shown}");
    let audited = common::raw_integer(
        &db,
        "SELECT count(*) FROM audit_log WHERE action = 'audience.add'",
    );
    assert_eq!(audited, 2, "one audit row an audience");

    // An export gives them back, and applying it elsewhere gives the same file.
    let exported = run(&db, &["org", "export"]);
    assert!(exported.contains("[[audiences]]"), "{exported}");
    let (tmp2, db2) = temp();
    let file2 = write(tmp2.dir.path(), "exported.toml", &exported);
    run(&db2, &["org", "apply", &file2]);
    assert_eq!(run(&db2, &["org", "export"]), exported);

    // The file from before audiences silences nobody; `archived = true` retires one.
    let without = write(tmp.dir.path(), "without.toml", ORG);
    let plan = run(&db, &["org", "plan", &without]);
    assert!(!plan.contains("audience"), "{plan}");
    let retired = format!("{ORG}{AUDIENCES}archived = true\n");
    let retired = write(tmp.dir.path(), "retired.toml", &retired);
    let plan = run(&db, &["org", "plan", &retired]);
    assert_eq!(plan.trim(), "- audience all-staff (archive)");

    // Archiving a service an audience hears of names the audience.
    watchfloor(&db)
        .args(["service", "archive", "ldap"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "audience identity-leads (services)",
        ));
}
