//! The pager as `watchfloor serve` runs it, against real receivers on loopback: a page
//! reaches a webhook (signed, with its idempotency key) and a real mail server, with
//! hostile text inert in both; its links acknowledge once and refuse forgeries,
//! replays and expired copies; `kill -9` mid-send loses nothing; two serve processes
//! page once.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::cli::run_as;
use common::receivers::{MailServer, Received, Receiver, mail_server_available};
use common::serve::{Killed, http, serve_with, wait_for};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::path::Path;
use std::time::Duration;
use watchfloor::domain::page_link::{LinkAction, PageLink};

const LINK_SECRET: &str = "a-link-signing-secret-of-forty-bytes-long!";
const HOOK_SECRET: &str = "the-webhook-signing-key-for-tests";

fn private(path: &Path, text: &str) -> String {
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    path.display().to_string()
}

/// The `[pager]` config of these tests: links under a made-up public URL, secrets in
/// files, short timeouts and lease, and mail to `smtp_port` when given.
fn pager_config(dir: &Path, smtp_port: Option<u16>) -> String {
    let links = private(&dir.join("pager.key"), LINK_SECRET);
    let hooks = private(&dir.join("hook.key"), HOOK_SECRET);
    let mut config = format!(
        "[pager]\npublic_url = \"https://watchfloor.test\"\nsecret_file = \"{links}\"\nwebhook_secret_file = \"{hooks}\"\nsend_timeout_seconds = 3\nlease_seconds = 4\n"
    );
    if let Some(port) = smtp_port {
        config.push_str(&format!(
            "[pager.smtp]\nhost = \"127.0.0.1\"\nport = {port}\nsecurity = \"none\"\nfrom = \"watchfloor@example.org\"\n"
        ));
    }
    config
}

/// Sets a person's one contact method.
fn reached_by(db: &Path, person: &str, method: &str) {
    run_as(db, "ops", &["person", "edit", person, "--contact", method]);
}

/// Who is on call for payments now (the checkout policy's first level).
fn payments_on_call(db: &Path) -> String {
    common::cli::on_call_now_and_next(db, "payments").0
}

fn declare(db: &Path, title: &str) -> String {
    run_as(
        db,
        "ops",
        &[
            "incident",
            "declare",
            "--title",
            title,
            "--severity",
            "SEV1",
            "--service",
            "checkout",
        ],
    )
    .trim()
    .to_string()
}

fn signature_holds(r: &Received) -> bool {
    let (Some(signature), Some(stamp)) = (
        r.headers.get("x-watchfloor-signature"),
        r.headers.get("x-watchfloor-timestamp"),
    ) else {
        return false;
    };
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(HOOK_SECRET.as_bytes()).unwrap();
    mac.update(format!("{stamp}.{}", r.body).as_bytes());
    let expected = watchfloor::domain::page_link::hex(&mac.finalize().into_bytes());
    *signature == format!("sha256={expected}")
}

/// The path of a link (`/page/TOKEN`), to ask the serve under test for it.
fn path_of(url: &str) -> String {
    url.strip_prefix("https://watchfloor.test")
        .unwrap()
        .to_string()
}

