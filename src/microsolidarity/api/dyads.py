"""Pairing programs and rounds: opt in and out, my current partner, and saying how it went."""

from datetime import date, datetime

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from pydantic import BaseModel

from microsolidarity.api.auth import PERSON
from microsolidarity.api.schemas import ErrorOut, Slug
from microsolidarity.dyads import access, queries, services
from microsolidarity.dyads.models import Outcome, PairingProgram

router = Router(tags=["dyads"])

READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 403: ErrorOut, **READ_ERRORS}


class ProgramOut(Schema):
    group: str = Field(description="The slug of the group that pairs its members.")
    group_name: str
    every_weeks: int
    active: bool
    next_round_on: date
    opted_in: bool


class RoundOut(Schema):
    number: int
    starts_on: date
    ends_on: date
    status: str
    prompt: str


class PartnerOut(Schema):
    id: int
    name: str
    email: str


class PlaceOut(Schema):
    id: int = Field(description="Your place in the round; send outcomes to it.")
    group: str = Field(description="The program's group slug.")
    dyad: str = Field(description="The slug of the dyad Group made for this pairing.")
    round: RoundOut
    partners: list[PartnerOut]
    timezone: str
    shared_times: list[str] = Field(description="Shared times in the coming week, in your zone.")
    outcome: Outcome
    outcome_at: datetime | None


class OutcomeIn(BaseModel):
    outcome: Outcome = Field(description='"met" or "could_not".')


def _program_out(program: PairingProgram, person) -> dict:
    return {
        "group": program.group.slug,
        "group_name": program.group.name,
        "every_weeks": program.every_weeks,
        "active": program.active,
        "next_round_on": program.next_round_on,
        "opted_in": queries.is_opted_in(person, program),
    }


def _program(person, slug: str) -> PairingProgram:
    program = PairingProgram.objects.select_related("group").filter(group__slug=slug).first()
    if program is None or not access.can_see_program(person, program.group):
        raise Http404(_("There is no pairing program here that you can see."))
    return program


def _place_out(place) -> dict:
    member = place.member
    return {
        "id": member.pk,
        "group": member.round.program.group.slug,
        "dyad": member.pairing.group.slug,
        "round": member.round,
        "partners": [{"id": p.pk, "name": str(p), "email": p.email} for p in place.partners],
        "timezone": place.zone,
        "shared_times": place.times_here,
        "outcome": member.outcome,
        "outcome_at": member.outcome_at,
    }


@router.get(
    "/programs",
    response={200: list[ProgramOut], **READ_ERRORS},
    auth=PERSON,
    summary="Pairing programs in your groups",
)
def program_list(request):
    return [_program_out(p, request.auth) for p in queries.programs_for(request.auth)]


@router.get(
    "/programs/{slug}",
    response={200: ProgramOut, **READ_ERRORS},
    auth=PERSON,
    summary="One pairing program",
)
def program_detail(request, slug: Slug):
    return _program_out(_program(request.auth, slug), request.auth)


@router.get(
    "/programs/{slug}/rounds",
    response={200: list[RoundOut], **READ_ERRORS},
    auth=PERSON,
    summary="The program's rounds, newest first",
)
def round_list(request, slug: Slug):
    return list(queries.rounds_of(_program(request.auth, slug))[:100])


@router.post(
    "/programs/{slug}/opt-in",
    response={200: ProgramOut, **WRITE_ERRORS},
    auth=PERSON,
    summary="Opt in: the next round pairs you",
)
def program_opt_in(request, slug: Slug):
    program = _program(request.auth, slug)
    services.pairing_join(person=request.auth, program=program)
    return _program_out(program, request.auth)


@router.post(
    "/programs/{slug}/opt-out",
    response={200: ProgramOut, **WRITE_ERRORS},
    auth=PERSON,
    summary="Opt out at once; a partner in the open round is told",
)
def program_opt_out(request, slug: Slug):
    program = _program(request.auth, slug)
    services.pairing_leave(person=request.auth, program=program)
    return _program_out(program, request.auth)


@router.get(
    "/partner",
    response={200: list[PlaceOut], **READ_ERRORS},
    auth=PERSON,
    summary="Your partner in each open round",
)
def my_partner(request):
    return [_place_out(place) for place in queries.current_places(request.auth)]


@router.post(
    "/places/{int:place_id}/outcome",
    response={200: PlaceOut, **WRITE_ERRORS},
    auth=PERSON,
    summary='Say "we met" or "we couldn\'t"',
)
def place_outcome(request, place_id: int, payload: OutcomeIn):
    places = {p.member.pk: p for p in queries.current_places(request.auth)}
    if place_id not in places:
        raise Http404(_("There is no open pairing of yours here."))
    services.outcome_record(person=request.auth, member_id=place_id, outcome=payload.outcome)
    place = {p.member.pk: p for p in queries.current_places(request.auth)}[place_id]
    return _place_out(place)
