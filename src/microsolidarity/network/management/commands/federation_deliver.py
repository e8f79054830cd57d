"""Send due federation deliveries and bring every congregation's followers up to date.

The queue sends deliveries as they are made; this catches what it missed (a queue without
deferred tasks, a worker that was down, a change made by a bulk update). Run it from cron or
with --every, as `make worker` does.
"""

import time

from django.core.management.base import BaseCommand
from django.db.models import Q

from microsolidarity.groups.models import Group
from microsolidarity.network.delivery import deliveries_due
from microsolidarity.network.models import Published
from microsolidarity.network.publishing import group_publish


class Command(BaseCommand):
    help = "Send due federation deliveries and send followers what changed."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="Repeat every N seconds.")

    def handle(self, *args, every: int = 0, **options):
        while True:
            groups = (
                Group.objects.filter(
                    Q(remote_followers__isnull=False) | Q(pk__in=_published_groups())
                )
                .distinct()
                .values_list("pk", flat=True)
            )
            queued = sum(group_publish(group_id=pk) for pk in groups)
            sent = deliveries_due()
            self.stdout.write(f"{queued} activities queued, {sent} deliveries tried")
            if not every:
                return
            time.sleep(every)


def _published_groups():

    return Published.objects.filter(withdrawn_at__isnull=True).values("group_id")
