//! Satisfaction after a ticket, through the real binary: a rating and a comment
//! recorded by hand on a resolved ticket (refused on an open one, out of range, or
//! later replaced), shown on the ticket, and the period's figures — mean, share of 4s
//! and 5s, response rate, by group and service — in the report, computed by hand here;
//! the low ratings behind the KPI; and the import's csat column.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::cli::{run_as, watchfloor};
use common::org_only;
use predicates::prelude::*;

fn resolved_ticket(db: &std::path::Path, title: &str, group: &str) -> String {
    let out = run_as(
        db,
        "ops",
        &[
            "ticket", "new", "--title", title, "--group", group, "--json",
        ],
    );
    let created: serde_json::Value = serde_json::from_str(&out).unwrap();
    let key = created["key"].as_str().unwrap().to_string();
    run_as(db, "ops", &["ticket", "resolve", &key]);
    key
}

/// Today, whole: a record stamped in the second a `7d` report runs falls in the next.
fn today() -> String {
    let day = chrono::Utc::now().format("%Y-%m-%d").to_string();
    format!("{day}..{day}")
}

#[test]
fn ratings_by_hand_reach_the_ticket_and_the_report_with_figures_computed_by_hand() {
    let (db, store) = org_only();
    let today = today();
    let groups: Vec<String> = store.teams().unwrap().into_iter().map(|t| t.name).collect();
    let (a, b) = (groups[0].as_str(), groups[1].as_str());
    // Four resolved: three rated 5 and 4 (group a) and 2 (group b), one not rated.
    let one = resolved_ticket(&db.path, "VPN drops", a);
    let two = resolved_ticket(&db.path, "Printer jams", a);
    let three = resolved_ticket(&db.path, "Laptop slow", b);
    resolved_ticket(&db.path, "Mail bounce", b);
    let said = run_as(&db.path, "ops", &["ticket", "csat", &one, "--rating", "3"]);
    assert_eq!(said.trim(), format!("{one}: satisfaction 3 of 5 recorded"));
    // A later answer replaces the first.
    run_as(
        &db.path,
        "ops",
        &[
            "ticket",
            "csat",
            &one,
            "--rating",
            "5",
            "--comment",
            "Fixed in minutes",
        ],
    );
    run_as(&db.path, "ops", &["ticket", "csat", &two, "--rating", "4"]);
    run_as(
        &db.path,
        "ops",
        &[
            "ticket",
            "csat",
            &three,
            "--rating",
            "2",
            "--comment",
            "Took three days <b>",
        ],
    );
    let shown = run_as(&db.path, "ops", &["ticket", "show", &one]);
    assert!(
        shown.contains("satisfaction    5 of 5 — \"Fixed in minutes\""),
        "{shown}"
    );
    let json: serde_json::Value = serde_json::from_str(&run_as(
        &db.path,
        "ops",
        &["ticket", "show", &three, "--json"],
    ))
    .unwrap();
    assert_eq!(json["csat"], 2);
    assert_eq!(json["csat_response"]["comment"], "Took three days <b>");
    assert_eq!(json["csat_response"]["via"], "hand");

    let report = run_as(
        &db.path,
        "ops",
        &["report", "--period", &today, "--format", "json"],
    );
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    let csat = &report["csat"];
    // (5 + 4 + 2) / 3; two of three are 4 or 5; three of four resolved were rated.
    assert!(
        (csat["mean"].as_f64().unwrap() - 11.0 / 3.0).abs() < 1e-9,
        "{csat}"
    );
    assert!((csat["positive"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(csat["response_rate"], 0.75);
    let by_group: Vec<(String, i64)> = csat["by_group"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g[0].as_str().unwrap().to_string(),
                g[1]["rating_sum"].as_i64().unwrap(),
            )
        })
        .collect();
    let mut wanted = vec![(a.to_string(), 9), (b.to_string(), 2)];
    wanted.sort();
    assert_eq!(by_group, wanted);
    let md = run_as(&db.path, "ops", &["report", "--period", &today]);
    assert!(
        md.contains("| CSAT (mean rating) | 3.67 of 5 | 4.5 of 5 |"),
        "{md}"
    );
    assert!(
        md.contains("| Response rate | 75.0% (3 of 4 resolved) | |"),
        "{md}"
    );
    let narrowed = run_as(
        &db.path,
        "ops",
        &["report", "--period", &today, "--team", b],
    );
    assert!(
        narrowed.contains("| CSAT (mean rating) | 2.00 of 5 |"),
        "{narrowed}"
    );

    // Behind the KPI: the low ratings, the lowest first.
    let behind = {
        use watchfloor::metrics::drill::records_behind;
        use watchfloor::metrics::scope::ResolvedScope;
        let config = watchfloor::config::Config::default();
        let now = chrono::Utc::now();
        let period = watchfloor::metrics::period::Period::parse(&today, now).unwrap();
        let everything = ResolvedScope::everything();
        let r = watchfloor::metrics::report::compute(&store, &config, period, now, &everything)
            .unwrap();
        records_behind(&store, &r, &everything, "CSAT", now)
            .unwrap()
            .unwrap()
    };
    assert_eq!(behind.len(), 1);
    assert!(
        behind[0].text.contains("rated 2 of 5"),
        "{}",
        behind[0].text
    );
}

#[test]
fn a_rating_is_for_a_resolved_ticket_from_one_to_five() {
    let (db, _store) = org_only();
    let out = run_as(
        &db.path,
        "ops",
        &["ticket", "new", "--title", "Open still", "--json"],
    );
    let key: serde_json::Value = serde_json::from_str(&out).unwrap();
    let key = key["key"].as_str().unwrap();
    watchfloor(&db.path)
        .args(["ticket", "csat", key, "--rating", "4"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "satisfaction is asked once it is resolved",
        ));
    watchfloor(&db.path)
        .args(["ticket", "csat", key, "--rating", "6"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("6 is not in 1..=5"));
    let store = common::open(&db.path);
    assert_eq!(
        store.ticket(key.parse().unwrap()).unwrap().unwrap().csat,
        None
    );
}

#[test]
fn the_import_takes_a_csat_column_and_its_comment() {
    let (db, _store) = org_only();
    let dir = db.dir.path();
    let mapping = dir.join("desk.toml");
    std::fs::write(
        &mapping,
        "source = \"desk\"\ndate_format = \"%Y-%m-%d %H:%M\"\n\
         [columns]\nexternal_id = \"id\"\ntitle = \"subject\"\nstate = \"status\"\nopened_at = \"created\"\ncsat = \"rating\"\ncsat_comment = \"said\"\n\
         [states]\nopen = \"new\"\nsolved = \"resolved\"\n",
    )
    .unwrap();
    let desk = dir.join("desk.csv");
    std::fs::write(
        &desk,
        "id,subject,status,created,rating,said\n\
         7,Mail slow,solved,2026-11-02 09:15,4,Fixed before lunch\n\
         8,VPN,solved,2026-11-02 10:15,,never asked\n\
         9,Badge,solved,2026-11-02 11:15,9,\n",
    )
    .unwrap();
    let out = run_as(
        &db.path,
        "ops",
        &[
            "import",
            "tickets",
            desk.to_str().unwrap(),
            "--from",
            mapping.to_str().unwrap(),
            "--commit",
        ],
    );
    assert!(
        out.contains("line 4: csat: '9' is not a rating from 1 to 5"),
        "{out}"
    );
    let list: serde_json::Value = serde_json::from_str(&run_as(
        &db.path,
        "ops",
        &[
            "ticket", "list", "--view", "all", "--json", "--limit", "100",
        ],
    ))
    .unwrap();
    let mut ratings: Vec<(String, Option<i64>)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["title"].as_str().unwrap().to_string(), t["csat"].as_i64()))
        .collect();
    ratings.sort();
    let ratings: Vec<Option<i64>> = ratings.into_iter().map(|(_, r)| r).collect();
    assert_eq!(ratings, [Some(4), None], "Mail slow rated 4, VPN not");
    let mail = list
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["title"] == "Mail slow")
        .unwrap()["key"]
        .as_str()
        .unwrap()
        .to_string();
    let shown: serde_json::Value = serde_json::from_str(&run_as(
        &db.path,
        "ops",
        &["ticket", "show", &mail, "--json"],
    ))
    .unwrap();
    assert_eq!(shown["csat_response"]["comment"], "Fixed before lunch");
    assert_eq!(shown["csat_response"]["via"], "import");
}
