#!/usr/bin/env bash
# watchfloor beside taskwarrior and the raw sqlite3 CLI, on the same tickets: listing
# the open ones, and filtering them by a word. One run, whole processes, timed by
# hyperfine. Usage:
#   benches/side_by_side.sh [SCALE]     (default 2.5: 10,000 tickets)
# Needs taskwarrior (`task`), hyperfine and sqlite3 (Debian packages); builds the
# release binary.
set -euo pipefail
cd "$(dirname "$0")/.."
scale="${1:-2.5}"
for tool in task hyperfine sqlite3; do
    command -v "$tool" >/dev/null || { echo "$tool is not installed (apt-get install taskwarrior hyperfine sqlite3)"; exit 1; }
done
cargo build --release --quiet
bin="$PWD/target/release/watchfloor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
db="$work/side.db"
"$bin" demo --db "$db" --scale "$scale" --no-tui 2>&1 | tail -1

# The same tickets as taskwarrior tasks: title, service as project, priority, status.
export TASKRC="$work/taskrc" TASKDATA="$work/task"
mkdir -p "$TASKDATA"
printf 'data.location=%s\nconfirmation=off\nverbose=nothing\nrecurrence=off\n' "$TASKDATA" > "$TASKRC"
sqlite3 "$db" "SELECT json_group_array(json_patch(json_object(
        'description', t.title,
        'project', coalesce(s.name, 'none'),
        'priority', CASE WHEN t.priority <= 2 THEN 'H' WHEN t.priority = 3 THEN 'M' ELSE 'L' END,
        'status', CASE WHEN t.is_open = 1 THEN 'pending' ELSE 'completed' END,
        'entry', strftime('%Y%m%dT%H%M%SZ', t.opened_at, 'unixepoch')),
      CASE WHEN t.is_open = 1 THEN '{}' ELSE json_object('end',
        strftime('%Y%m%dT%H%M%SZ', coalesce(t.closed_at, t.resolved_at, t.updated_at), 'unixepoch')) END))
  FROM tickets t LEFT JOIN services s ON s.id = t.service_id" > "$work/tasks.json"
start=$(date +%s)
task import "$work/tasks.json" > /dev/null
echo "taskwarrior import: $(( $(date +%s) - start )) s"
open=$(sqlite3 "$db" "SELECT count(*) FROM tickets WHERE is_open = 1")
echo "open tickets: $open"

hyperfine --warmup 2 --runs 10 --export-markdown "$work/list.md" \
    -n "watchfloor ticket list (open)" "$bin --db $db ticket list --limit $open" \
    -n "task list (pending)" "task list" \
    -n "sqlite3 (the floor)" "sqlite3 $db 'SELECT t.id, t.priority, t.title FROM tickets t WHERE t.is_open = 1 ORDER BY t.priority, t.opened_at'" \
    > /dev/null
hyperfine --warmup 2 --runs 10 --export-markdown "$work/filter.md" \
    -n "watchfloor ticket list --search vpn" "$bin --db $db ticket list --search vpn --limit $open" \
    -n "task /vpn/ list" "task /vpn/ list" \
    -n "sqlite3 LIKE (the floor)" "sqlite3 $db \"SELECT t.id, t.title FROM tickets t WHERE t.is_open = 1 AND (t.title LIKE '%vpn%' OR t.description LIKE '%vpn%') ORDER BY t.priority, t.opened_at\"" \
    > /dev/null
echo
echo "List the open tickets:"
cat "$work/list.md"
echo
echo "Filter them by a word:"
cat "$work/filter.md"
