"""Reads for pages and the API: what a person sees of groups and of other people."""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.timezone import localdate

from microsolidarity.groups import access
from microsolidarity.groups.models import (
    HOSTING_ROLES,
    Group,
    Membership,
    MembershipState,
    Scale,
)
from microsolidarity.people.models import AUDIENCE_ORDER, Audience, Person, Profile

SCALE_ORDER = [Scale.NETWORK, Scale.CONGREGATION, Scale.CREW, Scale.DYAD]


def groups_with_counts(queryset):
    return queryset.select_related("parent").annotate(
        member_count=Count("memberships", filter=Q(memberships__state__in=Membership.MEMBER_STATES))
    )


def viewer_memberships(person) -> list[Membership]:
    """The person's memberships in every state but alumni, with their groups: what the
    visibility rules built from memberships and the per-group checks need, in one query."""
    if person is None or not person.is_authenticated:
        return []
    return list(
        Membership.objects.filter(person=person)
        .exclude(state=MembershipState.ALUMNI)
        .select_related("group", "group__parent")
        .order_by("group__name")
    )


def request_memberships(request) -> list[Membership]:
    """`viewer_memberships` of the signed-in person, read once per request; the permission
    checks of the same request on those groups then ask no query of their own."""
    if not hasattr(request, "_viewer_memberships"):
        memberships = viewer_memberships(request.user)
        access.memberships_remember(request.user, memberships)
        request._viewer_memberships = memberships
    return request._viewer_memberships


@dataclass
class HomeView:
    by_scale: dict[str, list[Membership]] = field(default_factory=dict)
    invitations: list[Membership] = field(default_factory=list)
    my_requests: list[Membership] = field(default_factory=list)
    requests_to_answer: list[Membership] = field(default_factory=list)
    hosting: list[Membership] = field(default_factory=list)
    congregations_without_my_crew: list[Group] = field(default_factory=list)

    @property
    def member_of(self) -> list[int]:
        """The ids of the groups I am a member of, every scale."""
        return [m.group_id for memberships in self.by_scale.values() for m in memberships]


def home_for(person: Person) -> HomeView:
    """My groups across the scales, and what is waiting for me next."""
    view = HomeView()
    mine = list(
        Membership.objects.filter(person=person)
        .exclude(state=MembershipState.ALUMNI)
        .select_related("group", "group__parent")
        .order_by("group__name")
    )
    for membership in mine:
        if membership.state in Membership.MEMBER_STATES:
            view.by_scale.setdefault(membership.group.scale, []).append(membership)
            if membership.is_hosting():
                view.hosting.append(membership)
        elif membership.state == MembershipState.INVITED:
            view.invitations.append(membership)
        elif membership.state == MembershipState.REQUESTED:
            view.my_requests.append(membership)
    hosted_ids = [m.group_id for m in view.hosting]
    view.requests_to_answer = list(
        Membership.objects.filter(group_id__in=hosted_ids, state=MembershipState.REQUESTED)
        .select_related("person", "group")
        .order_by("created_at")
    )
    crew_parents = {m.group.parent_id for m in view.by_scale.get(Scale.CREW, [])}
    view.congregations_without_my_crew = [
        m.group for m in view.by_scale.get(Scale.CONGREGATION, []) if m.group_id not in crew_parents
    ]
    view.by_scale = {scale: view.by_scale[scale] for scale in SCALE_ORDER if scale in view.by_scale}
    return view


def moderated_groups(person):
    """Pks of the groups whose hidden content this person sees: those they host in their term,
    and the crews and dyads inside those (the same rule as `access.can_moderate`)."""
    if person is None or not person.is_authenticated:
        return Group.objects.none().values("pk")
    hosting = (
        Membership.objects.filter(
            person=person, state__in=Membership.MEMBER_STATES, role__in=HOSTING_ROLES
        )
        .filter(Q(role_until__isnull=True) | Q(role_until__gte=localdate()))
        .values("group")
    )
    inside = Q(parent__in=hosting, scale__in=[Scale.CREW, Scale.DYAD])
    return Group.objects.filter(Q(pk__in=hosting) | inside).values("pk")


def not_hidden_for(person, group_field: str = "group", hidden_field: str = "hidden_at") -> Q:
    """A filter: what hosts hid is left out, except for its hosts, who see it marked, and for
    operators. `group_field` and `hidden_field` name the content's group and hidden mark."""
    if getattr(person, "is_staff", False):
        return Q()
    return Q(**{f"{hidden_field}__isnull": True}) | Q(
        **{f"{group_field}__in": moderated_groups(person)}
    )


