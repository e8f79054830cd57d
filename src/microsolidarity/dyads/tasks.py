"""Background tasks for pairing: each takes ids (or nothing) and only calls a service."""

from django.tasks import task

from microsolidarity.dyads.services import pairing_round_run, pairing_rounds_run_due


@task
def pairing_round_run_task(program_id: int) -> int | None:
    round_ = pairing_round_run(program_id=program_id)
    return round_.pk if round_ is not None else None


@task
def pairing_rounds_run_due_task() -> int:
    return pairing_rounds_run_due()
