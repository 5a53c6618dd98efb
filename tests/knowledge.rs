//! Knowledge articles against a real store: every edit a kept version, what an article
//! applies to checked against the directory, the search ranking title matches first,
//! a folder of Markdown files with front matter round-tripping through export and
//! import, and hostile Markdown drawn inert.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::cli::{run_as, watchfloor};
use common::{org_only, t0};
use watchfloor::config::Config;
use watchfloor::domain::FixedClock;
use watchfloor::domain::article::{ArticleDraft, ArticleKind, ArticleState};
use watchfloor::store::{ArticleFilter, Store};
use watchfloor::workflow::{Actor, Workflow};

fn runbook(title: &str, body: &str) -> ArticleDraft {
    let mut d = ArticleDraft::new(title, ArticleKind::Runbook);
    d.body = body.into();
    d.services = vec!["checkout".into()];
    d.alerts = vec!["CheckoutDown".into()];
    d.state = ArticleState::Published;
    d
}

fn with_wf<T>(store: &Store, f: impl FnOnce(&Workflow<'_>) -> T) -> T {
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let actor = Actor::new("ops", Some("ana".into()));
    f(&Workflow::new(store, &config, &clock, &actor))
}

#[test]
fn every_edit_is_kept_and_bad_references_or_stale_versions_change_nothing() {
    let (_db, store) = org_only();
    with_wf(&store, |wf| {
        let a = wf
            .add_article(runbook("Fail over checkout", "1. Page the DBA\n2. Promote"))
            .unwrap();
        assert_eq!(a.version, 1);
        assert_eq!(a.steps(), ["Page the DBA", "Promote"]);
        let mut d = a.draft.clone();
        d.body.push_str("\n3. Check the lag");
        let b = wf.edit_article(a.key, 1, d.clone()).unwrap();
        assert_eq!(b.version, 2);
        let same = wf.edit_article(a.key, 2, d.clone()).unwrap();
        assert_eq!(
            same.version, 2,
            "an edit that changes nothing writes nothing"
        );
        let versions = store.article_versions(a.key).unwrap();
        assert_eq!(versions.len(), 2);
        assert_eq!(versions[0].body, "1. Page the DBA\n2. Promote");
        assert_eq!(versions[1].edited_by, "ana");

        let audit = store.audit_count().unwrap();
        let stale = wf.edit_article(a.key, 1, d.clone()).unwrap_err();
        assert!(
            stale.to_string().contains("changed by someone else"),
            "{stale}"
        );
        let mut bad = d.clone();
        bad.services = vec!["no-such-service".into()];
        let refused = wf.edit_article(a.key, 2, bad).unwrap_err();
        assert!(
            refused
                .to_string()
                .contains("unknown service 'no-such-service'"),
            "{refused}"
        );
        let mut bad = d;
        bad.owner = Some("nobody.here".into());
        assert!(wf.edit_article(a.key, 2, bad).is_err());
        assert_eq!(store.audit_count().unwrap(), audit, "nothing written");
        assert_eq!(store.article(a.key).unwrap().unwrap().version, 2);

        wf.retire_article(a.key, 2).unwrap();
        assert!(store.search_articles("Promote", 10).unwrap().is_empty());
        assert!(
            store
                .articles(&ArticleFilter {
                    limit: 10,
                    ..Default::default()
                })
                .unwrap()
                .is_empty()
        );
        assert!(
            store
                .articles_for(&["checkout".into()], &[], &[], &[])
                .unwrap()
                .is_empty(),
            "a retired runbook is not offered"
        );
    });
}

#[test]
fn search_ranks_title_matches_first_and_finds_what_applies_to_a_record() {
    let (_db, store) = org_only();
    with_wf(&store, |wf| {
        // The body-only match is the newer: the title match still comes first.
        let mut faq = ArticleDraft::new("Replication lag explained", ArticleKind::Faq);
        faq.body = "What it means.".into();
        faq.alerts = vec!["PostgresReplicationLag".into()];
        let titled = wf.add_article(faq).unwrap();
        let body_only = wf
            .add_article(runbook(
                "Restart the queue",
                "then check the replication lag",
            ))
            .unwrap();
        let found: Vec<_> = store
            .search_articles("replication", 10)
            .unwrap()
            .into_iter()
            .map(|a| a.key)
            .collect();
        assert_eq!(found, [titled.key, body_only.key]);
        assert_eq!(
            store.search_articles("lag", 10).unwrap().len(),
            2,
            "short words too"
        );
        let for_alert = store
            .articles_for(&[], &["PostgresReplicationLag".into()], &[], &[])
            .unwrap();
        assert_eq!(for_alert.len(), 1);
        let for_service = store
            .articles_for(&["checkout".into()], &[], &[], &[])
            .unwrap();
        assert_eq!(for_service[0].key, body_only.key);
    });
}

#[test]
fn a_folder_of_markdown_round_trips_and_a_bad_file_imports_nothing() {
    let (db, store) = org_only();
    let dir = db.dir.path().join("runbooks");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("failover.md"),
        "---\ntitle: Fail over checkout\nkind: runbook\nstate: published\nservices: [checkout]\nalerts:\n  - CheckoutDown\n---\n1. Page the DBA\n2. Promote the standby\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("vpn.md"),
        "---\ntitle: VPN will not connect\nkind: how-to\n---\nReinstall the profile.\n",
    )
    .unwrap();
    let out = run_as(&db.path, "ana", &["kb", "import", dir.to_str().unwrap()]);
    assert!(out.contains("2 files: 2 added"), "{out}");

    let exported = db.dir.path().join("exported");
    run_as(
        &db.path,
        "ana",
        &["kb", "export", exported.to_str().unwrap()],
    );
    let again = run_as(
        &db.path,
        "ana",
        &["kb", "import", exported.to_str().unwrap()],
    );
    assert!(again.contains("0 added, 0 updated, 2 unchanged"), "{again}");
    let names: Vec<String> = std::fs::read_dir(&exported)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().any(|n| n.ends_with("-fail-over-checkout.md")),
        "{names:?}"
    );

    std::fs::write(
        dir.join("zz-bad.md"),
        "---\ntitle: Broken\nservices: [checkout\n---\nbody\n",
    )
    .unwrap();
    let before = store.audit_count().unwrap();
    let failed = watchfloor(&db.path)
        .args(["kb", "import", dir.to_str().unwrap()])
        .assert()
        .failure();
    let said = String::from_utf8_lossy(&failed.get_output().stderr).to_string();
    assert!(
        said.contains("zz-bad.md: line 3: an inline list must end"),
        "{said}"
    );
    assert_eq!(store.audit_count().unwrap(), before, "nothing imported");
}