def not_hidden_given(
    person, hosting_ids, group_field: str = "group", hidden_field: str = "hidden_at"
) -> Q:
    """`not_hidden_for` when the pks of the groups the person hosts (in their term) are at hand,
    as on the home page: the same rule, without the subqueries that find them."""
    if getattr(person, "is_staff", False):
        return Q()
    hosting = list(hosting_ids)
    inside = Q(
        **{
            f"{group_field}__parent__in": hosting,
            f"{group_field}__scale__in": [Scale.CREW, Scale.DYAD],
        }
    )
    return Q(**{f"{hidden_field}__isnull": True}) | Q(**{f"{group_field}__in": hosting}) | inside


def current_members(group: Group):
    return (
        group.memberships.filter(state__in=Membership.MEMBER_STATES)
        .select_related("person")
        .order_by("-role", "person__display_name", "pk")
    )


def pending_requests(group: Group):
    return group.memberships.filter(state=MembershipState.REQUESTED).select_related("person")


def visible_children(group: Group, viewer, memberships=None):
    """The groups inside `group` the viewer may see; pass the viewer's `memberships`
    (`viewer_memberships`) when the page has read them."""
    children = group.children.all()
    if memberships is None:
        children = children.visible_to(viewer)
    else:
        children = children.visible_given(viewer, memberships)
    return groups_with_counts(children.order_by("scale", "name"))


def group_tree(root: Group, viewer) -> dict:
    """The group and every visible descendant, nested; one query per level."""
    nodes = {root.pk: {"group": root, "children": []}}
    frontier = [root.pk]
    while frontier:
        level = list(
            groups_with_counts(Group.objects.visible_to(viewer).filter(parent_id__in=frontier))
        )
        frontier = []
        for child in level:
            nodes[child.pk] = {"group": child, "children": []}
            nodes[child.parent_id]["children"].append(nodes[child.pk])
            frontier.append(child.pk)
    return nodes[root.pk]


def closeness(viewer, person: Person) -> str | None:
    """The widest audience level that includes the viewer, or None if they share nothing."""
    if viewer is None or not viewer.is_authenticated:
        return None
    if viewer == person:
        return Audience.ONLY_ME
    viewer_groups = Membership.objects.filter(
        person=viewer, state__in=Membership.MEMBER_STATES
    ).values("group")
    shared = Membership.objects.filter(
        person=person, state__in=Membership.MEMBER_STATES, group__in=viewer_groups
    ).values_list("group__scale", flat=True)
    scales = set(shared)
    if scales & {Scale.CREW, Scale.DYAD}:
        return Audience.CREWS
    # "People in my congregations": sharing only a network, which may be thousands, is not enough.
    if Scale.CONGREGATION in scales:
        return Audience.CONGREGATIONS
    return Audience.SITE


def visible_parts(viewer, profile: Profile) -> set[str]:
    """The parts of a profile this viewer may see, by each part's chosen audience."""
    level = closeness(viewer, profile.person)
    if level is None:
        return set()
    reach = AUDIENCE_ORDER.index(Audience(level))
    return {
        part
        for part in Profile.PARTS
        if AUDIENCE_ORDER.index(Audience(profile.audience_for(part))) <= reach
    }


def shared_groups(viewer, person: Person):
    viewer_groups = Membership.objects.filter(
        person=viewer, state__in=Membership.MEMBER_STATES
    ).values("group")
    return Group.objects.filter(
        memberships__person=person,
        memberships__state__in=Membership.MEMBER_STATES,
        pk__in=viewer_groups,
    ).order_by("name")


def hosting_members(group: Group) -> list[Membership]:
    # Filtered in the database: a congregation's page would otherwise read all 150 members
    # to find its two or three hosts.
    return [m for m in current_members(group).filter(role__in=HOSTING_ROLES) if m.is_hosting()]


def dyad_between(first: Person, second: Person) -> Group | None:
    """An open (forming or active) dyad the two share, if any."""
    return (
        Group.objects.filter(scale=Scale.DYAD, status__in=["forming", "active"])
        .filter(memberships__person=first, memberships__state__in=Membership.SEEING_STATES)
        .filter(memberships__person=second, memberships__state__in=Membership.SEEING_STATES)
        .first()
    )
