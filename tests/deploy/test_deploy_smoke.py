"""`make prod-local` end to end: two gunicorn web processes and an RQ worker, PostgreSQL, Redis.

Runs in the PostgreSQL pass of the suite (DATABASE_URL=postgres://...) when PostgreSQL and Redis
answer on 127.0.0.1; under CI=true they must answer. It starts deploy/prod-local.sh on free
ports with its own database, Redis database and run directory, so it never touches a rehearsal
that is already running.
"""

import os
import re
import secrets
import socket
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "prod-local.sh"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
REDIS_SERVER = "redis://127.0.0.1:6379"
HOST_EMAIL = "host@demo.microsolidarity.local"
HOST_PASSWORD = "demo-host-password"
# A TLS proxy in front would say this; production cookies are Secure.
HTTPS = {"X-Forwarded-Proto": "https"}


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI requires the production smoke test: {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def prod_local(tmp_path_factory):
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("the production smoke test runs in the PostgreSQL pass (make test-postgres)")
    if not _answers("127.0.0.1", 5432):
        _skip_or_fail("PostgreSQL does not answer on 127.0.0.1:5432")
    if not _answers("127.0.0.1", 6379):
        _skip_or_fail("Redis does not answer on 127.0.0.1:6379")
    run_dir = tmp_path_factory.mktemp("prod-local")
    ports = [_free_port(), _free_port()]
    redis_url = f"{REDIS_SERVER}/{secrets.choice(range(8, 16))}"
    env = {
        **os.environ,
        "PROD_LOCAL_DB": f"microsolidarity_smoke_{secrets.token_hex(4)}",
        "PROD_LOCAL_REDIS_URL": redis_url,
        "PROD_LOCAL_PORTS": " ".join(map(str, ports)),
        "PROD_LOCAL_VAR": str(run_dir),
        "PROD_LOCAL_ENV_FILE": str(run_dir / "prod-local.env"),
        "PROD_LOCAL_WEB_WORKERS": "1",
    }
    started = subprocess.run(
        [str(SCRIPT), "start"], env=env, capture_output=True, text=True, timeout=600
    )
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        yield {"ports": ports, "env": env, "run_dir": run_dir, "redis_url": redis_url}
    finally:
        subprocess.run([str(SCRIPT), "stop"], env=env, capture_output=True, timeout=60)
        import psycopg
        from psycopg import sql

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(env["PROD_LOCAL_DB"])
                )
            )


def _manage(prod_local, *args: str) -> str:
    exported = subprocess.run(
        [str(SCRIPT), "env"], env=prod_local["env"], capture_output=True, text=True, check=True
    ).stdout
    env = dict(prod_local["env"])
    for line in exported.splitlines():
        key, _, value = line.removeprefix("export ").partition("=")
        env[key] = value
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "microsolidarity"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def _sign_in(requests, base: str) -> dict[str, str]:
    """Sign in through the real form; returns the cookies (sent by hand: they are Secure)."""
    page = requests.get(f"{base}/accounts/login/", headers=HTTPS, timeout=10)
    assert page.status_code == 200
    cookies = {"csrftoken": page.cookies["csrftoken"]}
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = requests.post(
        f"{base}/accounts/login/",
        data={"login": HOST_EMAIL, "password": HOST_PASSWORD, "csrfmiddlewaretoken": token},
        headers={**HTTPS, "Referer": f"https://{base.removeprefix('http://')}/accounts/login/"},
        cookies=cookies,
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302, answer.text[:2000]
    cookies["sessionid"] = answer.cookies["sessionid"]
    return cookies


def _finished_jobs(redis_url: str) -> int:
    from redis import Redis
    from rq import Queue
    from rq.registry import FailedJobRegistry, FinishedJobRegistry

    connection = Redis.from_url(redis_url)
    queue = Queue("default", connection=connection)
    failed = FailedJobRegistry(queue=queue)
    assert failed.count == 0, [failed.get_job_ids()]
    return FinishedJobRegistry(queue=queue).count


@pytest.mark.postgres
def test_both_web_processes_serve_pages_and_the_api_and_share_sessions_and_the_worker_runs_tasks(
    prod_local,
):
    requests = pytest.importorskip("requests")
    first, second = (f"http://127.0.0.1:{port}" for port in prod_local["ports"])
    token = _manage(prod_local, "create_token", HOST_EMAIL).splitlines()[-1]

    for base in (first, second):
        assert requests.get(f"{base}/", headers=HTTPS, timeout=10).status_code == 200
        assert requests.get(f"{base}/groups/", headers=HTTPS, timeout=10).status_code == 200
        schema = requests.get(f"{base}/api/v1/openapi.json", headers=HTTPS, timeout=10)
        assert schema.json()["paths"]
        me = requests.get(
            f"{base}/api/v1/me", headers={**HTTPS, "Authorization": f"Bearer {token}"}, timeout=10
        )
        assert me.json()["email"] == HOST_EMAIL
    # Production static files: hashed names, served by WhiteNoise.
    home = requests.get(f"{first}/", headers=HTTPS, timeout=10).text
    stylesheet = re.search(r"/static/[^\"]+\.[0-9a-f]{12}\.css", home)
    assert stylesheet
    # Hashed names never change content: browsers may keep them for a year without asking.
    served = requests.get(f"{first}{stylesheet.group(0)}", headers=HTTPS, timeout=10)
    assert served.status_code == 200
    cache_control = served.headers["Cache-Control"]
    assert "immutable" in cache_control
    assert int(re.search(r"max-age=(\d+)", cache_control).group(1)) >= 365 * 24 * 3600
    # Served by gthread workers, which keep the connection open for the next request.
    assert served.headers.get("Connection", "keep-alive").lower() != "close"

    # Plain http without the proxy's header is not treated as secure: no redirect loop, no cookie.
    assert requests.get(f"{first}/", timeout=10).status_code == 200

    # A session made on one process is known to the other (sessions live in Redis).
    cookies = _sign_in(requests, first)
    profile = requests.get(
        f"{second}/me/profile/", headers=HTTPS, cookies=cookies, allow_redirects=False, timeout=10
    )
    assert profile.status_code == 200, profile.headers.get("Location")

    # A task enqueued by a web process runs in the worker: cancelling a gathering tells people.
    finished_before = _finished_jobs(prod_local["redis_url"])
    detail = requests.get(
        f"{second}/gatherings/lisbon-commons-gathering/", headers=HTTPS, cookies=cookies, timeout=10
    )
    assert detail.status_code == 200
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', detail.text).group(1)
    cancelled = requests.post(
        f"{second}/gatherings/lisbon-commons-gathering/cancel/",
        data={"csrfmiddlewaretoken": csrf, "note": "Smoke test"},
        headers={**HTTPS, "Referer": f"https://{second.removeprefix('http://')}/"},
        cookies=cookies,
        allow_redirects=False,
        timeout=30,
    )
    assert cancelled.status_code == 302
    deadline = time.monotonic() + 30
    while _finished_jobs(prod_local["redis_url"]) <= finished_before:
        assert time.monotonic() < deadline, (prod_local["run_dir"] / "worker.log").read_text()
        time.sleep(0.3)
