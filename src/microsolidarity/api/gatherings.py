"""Gatherings and occurrences; RSVP (idempotent) and cancel, each answering the RSVP state."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate

from microsolidarity.api.auth import ANYONE, OPTIONAL_AUTH, PERSON
from microsolidarity.api.gathering_schemas import (
    GatheringDetailOut,
    GatheringFilters,
    GatheringOut,
    OccurrenceOut,
    RsvpIn,
    RsvpOut,
    RsvpTargetIn,
)
from microsolidarity.api.pagination import Pages
from microsolidarity.api.schemas import ErrorOut
from microsolidarity.errors import RuleBroken
from microsolidarity.gatherings import access, queries, rsvp
from microsolidarity.gatherings.models import Gathering, Occurrence
from microsolidarity.ratelimits import ActionThrottle

router = Router(tags=["gatherings"])

READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def visible_gathering(person, gathering_id: int) -> Gathering:
    """The gathering, or 404 alike for one that is hidden and one that doesn't exist."""
    # One simple read and the rule in Python (the pages do the same): building the visibility
    # query for a single row cost more CPU than the membership lookup it replaces.
    gathering = (
        Gathering.objects.select_related("group", "group__parent").filter(pk=gathering_id).first()
    )
    if gathering is None or not access.gathering_visible(person, gathering):
        raise Http404(_("There is no gathering at this address, or it is not visible to you."))
    return gathering


def _occurrences(gathering: Gathering):
    return queries.with_going_counts(
        gathering.occurrences.select_related("gathering").order_by("starts_at", "pk")
    )


def _target(gathering: Gathering, occurrence_id: int | None) -> Occurrence:
    if occurrence_id is None:
        if gathering.is_recurring:
            raise RuleBroken(
                _("This gathering repeats: name the occurrence (its id) you mean."),
                field="occurrence",
            )
        occurrence = gathering.occurrences.order_by("starts_at").first()
    else:
        occurrence = gathering.occurrences.filter(pk=occurrence_id).first()
    if occurrence is None:
        raise Http404(_("This gathering has no such occurrence."))
    occurrence.gathering = gathering
    return occurrence


def _state(result: rsvp.RsvpResult, gathering: Gathering) -> dict:
    return {
        "gathering": gathering.pk,
        "occurrence": result.rsvp.occurrence_id,
        "state": result.rsvp.state,
        "waitlist_position": result.waitlist_position,
        "from_series": result.rsvp.from_series,
        "answers": result.rsvp.answers or {},
    }


@router.get(
    "",
    response={200: list[GatheringOut], 401: ErrorOut, 422: ErrorOut},
    auth=ANYONE,
    openapi_extra=OPTIONAL_AUTH,
    summary="List the gatherings you can see",
)
@paginate(Pages)
def gathering_list(request, filters: Query[GatheringFilters]):
    gatherings = queries.gatherings_visible_to(request.auth).select_related("group")
    if filters.group:
        gatherings = gatherings.filter(group__slug=filters.group)
    return gatherings.order_by("starts_at", "pk")


@router.get(
    "/{int:gathering_id}",
    response={200: GatheringDetailOut, **READ_ERRORS},
    auth=ANYONE,
    openapi_extra=OPTIONAL_AUTH,
    summary="One gathering, with its hosts and next occurrences",
)
def gathering_detail(request, gathering_id: int):
    gathering = visible_gathering(request.auth, gathering_id)
    gathering.upcoming = list(_occurrences(gathering).filter(ends_at__gte=timezone.now())[:10])
    return gathering


@router.get(
    "/{int:gathering_id}/occurrences",
    response={200: list[OccurrenceOut], **READ_ERRORS},
    auth=ANYONE,
    openapi_extra=OPTIONAL_AUTH,
    summary="The gathering's occurrences from today on, soonest first",
)
@paginate(Pages)
def occurrence_list(request, gathering_id: int):
    gathering = visible_gathering(request.auth, gathering_id)
    return _occurrences(gathering).filter(ends_at__gte=timezone.now())


@router.post(
    "/{int:gathering_id}/rsvp",
    response={200: RsvpOut, **WRITE_ERRORS},
    auth=PERSON,
    throttle=[ActionThrottle("api"), ActionThrottle("rsvp")],
    summary="Say going or not going (asking twice changes nothing); full means waitlisted",
)
def rsvp_post(request, gathering_id: int, payload: RsvpIn):
    gathering = visible_gathering(request.auth, gathering_id)
    occurrence = _target(gathering, payload.occurrence)
    result = rsvp.rsvp_set(
        person=request.auth, occurrence=occurrence, state=payload.state, answers=payload.answers
    )
    return _state(result, gathering)


@router.delete(
    "/{int:gathering_id}/rsvp",
    response={200: RsvpOut, **WRITE_ERRORS},
    auth=PERSON,
    summary="Cancel your RSVP (or leave the waitlist); the first person waiting is promoted",
)
def rsvp_delete(
    request, gathering_id: int, occurrence: int | None = None, payload: RsvpTargetIn | None = None
):
    gathering = visible_gathering(request.auth, gathering_id)
    occurrence_id = occurrence if occurrence is not None else (payload and payload.occurrence)
    target = _target(gathering, occurrence_id)
    result = rsvp.rsvp_cancel(person=request.auth, occurrence=target)
    return _state(result, gathering)
