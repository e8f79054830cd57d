#!/usr/bin/env bash
# A local production rehearsal: PostgreSQL, Redis, two gunicorn web processes and an RQ worker,
# all with production settings, on 127.0.0.1 only (docs/deploy.md, "Local production rehearsal").
#
#   deploy/prod-local.sh run     prepare, start, and stay in the foreground until Ctrl-C
#   deploy/prod-local.sh start   prepare, start, return once both web processes answer
#   deploy/prod-local.sh stop    stop what `start` or `run` started (PIDs in $PROD_LOCAL_VAR)
#
# Knobs (environment): PROD_LOCAL_DB (database name), PROD_LOCAL_REDIS_URL, PROD_LOCAL_PORTS,
# PROD_LOCAL_VAR (PIDs, logs, static files, the generated secrets), PROD_LOCAL_WEB_WORKERS,
# PROD_LOCAL_WEB_THREADS (gthread workers: deploy/gunicorn.conf.py), PROD_LOCAL_PAGE_CACHE
# (true: pages kept in Redis, decision 0013-c).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/.venv/bin"
RUN_DIR="${PROD_LOCAL_VAR:-$ROOT/var/prod-local}"
# Compressing static files takes minutes on a busy machine: runs share them, re-collected on change.
STATIC_DIR="${PROD_LOCAL_STATIC:-$ROOT/var/prod-local-static}"
ENV_FILE="${PROD_LOCAL_ENV_FILE:-$ROOT/var/prod-local.env}"
DB_NAME="${PROD_LOCAL_DB:-microsolidarity_prod_local}"
PG_SERVER="${PROD_LOCAL_PG_SERVER:-postgres://postgres@127.0.0.1:5432}"
REDIS="${PROD_LOCAL_REDIS_URL:-redis://127.0.0.1:6379/1}"
PORTS="${PROD_LOCAL_PORTS:-8001 8002}"
WEB_WORKERS="${PROD_LOCAL_WEB_WORKERS:-2}"
WEB_THREADS="${PROD_LOCAL_WEB_THREADS:-4}"

say() { echo "prod-local: $*"; }

secrets_env() {
    # Generated once and kept out of git (var/ is ignored): strong, random, never in code.
    if [[ ! -s "$ENV_FILE" ]]; then
        mkdir -p "$(dirname "$ENV_FILE")"
        umask 077
        "$BIN/python" - >"$ENV_FILE" <<'EOF'
import secrets
print(f"SECRET_KEY={secrets.token_urlsafe(60)}")
print(f"JOURNAL_KEY={secrets.token_urlsafe(60)}")
EOF
        say "generated SECRET_KEY and JOURNAL_KEY in $ENV_FILE"
    fi
    set -a
    # shellcheck disable=SC1090
    source "$ENV_FILE"
    set +a
}

production_env() {
    local first_port="${PORTS%% *}"
    export DEBUG=false
    export ALLOWED_HOSTS=127.0.0.1,localhost
    export DATABASE_URL="$PG_SERVER/$DB_NAME"
    export DATABASE_CONN_MAX_AGE=60
    export REDIS_URL="$REDIS"
    # Pages kept per viewer in Redis (decision 0013-c); PROD_LOCAL_PAGE_CACHE=false to compare.
    export PAGE_CACHE="${PROD_LOCAL_PAGE_CACHE:-${PAGE_CACHE:-true}}"
    export TASK_BACKEND=rq
    export STATIC_ROOT="$STATIC_DIR"
    export MEDIA_ROOT="$RUN_DIR/media"
    export SITE_URL="http://127.0.0.1:$first_port"
    export EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend
    export DEMO_ACCOUNTS_ALLOWED=true
    # Loopback has no TLS: no redirect to https, and the cookies stay Secure, so a client
    # speaks plain http but says `X-Forwarded-Proto: https`, as a TLS proxy in front would.
    export SECURE_SSL_REDIRECT=false
    export BEHIND_PROXY=true
    local origins=() port
    for port in $PORTS; do origins+=("https://127.0.0.1:$port" "http://127.0.0.1:$port"); done
    CSRF_TRUSTED_ORIGINS="$(IFS=,; echo "${origins[*]}")"
    export CSRF_TRUSTED_ORIGINS
    export MICROSOLIDARITY_TESTING=false
}

