"""What groups tell people: a request to join reaches the group's hosts, an approval the one
who asked. The wording lives here so the membership services stay short."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from microsolidarity.groups import access, queries
from microsolidarity.groups.models import Group, Membership
from microsolidarity.notifications.models import Kind
from microsolidarity.notifications.services import notify


def group_audience(group: Group, people) -> list:
    """Those of `people` who may see `group`: nobody hears of a group hidden from them."""
    return [person for person in people if access.group_visible(person, group)]


def join_requested_notify(*, membership: Membership) -> None:
    group = membership.group
    hosts = [host.person for host in queries.hosting_members(group)]
    with translation.override(settings.LANGUAGE_CODE):
        text = _("%(person)s asks to join %(group)s.") % {
            "person": membership.person,
            "group": group.name,
        }
    notify(
        people=group_audience(group, hosts),
        kind=Kind.JOIN_REQUEST,
        text=text,
        link=group.get_absolute_url(),
        actor=membership.person,
    )


def join_approved_notify(*, membership: Membership, by) -> None:
    group = membership.group
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Your request is approved: you are a member of %(group)s.") % {"group": group.name}
    notify(
        people=group_audience(group, [membership.person]),
        kind=Kind.JOIN_APPROVED,
        text=text,
        link=group.get_absolute_url(),
        actor=by,
    )