#[test]
fn a_page_reaches_a_signed_webhook_and_real_mail_and_its_link_acknowledges_once() {
    if let Err(why) = mail_server_available() {
        return common::skipped(&why);
    }
    let (db, _store) = common::org_only();
    let dir = db.dir.path();
    let mail = MailServer::start(dir);
    let hooks = Receiver::start(0, Duration::ZERO);
    let person = payments_on_call(&db.path);
    run_as(
        &db.path,
        "ops",
        &[
            "person",
            "edit",
            &person,
            "--contact",
            &format!("webhook:{}", hooks.url("/ana")),
            "--add-contact",
            &format!("email:{person}@example.org"),
        ],
    );
    let (_serve, port) = serve_with(&db.path, dir, None, &pager_config(dir, Some(mail.port)));
    let hostile =
        "Disk full\r\nBcc: victim@example.org <script>alert(1)</script> @channel \u{1b}[31m";
    let incident = declare(&db.path, hostile);

    // The webhook: signed over its timestamp and body, with the delivery's key, JSON.
    let page = hooks.wait_for("the page's webhook", |r| r.json()["event"] == "page");
    assert!(
        signature_holds(&page),
        "the signature checks out: {:?}",
        page.headers
    );
    let key = page.headers.get("idempotency-key").unwrap();
    assert_eq!(page.json()["idempotency_key"], key.as_str());
    assert_eq!(page.json()["entity"], incident.as_str());
    let subject = page.json()["subject"].as_str().unwrap().to_string();
    assert!(subject.contains("Disk full"));
    assert!(!subject.contains('\r') && !subject.contains('\n') && !subject.contains('\u{1b}'));

    // The mail: one Subject line, no header smuggled in, the links in the text.
    let message = mail.wait_for("the page's mail", |m| m.contains(&incident));
    let head = message.split("\n\n").next().unwrap();
    assert!(
        !head
            .lines()
            .any(|l| l.to_ascii_lowercase().starts_with("bcc:")),
        "no header injected: {head}"
    );
    assert!(head.lines().any(|l| l.starts_with("Subject: ")));
    assert!(message.contains("To: "));
    assert!(message.contains("https://watchfloor.test/page/"));

    // The acknowledge link: a GET shows a button and changes nothing.
    let links = page.json()["links"].clone();
    let ack = path_of(links["ack"].as_str().unwrap());
    let (status, shown) = http(port, "GET", &ack, "", None);
    assert_eq!(status, 200);
    assert!(shown.contains("<form method=\"post\">"));
    assert!(!shown.contains("<script>"), "outside text is escaped");
    assert!(shown.contains("&lt;script&gt;"));
    let still: serde_json::Value = serde_json::from_str(&run_as(
        &db.path,
        "ops",
        &["incident", "show", &incident, "--json"],
    ))
    .unwrap();
    assert!(
        still["acknowledged_at"].is_null(),
        "a GET never acknowledges"
    );

    // Tampered, forged and expired links are refused and change nothing.
    let tampered = ack.replacen("-ack-", "-escalate-", 1);
    assert_eq!(http(port, "POST", &tampered, "", None).0, 403);
    let link = PageLink::verify(
        ack.strip_prefix("/page/").unwrap(),
        LINK_SECRET.as_bytes(),
        0,
    )
    .unwrap();
    let foreign = PageLink { ..link.clone() }.sign(b"someone-else's-secret-0123456789abcdef");
    assert_eq!(
        http(port, "POST", &format!("/page/{foreign}"), "", None).0,
        403
    );
    let expired = PageLink {
        expires_at: 1_000,
        ..link.clone()
    }
    .sign(LINK_SECRET.as_bytes());
    assert_eq!(
        http(port, "POST", &format!("/page/{expired}"), "", None).0,
        410
    );
    assert_eq!(http(port, "POST", "/page/not-a-link", "", None).0, 404);

    // The POST acknowledges as the person paged; the same link again is refused.
    let (status, done) = http(port, "POST", &ack, "", None);
    assert_eq!(status, 200, "{done}");
    assert!(done.contains(&format!("Acknowledged by {person}")));
    assert_eq!(
        http(port, "POST", &ack, "", None).0,
        409,
        "a link works once"
    );
    let escalate = PageLink {
        action: LinkAction::Escalate,
        ..link
    }
    .sign(LINK_SECRET.as_bytes());
    assert_eq!(
        http(port, "POST", &format!("/page/{escalate}"), "", None).0,
        409,
        "nothing to escalate once acknowledged"
    );
    let shown: serde_json::Value = serde_json::from_str(&run_as(
        &db.path,
        "ops",
        &["incident", "show", &incident, "--json"],
    ))
    .unwrap();
    assert!(!shown["acknowledged_at"].is_null());
    let timeline = run_as(&db.path, "ops", &["incident", "show", &incident]);
    assert!(timeline.contains(&format!("Acknowledged by {person} (from the page)")));
    assert!(timeline.contains(&format!("Paging stopped: acknowledged by {person}")));

    // Whoever heard the page hears it stopped, by the same channel.
    let follow_up = hooks.wait_for("the follow-up", |r| r.json()["event"] == "follow_up");
    assert!(signature_holds(&follow_up));
    assert!(
        follow_up.json()["subject"]
            .as_str()
            .unwrap()
            .contains(&format!("acknowledged by {person}"))
    );
    let listed: serde_json::Value =
        serde_json::from_str(&run_as(&db.path, "ops", &["page", "list", "--json"])).unwrap();
    let deliveries = listed[0]["deliveries"].as_array().unwrap();
    assert!(
        deliveries
            .iter()
            .any(|d| d["kind"] == "email" && d["state"] == "delivered")
    );
    assert!(deliveries.iter().any(|d| d["purpose"] == "follow_up"));
}

