"""Background tasks for crewing: each takes ids and only calls a function of the app."""

from django.tasks import task

from microsolidarity.crewing import emails


@task
def cycle_started_notify(cycle_id: int) -> int:
    return emails.cycle_started_email(cycle_id=cycle_id)


@task
def crew_reminders_send_due() -> int:
    from microsolidarity.crewing.reminders import crew_reminders_send

    return crew_reminders_send()


@task
def crew_nudges_send_due() -> int:
    from microsolidarity.crewing.nudges import crew_nudges_send

    return crew_nudges_send()
