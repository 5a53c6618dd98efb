//! End to end: the real binary in tmux at 80×24, driven by keys and read off the screen.
//! Needs tmux (`.ci/run` installs it); elsewhere the tests say plainly that they skipped.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_watchfloor");
const WAIT: Duration = Duration::from_secs(20);

fn tmux_available() -> bool {
    let found = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "tmux is required in CI (.ci/run installs it)"
        );
        common::skipped("tmux is not installed (scripts/test installs it)");
    }
    found
}

/// One tmux server of our own (its own socket), killed when dropped.
struct Tmux {
    socket: String,
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

impl Tmux {
    fn start(command: &str, width: u16, height: u16) -> Tmux {
        let socket = format!(
            "wf-e2e-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        );
        let tmux = Tmux { socket };
        let (w, h) = (width.to_string(), height.to_string());
        let out = tmux.run(&[
            "new-session",
            "-d",
            "-s",
            "main",
            "-x",
            &w,
            "-y",
            &h,
            command,
        ]);
        assert!(
            out.status.success(),
            "tmux failed to start: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        tmux
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .output()
            .expect("run tmux")
    }

    /// Sends keys one at a time, as a person types (so Esc is not read as Alt).
    fn keys(&self, keys: &[&str]) {
        for key in keys {
            self.run(&["send-keys", "-t", "main", key]);
            std::thread::sleep(Duration::from_millis(120));
        }
    }

    fn literal(&self, text: &str) {
        self.run(&["send-keys", "-t", "main", "-l", text]);
        std::thread::sleep(Duration::from_millis(120));
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "main"]).stdout).to_string()
    }

    fn screen_with_escapes(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-e", "-t", "main"]).stdout)
            .to_string()
    }