#[test]
fn serve_killed_mid_send_carries_on_after_a_restart_and_pages_nothing_twice() {
    let (db, _store) = common::org_only();
    let dir = db.dir.path();
    // The first request is answered only after 6 s: serve is killed while it waits.
    let hooks = Receiver::start(1, Duration::from_secs(6));
    let person = payments_on_call(&db.path);
    reached_by(&db.path, &person, &format!("webhook:{}", hooks.url("/p")));
    let config = pager_config(dir, None);
    let (serve, _) = serve_with(&db.path, dir, None, &config);
    let incident = declare(&db.path, "Checkout returns 500");
    let first = hooks.wait_for("the page to be in flight", |_| true);
    let key = first.headers.get("idempotency-key").unwrap().clone();
    kill_9(serve);

    let (_again, _) = serve_with(&db.path, dir, None, &config);
    let again = wait_for("the page sent again after the restart", || {
        let same: Vec<Received> = hooks
            .requests()
            .into_iter()
            .filter(|r| r.headers.get("idempotency-key") == Some(&key))
            .collect();
        (same.len() >= 2).then_some(same)
    });
    assert_eq!(again.len(), 2, "sent again once, under the same key");
    wait_for("the delivery recorded", || {
        let listed: serde_json::Value =
            serde_json::from_str(&run_as(&db.path, "ops", &["page", "list", "--json"])).unwrap();
        (listed[0]["deliveries"][0]["state"] == "delivered").then_some(())
    });
    let timeline = run_as(&db.path, "ops", &["incident", "show", &incident]);
    assert_eq!(
        timeline.matches("Paged level 1 of policy checkout").count(),
        1,
        "the level is paged once across the restart: {timeline}"
    );
}

#[test]
fn two_serve_processes_on_one_store_page_once_and_one_takes_over_from_the_other() {
    let (db, _store) = common::org_only();
    let dir = db.dir.path();
    let hooks = Receiver::start(0, Duration::ZERO);
    let person = payments_on_call(&db.path);
    reached_by(&db.path, &person, &format!("webhook:{}", hooks.url("/p")));
    let config = pager_config(dir, None);
    let one_dir = dir.join("one");
    let two_dir = dir.join("two");
    std::fs::create_dir_all(&one_dir).unwrap();
    std::fs::create_dir_all(&two_dir).unwrap();
    let (one, port_one) = serve_with(&db.path, &one_dir, None, &config);
    let (two, port_two) = serve_with(&db.path, &two_dir, None, &config);
    let first = declare(&db.path, "Checkout returns 500");
    hooks.wait_for("the first page", |r| r.json()["entity"] == first.as_str());
    // Both engines had time to look more than once: still one request per message.
    std::thread::sleep(Duration::from_secs(3));
    let keys: Vec<String> = hooks
        .requests()
        .iter()
        .map(|r| r.headers["idempotency-key"].clone())
        .collect();
    let mut unique = keys.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(keys.len(), unique.len(), "each message sent once: {keys:?}");

    // Whichever holds the lease dies; the other takes the pager over.
    let (dead, survivor) = if pager_state(port_one) == "paging" {
        (one, port_two)
    } else {
        (two, port_one)
    };
    assert_eq!(
        pager_state(survivor),
        "standing by",
        "one pages, the other waits"
    );
    kill_9(dead);
    let second = declare(&db.path, "Payments gateway timing out");
    hooks.wait_for("the page after the takeover", |r| {
        r.json()["entity"] == second.as_str()
    });
    assert_eq!(pager_state(survivor), "paging");
}

/// What `/healthz` says of the serve's pager: "paging" or "standing by".
fn pager_state(port: u16) -> String {
    let (_, health) = http(port, "GET", "/healthz", "", None);
    let health: serde_json::Value = serde_json::from_str(&health).unwrap();
    health["pager"]["state"].as_str().unwrap().to_string()
}

