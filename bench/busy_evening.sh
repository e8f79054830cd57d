#!/usr/bin/env bash
# A congregation's busy evening, twice: 150 members thinking 2-8 s (bench/load_evening.py's
# default), then 0.5-2 s, against a production rehearsal of its own (deploy/prod-local.sh:
# PostgreSQL, Redis, two gunicorn web processes), on its own database and Redis database.
# Prints requests/s, p50/p95/p99, errors and the floor's (/healthz) own p50/p95 per run, then
# stops everything it started; then the CPU each kind of process spent (bench/cpu_shares.py).
#
#   bench/busy_evening.sh              BUSY_EVENING_SECONDS=75 BUSY_EVENING_USERS=150
#   BUSY_EVENING_THINKS="0.5-2" bench/busy_evening.sh       only the short pauses
#
# Knobs: BUSY_EVENING_PORTS ("8021 8022"), BUSY_EVENING_DB, BUSY_EVENING_REDIS_URL (db 7),
# BUSY_EVENING_THINKS ("2-8 0.5-2"); deploy/prod-local.sh's PROD_LOCAL_WEB_* pass through.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="$ROOT/var/busy_evening"
export PROD_LOCAL_PORTS="${BUSY_EVENING_PORTS:-8021 8022}"
export PROD_LOCAL_DB="${BUSY_EVENING_DB:-microsolidarity_busy_evening}"
export PROD_LOCAL_REDIS_URL="${BUSY_EVENING_REDIS_URL:-redis://127.0.0.1:6379/7}"
export PROD_LOCAL_VAR="$OUT/prod-local"
export LOAD_EVENING_PORTS="$PROD_LOCAL_PORTS"
USERS="${BUSY_EVENING_USERS:-150}"
SECONDS_EACH="${BUSY_EVENING_SECONDS:-75}"
THINKS="${BUSY_EVENING_THINKS:-2-8 0.5-2}"

mkdir -p "$OUT"
trap '"$ROOT/deploy/prod-local.sh" stop >/dev/null' EXIT
"$ROOT/deploy/prod-local.sh" start >"$OUT/prod-local.out" 2>&1 || {
    cat "$OUT/prod-local.out" >&2
    exit 1
}

summary() {
    "$ROOT/.venv/bin/python" - "$1" "$2" <<'EOF'
import csv
import sys

path, think = sys.argv[1], sys.argv[2]
rows = {row["Name"]: row for row in csv.DictReader(open(path))}
total, floor = rows["Aggregated"], rows.get("/healthz", {})


def ms(row, column):
    return row.get(column, "-") or "-"


print(
    f"| {think} s | {total['Request Count']} | {float(total['Requests/s']):.1f} "
    f"| {total['Failure Count']} | {ms(total, '50%')} | {ms(total, '95%')} | {ms(total, '99%')} "
    f"| {ms(floor, '50%')} / {ms(floor, '95%')} |"
)
EOF
}

requests() {
    "$ROOT/.venv/bin/python" -c 'import csv, sys
rows = {row["Name"]: row for row in csv.DictReader(open(sys.argv[1]))}
print(rows["Aggregated"]["Request Count"])' "$1"
}

echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| think | requests | req/s | errors | p50 (ms) | p95 (ms) | p99 (ms) | floor p50 / p95 (ms) |"
echo "|---|---:|---:|---:|---:|---:|---:|---|"
# The load generator's own CPU seconds (not its set-up shell's), sampled until it ends.
LOCUST_CPU='import subprocess, sys, time
import psutil
child = subprocess.Popen(sys.argv[2:])
watched, used = psutil.Process(child.pid), 0.0
while child.poll() is None:
    try:
        times = watched.cpu_times()
        used = times.user + times.system
    except psutil.Error:
        pass
    time.sleep(0.2)
open(sys.argv[1], "w").write(str(used))'
for think in $THINKS; do
    "$ROOT/.venv/bin/python" -m bench.cpu_shares snapshot "$OUT/cpu-before-$think.json"
    LOAD_EVENING_THINK="$think" "$ROOT/.venv/bin/python" -c "$LOCUST_CPU" "$OUT/locust-cpu-$think" \
        "$ROOT/.venv/bin/locust" -f "$ROOT/bench/load_evening.py" \
        --headless -u "$USERS" -r 25 -t "${SECONDS_EACH}s" --csv "$OUT/think-$think" \
        --only-summary >"$OUT/locust-$think.log" 2>&1 || true
    "$ROOT/.venv/bin/python" -m bench.cpu_shares report "$OUT/cpu-before-$think.json" \
        --requests "$(requests "$OUT/think-${think}_stats.csv")" --seconds "$SECONDS_EACH" \
        --locust-cpu "$(cat "$OUT/locust-cpu-$think")" >"$OUT/cpu-$think.md"
    summary "$OUT/think-${think}_stats.csv" "$think"
done
for think in $THINKS; do
    echo
    echo "CPU during the $think s run:"
    cat "$OUT/cpu-$think.md"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
