"""`serve` gives links the address it serves, and says so when SITE_URL disagrees."""

from pathlib import Path

import pytest
from django.core.management import call_command

from microsolidarity.home.management.commands import serve as serve_command
from microsolidarity.home.management.commands import worker as worker_command
from microsolidarity.periodic import LOOPS, worker_commands
from microsolidarity.site import served_url, site_url_disagrees


@pytest.mark.parametrize(
    ("addrport", "url"),
    [
        ("127.0.0.1:8123", "http://127.0.0.1:8123"),
        ("8123", "http://127.0.0.1:8123"),
        ("0.0.0.0:8000", "http://127.0.0.1:8000"),
        ("[::1]:9000", "http://[::1]:9000"),
        ("localhost:8001", "http://localhost:8001"),
    ],
)
def test_the_served_url_is_what_links_should_use(addrport, url):
    assert served_url(addrport) == url


@pytest.mark.parametrize(
    ("given", "addrport", "disagrees"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1:8000", False),
        ("http://localhost:8000", "127.0.0.1:8000", False),
        ("http://127.0.0.1:8000", "127.0.0.1:8123", True),
        ("https://community.example.org", "127.0.0.1:8000", True),
        ("http://laptop.lan:8000", "0.0.0.0:8000", False),
        ("http://laptop.lan:8000", "127.0.0.1:8000", True),
        ("http://example.org", "0.0.0.0:80", False),
    ],
)
def test_a_site_url_disagrees_when_its_links_would_miss_the_server(given, addrport, disagrees):
    assert site_url_disagrees(given, addrport) is disagrees


@pytest.fixture
def started(monkeypatch):
    """What `serve` or `worker` would start, and with which environment; nothing runs."""
    seen: dict = {}

    def run_together(commands, *, env, out):
        seen.update(commands=[list(c) for c in commands], env=dict(env))
        return 0

    monkeypatch.setattr(serve_command, "run_together", run_together)
    monkeypatch.setattr(worker_command, "run_together", run_together)
    return seen


def test_serve_without_site_url_gives_the_served_address_to_every_process(
    started, monkeypatch, capsys
):
    monkeypatch.delenv("SITE_URL", raising=False)

    with pytest.raises(SystemExit) as stop:
        call_command("serve", "127.0.0.1:8123")

    assert stop.value.code == 0
    assert started["env"]["SITE_URL"] == "http://127.0.0.1:8123"
    assert started["commands"] == [["runserver", "127.0.0.1:8123"], *worker_commands()]
    assert "SITE_URL is" not in capsys.readouterr().err


def test_serve_warns_when_site_url_points_elsewhere_and_keeps_it(started, monkeypatch, capsys):
    monkeypatch.setenv("SITE_URL", "http://127.0.0.1:8000")

    with pytest.raises(SystemExit):
        call_command("serve", "127.0.0.1:8123", "--noreload")

    assert started["env"]["SITE_URL"] == "http://127.0.0.1:8000"
    assert started["commands"][0] == ["runserver", "127.0.0.1:8123", "--noreload"]
    warning = capsys.readouterr().err
    assert "SITE_URL is http://127.0.0.1:8000" in warning
    assert "http://127.0.0.1:8123" in warning


def test_serve_is_quiet_when_site_url_names_the_served_address(started, monkeypatch, capsys):
    monkeypatch.setenv("SITE_URL", "http://localhost:8123")

    with pytest.raises(SystemExit):
        call_command("serve", "127.0.0.1:8123")

    assert "SITE_URL is" not in capsys.readouterr().err


def test_the_worker_starts_the_task_worker_and_every_loop_once(started):
    with pytest.raises(SystemExit):
        call_command("worker")

    names = [command[0] for command in started["commands"]]
    assert names == ["db_worker", *(name for name, _every in LOOPS)]
    assert all(
        command[1:] == ["--every", str(every)]
        for command, (_name, every) in zip(started["commands"][1:], LOOPS, strict=True)
    )


def test_make_run_and_make_worker_use_these_commands():
    makefile = (Path(__file__).parents[2] / "Makefile").read_text()
    assert "$(BIN)/microsolidarity serve 127.0.0.1:$(PORT)" in makefile
    assert "$(BIN)/microsolidarity worker\n" in makefile
