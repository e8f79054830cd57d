"""The clock's crewing tasks: meeting reminders and check-in nudges, each only calling its pass.

Apart from tasks.py because reminders read cycles, and cycles enqueue the tasks there.
"""

from django.tasks import task

from microsolidarity.crewing.nudges import crew_nudges_send
from microsolidarity.crewing.reminders import crew_reminders_send


@task
def crew_reminders_send_due() -> int:
    return crew_reminders_send()


@task
def crew_nudges_send_due() -> int:
    return crew_nudges_send()