fn kill_9(mut process: Killed) {
    let pid = process.0.id() as i32;
    let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
    let _ = process.0.wait();
}

use std::process::Command;

#[test]
fn hostile_text_reaches_every_chat_channel_and_the_hook_inert() {
    let (db, _store) = common::org_only();
    let dir = db.dir.path();
    let hooks = Receiver::start(0, Duration::ZERO);
    let person = payments_on_call(&db.path);
    let hook_out = dir.join("hook.json");
    run_as(
        &db.path,
        "ops",
        &[
            "person",
            "edit",
            &person,
            "--contact",
            &format!("slack:{}", hooks.url("/slack")),
            "--add-contact",
            &format!("teams:{}", hooks.url("/teams")),
            "--add-contact",
            &format!("mattermost:{}", hooks.url("/mattermost")),
            "--add-contact",
            &format!("matrix:{}", hooks.url("/matrix")),
            "--add-contact",
            &format!("ntfy:{}", hooks.url("/ops-pager")),
            "--add-contact",
            "command",
        ],
    );
    let config = format!(
        "{}[notify]\ncommand = [\"/bin/sh\", \"-c\", \"cat > '{}'\"]\ntimeout_seconds = 5\n",
        pager_config(dir, None),
        hook_out.display()
    );
    let (_serve, _) = serve_with(&db.path, dir, None, &config);
    let hostile = "DB <!here> @channel [click](http://evil.example) <script>x</script>\n\u{1b}]8;;http://evil\u{7}";
    let incident = declare(&db.path, hostile);
    let at = |path: &str| hooks.wait_for(path, |r| r.path == path).json();

    let slack = at("/slack")["text"].as_str().unwrap().to_string();
    assert!(
        !slack.contains("<!here>") && !slack.contains("@channel"),
        "{slack}"
    );
    assert!(!slack.contains("[click](http"), "{slack}");
    assert!(slack.contains("|Acknowledge>"), "links stay links: {slack}");

    let teams = at("/teams");
    let card = &teams["attachments"][0]["content"];
    assert_eq!(card["type"], "AdaptiveCard");
    assert_eq!(card["actions"].as_array().unwrap().len(), 3);
    assert!(!card.to_string().contains("@channel"));

    let mattermost = at("/mattermost")["text"].as_str().unwrap().to_string();
    assert!(!mattermost.contains("@channel") && !mattermost.contains("[click](http"));
    assert!(mattermost.contains("[Acknowledge](https://watchfloor.test/page/"));

    let matrix = at("/matrix");
    let html = matrix["html"].as_str().unwrap();
    assert!(
        !html.contains("<script>") && html.contains("&lt;script&gt;"),
        "{html}"
    );

    // ntfy's JSON goes to the server's root, naming the topic.
    let ntfy = at("/");
    assert_eq!(ntfy["topic"], "ops-pager");
    let title = ntfy["title"].as_str().unwrap();
    assert!(!title.contains('\n') && !title.contains('\u{1b}') && !title.contains('\u{7}'));
    assert_eq!(ntfy["actions"].as_array().unwrap().len(), 3);

    let event = wait_for("the hook's event", || {
        std::fs::read_to_string(&hook_out)
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
    });
    assert_eq!(event["entity"], incident.as_str());
    assert_eq!(event["event"], "page");
    for r in hooks.requests() {
        assert!(
            !r.body.contains('\u{1b}') && !r.body.contains("\\u001b"),
            "no escape sequence reaches {}: {}",
            r.path,
            r.body
        );
    }
}

