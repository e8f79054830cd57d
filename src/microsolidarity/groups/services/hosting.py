"""Hosting as hospitality: give a term, rotate it in a crew, end it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.groups import access
from microsolidarity.groups.models import (
    Group,
    Membership,
    MembershipState,
    Role,
    Scale,
)
from microsolidarity.groups.services.memberships import group_lock, membership_existing
from microsolidarity.groups.services.terms import term_end, term_start


@transaction.atomic
def host_assign(*, by, group: Group, person, role: str = Role.HOST) -> Membership:
    """Give someone a hosting role for one term (the group's term length)."""
    if role not in (Role.HOST, Role.CO_HOST, Role.STEWARD):
        raise RuleBroken(_("That is not a hosting role."), field="role")
    if not access.can_manage(by, group):
        raise NotAllowed(_("Only the hosts of %(name)s can share hosting.") % {"name": group.name})
    membership = membership_existing(person, group)
    if membership is None or membership.state != MembershipState.ACTIVE:
        raise RuleBroken(_("%(person)s is not an active member.") % {"person": person})
    term_start(membership, role, timezone.localdate())
    access.forget_memberships(person)
    return membership


@transaction.atomic
def crew_host_rotate(*, by, group: Group) -> Membership:
    """Hand hosting to the next member, in the order people joined, wrapping round."""
    group = group_lock(group)
    if group.scale != Scale.CREW:
        raise RuleBroken(_("Hosting rotates in crews."))
    if not access.is_active_member(by, group):
        raise NotAllowed(_("Only members of %(name)s can rotate its host.") % {"name": group.name})
    members = list(
        group.memberships.filter(state=MembershipState.ACTIVE)
        .select_related("person", "group")
        .order_by("started_at", "pk")
    )
    if len(members) < 2:
        raise RuleBroken(_("A crew needs two or more active members to rotate hosting."))
    current = [i for i, m in enumerate(members) if m.role == Role.HOST]
    today = timezone.localdate()
    start = current[-1] + 1 if current else 0
    for index in current:
        term_end(members[index], today)
    successor = members[start % len(members)]
    term_start(successor, Role.HOST, today)
    access.forget_memberships(by)
    return successor


@transaction.atomic
def host_end(*, by, group: Group, person) -> Membership:
    """End someone's hosting term today; a host may also step down themselves."""
    if not (access.can_manage(by, group) or by == person):
        raise NotAllowed(
            _("Only the hosts of %(name)s can end a hosting term.") % {"name": group.name}
        )
    membership = membership_existing(person, group)
    if membership is None or membership.role not in (Role.HOST, Role.CO_HOST, Role.STEWARD):
        raise RuleBroken(
            _("%(person)s is not hosting %(name)s.") % {"person": person, "name": group.name}
        )
    others = group.memberships.filter(state=MembershipState.ACTIVE).exclude(pk=membership.pk)
    today = timezone.localdate()
    if group.scale != Scale.DYAD and not any(m.is_hosting(today) for m in others):
        raise RuleBroken(_("Someone else needs to host first: a group keeps at least one host."))
    term_end(membership, today)
    access.forget_memberships(person)
    return membership
