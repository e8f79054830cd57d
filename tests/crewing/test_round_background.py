"""Large rounds form their crews on the database-backed worker, and the page shows the progress."""

import re
import signal
from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from round_builders import members_signed_up, open_round

from microsolidarity.crewing import round_lifecycle, round_runs
from microsolidarity.crewing.models import RoundStatus
from microsolidarity.crewing.round_tasks import round_run_task

SIX = ["Ana", "Bo", "Cy", "Di", "Ed", "Flo"]


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.CREWING_ROUND_BACKGROUND_ABOVE = 3


def _run_worker_once() -> None:
    """The documented one-shot worker: run what is queued, then exit (signals put back after)."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command(
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            "-v",
            "0",
            stdout=StringIO(),
        )
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.django_db(transaction=True)
def test_a_large_round_forms_on_the_worker_and_its_page_shows_progress(
    database_queue, client, host, congregation, make_person, monkeypatch
):
    round_ = open_round(host, congregation)
    members_signed_up(round_, congregation, host, make_person, SIX)
    # Joining queued their notification emails; this test watches the round's task alone.
    DBTaskResult.objects.all().delete()
    client.force_login(host)

    running = round_lifecycle.round_propose(by=host, formation_round=round_)
    assert running.status == RoundStatus.RUNNING
    queued = DBTaskResult.objects.get()
    assert queued.task_path.endswith("round_run_task")
    running.refresh_from_db()
    assert running.task_id == str(queued.id)
    waiting = _text(client.get(round_.get_absolute_url()))
    assert '<progress id="round-progress-bar" value="0" max="100"' in waiting
    assert "Waiting for a worker" in waiting

    # Look at the page from inside the run, right after the task records progress.
    seen_mid_run: list[str] = []
    record = round_runs.round_progress_record

    def record_and_look(*, round_id, fraction, note):
        record(round_id=round_id, fraction=fraction, note=note)
        if not seen_mid_run and 0 < fraction < 1:
            seen_mid_run.append(_text(client.get(round_.get_absolute_url())))

    monkeypatch.setattr(round_runs, "round_progress_record", record_and_look)
    _run_worker_once()

    (mid,) = seen_mid_run
    assert re.search(r'<progress id="round-progress-bar" value="\d+" max="100"', mid)
    assert "Reading the sign-ups." in mid
    finished = DBTaskResult.objects.get()
    assert finished.status == "SUCCESSFUL"
    round_.refresh_from_db()
    assert round_.status == RoundStatus.PREVIEW
    assert round_.progress == 1.0
    assert round_.proposed_crews.count() == 2
    done = _text(client.get(round_.get_absolute_url()))
    assert "<progress" not in done
    assert "Why this crew" in done
    partial = client.get(f"/rounds/{round_.pk}/progress/", headers={"HX-Request": "true"})
    assert partial.headers["HX-Refresh"] == "true"


@pytest.mark.django_db(transaction=True)
def test_the_task_is_idempotent_and_a_failure_is_readable(
    database_queue, host, congregation, make_person, monkeypatch
):
    round_ = open_round(host, congregation)
    members_signed_up(round_, congregation, host, make_person, SIX)
    round_lifecycle.round_propose(by=host, formation_round=round_)

    def broken(*args, **kwargs):
        raise ValueError("the engine ran out of patience")

    monkeypatch.setattr(round_runs, "form_crews", broken)
    _run_worker_once()
    round_.refresh_from_db()
    assert round_.status == RoundStatus.FAILED
    assert "the engine ran out of patience" in round_.error

    # Running the same task again changes nothing: the round is no longer forming.
    round_run_task.enqueue(round_.pk)
    _run_worker_once()
    round_.refresh_from_db()
    assert round_.status == RoundStatus.FAILED
    assert not round_.proposed_crews.exists()


@pytest.mark.django_db(transaction=True)
def test_small_rounds_form_at_once_without_the_queue(host, congregation, make_person, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    round_ = open_round(host, congregation)
    members_signed_up(round_, congregation, host, make_person, SIX)
    formed = round_lifecycle.round_propose(by=host, formation_round=round_)
    assert formed.status == RoundStatus.PREVIEW
    assert not DBTaskResult.objects.filter(task_path__endswith="round_run_task").exists()
