"""The demo's notifications: what loading told everyone is marked read and emailed (nobody is
mailed a past they never lived), then the demo host hears of the requests waiting for her
and both demo accounts of the polls in their groups, so the header shows a count."""

from django.utils import timezone

from microsolidarity.gatherings.models import TimePoll
from microsolidarity.gatherings.notify import poll_opened_notify
from microsolidarity.groups.models import Membership, MembershipState
from microsolidarity.groups.notify import join_requested_notify
from microsolidarity.notifications.models import Notification
from microsolidarity.people.models import Person


def demo_notifications_load(*, host_email: str, member_email: str) -> int:
    now = timezone.now()
    Notification.objects.filter(read_at__isnull=True).update(read_at=now)
    Notification.objects.filter(emailed_at__isnull=True).update(emailed_at=now)
    Person.objects.update(notifications_unread=0)
    host = Person.objects.get(email=host_email)
    hosted = Membership.objects.filter(person=host, role__in=["host", "co_host"]).values("group")
    waiting = Membership.objects.filter(
        group__in=hosted, state=MembershipState.REQUESTED
    ).select_related("group", "person")
    for request in waiting:
        join_requested_notify(membership=request)
    polls = (
        TimePoll.objects.filter(
            closed_at__isnull=True,
            group__memberships__person__email__in=[host_email, member_email],
            group__memberships__state=MembershipState.ACTIVE,
        )
        .select_related("group", "created_by")
        .distinct()
    )
    for poll in polls:
        poll_opened_notify(poll=poll, by=poll.created_by)
    return Notification.objects.filter(read_at__isnull=True).count()
