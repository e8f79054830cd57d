"""The caller: their account, profile and memberships."""

from django.core.exceptions import ObjectDoesNotExist
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from microsolidarity.api.auth import PERSON
from microsolidarity.api.pagination import Pages
from microsolidarity.api.schemas import ErrorOut, MeOut, OwnMembershipOut
from microsolidarity.groups.models import Membership, MembershipState

router = Router(tags=["me"])


class MembershipFilters(Schema):
    state: MembershipState | None = None


def own_memberships(person):
    return (
        Membership.objects.filter(person=person)
        .select_related("group")
        .order_by("group__name", "pk")
    )


@router.get("", response={200: MeOut, 401: ErrorOut}, auth=PERSON, summary="Who you are")
def me(request):
    person = request.auth
    try:
        profile = person.profile
    except ObjectDoesNotExist:
        profile = None
    return {
        "id": person.pk,
        "email": person.email,
        "display_name": person.display_name,
        "name": str(person),
        "is_staff": person.is_staff,
        "profile": profile,
        "memberships": own_memberships(person).exclude(state=MembershipState.ALUMNI),
    }


@router.get(
    "/memberships",
    response={200: list[OwnMembershipOut], 401: ErrorOut, 422: ErrorOut},
    auth=PERSON,
    summary="Your memberships, past ones included",
)
@paginate(Pages)
def my_memberships(request, filters: Query[MembershipFilters]):
    memberships = own_memberships(request.auth)
    if filters.state:
        memberships = memberships.filter(state=filters.state)
    return memberships