    fn format(&self, format: &str) -> String {
        let out = self.run(&["display-message", "-p", "-t", "main", format]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Waits for the shell line of `shell` after watchfloor ended: its exit code and
    /// the terminal modes (printed just after, so wait for those too).
    fn wait_for_exit(&self, code: i32) -> String {
        let exited = format!("exited with {code}");
        self.wait_until(&exited, |s| {
            s.contains(&exited)
                && s.lines()
                    .any(|l| l.trim().trim_start_matches('-') == "echo")
        })
    }

    fn wait_for(&self, needle: &str) -> String {
        self.wait_until(needle, |s| s.contains(needle))
    }

    fn wait_until(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            assert!(
                started.elapsed() < WAIT,
                "waited {WAIT:?} for {what:?}; the screen is:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

/// A shell line that runs watchfloor with a private home, then reports how it exited
/// and whether the terminal is back in cooked mode with echo.
fn shell(dir: &Path, args: &str, extra_env: &str) -> String {
    let d = dir.display();
    format!(
        "sh -c 'env HOME={d} XDG_CONFIG_HOME={d}/config XDG_DATA_HOME={d}/data WATCHFLOOR_LOG_DIR={d}/logs TMPDIR={d}/tmp {extra_env} {BIN} {args}; \
         echo \"exited with $?\"; stty -a | tr \" ;\" \"\\n\\n\" | grep -E \"^-?(icanon|echo)$\"; sleep 600'"
    )
}

fn workdir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("tmp")).unwrap();
    let path = dir.path().to_path_buf();
    (dir, path)
}

/// Runs the binary to completion (not in tmux), failing the test if it fails; what
/// it printed.
fn run_cli(db: &Path, args: &[&str]) -> String {
    common::cli::run_ok(
        Command::new(BIN)
            .args(args)
            .arg("--db")
            .arg(db)
            .env("WATCHFLOOR_LOG_DIR", common::cli::home(db).join("logs")),
    )
}

fn write_demo(db: &Path) {
    run_cli(db, &["demo", "--no-tui", "--scale", "0.25"]);
}

#[test]
fn demo_tabs_help_jump_and_quit_restore_the_terminal() {
    if !tmux_available() {
        return;
    }
    let (_guard, dir) = workdir();
    // An "editor" that retitles the article it is given, as a person would.
    let editor = dir.join("edit.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh\nsed -i 's/^title: .*/title: VPN first steps/' \"$1\"\n",
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let env = format!("EDITOR={}", editor.display());
    let tmux = Tmux::start(&shell(&dir, "demo", &env), 80, 24);
    let first = tmux.wait_for(" open");
    assert!(
        first.lines().next().unwrap().starts_with(
            "1 Tickets 2 Incidents 3 Changes 4 Reviews 5 Metrics 6 Stand-up 7 Dir 8 KB"
        ),
        "{first}"
    );
    assert!(first.contains("KEY") && first.contains("TKT-"), "{first}");

    tmux.keys(&["2"]);
    tmux.wait_for("D declares");
    tmux.keys(&["3"]);
    tmux.wait_for("Week of");
    tmux.keys(&["4"]);
    tmux.wait_for("reviews/actions/problems");
    tmux.keys(&["5"]);
    tmux.wait_for("trend against the period before");
    tmux.keys(&["Tab"]);
    tmux.wait_for("STAND-UP");
    tmux.keys(&["Tab"]);
    tmux.wait_for("[ Teams ]");
    tmux.keys(&["Tab"]);
    tmux.wait_for("Known errors");
    tmux.keys(&["Tab"]);
    tmux.wait_for("ASSIGNEE");
    tmux.keys(&["BTab"]);
    tmux.wait_for("Known errors");
    // The Knowledge pane: search as you type, read, and edit in $EDITOR.
    tmux.keys(&["/"]);
    // The runbook by its title: a known error about vpn may be newer, depending on the
    // history the demo draws up to now.
    tmux.literal("vpn: first");
    tmux.wait_for("/vpn: first");
    tmux.keys(&["Enter"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("vpn depends on");
    tmux.keys(&["e"]);
    let saved = tmux.wait_for("saved from the editor (version 2)");
    assert!(saved.contains("VPN first steps"), "{saved}");
    tmux.keys(&["Escape"]);
    tmux.keys(&["BTab"]);
    tmux.wait_for("[ Teams ]");
    tmux.keys(&["BTab"]);
    tmux.wait_for("STAND-UP");
    tmux.keys(&["BTab"]);
    tmux.wait_for("trend against the period before");
    tmux.keys(&["1"]);
    tmux.wait_for("ASSIGNEE");

    tmux.keys(&["?"]);
    let help = tmux.wait_for("Keys — ? or esc closes");
    assert!(
        help.contains("go to a record key or pane") && help.contains("q/ctrl-c"),
        "{help}"
    );
    tmux.keys(&["Escape"]);
    tmux.wait_until("help closed", |s| !s.contains("Keys — "));

    tmux.keys(&[":"]);
    tmux.literal("TKT-12");
    tmux.wait_for(":TKT-12");
    tmux.keys(&["Enter"]);
    let detail = tmux.wait_for("TKT-12 · ");
    assert!(detail.contains("Description"), "{detail}");
    tmux.keys(&["Escape"]);
    tmux.wait_for("ASSIGNEE");

    tmux.keys(&["q"]);
    let after = tmux.wait_for_exit(0);
    let lines: Vec<&str> = after.lines().map(str::trim).collect();
    assert!(
        lines.contains(&"icanon") && lines.contains(&"echo"),
        "terminal left in raw mode:\n{after}"
    );
    assert!(
        !after.contains("ASSIGNEE"),
        "the alternate screen was left:\n{after}"
    );
    assert_eq!(tmux.format("#{alternate_on}"), "0");
    assert_eq!(tmux.format("#{cursor_flag}"), "1", "cursor visible again");
    let leftovers: Vec<_> = std::fs::read_dir(dir.join("tmp")).unwrap().collect();
    assert!(
        leftovers.is_empty(),
        "the throwaway demo database was removed: {leftovers:?}"
    );
}

#[test]
fn too_small_then_resized_and_ctrl_c_quits() {
    if !tmux_available() {
        return;
    }
    let (_guard, dir) = workdir();
    let db = dir.join("demo.db");
    write_demo(&db);
    let tmux = Tmux::start(&shell(&dir, &format!("--db {}", db.display()), ""), 70, 20);
    let small = tmux.wait_for("Terminal too small");
    assert!(
        small.contains("70×20") && small.contains("at least 80×24"),
        "{small}"
    );
    tmux.run(&["resize-window", "-t", "main", "-x", "80", "-y", "24"]);
    tmux.wait_for("ASSIGNEE");
    // Growing the window while the console runs leaves nothing of it in the shell.
    tmux.run(&["resize-window", "-t", "main", "-x", "120", "-y", "40"]);
    tmux.wait_until("redrawn at 120 columns", |s| {
        s.lines().next().is_some_and(|l| l.trim_end().len() > 80) || s.contains("ASSIGNEE     ")
    });
    tmux.keys(&["C-c"]);
    let after = tmux.wait_for_exit(0);
    assert!(after.lines().any(|l| l.trim() == "icanon"), "{after}");
    assert!(
        !after.contains("TKT-") && !after.contains("ASSIGNEE"),
        "pieces of the console left in the shell:\n{after}"
    );
}

/// Colour codes in an SGR sequence (foreground, background, 256-colour and RGB).
fn colour_codes(screen: &str) -> Vec<String> {
    let mut found = Vec::new();
    for part in screen.split('\u{1b}').skip(1) {
        let Some(params) = part
            .strip_prefix('[')
            .and_then(|p| p.split_once('m'))
            .map(|(p, _)| p)
        else {
            continue;
        };
        for code in params.split(';').filter_map(|c| c.parse::<u16>().ok()) {
            if matches!(code, 30..=38 | 40..=48 | 90..=97 | 100..=107) {
                found.push(params.to_string());
            }
        }
    }
    found
}

#[test]
fn no_color_means_no_colour_codes_at_all() {
    if !tmux_available() {
        return;
    }
    let (_guard, dir) = workdir();
    let db = dir.join("demo.db");
    write_demo(&db);
    let args = format!("--db {}", db.display());
    let coloured = Tmux::start(&shell(&dir, &args, ""), 80, 24);
    coloured.wait_for("ASSIGNEE");
    assert!(
        !colour_codes(&coloured.screen_with_escapes()).is_empty(),
        "the default theme uses colour"
    );
    let plain = Tmux::start(&shell(&dir, &args, "NO_COLOR=1"), 80, 24);
    plain.wait_for("ASSIGNEE");
    let codes = colour_codes(&plain.screen_with_escapes());
    assert!(
        codes.is_empty(),
        "NO_COLOR screen has colour codes: {codes:?}"
    );
}

#[test]
fn two_consoles_on_one_database_see_a_new_ticket() {
    if !tmux_available() {
        return;
    }
    let (_guard, dir) = workdir();
    let db = dir.join("shared.db");
    write_demo(&db);
    let args = format!("--db {}", db.display());
    let first = Tmux::start(&shell(&dir, &args, ""), 80, 24);
    let second = Tmux::start(&shell(&dir, &format!("{args} --read-only"), ""), 80, 24);
    first.wait_for("ASSIGNEE");
    // The whole first frame, status bar included: tmux may be read mid-frame.
    second.wait_until("the read-only console's status bar", |shown| {
        shown.contains("ASSIGNEE") && shown.contains("READ-ONLY")
    });
    a_ticket_opened_elsewhere_joins_both_queues(&db, &first, &second);
}

/// Opens a ticket with the CLI and waits for both consoles' open-queue counts to grow
/// by one (the ticket itself may sort below the first screen, depending on the hour
/// the demo was written at).
fn a_ticket_opened_elsewhere_joins_both_queues(db: &Path, first: &Tmux, second: &Tmux) {
    let open = run_cli(db, &["ticket", "list", "--plain", "--limit", "100000"])
        .lines()
        .count();
    run_cli(
        db,
        &[
            "ticket",
            "new",
            "--title",
            "Shared queue check",
            "--impact",
            "1",
            "--urgency",
            "1",
        ],
    );
    let counted = format!("{} · sort", open + 1);
    first.wait_for(&counted);
    second.wait_for(&counted);
}

/// Two consoles (as on two jump hosts) on one PostgreSQL database: what one does, the
/// other shows on its next poll of the change counter.
#[test]
fn two_consoles_on_a_postgresql_server_follow_each_other() {
    if !tmux_available() {
        return;
    }
    if std::env::var_os("WATCHFLOOR_TEST_POSTGRES").is_none() {
        eprintln!(
            "SKIPPED: no PostgreSQL server (set WATCHFLOOR_TEST_POSTGRES, or run scripts/test)"
        );
        return;
    }
    let server = common::postgres_db::ServerDb::create();
    let (_guard, dir) = workdir();
    let cli = |args: &[&str]| run_cli(Path::new(&server.url), args);
    cli(&["demo", "--no-tui", "--scale", "0.1"]);
    let top = cli(&["ticket", "list", "--plain", "--limit", "1"]);
    let key = top.split('\t').next().unwrap().to_string();
    let someone = cli(&[
        "ticket", "list", "--view", "all", "--plain", "--limit", "200",
    ])
    .lines()
    .filter_map(|l| l.split('\t').nth(7))
    .find(|a| !a.is_empty() && *a != "-")
    .unwrap()
    .to_string();
    let args = format!("--db {} --as {someone}", server.url);
    let first = Tmux::start(&shell(&dir, &args, ""), 80, 24);
    let second = Tmux::start(
        &shell(
            &dir,
            &format!("--db {} --read-only", server.url),
            "NO_COLOR=1",
        ),
        80,
        24,
    );
    first.wait_for("ASSIGNEE");
    // The whole first frame, status bar included: tmux may be read mid-frame.
    second.wait_until("the read-only console's queue and status bar", |shown| {
        shown.contains("ASSIGNEE") && shown.contains("READ-ONLY") && shown.contains(&key)
    });
    // The first console takes the top ticket; the second shows who has it.
    first.keys(&["a"]);
    let name = &someone[..someone.len().min(7)];
    second.wait_until("the ticket taken", |s| {
        s.lines().any(|l| l.contains(&key) && l.contains(name))
    });
    a_ticket_opened_elsewhere_joins_both_queues(Path::new(&server.url), &first, &second);
}

#[test]
fn filter_then_triage_and_the_ticket_moves_to_my_queue() {
    if !tmux_available() {
        return;
    }
    let (_guard, dir) = workdir();
    let db = dir.join("queue.db");
    write_demo(&db);
    let raw = rusqlite::Connection::open(&db).unwrap();
    let me: String = raw
        .query_row(
            "SELECT login FROM people WHERE role = 'engineer' ORDER BY login LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    drop(raw);
    run_cli(
        &db,
        &[
            "ticket",
            "new",
            "--title",
            "Label printer offline in dock 4",
        ],
    );
    let tmux = Tmux::start(
        &shell(&dir, &format!("--db {} --as {me}", db.display()), ""),
        80,
        24,
    );
    tmux.wait_for("ASSIGNEE");
    tmux.keys(&["/"]);
    tmux.literal("printer offline");
    let filtered = tmux.wait_for("/printer offline");
    assert!(filtered.contains("Label printer"), "{filtered}");
    tmux.keys(&["Enter", "t"]);
    tmux.wait_for("priority from the matrix");
    for _ in 0..7 {
        tmux.keys(&["Tab"]);
    }
    tmux.literal(&me);
    // Enter picks the assignee; the next saves.
    tmux.keys(&["Enter"]);
    tmux.wait_for("enter save");
    tmux.keys(&["Enter"]);
    tmux.wait_for("triaged");
    tmux.keys(&["]"]);
    let mine = tmux.wait_for("My queue (2/10)");
    assert!(mine.contains("Label printer"), "{mine}");
    tmux.keys(&["/"]);
    tmux.keys(&["Escape"]);
    let cleared = tmux.wait_until("filter cleared", |s| !s.contains("filter /"));
    assert!(
        cleared.contains("Label printer"),
        "still in my queue without the filter:\n{cleared}"
    );
    tmux.keys(&["q"]);
    tmux.wait_for_exit(0);
}

#[test]
fn declare_note_update_see_a_second_console_and_resolve() {
    if !tmux_available() {
        return;
    }
    let (_guard, dir) = workdir();
    let db = dir.join("bridge.db");
    write_demo(&db);
    let raw = rusqlite::Connection::open(&db).unwrap();
    let me: String = raw
        .query_row(
            "SELECT login FROM people WHERE role = 'engineer' ORDER BY login LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    drop(raw);
    let args = format!("--db {} --as {me}", db.display());
    let first = Tmux::start(&shell(&dir, &args, ""), 80, 24);
    first.wait_for("ASSIGNEE");
    first.keys(&["D"]);
    first.wait_for("Declare an incident");
    first.literal("Label printers offline");
    first.keys(&["Tab"]);
    first.literal("SEV2");
    first.keys(&["Tab"]);
    first.literal("warehouse-wms");
    first.keys(&["Enter"]);
    first.wait_for("enter save");
    first.keys(&["Enter"]);
    let bridge = first.wait_for("Label printers offline ─");
    assert!(bridge.contains("SEV2 investigating"), "{bridge}");
    let key = bridge
        .split_whitespace()
        .find(|w| w.starts_with("INC-"))
        .unwrap()
        .to_string();
    first.literal("Printers in dock 4 cannot reach the spooler");
    first.keys(&["Enter"]);
    first.wait_for("cannot reach the spooler");
    first.literal("d: restart the spooler");
    first.keys(&["Enter"]);
    first.wait_for("DECISION restart the spooler");
    first.keys(&["Tab", "u"]);
    first.wait_for("status update for stakeholders");
    first.literal("Labels not printing in dock 4");
    first.keys(&["Enter"]);
    first.wait_for("status update posted");

    // A second console opens the same bridge and writes; the first sees it unprompted.
    let second = Tmux::start(&shell(&dir, &format!("--db {}", db.display()), ""), 80, 24);
    second.wait_for("ASSIGNEE");
    second.keys(&[":"]);
    second.literal(&key);
    second.keys(&["Enter"]);
    second.wait_for("restart the spooler");
    second.literal("Spooler restarted, queue draining");
    second.keys(&["Enter"]);
    first.wait_for("queue draining");

    first.keys(&["R"]);
    first.wait_for(&format!("Resolve {key}"));
    first.keys(&["Enter"]);
    first.wait_for(&format!("{key} resolved"));
    second.wait_for("Resolved");
    first.keys(&["Escape"]);
    first.wait_for("D declares");
    first.keys(&["q"]);
    first.wait_for_exit(0);
}

#[test]
fn an_escalation_due_is_shown_and_one_key_escalates_it() {
    if !tmux_available() {
        return;
    }
    let (_guard, dir) = workdir();
    let db = dir.join("escalate.db");
    write_demo(&db);
    let tmux = Tmux::start(&shell(&dir, &format!("--db {}", db.display()), ""), 100, 24);
    let screen = tmux.wait_for(" ESC ");
    let key = screen
        .split(" ESC ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap()
        .to_string();
    assert!(key.starts_with("TKT-") || key.starts_with("INC-"), "{key}");
    tmux.keys(&[":"]);
    tmux.literal(&key);
    tmux.keys(&["Enter"]);
    if key.starts_with("INC-") {
        tmux.wait_for("escalation due →");
        tmux.keys(&["Tab"]);
    } else {
        tmux.wait_for(&format!("{key} · "));
    }
    // `E` pages at once, so it asks first.
    tmux.keys(&["E"]);
    tmux.wait_for("It pages at once. y / N");
    tmux.keys(&["y"]);
    tmux.wait_for(&format!("{key} escalated to"));
    // What is due is read off the keys' thread: the status bar drops it a moment later.
    let due = format!("ESC {key}");
    tmux.wait_until(&format!("{key} no longer due"), |screen| {
        !screen.contains(&due)
    });
    let out = Command::new(BIN)
        .args(["ticket", "show", &key, "--json", "--db"])
        .arg(&db)
        .env("WATCHFLOOR_LOG_DIR", dir.join("logs"))
        .output()
        .unwrap();
    if key.starts_with("TKT-") {
        let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let activity = shown["activity"].to_string();
        assert!(activity.contains("Escalated to"), "{activity}");
    }
    tmux.keys(&["q"]);
    tmux.wait_for_exit(0);
}

#[test]
fn a_change_goes_submit_approve_schedule_complete_in_the_console() {
    if !tmux_available() {
        return;
    }
    let (_guard, dir) = workdir();
    let db = dir.join("changes.db");
    write_demo(&db);
    let raw = rusqlite::Connection::open(&db).unwrap();
    let manager: String = raw
        .query_row(
            "SELECT login FROM people WHERE role = 'manager' ORDER BY login LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    drop(raw);
    // Low risk, far from the demo's other changes and freezes: one approval, no conflicts.
    let out = Command::new(BIN)
        .args([
            "change",
            "new",
            "--title",
            "Resize ci-cd runners",
            "--service",
            "ci-cd",
            "--impact",
            "3",
            "--likelihood",
            "3",
            "--start",
            "2027-03-10T10:00:00Z",
            "--end",
            "2027-03-10T11:00:00Z",
            "--db",
        ])
        .arg(&db)
        .env("WATCHFLOOR_LOG_DIR", dir.join("logs"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let key = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let tmux = Tmux::start(
        &shell(&dir, &format!("--db {} --as {manager}", db.display()), ""),
        80,
        24,
    );
    tmux.wait_for("ASSIGNEE");
    tmux.keys(&[":"]);
    tmux.literal(&key);
    tmux.keys(&["Enter"]);
    tmux.wait_for(&format!("{key} · Resize ci-cd runners"));
    tmux.keys(&["s"]);
    tmux.wait_for(&format!("{key} is submitted"));
    tmux.keys(&["a"]);
    tmux.wait_for(&format!("Approve {key}"));
    tmux.literal("fine at CAB");
    tmux.keys(&["Enter"]);
    tmux.wait_for("it is approved");
    tmux.keys(&["S"]);
    tmux.wait_for(&format!("{key} scheduled"));
    tmux.keys(&["b"]);
    tmux.wait_for(&format!("{key} in progress"));
    tmux.keys(&["c"]);
    tmux.wait_for(&format!("{key}: completed"));
    tmux.literal("runners resized");
    tmux.keys(&["Enter"]);
    let done = tmux.wait_for(&format!("{key} is completed"));
    assert!(
        done.contains("runners resized") && done.contains("fine at CAB"),
        "{done}"
    );
    tmux.keys(&["Escape"]);
    tmux.wait_for("Week of");
    tmux.keys(&["q"]);
    tmux.wait_for_exit(0);
}

#[test]
fn resolve_fill_the_review_add_an_action_publish_and_close_it() {
    if !tmux_available() {
        return;
    }
    let (_guard, dir) = workdir();
    let db = dir.join("review.db");
    write_demo(&db);
    let raw = rusqlite::Connection::open(&db).unwrap();
    let me: String = raw
        .query_row(
            "SELECT login FROM people WHERE role = 'engineer' ORDER BY login LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    drop(raw);
    let tmux = Tmux::start(
        &shell(&dir, &format!("--db {} --as {me}", db.display()), ""),
        80,
        24,
    );
    tmux.wait_for("ASSIGNEE");
    tmux.keys(&["2"]);
    tmux.wait_for("D declares");
    tmux.keys(&["Enter"]);
    tmux.wait_for("SEV1");
    tmux.keys(&["Tab", "R"]);
    tmux.wait_for("Resolve INC-");
    tmux.keys(&["Enter"]);
    let resolved = tmux.wait_for("Review PIR-");
    let key = resolved
        .split("Review ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap()
        .to_string();
    tmux.keys(&["Escape", ":"]);
    tmux.literal(&key);
    tmux.keys(&["Enter"]);
    tmux.wait_for(&format!("{key} · INC-"));
    for _ in 0..5 {
        tmux.keys(&["j"]);
    }
    tmux.keys(&["e"]);
    tmux.wait_for("root cause");
    tmux.literal("The gateway pool was sized for last year's traffic");
    tmux.keys(&["Enter"]);
    tmux.wait_for("root cause saved");
    tmux.keys(&["n"]);
    tmux.wait_for("new action item");
    tmux.literal("Load-test the gateway pool quarterly");
    tmux.keys(&["Tab", "Tab"]);
    tmux.literal("2030-01-31");
    tmux.keys(&["Enter"]);
    let added = tmux.wait_for("added to");
    let id = added
        .split("action #")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap()
        .to_string();
    tmux.keys(&["p"]);
    tmux.wait_for(&format!("{key} is in review"));
    // Publishing is final, so it asks first.
    tmux.keys(&["p"]);
    tmux.wait_for(&format!("Publish {key}?"));
    tmux.keys(&["y"]);
    tmux.wait_for(&format!("{key} is published"));
    // Someone closes the action from the CLI; the open review shows it at once.
    run_cli(&db, &["action", "close", &id]);
    for _ in 0..7 {
        tmux.keys(&["j"]);
    }
    tmux.wait_until("the action shows done", |s| {
        s.contains(&format!("#{id} done · Load-test the gateway pool"))
    });
    tmux.keys(&["Escape"]);
    tmux.wait_for("reviews/actions/problems");
    tmux.keys(&["q"]);
    tmux.wait_for_exit(0);
}

#[test]
fn the_standup_screen_follows_another_console_and_quits_cleanly() {
    if !tmux_available() {
        return;
    }
    let (_guard, dir) = workdir();
    let db = dir.join("standup.db");
    write_demo(&db);
    let tmux = Tmux::start(
        &shell(&dir, &format!("--db {} standup", db.display()), ""),
        80,
        24,
    );
    let first = tmux.wait_for("Active incidents (");
    assert!(
        first.contains("STAND-UP") && first.contains("read-only"),
        "{first}"
    );
    assert!(first.contains("q quit"), "{first}");
    let active = |screen: &str| -> usize {
        let at = screen.find("Active incidents (").unwrap() + "Active incidents (".len();
        screen[at..].split(')').next().unwrap().parse().unwrap()
    };
    let before = active(&first);
    run_cli(
        &db,
        &[
            "incident",
            "declare",
            "--title",
            "Standup e2e",
            "--severity",
            "SEV1",
            "--service",
            "checkout",
        ],
    );
    let after = tmux.wait_until("one more active incident", |s| {
        s.contains("Active incidents (") && active(s) == before + 1
    });
    assert!(
        !after.contains("Standup e2e"),
        "titles stay off the screen:\n{after}"
    );
    // Keys that would write on the console do nothing here.
    tmux.keys(&["D"]);
    std::thread::sleep(Duration::from_millis(300));
    assert!(!tmux.screen().contains("Declare"), "{}", tmux.screen());
    tmux.keys(&["Escape"]);
    let done = tmux.wait_for_exit(0);
    let lines: Vec<&str> = done.lines().map(str::trim).collect();
    assert!(
        lines.contains(&"icanon") && lines.contains(&"echo"),
        "{done}"
    );
}

#[test]
fn export_csv_writes_the_list_as_shown_to_the_working_directory() {
    if !tmux_available() {
        return;
    }
    let (_guard, dir) = workdir();
    let db = dir.join("csv.db");
    write_demo(&db);
    let d = dir.display();
    let command = format!(
        "sh -c 'cd {d} && env HOME={d} WATCHFLOOR_LOG_DIR={d}/logs {BIN} --db {}; sleep 600'",
        db.display()
    );
    let tmux = Tmux::start(&command, 80, 24);
    tmux.wait_for("ASSIGNEE");
    // Narrow the list first: the file holds what the list shows.
    tmux.keys(&["/"]);
    tmux.literal("vpn");
    tmux.keys(&["Enter"]);
    let narrowed = tmux.wait_for("/vpn");
    let shown: usize = narrowed
        .lines()
        .nth(1)
        .and_then(|l| l.split("]▸ ").nth(1))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count on the view line:\n{narrowed}"));
    tmux.keys(&[":"]);
    tmux.literal("export csv");
    tmux.keys(&["Enter"]);
    let done = tmux.wait_for("tickets written to tickets-all_open-");
    assert!(done.contains(&format!("{shown} tickets written")), "{done}");
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().ends_with(".csv"))
        .expect("the CSV file")
        .path();
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.starts_with("key,priority,state,sla"), "{text}");
    assert_eq!(text.lines().count(), shown + 1);
}

#[test]
fn a_panic_or_an_error_in_the_console_restores_the_terminal_and_names_the_log() {
    if !tmux_available() {
        return;
    }
    for (kind, code) in [("panic", 101), ("error", 1)] {
        let (_guard, dir) = workdir();
        let db = dir.join("wf.db");
        drop(common::open(&db));
        run_cli(&db, &["ticket", "new", "--title", "disk full on db-07"]);
        let tmux = Tmux::start(
            &shell(
                &dir,
                &format!("--db {}", db.display()),
                &format!("WATCHFLOOR_CRASH_TEST={kind}"),
            ),
            80,
            24,
        );
        let after = tmux.wait_for_exit(code);
        let lines: Vec<&str> = after.lines().map(str::trim).collect();
        assert!(
            lines.contains(&"icanon") && lines.contains(&"echo"),
            "{kind}: terminal left in raw mode:\n{after}"
        );
        assert_eq!(tmux.format("#{alternate_on}"), "0", "{kind}");
        assert_eq!(tmux.format("#{cursor_flag}"), "1", "{kind}: cursor shown");
        // One short message naming the log, not a panic report.
        let log = dir.join("logs").join("watchfloor.log");
        let message: Vec<&str> = lines
            .iter()
            .copied()
            .filter(|l| l.starts_with("watchfloor:"))
            .collect();
        assert_eq!(message.len(), 1, "{kind}:\n{after}");
        assert!(
            after.replace('\n', "").contains(&log.display().to_string()),
            "{kind}: the log path is named:\n{after}"
        );
        assert!(!after.contains("RUST_BACKTRACE"), "{kind}:\n{after}");
        assert!(!after.contains("ASSIGNEE"), "{kind}:\n{after}");
        if kind == "panic" {
            let logged = std::fs::read_to_string(&log).unwrap();
            assert!(logged.contains("the console panicked"), "{logged}");
        }
    }
}

#[test]
fn a_user_keymap_from_the_config_drives_the_console_and_its_help() {
    if !tmux_available() {
        return;
    }
    let (_guard, dir) = workdir();
    let db = dir.join("keys.db");
    write_demo(&db);
    let config = dir.join("keys.toml");
    std::fs::write(
        &config,
        "[keys.global]\nhelp = [\"f1\"]\n[keys.ticket]\ntake = [\"t\"]\n",
    )
    .unwrap();
    let tmux = Tmux::start(
        &shell(
            &dir,
            &format!("--db {}", db.display()),
            &format!("WATCHFLOOR_CONFIG={}", config.display()),
        ),
        80,
        24,
    );
    // The conflict the config made is said at start, with the key and both actions.
    let first = tmux.wait_for("ASSIGNEE");
    assert!(
        first.contains("key 't' in ticket is bound to both take and triage"),
        "{first}"
    );
    // ? is unbound; F1 opens the help, which shows F1.
    tmux.keys(&["?"]);
    std::thread::sleep(Duration::from_millis(300));
    assert!(!tmux.screen().contains("Keys — "), "{}", tmux.screen());
    tmux.keys(&["F1"]);
    let help = tmux.wait_for("Keys — f1 or esc closes");
    assert!(help.contains("show or hide this help"), "{help}");
    tmux.keys(&["Escape"]);
    tmux.wait_until("help closed", |s| !s.contains("Keys — "));
    tmux.keys(&["q"]);
    tmux.wait_for_exit(0);
}

#[test]
fn the_on_call_view_lists_heartbeats_with_the_late_in_red() {
    if !tmux_available() {
        return;
    }
    let (_guard, dir) = workdir();
    let db = dir.join("beats.db");
    write_demo(&db);
    for (name, every) in [("nightly-backup", "1d"), ("etl", "1h")] {
        run_cli(
            &db,
            &[
                "heartbeat",
                "add",
                name,
                "--every",
                every,
                "--service",
                "checkout",
            ],
        );
    }
    // The ETL job last beat three hours ago: an hour's interval and 5 minutes' grace.
    common::raw_execute(
        &db,
        "UPDATE heartbeats SET created_at = created_at - 10800 WHERE name = 'etl'",
    );
    let console = Tmux::start(&shell(&dir, &format!("--db {}", db.display()), ""), 80, 24);
    console.wait_for("ASSIGNEE");
    console.keys(&["2"]);
    console.wait_for("active");
    console.keys(&["w"]);
    let shown = console.wait_for("Heartbeats");
    assert!(shown.contains("1 LATE"), "{shown}");
    let etl = shown.lines().find(|l| l.contains("etl ")).unwrap();
    assert!(etl.contains("LATE"), "{etl}");
    let backup = shown
        .lines()
        .find(|l| l.contains("nightly-backup"))
        .unwrap();
    assert!(backup.trim_end().ends_with("ok"), "{backup}");
    // Red: the LATE cell carries a colour code.
    let coloured = console.screen_with_escapes();
    let line = coloured.lines().find(|l| l.contains("etl ")).unwrap();
    assert!(
        line.contains("\u{1b}[31m")
            || line.contains("\u{1b}[91m")
            || line.contains(";31m")
            || line.contains("38;5;"),
        "{line:?}"
    );
    console.keys(&["q"]);
}

#[test]
fn a_handoff_waits_on_the_on_call_view_and_one_key_acknowledges_it() {
    if !tmux_available() {
        return;
    }
    let (_guard, dir) = workdir();
    let db = dir.join("handoff.db");
    write_demo(&db);
    let (now, next) = common::cli::on_call_now_and_next(&db, "payments");
    let pair = [now, next];
    let (incoming, _outgoing) =
        common::cli::handed_over_minutes_ago(&db, "payments", [&pair[0], &pair[1]], 5);
    // The pager in serve notices the hand-off and pages the incoming person.
    let (_serve, _port) = common::serve::serve(&db, &dir, None);
    common::serve::wait_for("the hand-off to be recorded", || {
        let listed: serde_json::Value =
            serde_json::from_str(&run_cli(&db, &["oncall", "handoffs", "payments", "--json"]))
                .ok()?;
        (listed[0]["incoming"] == incoming.as_str()).then_some(())
    });
    let console = Tmux::start(
        &shell(&dir, &format!("--db {} --as {incoming}", db.display()), ""),
        80,
        24,
    );
    console.wait_for("ASSIGNEE");
    console.keys(&["2"]);
    console.wait_for("active");
    console.keys(&["w"]);
    let shown = console.wait_for("HAND-OFF of payments to you");
    let row = shown.lines().find(|l| l.starts_with("payments")).unwrap();
    assert!(row.trim_end().ends_with("NO"), "{row}");
    console.keys(&["H"]);
    let shown = console.wait_for("acknowledged: the pager is yours");
    let row = shown.lines().find(|l| l.starts_with("payments")).unwrap();
    assert!(row.trim_end().ends_with("yes"), "{row}");
    assert!(!shown.contains("HAND-OFF of payments to you"), "{shown}");
    let listed = run_cli(&db, &["oncall", "handoffs", "payments"]);
    assert!(
        listed.contains("acknowledged") && listed.contains("(console)"),
        "{listed}"
    );
    console.keys(&["q"]);
}

#[test]
fn a_runbook_step_is_ticked_on_the_bridge_and_lands_on_the_timeline() {
    if !tmux_available() {
        return;
    }
    let (_guard, dir) = workdir();
    let db = dir.join("runbook.db");
    write_demo(&db);
    let body = dir.join("failover.md");
    std::fs::write(&body, "1. Page the DBA\n2. Promote the standby\n").unwrap();
    run_cli(
        &db,
        &[
            "kb",
            "add",
            "--title",
            "Fail over checkout",
            "--service",
            "checkout",
            "--publish",
            "--body-file",
            body.to_str().unwrap(),
        ],
    );
    let key = run_cli(
        &db,
        &[
            "incident",
            "declare",
            "--title",
            "Checkout database down",
            "--severity",
            "SEV2",
            "--service",
            "checkout",
        ],
    )
    .trim()
    .to_string();
    let console = Tmux::start(&shell(&dir, &format!("--db {}", db.display()), ""), 80, 24);
    console.wait_for("ASSIGNEE");
    console.keys(&[":"]);
    console.literal(&key);
    console.keys(&["Enter"]);
    // Runbooks come first, then by title: this one before the demo's "checkout: …".
    let shown = console.wait_for("Fail over checkout");
    assert!(shown.contains("0/2 done"), "{shown}");
    console.keys(&["Escape", "s"]);
    console.wait_for("tick a runbook step");
    console.keys(&["Tab"]);
    console.literal("paged ana");
    console.keys(&["Enter"]);
    let shown = console.wait_for("step 1 done: paged ana");
    assert!(shown.contains("1/2 done"), "{shown}");
    assert!(shown.contains("next 2. Promote the"), "{shown}");
    let detail = run_cli(&db, &["incident", "show", &key]);
    assert!(detail.contains("(1/2 steps done)"), "{detail}");
    console.keys(&["q"]);
}