fresh_database() {
    "$BIN/python" - "$PG_SERVER" "$DB_NAME" <<'EOF'
import sys

import psycopg
from psycopg import sql

server, name = sys.argv[1], sys.argv[2]
with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5) as conn:
    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
EOF
    say "fresh database $DB_NAME"
}

flush_redis() {
    "$BIN/python" -c "import redis, sys; redis.Redis.from_url(sys.argv[1]).flushdb()" "$REDIS"
}

collect_static() {
    local manifest="$STATIC_DIR/staticfiles.json"
    if [[ -f "$manifest" ]] && [[ -z "$(find "$ROOT/src/microsolidarity" -path '*/static/*' \
        -newer "$manifest" -print -quit)" ]] && [[ -z "$(find "$ROOT/node_modules/@picocss" \
        "$ROOT/pyproject.toml" -newer "$manifest" -print -quit)" ]]; then
        say "static files unchanged since the last collectstatic"
        return
    fi
    "$BIN/microsolidarity" collectstatic --no-input --clear -v 0
}

prepare() {
    mkdir -p "$RUN_DIR"
    fresh_database
    flush_redis
    "$BIN/microsolidarity" migrate --no-input -v 0
    collect_static
    "$BIN/microsolidarity" load_demo
}

start_processes() {
    local port
    for port in $PORTS; do
        "$BIN/gunicorn" -c "$ROOT/deploy/gunicorn.conf.py" --bind "127.0.0.1:$port" \
            --workers "$WEB_WORKERS" --threads "$WEB_THREADS" \
            --pid "$RUN_DIR/web-$port.pid" --access-logfile "$RUN_DIR/web-$port.access.log" \
            >>"$RUN_DIR/web-$port.log" 2>&1 &
    done
    "$BIN/microsolidarity" rqworker --job-class django_tasks_rq.Job default \
        >>"$RUN_DIR/worker.log" 2>&1 </dev/null &
    echo $! >"$RUN_DIR/worker.pid"
    wait_until_serving
    say "serving on $(for p in $PORTS; do printf 'http://127.0.0.1:%s ' "$p"; done)(logs in $RUN_DIR)"
}

wait_until_serving() {
    local port tries
    for port in $PORTS; do
        for tries in $(seq 1 100); do
            if curl -sf -o /dev/null -H "X-Forwarded-Proto: https" "http://127.0.0.1:$port/"; then
                break
            fi
            if [[ $tries == 100 ]]; then
                say "the web process on :$port did not answer; see $RUN_DIR/web-$port.log"
                stop_processes
                exit 1
            fi
            sleep 0.2
        done
    done
}

stop_processes() {
    local pidfile pid
    for pidfile in "$RUN_DIR"/web-*.pid "$RUN_DIR"/worker.pid; do
        [[ -f "$pidfile" ]] || continue
        pid="$(cat "$pidfile")"
        # gunicorn's master stops its workers on TERM; RQ's worker finishes the current job.
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pidfile in "$RUN_DIR"/web-*.pid "$RUN_DIR"/worker.pid; do
        [[ -f "$pidfile" ]] || continue
        pid="$(cat "$pidfile")"
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null || true
        rm -f "$pidfile"
    done
    say "stopped"
}

case "${1:-run}" in
    run)
        secrets_env; production_env; prepare; start_processes
        trap 'stop_processes; exit 0' INT TERM
        say "press Ctrl-C to stop"
        wait
        ;;
    start)
        secrets_env; production_env; prepare; start_processes
        ;;
    stop)
        stop_processes
        ;;
    env)
        # Print the production environment, for commands run beside it (bench/, a shell).
        secrets_env; production_env
        env | grep -E '^(DEBUG|SECRET_KEY|JOURNAL_KEY|ALLOWED_HOSTS|DATABASE_URL|REDIS_URL|TASK_BACKEND|STATIC_ROOT|MEDIA_ROOT|SITE_URL|EMAIL_BACKEND|DEMO_ACCOUNTS_ALLOWED|SECURE_SSL_REDIRECT|BEHIND_PROXY|CSRF_TRUSTED_ORIGINS|MICROSOLIDARITY_TESTING)=' | sed 's/^/export /'
        ;;
    *)
        echo "usage: $0 run|start|stop|env" >&2
        exit 2
        ;;
esac
