"""What gatherings tell people: a group's active members hear when a time poll opens there."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from microsolidarity.gatherings.models import TimePoll
from microsolidarity.groups.models import Membership, MembershipState
from microsolidarity.groups.notify import group_audience
from microsolidarity.notifications.models import Kind
from microsolidarity.notifications.services import notify


def poll_opened_notify(*, poll: TimePoll, by) -> None:
    # Paused members stepped back for a while: they see the poll when they come back.
    members = [
        membership.person
        for membership in Membership.objects.filter(
            group=poll.group, state=MembershipState.ACTIVE
        ).select_related("person")
    ]
    with translation.override(settings.LANGUAGE_CODE):
        text = _("%(person)s asks %(group)s for a time: %(title)s") % {
            "person": by or _("Someone"),
            "group": poll.group.name,
            "title": poll.title,
        }
    notify(
        people=group_audience(poll.group, members),
        kind=Kind.POLL_OPENED,
        text=text,
        link=poll.get_absolute_url(),
        actor=by,
    )