#[test]
fn hostile_markdown_is_stored_and_shown_inert() {
    let (db, store) = org_only();
    let key = with_wf(&store, |wf| {
        wf.add_article(runbook(
            "Clear \u{1b}[2Jthe screen",
            "1. Run \u{1b}]52;c;cm0gLXJm\u{7} now\n2. \u{1b}[31mred\u{1b}[0m",
        ))
        .unwrap()
        .key
    });
    let shown = run_as(&db.path, "ana", &["kb", "show", &key.to_string()]);
    assert!(
        !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
        "{shown:?}"
    );
    let listed = run_as(&db.path, "ana", &["kb", "search", "screen"]);
    assert!(!listed.contains('\u{1b}'), "{listed:?}");
}

#[test]
fn an_incident_brings_up_its_runbooks_and_ticking_a_step_writes_the_timeline() {
    use watchfloor::domain::alert::parse_payload;
    let (_db, store) = org_only();
    with_wf(&store, |wf| {
        let runbook = wf
            .add_article(runbook(
                "Fail over checkout",
                "1. Page the DBA\n2. Promote the standby\n3. Check the lag",
            ))
            .unwrap();
        let body = serde_json::json!({
            "version": "4",
            "alerts": [{
                "status": "firing",
                "labels": { "alertname": "CheckoutDown", "service": "checkout", "severity": "critical" },
                "annotations": {
                    "summary": "checkout is down",
                    "runbook_url": "https://wiki.example.org/runbooks/checkout-down"
                },
                "startsAt": t0().to_rfc3339(),
            }]
        })
        .to_string();
        let incident = wf
            .ingest_alerts(&parse_payload(body.as_bytes()).unwrap())
            .unwrap()
            .incidents_declared[0];
        let knowledge = watchfloor::views::knowledge::incident_knowledge(&store, incident).unwrap();
        assert_eq!(knowledge.articles[0].key, runbook.key);
        assert_eq!(
            knowledge.runbook_urls,
            [(
                "CheckoutDown".to_string(),
                "https://wiki.example.org/runbooks/checkout-down".to_string()
            )]
        );
        assert_eq!(knowledge.open_steps().len(), 3);

        wf.tick_runbook_step(incident, runbook.key, 2, "promoted orders-db-2")
            .unwrap();
        let timeline: Vec<String> = store
            .timeline(incident)
            .unwrap()
            .into_iter()
            .map(|e| e.text)
            .collect();
        assert!(
            timeline.contains(&format!(
                "{} step 2 done: promoted orders-db-2",
                runbook.key
            )),
            "{timeline:?}"
        );
        let again = wf
            .tick_runbook_step(incident, runbook.key, 2, "")
            .unwrap_err();
        assert!(again.to_string().contains("ticked already"), "{again}");
        let beyond = wf
            .tick_runbook_step(incident, runbook.key, 9, "")
            .unwrap_err();
        assert!(beyond.to_string().contains("has 3 steps"), "{beyond}");
        let knowledge = watchfloor::views::knowledge::incident_knowledge(&store, incident).unwrap();
        assert!(knowledge.is_ticked(runbook.key, 2));
        assert_eq!(knowledge.ticked[0].done_by, "ana");
        assert_eq!(knowledge.open_steps().len(), 2);
    });
}