#[test]
fn mail_goes_through_a_relay_that_requires_tls_and_a_login() {
    if let Err(why) = mail_server_available() {
        return common::skipped(&why);
    }
    let (db, _store) = common::org_only();
    let dir = db.dir.path();
    let Some(relay) =
        common::receivers::TlsRelay::start(dir, "watchfloor", "relay-password", "starttls")
    else {
        return common::skipped("openssl could not make the relay's certificates");
    };
    let person = payments_on_call(&db.path);
    run_as(
        &db.path,
        "ops",
        &[
            "person",
            "edit",
            &person,
            "--contact",
            &format!("email:{person}@example.org"),
        ],
    );
    let config_with = |password_text: &str, ca: &str| {
        relay_config(dir, relay.port, "starttls", password_text, ca)
    };
    let test_page = |config: &Path| test_page(&db.path, config, &person);

    let good = config_with("relay-password", &relay.ca.display().to_string());
    let out = test_page(&good);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("delivered"), "{text}");
    let messages = relay.mail.messages();
    assert_eq!(messages.len(), 1);
    assert!(messages[0].contains(&format!("To: {person}@example.org")));

    // An unknown authority and a wrong password are refused, and said.
    let untrusted = config_with("relay-password", "");
    let out = test_page(&untrusted);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("FAILED"));
    let wrong = config_with("not-the-password", &relay.ca.display().to_string());
    let out = test_page(&wrong);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("FAILED"));
    assert_eq!(relay.mail.messages().len(), 1, "nothing more was accepted");

    // Implicit TLS (port 465 style) to a relay that speaks TLS from the first byte.
    let tls =
        common::receivers::TlsRelay::start(dir, "watchfloor", "relay-password", "tls").unwrap();
    let config = relay_config(
        dir,
        tls.port,
        "tls",
        "relay-password",
        &tls.ca.display().to_string(),
    );
    let out = test_page(&config);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(tls.mail.messages().len(), 1);
}

