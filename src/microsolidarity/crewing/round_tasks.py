"""Background formation of large rounds: takes the round's id and only calls the run."""

from django.tasks import task

from microsolidarity.crewing.round_runs import round_run


@task
def round_run_task(round_id: int) -> str:
    """Idempotent: a round no longer running (stored, cancelled) is left as it is."""
    round_ = round_run(round_id=round_id)
    return round_.status if round_ is not None else "missing"
