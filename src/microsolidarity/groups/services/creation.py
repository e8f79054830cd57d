"""Making groups and dyads, and the nesting and visibility rules they keep."""

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
    JoinedVia,
    JoinPolicy,
    Membership,
    MembershipState,
    Role,
    Scale,
    Status,
    Visibility,
)
from microsolidarity.groups.services.terms import term_start

# A crew sits in a congregation, a congregation in a network (or stands alone),
# a dyad anywhere or nowhere, a network at the top.
ALLOWED_PARENTS: dict[str, tuple[str | None, ...]] = {
    Scale.NETWORK: (None,),
    Scale.CONGREGATION: (Scale.NETWORK, None),
    Scale.CREW: (Scale.CONGREGATION,),
    Scale.DYAD: (Scale.NETWORK, Scale.CONGREGATION, Scale.CREW, None),
}


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
        term_start(membership, Role.HOST, timezone.localdate())
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
