#!/usr/bin/env bash
# Whole-process figures of the console in a real terminal (tmux at 80x24):
# open -> first frame, bytes written per key press and per idle second, peak memory;
# and `ticket list --json` of 1,000 rows. Usage:
#   benches/whole_process.sh [SCALE] [DAYS]      (default 25 90: 100,000 tickets)
# Needs tmux; builds the release binary.
set -euo pipefail
cd "$(dirname "$0")/.."
scale="${1:-25}"
days="${2:-90}"
cargo build --release --quiet
bin="$PWD/target/release/watchfloor"
work="$(mktemp -d)"
trap 'tmux -L wfbench kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
db="$work/bench.db"
start=$(date +%s.%N)
"$bin" demo --db "$db" --scale "$scale" --days "$days" --no-tui 2>&1 | tail -1
echo "demo generated in $(echo "$(date +%s.%N) - $start" | bc) s"

ms() { echo "($(date +%s%N) - $1) / 1000000" | bc; }
tm() { tmux -L wfbench "$@"; }

# Open -> first frame: from starting the process to the queue's header on screen.
t0=$(date +%s%N)
tm new-session -d -x 80 -y 24 -s bench "WATCHFLOOR_LOG_DIR=$work $bin --db $db"
until tm capture-pane -p -t bench | grep -q ASSIGNEE; do sleep 0.005; done
echo "open -> first frame: $(ms "$t0") ms"

# Bytes to the terminal: everything the pane receives from now on.
out="$work/pane.out"
: > "$out"
tm pipe-pane -o -t bench "cat >> $out"
sleep 1
before=$(stat -c %s "$out")
for _ in $(seq 20); do tm send-keys -t bench j; sleep 0.05; done
sleep 0.5
after=$(stat -c %s "$out")
echo "bytes per key press (j, 20 presses): $(( (after - before) / 20 ))"
before=$(stat -c %s "$out")
sleep 10
after=$(stat -c %s "$out")
echo "bytes per idle second (10 s; the clock and incident countdowns): $(( (after - before) / 10 ))"

before=$(stat -c %s "$out")
tm send-keys -t bench /
for c in v p n ' ' t; do tm send-keys -t bench -l "$c"; sleep 0.2; done
sleep 0.5
after=$(stat -c %s "$out")
echo "bytes per filter keystroke (/ then 'vpn t'): $(( (after - before) / 6 ))"
tm send-keys -t bench Escape

# Peak memory after visiting every pane (the metrics pane computes every KPI).
for pane in 2 3 4 5 6 1; do tm send-keys -t bench "$pane"; sleep 1.5; done
pid=$(pgrep -f "^$bin --db $db" | head -1)
echo "peak memory of the console (every pane visited): $(awk '/VmHWM/ {print $2, $3}' "/proc/$pid/status")"
tm kill-server

t0=$(date +%s%N)
"$bin" --db "$db" ticket list --all --limit 1000 --json > /dev/null
echo "ticket list --all --limit 1000 --json: $(ms "$t0") ms (whole process)"
