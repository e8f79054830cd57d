"""Background tasks for crewing: each takes ids and only calls a function of the app."""

from django.tasks import task

from microsolidarity.crewing import emails


@task
def cycle_started_notify(cycle_id: int) -> int:
    return emails.cycle_started_email_send(cycle_id=cycle_id)


@task
def retrospective_closed_notify(cycle_id: int) -> int:
    return emails.retrospective_closed_email_send(cycle_id=cycle_id)


@task
def member_left_notify(
    crew_id: int, leaver_name: str, person_ids: list[int], changes: list[str]
) -> int:
    return emails.member_left_email_send(
        crew_id=crew_id, leaver_name=leaver_name, person_ids=person_ids, changes=changes
    )


@task
def call_changed_notify(call_id: int, person_ids: list[int], changes: list[str]) -> int:
    return emails.call_changed_email_send(call_id=call_id, person_ids=person_ids, changes=changes)
