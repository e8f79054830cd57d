"""A membership's lifecycle: join, request, invite, accept, leave, pause, tier."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.groups import access
from microsolidarity.groups.models import (
    Group,
    HostTerm,
    JoinedVia,
    JoinPolicy,
    Membership,
    MembershipState,
    Role,
    Scale,
    Status,
)
from microsolidarity.groups.notify import join_approved_notify, join_requested_notify
from microsolidarity.groups.services.terms import term_end, term_start
from microsolidarity.groups.sizes import size_refusal, size_warning


@dataclass(frozen=True)
class MembershipResult:
    membership: Membership
    warning: str | None = None


def group_lock(group: Group) -> Group:
    """Seats are scarce: lock the group row before counting them (no-op on SQLite)."""
    # Lock only the group's own row: PostgreSQL refuses FOR UPDATE on the outer join to a parent.
    return Group.objects.select_for_update(of=("self",)).select_related("parent").get(pk=group.pk)


def _claim_seat(group: Group, *, counting_self: bool = False) -> str | None:
    taken = group.memberships.filter(state__in=Membership.SEAT_STATES).count()
    new_size = taken if counting_self else taken + 1
    refusal = size_refusal(group, new_size)
    if refusal:
        raise RuleBroken(refusal)
    return size_warning(group, new_size)


def _require_open_for_members(group: Group) -> None:
    if group.status == Status.CLOSED:
        raise RuleBroken(_("%(name)s has closed.") % {"name": group.name})


def _require_parent_membership(person, group: Group) -> None:
    if (
        group.scale == Scale.CREW
        and group.parent is not None
        and not access.is_active_member(person, group.parent)
    ):
        raise RuleBroken(
            _("Join %(parent)s first: a crew is for members of its congregation.")
            % {"parent": group.parent.name}
        )


def _default_tier(group: Group) -> str:
    return group.tiers[0] if group.tiers else ""


def _activate(membership: Membership, via: str) -> None:
    membership.state = MembershipState.ACTIVE
    membership.joined_via = via
    membership.started_at = timezone.now()
    membership.ended_at = None
    membership.tier = membership.tier or _default_tier(membership.group)
    if membership.pk is None:
        membership.save()
    else:
        membership.save(update_fields=["state", "joined_via", "started_at", "ended_at", "tier"])


def membership_existing(person, group: Group) -> Membership | None:
    return Membership.objects.select_for_update().filter(person=person, group=group).first()


@transaction.atomic
def membership_join(*, person, group: Group) -> MembershipResult:
    """Join an open group at once."""
    group = group_lock(group)
    _require_open_for_members(group)
    if not access.group_visible(person, group):
        raise NotAllowed(_("This group is not visible to you."))
    existing = membership_existing(person, group)
    if existing is not None and existing.state in Membership.MEMBER_STATES:
        raise RuleBroken(_("You are already a member of %(name)s.") % {"name": group.name})
    if existing is not None and existing.state == MembershipState.INVITED:
        return membership_accept(person=person, group=group)
    if group.join_policy != JoinPolicy.OPEN:
        refusals: dict[str, str] = {
            JoinPolicy.REQUEST: _("%(name)s takes requests: ask to join and a host will answer."),
            JoinPolicy.INVITATION: _("%(name)s is by invitation only."),
            JoinPolicy.CLOSED: _("%(name)s is not taking new members."),
        }
        raise RuleBroken(refusals[group.join_policy] % {"name": group.name})
    _require_parent_membership(person, group)
    warning = _claim_seat(group)
    membership = existing or Membership(group=group, person=person)
    _activate(membership, JoinedVia.OPEN)
    access.forget_memberships(person)
    return MembershipResult(membership, warning)


@transaction.atomic
def membership_request(*, person, group: Group, message: str = "") -> MembershipResult:
    """Ask to join a group that takes requests; hosts see it and answer."""
    group = group_lock(group)
    _require_open_for_members(group)
    if not access.group_visible(person, group):
        raise NotAllowed(_("This group is not visible to you."))
    if group.join_policy == JoinPolicy.OPEN:
        return membership_join(person=person, group=group)
    if group.join_policy != JoinPolicy.REQUEST:
        raise RuleBroken(_("%(name)s does not take requests to join.") % {"name": group.name})
    existing = membership_existing(person, group)
    if existing is not None and existing.state in Membership.SEEING_STATES:
        already: dict[str, str] = {
            MembershipState.REQUESTED: _("Your request is already with the hosts."),
            MembershipState.INVITED: _("You are invited already: accept the invitation."),
        }
        raise RuleBroken(
            already.get(
                existing.state, _("You are already a member of %(name)s.") % {"name": group.name}
            )
        )
    _require_parent_membership(person, group)
    membership = existing or Membership(group=group, person=person)
    membership.state = MembershipState.REQUESTED
    membership.joined_via = JoinedVia.REQUEST
    membership.message = message.strip()[:1000]
    membership.created_at = timezone.now()
    membership.save()
    access.forget_memberships(person)
    join_requested_notify(membership=membership)
    return MembershipResult(membership)


@transaction.atomic
def membership_approve(*, by, membership: Membership) -> MembershipResult:
    group = group_lock(membership.group)
    if not access.can_manage(by, group):
        raise NotAllowed(
            _("Only the hosts of %(name)s can answer requests.") % {"name": group.name}
        )
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.state != MembershipState.REQUESTED:
        raise RuleBroken(_("That request was already answered."))
    warning = _claim_seat(group)
    _activate(membership, JoinedVia.REQUEST)
    access.forget_memberships(membership.person)
    join_approved_notify(membership=membership, by=by)
    return MembershipResult(membership, warning)


@transaction.atomic
def membership_decline_request(*, by, membership: Membership) -> None:
    """Declining is quiet: the request is removed, and nothing is shown publicly."""
    if not access.can_manage(by, membership.group):
        raise NotAllowed(_("Only the hosts can answer requests."))
    Membership.objects.filter(pk=membership.pk, state=MembershipState.REQUESTED).delete()


@transaction.atomic
def membership_invite(*, by, group: Group, person) -> MembershipResult:
    group = group_lock(group)
    _require_open_for_members(group)
    if not access.can_invite(by, group):
        raise NotAllowed(_("You can't invite people to %(name)s.") % {"name": group.name})
    if group.join_policy == JoinPolicy.CLOSED:
        raise RuleBroken(_("%(name)s is closed to new members.") % {"name": group.name})
    existing = membership_existing(person, group)
    if existing is not None and existing.state in Membership.MEMBER_STATES:
        raise RuleBroken(_("%(person)s is already a member.") % {"person": person}, field="email")
    if existing is not None and existing.state == MembershipState.INVITED:
        raise RuleBroken(_("%(person)s is already invited.") % {"person": person}, field="email")
    if existing is not None and existing.state == MembershipState.REQUESTED:
        # An invitation answers a waiting request: that is an approval.
        warning = _claim_seat(group)
        _activate(existing, JoinedVia.INVITATION)
        access.forget_memberships(person)
        join_approved_notify(membership=existing, by=by)
        return MembershipResult(existing, warning)
    if (
        group.scale == Scale.CREW
        and group.parent is not None
        and not access.is_active_member(person, group.parent)
    ):
        raise RuleBroken(
            _("%(person)s is not a member of %(parent)s yet.")
            % {"person": person, "parent": group.parent.name},
            field="email",
        )
    warning = _claim_seat(group)
    membership = existing or Membership(group=group, person=person)
    membership.state = MembershipState.INVITED
    membership.joined_via = JoinedVia.INVITATION
    membership.invited_by = by
    membership.created_at = timezone.now()
    membership.save()
    access.forget_memberships(person)
    return MembershipResult(membership, warning)


@transaction.atomic
def membership_accept(*, person, group: Group) -> MembershipResult:
    group = group_lock(group)
    membership = membership_existing(person, group)
    if membership is None or membership.state != MembershipState.INVITED:
        raise RuleBroken(_("There is no invitation for you to %(name)s.") % {"name": group.name})
    _require_open_for_members(group)
    warning = size_warning(
        group, group.memberships.filter(state__in=Membership.SEAT_STATES).count()
    )
    _activate(membership, JoinedVia.INVITATION)
    if group.scale == Scale.DYAD and group.status == Status.FORMING:
        group.status = Status.ACTIVE
        group.save(update_fields=["status"])
    access.forget_memberships(person)
    return MembershipResult(membership, warning)


@transaction.atomic
def membership_admit(*, person, group: Group, invited_by) -> MembershipResult:
    """An invitation by email was followed: the person is a member at once (the link in
    their mailbox was their yes). Already a member stays so, with no warning."""
    group = group_lock(group)
    _require_open_for_members(group)
    _require_parent_membership(person, group)
    membership = membership_existing(person, group)
    if membership is not None and membership.state in Membership.MEMBER_STATES:
        return MembershipResult(membership)
    # A pending invitation of theirs holds its seat already.
    holding = membership is not None and membership.state == MembershipState.INVITED
    warning = _claim_seat(group, counting_self=holding)
    if membership is None:
        membership = Membership(group=group, person=person, invited_by=invited_by)
    _activate(membership, JoinedVia.INVITATION)
    access.forget_memberships(person)
    return MembershipResult(membership, warning)


@transaction.atomic
def membership_decline_invitation(*, person, group: Group) -> None:
    """Saying no is one click, and nobody else is shown that you did."""
    deleted, _rows = Membership.objects.filter(
        person=person, group=group, state=MembershipState.INVITED
    ).delete()
    if deleted and group.scale == Scale.DYAD:
        # A dyad that one of its two declined does not happen.
        Group.objects.filter(pk=group.pk).update(status=Status.CLOSED)
    access.forget_memberships(person)


@transaction.atomic
def membership_withdraw_request(*, person, group: Group) -> None:
    Membership.objects.filter(person=person, group=group, state=MembershipState.REQUESTED).delete()
    access.forget_memberships(person)


@transaction.atomic
def membership_leave(*, person, group: Group) -> Membership:
    """Leave a group; you stay in its history as alumni. A leaving host hands hosting on."""
    group = group_lock(group)
    membership = membership_existing(person, group)
    if membership is None or membership.state not in Membership.MEMBER_STATES:
        raise RuleBroken(_("You are not a member of %(name)s.") % {"name": group.name})
    today = timezone.localdate()
    was_hosting = membership.role in (Role.HOST, Role.CO_HOST, Role.STEWARD)
    if was_hosting:
        term_end(membership, today)
    membership.state = MembershipState.ALUMNI
    membership.ended_at = timezone.now()
    membership.save(update_fields=["state", "ended_at"])
    remaining = group.memberships.filter(state=MembershipState.ACTIVE).order_by("started_at", "pk")
    if was_hosting and group.scale != Scale.DYAD:
        hosts_left = [m for m in remaining if m.is_hosting(today)]
        successor = remaining.first()
        if not hosts_left and successor is not None:
            term_start(successor, Role.HOST, today)
    if (
        group.scale == Scale.DYAD
        and group.memberships.filter(state=MembershipState.ACTIVE).count() < 2
    ):
        group.status = Status.CLOSED
        group.save(update_fields=["status"])
    access.forget_memberships(person)
    return membership


@transaction.atomic
def membership_reinstate(
    *, person, group: Group, state: str, role: str = Role.MEMBER, role_until: date | None = None
) -> Membership:
    """Undo a leaving that should not have happened: the membership is back in `state`, and a
    hosting role comes back for the rest of its term (a new term record from today on, since
    the history is right that they were not hosting in between)."""
    group = group_lock(group)
    membership = membership_existing(person, group)
    if membership is None or membership.state != MembershipState.ALUMNI:
        raise RuleBroken(_("The membership has changed since; change it on the group page."))
    if state not in Membership.MEMBER_STATES:
        raise RuleBroken(_("A membership comes back as active or paused."))
    _claim_seat(group)
    membership.state = state
    membership.ended_at = None
    if membership.started_at is None:
        membership.started_at = timezone.now()
    membership.save(update_fields=["state", "ended_at", "started_at"])
    today = timezone.localdate()
    term_left = role_until is None or role_until >= today
    if role in (Role.HOST, Role.CO_HOST, Role.STEWARD) and term_left:
        membership.role = role
        membership.role_until = role_until
        membership.save(update_fields=["role", "role_until"])
        HostTerm.objects.create(
            group=group, person=person, role=role, starts_on=today, ends_on=role_until
        )
    access.forget_memberships(person)
    return membership


@transaction.atomic
def membership_pause(*, person, group: Group, paused: bool) -> Membership:
    membership = membership_existing(person, group)
    wanted_from = MembershipState.ACTIVE if paused else MembershipState.PAUSED
    if membership is None or membership.state != wanted_from:
        raise RuleBroken(
            _("Only an active membership can be paused.")
            if paused
            else _("Only a paused membership can be resumed.")
        )
    membership.state = MembershipState.PAUSED if paused else MembershipState.ACTIVE
    membership.save(update_fields=["state"])
    access.forget_memberships(person)
    return membership


@transaction.atomic
def membership_set_tier(*, by, membership: Membership, tier: str) -> Membership:
    group = membership.group
    if not access.can_manage(by, group):
        raise NotAllowed(_("Only the hosts can change tiers."))
    if tier not in group.tiers:
        raise RuleBroken(
            _("%(tier)s is not a tier of %(name)s; the tiers are %(tiers)s.")
            % {"tier": tier, "name": group.name, "tiers": ", ".join(group.tiers)},
            field="tier",
        )
    membership.tier = tier
    membership.save(update_fields=["tier"])
    return membership