#[test]
fn an_incident_shows_what_depends_on_its_services_and_through_which() {
    let (db, store) = org_only();
    let key = run_as(
        &db.path,
        "ana",
        &[
            "incident",
            "declare",
            "--title",
            "Checkout down",
            "--severity",
            "SEV2",
            "--service",
            "checkout",
        ],
    )
    .trim()
    .to_string();
    let shown: serde_json::Value = serde_json::from_str(&run_as(
        &db.path,
        "ana",
        &["incident", "show", &key, "--json"],
    ))
    .unwrap();
    let impacted: Vec<(String, String)> = shown["impacted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["service"].as_str().unwrap().to_string(),
                i["via"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        impacted.contains(&("storefront-web".to_string(), "checkout".to_string())),
        "{impacted:?}"
    );
    let expected = store.directory().unwrap().dependents("checkout");
    assert_eq!(
        impacted.len(),
        expected.len(),
        "every dependent, transitively, once"
    );
    let text = run_as(&db.path, "ana", &["incident", "show", &key]);
    assert!(text.contains("storefront-web (via checkout)"), "{text}");
}

#[test]
fn the_report_counts_knowledge_coverage_and_mttr_with_a_runbook_ticked() {
    use watchfloor::domain::incident::Severity;
    use watchfloor::workflow::{Declare, NewTicket};
    let (db, store) = org_only();
    with_wf(&store, |wf| {
        for (category, n) in [("access", 3), ("network", 1)] {
            for i in 0..n {
                let mut t = NewTicket::new(format!("{category} trouble {i}"));
                t.category = Some(category.into());
                wf.create_ticket(t).unwrap();
            }
        }
        let mut access = ArticleDraft::new("Reset a locked account", ArticleKind::HowTo);
        access.categories = vec!["access".into()];
        access.state = ArticleState::Published;
        wf.add_article(access).unwrap();
        let mut network = ArticleDraft::new("Network checklist", ArticleKind::HowTo);
        network.categories = vec!["network".into()];
        wf.add_article(network).unwrap();
        let rb = wf
            .add_article(runbook("Fail over checkout", "1. Promote the standby"))
            .unwrap();
        let declare = |title: &str| {
            wf.declare_incident(Declare {
                title: title.into(),
                severity: Severity::Sev3,
                services: vec!["checkout".into()],
                commander: None,
                impact_start: None,
                from_ticket: None,
            })
            .unwrap()
        };
        let with = declare("Checkout slow");
        wf.tick_runbook_step(with.key, rb.key, 1, "").unwrap();
        wf.resolve_incident(
            with.key,
            store.incident(with.key).unwrap().unwrap().version,
            false,
        )
        .unwrap();
    });
    let report: serde_json::Value = serde_json::from_str(&run_as(
        &db.path,
        "ana",
        &[
            "report",
            "--period",
            "2026-11-01..2026-11-30",
            "--format",
            "json",
        ],
    ))
    .unwrap();
    let k = &report["knowledge"];
    let topics = k["coverage"]["topics"].as_array().unwrap();
    assert!(
        topics.contains(&serde_json::json!(["category access", true])),
        "{k}"
    );
    assert!(
        topics.contains(&serde_json::json!(["category network", false])),
        "a draft covers nothing: {k}"
    );
    assert_eq!(k["with_runbook"], 1);
    assert_eq!(k["without_runbook"], 0);
    let md = run_as(
        &db.path,
        "ana",
        &["report", "--period", "2026-11-01..2026-11-30"],
    );
    assert!(md.contains("## Knowledge"), "{md}");
    assert!(
        md.contains("No published article yet: category network"),
        "{md}"
    );

    // The same figures on the metrics pane's scorecard, each with the records behind it.
    use watchfloor::metrics::{drill::records_behind, period::Period, report, scope};
    let config = Config::default();
    let all = scope::ResolvedScope::everything();
    let period = Period::parse("2026-11-01..2026-11-30", t0()).unwrap();
    let mut now = report::compute(&store, &config, period, t0(), &all).unwrap();
    let mut before = report::compute(&store, &config, period.previous(), t0(), &all).unwrap();
    let card = watchfloor::metrics::scorecard::scorecard(&now, &before, &config.kpi_targets);
    let line = |card: &[watchfloor::metrics::scorecard::Line], kpi: &str| {
        card.iter().find(|l| l.kpi == kpi).unwrap().clone()
    };
    assert_eq!(
        line(&card, "Knowledge coverage").value_text(),
        "no data",
        "not computed: said so, not zero"
    );
    watchfloor::metrics::knowledge::add_knowledge(&mut now, &store, &config, &all).unwrap();
    watchfloor::metrics::knowledge::add_knowledge(&mut before, &store, &config, &all).unwrap();
    let card = watchfloor::metrics::scorecard::scorecard(&now, &before, &config.kpi_targets);
    let coverage = line(&card, "Knowledge coverage");
    assert_eq!(coverage.value, Some(0.5), "access covered, network not");
    assert_eq!(coverage.value_text(), "50.0%");
    assert_eq!(
        coverage.judgement,
        watchfloor::metrics::scorecard::Judgement::Bad
    );
    assert_eq!(line(&card, "Articles past review").value_text(), "0");
    assert_eq!(line(&card, "MTTR with a runbook").value, Some(0.0));
    assert_eq!(line(&card, "MTTR without a runbook").value, None);
    let behind = |kpi: &str| -> Vec<String> {
        records_behind(&store, &now, &all, kpi, t0())
            .unwrap()
            .unwrap()
            .into_iter()
            .map(|r| r.text)
            .collect()
    };
    let uncovered = behind("Knowledge coverage");
    assert_eq!(uncovered.len(), 1, "{uncovered:?}");
    assert!(
        uncovered[0].starts_with("category network · no published article · the latest TKT-"),
        "{uncovered:?}"
    );
    assert_eq!(behind("MTTR with a runbook").len(), 1);
    assert!(behind("MTTR without a runbook").is_empty());
}

#[test]
fn a_ticket_shows_the_articles_for_its_category_and_service() {
    use watchfloor::workflow::NewTicket;
    let (db, store) = org_only();
    let (ticket, article) = with_wf(&store, |wf| {
        let mut how = ArticleDraft::new("Reset a locked account", ArticleKind::HowTo);
        how.categories = vec!["access".into()];
        how.state = ArticleState::Published;
        let article = wf.add_article(how).unwrap();
        let mut t = NewTicket::new("Locked out of email");
        t.category = Some("access".into());
        (wf.create_ticket(t).unwrap(), article)
    });
    let text = run_as(
        &db.path,
        "ana",
        &["ticket", "show", &ticket.key.to_string()],
    );
    assert!(
        text.contains(&format!("{} Reset a locked account", article.key)),
        "{text}"
    );
    let shown: serde_json::Value = serde_json::from_str(&run_as(
        &db.path,
        "ana",
        &["ticket", "show", &ticket.key.to_string(), "--json"],
    ))
    .unwrap();
    assert_eq!(shown["articles"][0]["title"], "Reset a locked account");
}

#[test]
fn availability_counts_dependents_only_when_the_config_says_so() {
    use watchfloor::domain::incident::Severity;
    use watchfloor::metrics::{period::Period, report, scope::ResolvedScope};
    use watchfloor::workflow::Declare;
    let (_db, store) = org_only();
    with_wf(&store, |wf| {
        wf.declare_incident(Declare {
            title: "Checkout down".into(),
            severity: Severity::Sev1,
            services: vec!["checkout".into()],
            commander: None,
            impact_start: Some(t0() - chrono::Duration::minutes(60)),
            from_ticket: None,
        })
        .unwrap();
    });
    let period = Period {
        from: t0() - chrono::Duration::hours(12),
        to: t0() + chrono::Duration::hours(12),
    };
    let availability = |config: &Config, service: &str| {
        let r =
            report::compute(&store, config, period, t0(), &ResolvedScope::everything()).unwrap();
        r.availability
            .iter()
            .find(|a| a.service == service)
            .unwrap()
            .availability
    };
    let mut config = Config::default();
    assert!(
        !config.kpi_targets.availability_counts_dependents,
        "off by default"
    );
    let an_hour_of_a_day = 1.0 - 60.0 / 1440.0;
    assert!((availability(&config, "checkout") - an_hour_of_a_day).abs() < 1e-9);
    assert_eq!(
        availability(&config, "storefront-web"),
        1.0,
        "today's figures"
    );
    config.kpi_targets.availability_counts_dependents = true;
    assert!(
        (availability(&config, "storefront-web") - an_hour_of_a_day).abs() < 1e-9,
        "storefront-web depends on checkout"
    );
    assert!((availability(&config, "checkout") - an_hour_of_a_day).abs() < 1e-9);
}