#[test]
fn mail_can_go_to_a_local_sendmail() {
    let (db, _store) = common::org_only();
    let dir = db.dir.path();
    let person = payments_on_call(&db.path);
    run_as(
        &db.path,
        "ops",
        &[
            "person",
            "edit",
            &person,
            "--contact",
            &format!("email:{person}@example.org"),
        ],
    );
    // A sendmail that keeps its arguments and the message it is handed.
    let kept = dir.join("sendmail.out");
    let program = dir.join("sendmail");
    std::fs::write(
        &program,
        format!(
            "#!/bin/sh\necho \"$@\" > '{0}.args'\ncat > '{0}'\n",
            kept.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(
        &program,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let config = dir.join("sendmail.toml");
    std::fs::write(
        &config,
        format!(
            "[pager.smtp]\nhost = \"\"\nsendmail = \"{}\"\nfrom = \"watchfloor@example.org\"\n",
            program.display()
        ),
    )
    .unwrap();
    let out = test_page(&db.path, &config, &person);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let message = std::fs::read_to_string(&kept).unwrap();
    assert!(message.contains(&format!("To: {person}@example.org")));
    assert!(message.contains("Subject: [watchfloor] Test page for"));
    let args = std::fs::read_to_string(format!("{}.args", kept.display())).unwrap();
    assert!(args.contains(&format!("{person}@example.org")), "{args}");
}

/// `page test PERSON` with this config; its output.
fn test_page(db: &Path, config: &Path, person: &str) -> std::process::Output {
    let mut cmd = common::cli::watchfloor_process(db);
    cmd.arg("--config")
        .arg(config)
        .args(["--as", "ops", "page", "test", person]);
    cmd.output().unwrap()
}

/// A `[pager.smtp]` for a relay on loopback that wants `security` and a login.
fn relay_config(
    dir: &Path,
    port: u16,
    security: &str,
    password_text: &str,
    ca: &str,
) -> std::path::PathBuf {
    let password = dir.join(format!("smtp-{security}.password"));
    private(&password, password_text);
    let path = dir.join(format!("relay-{security}.toml"));
    std::fs::write(
        &path,
        format!(
            "[pager.smtp]\nhost = \"localhost\"\nport = {port}\nsecurity = \"{security}\"\nfrom = \"watchfloor@example.org\"\nusername = \"watchfloor\"\npassword_file = \"{}\"\nca_file = \"{ca}\"\nsendmail = \"\"\n[pager]\nsend_timeout_seconds = 5\n",
            password.display()
        ),
    )
    .unwrap();
    path
}

#[test]
fn a_reachability_check_asks_everyone_due_on_call_and_records_who_confirmed() {
    let (db, _store) = common::org_only();
    let dir = db.dir.path();
    let hooks = Receiver::start(0, Duration::ZERO);
    let (current, next) = common::cli::on_call_now_and_next(&db.path, "payments");
    for person in [&current, &next] {
        run_as(
            &db.path,
            "ops",
            &[
                "person",
                "edit",
                person,
                "--contact",
                &format!("webhook:{}", hooks.url(&format!("/{person}"))),
            ],
        );
    }
    let config = dir.join("check.toml");
    std::fs::write(&config, pager_config(dir, None)).unwrap();
    let mut cmd = common::cli::watchfloor_process(&db.path);
    cmd.arg("--config").arg(&config).args([
        "--as", "ops", "oncall", "check", "payments", "--days", "8", "--json",
    ]);
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let asked: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let asked: Vec<&str> = asked
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["person"].as_str().unwrap())
        .collect();
    assert!(
        asked.contains(&current.as_str()) && asked.contains(&next.as_str()),
        "{asked:?}"
    );

    // The current one confirms with the test page's link, through serve.
    let (_serve, port) = serve_with(&db.path, dir, None, &pager_config(dir, None));
    let test = hooks.wait_for("the test page", |r| r.path == format!("/{current}"));
    assert_eq!(test.json()["event"], "test");
    let confirm = path_of(test.json()["links"]["confirm"].as_str().unwrap());
    let (status, shown) = http(port, "GET", &confirm, "", None);
    assert_eq!(status, 200);
    assert!(shown.contains("Confirm I got it"));
    assert_eq!(http(port, "POST", &confirm, "", None).0, 200);
    assert_eq!(http(port, "POST", &confirm, "", None).0, 409, "once");
    let shown = run_as(&db.path, "ops", &["person", "show", &current]);
    assert!(
        shown.contains("reachable, confirmed") && shown.contains("by webhook"),
        "{shown}"
    );
    let shown = run_as(&db.path, "ops", &["person", "show", &next]);
    assert!(shown.contains("not confirmed (asked"), "{shown}");
    run_as(&db.path, &next, &["oncall", "confirm"]);
    let shown = run_as(&db.path, "ops", &["person", "show", &next]);
    assert!(
        shown.contains("reachable, confirmed") && shown.contains("by cli"),
        "{shown}"
    );
}

#[test]
fn a_handoff_pages_the_incoming_person_whose_link_acknowledges_it_once() {
    let (db, _store) = common::org_only();
    let dir = db.dir.path();
    let hooks = Receiver::start(0, Duration::ZERO);
    let (now, next) = common::cli::on_call_now_and_next(&db.path, "payments");
    let pair = [now, next];
    for person in &pair {
        reached_by(
            &db.path,
            person,
            &format!("webhook:{}", hooks.url(&format!("/{person}"))),
        );
    }
    let (incoming, outgoing) =
        common::cli::handed_over_minutes_ago(&db.path, "payments", [&pair[0], &pair[1]], 5);
    declare(&db.path, "Refunds <b>stuck</b> in pending");
    let (_serve, port) = serve_with(&db.path, dir, None, &pager_config(dir, None));
    let handoff = hooks.wait_for("the hand-off", |r| {
        r.path == format!("/{incoming}") && r.json()["event"] == "handoff"
    });
    assert!(signature_holds(&handoff));
    let message = handoff.json()["text"]
        .as_str()
        .unwrap_or_default()
        .to_string()
        + handoff.json()["body"].as_str().unwrap_or_default();
    assert!(message.contains("# Hand-off: payments"), "{}", handoff.body);
    assert!(message.contains(&format!("from {outgoing}")), "{message}");
    let ack = path_of(handoff.json()["links"]["handoff"].as_str().unwrap());
    let (status, shown) = http(port, "GET", &ack, "", None);
    assert_eq!(status, 200, "{shown}");
    assert!(
        shown.contains(&format!("Acknowledge as {incoming}")),
        "{shown}"
    );
    assert!(
        shown.contains("Refunds") && shown.contains("stuck") && !shown.contains("<b>stuck"),
        "the report is escaped: {shown}"
    );
    assert_eq!(http(port, "POST", &ack, "", None).0, 200);
    assert_eq!(http(port, "POST", &ack, "", None).0, 409, "once");
    let listed: serde_json::Value = serde_json::from_str(&run_as(
        &db.path,
        "ops",
        &["oncall", "handoffs", "payments", "--json"],
    ))
    .unwrap();
    assert_eq!(listed[0]["incoming"], incoming.as_str());
    assert_eq!(listed[0]["acknowledged_how"], "webhook link");
}
