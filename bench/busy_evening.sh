#!/usr/bin/env bash
# A congregation's busy evening, twice: 150 members thinking 2-8 s (bench/load_evening.py's
# default), then 0.5-2 s, against a production rehearsal of its own (deploy/prod-local.sh:
# PostgreSQL, Redis, two gunicorn web processes), on its own database and Redis database.
# Prints requests/s, p50/p95/p99, errors and the floor's (/healthz) own p50/p95 per run, then
# stops everything it started.
#
#   bench/busy_evening.sh              BUSY_EVENING_SECONDS=75 BUSY_EVENING_USERS=150
#   BUSY_EVENING_THINKS="0.5-2" bench/busy_evening.sh       only the short pauses
#
# Knobs: BUSY_EVENING_PORTS ("8021 8022"), BUSY_EVENING_DB, BUSY_EVENING_REDIS_URL (db 7),
# BUSY_EVENING_THINKS ("2-8 0.5-2"); deploy/prod-local.sh's PROD_LOCAL_WEB_* pass through.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
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

echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| think | requests | req/s | errors | p50 (ms) | p95 (ms) | p99 (ms) | floor p50 / p95 (ms) |"
echo "|---|---:|---:|---:|---:|---:|---:|---|"
for think in $THINKS; do
    LOAD_EVENING_THINK="$think" "$ROOT/.venv/bin/locust" -f "$ROOT/bench/load_evening.py" \
        --headless -u "$USERS" -r 25 -t "${SECONDS_EACH}s" --csv "$OUT/think-$think" \
        --only-summary >"$OUT/locust-$think.log" 2>&1 || true
    summary "$OUT/think-${think}_stats.csv" "$think"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
