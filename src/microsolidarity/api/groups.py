"""Groups across the scales: list, detail, tree, members; join, request and leave."""

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate

from microsolidarity.api.auth import ANYONE, OPTIONAL_AUTH, PERSON
from microsolidarity.api.pagination import Pages
from microsolidarity.api.schemas import (
    ErrorOut,
    GroupDetailOut,
    GroupFilters,
    GroupOut,
    GroupPatchIn,
    GroupTreeOut,
    JoinRequestIn,
    MemberOut,
    MembershipResultOut,
    OwnMembershipOut,
    Slug,
)
from microsolidarity.errors import NotAllowed
from microsolidarity.groups import access, queries, services
from microsolidarity.groups.models import Group

router = Router(tags=["groups"])

READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


def visible_group(person, slug: str) -> Group:
    """The group at this slug, or 404 alike for one that is hidden and one that doesn't exist."""
    group = queries.groups_with_counts(Group.objects.visible_to(person)).filter(slug=slug).first()
    if group is None:
        raise Http404(_("There is no group at this address, or it is not visible to you."))
    return group


@router.get(
    "",
    response={200: list[GroupOut], 401: ErrorOut, 422: ErrorOut},
    auth=ANYONE,
    openapi_extra=OPTIONAL_AUTH,
    summary="List the groups you can see",
)
@paginate(Pages)
def group_list(request, filters: Query[GroupFilters]):
    groups = Group.objects.visible_to(request.auth)
    if filters.scale:
        groups = groups.filter(scale=filters.scale)
    if filters.parent:
        groups = groups.filter(parent__slug=filters.parent)
    if filters.q:
        groups = groups.filter(
            Q(name__icontains=filters.q)
            | Q(description__icontains=filters.q)
            | Q(region__icontains=filters.q)
        )
    return queries.groups_with_counts(groups).order_by("name", "pk")


@router.get(
    "/{slug}",
    response={200: GroupDetailOut, **READ_ERRORS},
    auth=ANYONE,
    openapi_extra=OPTIONAL_AUTH,
    summary="One group",
)
def group_detail(request, slug: Slug):
    return visible_group(request.auth, slug)


@router.get(
    "/{slug}/tree",
    response={200: GroupTreeOut, **READ_ERRORS},
    auth=ANYONE,
    openapi_extra=OPTIONAL_AUTH,
    summary="A group and every group inside it that you can see, nested",
)
def group_tree(request, slug: Slug):
    return queries.group_tree(visible_group(request.auth, slug), request.auth)


@router.get(
    "/{slug}/memberships",
    response={200: list[MemberOut], 403: ErrorOut, **READ_ERRORS},
    auth=ANYONE,
    openapi_extra=OPTIONAL_AUTH,
    summary="Who is in a group (for its members)",
)
@paginate(Pages)
def group_memberships(request, slug: Slug):
    group = visible_group(request.auth, slug)
    if not access.members_visible(request.auth, group):
        raise NotAllowed(_("Only members of %(name)s can see who is in it.") % {"name": group.name})
    return queries.current_members(group).order_by("-role", "person__display_name", "pk")


@router.patch(
    "/{slug}",
    response={200: GroupOut, **WRITE_ERRORS},
    auth=PERSON,
    summary="Change a group's settings (its hosts); what you leave out stays as it is",
)
def group_update(request, slug: Slug, payload: GroupPatchIn):
    group = visible_group(request.auth, slug)
    changes = payload.model_dump(exclude_unset=True)
    services.group_update(by=request.auth, group=group, changes=changes)
    return visible_group(request.auth, slug)


@router.post(
    "/{slug}/join",
    response={200: MembershipResultOut, **WRITE_ERRORS},
    auth=PERSON,
    summary="Join an open group (or accept an invitation to it)",
)
def group_join(request, slug: Slug):
    group = visible_group(request.auth, slug)
    return services.membership_join(person=request.auth, group=group)


@router.post(
    "/{slug}/request",
    response={200: MembershipResultOut, **WRITE_ERRORS},
    auth=PERSON,
    summary="Ask to join a group that takes requests",
)
def group_request(request, slug: Slug, payload: JoinRequestIn | None = None):
    group = visible_group(request.auth, slug)
    message = payload.message if payload is not None else ""
    return services.membership_request(person=request.auth, group=group, message=message)


@router.delete(
    "/{slug}/membership",
    response={200: OwnMembershipOut, **WRITE_ERRORS},
    auth=PERSON,
    summary="Leave a group (you stay in its history)",
)
def group_leave(request, slug: Slug):
    group = visible_group(request.auth, slug)
    return services.membership_leave(person=request.auth, group=group)
