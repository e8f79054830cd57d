"""Writes on groups and memberships. Each raises a DomainError with a message a person can read."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.groups import access
from microsolidarity.groups.models import (
    VISIBILITY_WIDTH,
    Group,
    HostTerm,
    JoinedVia,
    JoinPolicy,
    Membership,
    MembershipState,
    Role,
    Scale,
    Status,
    Visibility,
)
from microsolidarity.groups.sizes import size_refusal, size_warning

# A crew sits in a congregation, a congregation in a network (or stands alone),
# a dyad anywhere or nowhere, a network at the top.
ALLOWED_PARENTS: dict[str, tuple[str | None, ...]] = {
    Scale.NETWORK: (None,),
    Scale.CONGREGATION: (Scale.NETWORK, None),
    Scale.CREW: (Scale.CONGREGATION,),
    Scale.DYAD: (Scale.NETWORK, Scale.CONGREGATION, Scale.CREW, None),
}
DEFAULT_HOST_TERM_DAYS: dict[str, int] = {
    Scale.CREW: 28,
    Scale.CONGREGATION: 365,
    Scale.NETWORK: 365,
}


@dataclass(frozen=True)
class MembershipResult:
    membership: Membership
    warning: str | None = None


def nesting_check(*, scale: str, parent: Group | None) -> None:
    allowed = ALLOWED_PARENTS[scale]
    parent_scale = parent.scale if parent is not None else None
    if parent_scale in allowed:
        return
    names: dict[str, str] = {
        Scale.NETWORK: _("a network sits at the top and has no parent"),
        Scale.CONGREGATION: _("a congregation sits in a network, or stands alone"),
        Scale.CREW: _("a crew sits in a congregation"),
        Scale.DYAD: _("a dyad sits in a network, congregation or crew, or stands alone"),
    }
    raise RuleBroken(names[scale].capitalize() + ".", field="parent")


def visibility_check(*, visibility: str, parent: Group | None) -> None:
    if parent is None:
        if visibility == Visibility.PARENT:
            raise RuleBroken(
                _("Only a group inside another can be visible to that group's members."),
                field="visibility",
            )
        return
    if visibility == Visibility.PARENT:
        # Seen only by the parent's members, who all see the parent: never wider than it.
        return
    if VISIBILITY_WIDTH[Visibility(visibility)] > VISIBILITY_WIDTH[Visibility(parent.visibility)]:
        raise RuleBroken(
            _("A group can't be more visible than %(parent)s, the group it sits in.")
            % {"parent": parent.name},
            field="visibility",
        )


def visibility_check_children(*, group: Group, visibility: str) -> None:
    """Narrowing a group must not leave a group inside it more visible than it."""
    width = VISIBILITY_WIDTH[Visibility(visibility)]
    wider = [
        child.name
        for child in group.children.all()
        if VISIBILITY_WIDTH[Visibility(child.visibility)] > width
    ]
    if wider:
        raise RuleBroken(
            _("Narrow these groups inside it first: %(names)s.") % {"names": ", ".join(wider)},
            field="visibility",
        )


def _unique_slug(name: str) -> str:
    base = slugify(name)[:120] or "group"
    slug, n = base, 2
    while Group.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _host_until(group: Group, start: date) -> date | None:
    days = group.host_term_days or DEFAULT_HOST_TERM_DAYS.get(group.scale)
    return start + timedelta(days=days) if days else None


def _start_hosting(membership: Membership, role: str, today: date) -> None:
    membership.role = role
    membership.role_until = _host_until(membership.group, today)
    membership.save(update_fields=["role", "role_until"])
    HostTerm.objects.create(
        group=membership.group,
        person=membership.person,
        role=role,
        starts_on=today,
        ends_on=membership.role_until,
    )


def _end_hosting(membership: Membership, today: date) -> None:
    HostTerm.objects.filter(
        group=membership.group, person=membership.person, ended_on__isnull=True
    ).update(ended_on=today)
    membership.role = Role.MEMBER
    membership.role_until = None
    membership.save(update_fields=["role", "role_until"])


@transaction.atomic
def group_create(
    *,
    by,
    name: str,
    scale: str,
    parent: Group | None = None,
    description: str = "",
    join_policy: str = JoinPolicy.REQUEST,
    visibility: str = Visibility.PUBLIC,
    group_timezone: str = "UTC",
    languages: list[str] | None = None,
    region: str = "",
    status: str = Status.ACTIVE,
) -> Group:
    """Start a group; its creator is its first host (in a dyad, one of its two)."""
    name = name.strip()
    if not name:
        raise RuleBroken(_("Give the group a name."), field="name")
    nesting_check(scale=scale, parent=parent)
    visibility_check(visibility=visibility, parent=parent)
    if not access.can_create_inside(by, parent, scale):
        if scale == Scale.NETWORK:
            who = _("Only the site's operators can start a network.")
        elif scale == Scale.CONGREGATION:
            who = _("Only hosts of %(parent)s can start a %(scale)s in it.")
        else:
            who = _("Only active members of %(parent)s can start a %(scale)s in it.")
        raise NotAllowed(
            who
            % {
                "parent": parent.name if parent else _("this site"),
                "scale": Scale(scale).label.lower(),
            }
        )
    group = Group.objects.create(
        name=name,
        slug=_unique_slug(name),
        scale=scale,
        parent=parent,
        description=description,
        join_policy=join_policy,
        visibility=visibility,
        timezone=group_timezone,
        languages=list(languages or []),
        region=region,
        status=status,
        tiers=list(settings.DEFAULT_MEMBERSHIP_TIERS) if scale == Scale.CONGREGATION else [],
        created_by=by,
    )
    now = timezone.now()
    membership = Membership.objects.create(
        group=group,
        person=by,
        state=MembershipState.ACTIVE,
        joined_via=JoinedVia.CREATED,
        tier=group.tiers[-1] if group.tiers else "",
        started_at=now,
    )
    if scale != Scale.DYAD:
        _start_hosting(membership, Role.HOST, timezone.localdate())
    access.forget_memberships(by)
    return group


@transaction.atomic
def dyad_create(
    *,
    by,
    partner,
    parent: Group | None = None,
    name: str = "",
    invite: bool = False,
    third=None,
) -> Group:
    """A dyad of two: made whole at once, or (with `invite`) waiting for the partner's yes.

    `third` makes the one trio a pairing round needs when an odd number take part: the
    only way a dyad holds three (docs/dyads.md).
    """
    if partner == by:
        raise RuleBroken(_("A dyad needs someone other than you."), field="partner")
    if parent is not None and not access.is_active_member(partner, parent):
        raise RuleBroken(
            _("%(person)s is not an active member of %(parent)s.")
            % {"person": partner, "parent": parent.name},
            field="partner",
        )
    dyad = group_create(
        by=by,
        name=name or f"{by} & {partner}",
        scale=Scale.DYAD,
        parent=parent,
        join_policy=JoinPolicy.CLOSED,
        visibility=Visibility.MEMBERS,
        status=Status.FORMING if invite else Status.ACTIVE,
    )
    Membership.objects.create(
        group=dyad,
        person=partner,
        state=MembershipState.INVITED if invite else MembershipState.ACTIVE,
        joined_via=JoinedVia.INVITATION,
        invited_by=by,
        started_at=None if invite else timezone.now(),
    )
    if third is not None:
        if third in (by, partner) or invite:
            raise RuleBroken(_("A trio needs three different people, all placed at once."))
        Membership.objects.create(
            group=dyad,
            person=third,
            state=MembershipState.ACTIVE,
            joined_via=JoinedVia.FORMATION,
            started_at=timezone.now(),
        )
        access.forget_memberships(third)
    access.forget_memberships(partner)
    return dyad


def _lock(group: Group) -> Group:
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


def _existing(person, group: Group) -> Membership | None:
    return Membership.objects.select_for_update().filter(person=person, group=group).first()


@transaction.atomic
def membership_join(*, person, group: Group) -> MembershipResult:
    """Join an open group at once."""
    group = _lock(group)
    _require_open_for_members(group)
    if not access.group_visible(person, group):
        raise NotAllowed(_("This group is not visible to you."))
    existing = _existing(person, group)
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
    group = _lock(group)
    _require_open_for_members(group)
    if not access.group_visible(person, group):
        raise NotAllowed(_("This group is not visible to you."))
    if group.join_policy == JoinPolicy.OPEN:
        return membership_join(person=person, group=group)
    if group.join_policy != JoinPolicy.REQUEST:
        raise RuleBroken(_("%(name)s does not take requests to join.") % {"name": group.name})
    existing = _existing(person, group)
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
    return MembershipResult(membership)


@transaction.atomic
def membership_approve(*, by, membership: Membership) -> MembershipResult:
    group = _lock(membership.group)
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
    return MembershipResult(membership, warning)


@transaction.atomic
def membership_decline_request(*, by, membership: Membership) -> None:
    """Declining is quiet: the request is removed, and nothing is shown publicly."""
    if not access.can_manage(by, membership.group):
        raise NotAllowed(_("Only the hosts can answer requests."))
    Membership.objects.filter(pk=membership.pk, state=MembershipState.REQUESTED).delete()


@transaction.atomic
def membership_invite(*, by, group: Group, person) -> MembershipResult:
    group = _lock(group)
    _require_open_for_members(group)
    if not access.can_invite(by, group):
        raise NotAllowed(_("You can't invite people to %(name)s.") % {"name": group.name})
    if group.join_policy == JoinPolicy.CLOSED:
        raise RuleBroken(_("%(name)s is closed to new members.") % {"name": group.name})
    existing = _existing(person, group)
    if existing is not None and existing.state in Membership.MEMBER_STATES:
        raise RuleBroken(_("%(person)s is already a member.") % {"person": person}, field="email")
    if existing is not None and existing.state == MembershipState.INVITED:
        raise RuleBroken(_("%(person)s is already invited.") % {"person": person}, field="email")
    if existing is not None and existing.state == MembershipState.REQUESTED:
        # An invitation answers a waiting request: that is an approval.
        warning = _claim_seat(group)
        _activate(existing, JoinedVia.INVITATION)
        access.forget_memberships(person)
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
    group = _lock(group)
    membership = _existing(person, group)
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
    group = _lock(group)
    membership = _existing(person, group)
    if membership is None or membership.state not in Membership.MEMBER_STATES:
        raise RuleBroken(_("You are not a member of %(name)s.") % {"name": group.name})
    today = timezone.localdate()
    was_hosting = membership.role in (Role.HOST, Role.CO_HOST, Role.STEWARD)
    if was_hosting:
        _end_hosting(membership, today)
    membership.state = MembershipState.ALUMNI
    membership.ended_at = timezone.now()
    membership.save(update_fields=["state", "ended_at"])
    remaining = group.memberships.filter(state=MembershipState.ACTIVE).order_by("started_at", "pk")
    if was_hosting and group.scale != Scale.DYAD:
        hosts_left = [m for m in remaining if m.is_hosting(today)]
        successor = remaining.first()
        if not hosts_left and successor is not None:
            _start_hosting(successor, Role.HOST, today)
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
    group = _lock(group)
    membership = _existing(person, group)
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
    membership = _existing(person, group)
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


@transaction.atomic
def host_assign(*, by, group: Group, person, role: str = Role.HOST) -> Membership:
    """Give someone a hosting role for one term (the group's term length)."""
    if role not in (Role.HOST, Role.CO_HOST, Role.STEWARD):
        raise RuleBroken(_("That is not a hosting role."), field="role")
    if not access.can_manage(by, group):
        raise NotAllowed(_("Only the hosts of %(name)s can share hosting.") % {"name": group.name})
    membership = _existing(person, group)
    if membership is None or membership.state != MembershipState.ACTIVE:
        raise RuleBroken(_("%(person)s is not an active member.") % {"person": person})
    _start_hosting(membership, role, timezone.localdate())
    access.forget_memberships(person)
    return membership


@transaction.atomic
def crew_host_rotate(*, by, group: Group) -> Membership:
    """Hand hosting to the next member, in the order people joined, wrapping round."""
    group = _lock(group)
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
        _end_hosting(members[index], today)
    successor = members[start % len(members)]
    _start_hosting(successor, Role.HOST, today)
    access.forget_memberships(by)
    return successor


@transaction.atomic
def host_end(*, by, group: Group, person) -> Membership:
    """End someone's hosting term today; a host may also step down themselves."""
    if not (access.can_manage(by, group) or by == person):
        raise NotAllowed(
            _("Only the hosts of %(name)s can end a hosting term.") % {"name": group.name}
        )
    membership = _existing(person, group)
    if membership is None or membership.role not in (Role.HOST, Role.CO_HOST, Role.STEWARD):
        raise RuleBroken(
            _("%(person)s is not hosting %(name)s.") % {"person": person, "name": group.name}
        )
    others = group.memberships.filter(state=MembershipState.ACTIVE).exclude(pk=membership.pk)
    today = timezone.localdate()
    if group.scale != Scale.DYAD and not any(m.is_hosting(today) for m in others):
        raise RuleBroken(_("Someone else needs to host first: a group keeps at least one host."))
    _end_hosting(membership, today)
    access.forget_memberships(person)
    return membership
