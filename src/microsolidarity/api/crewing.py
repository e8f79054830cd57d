"""Crewing: crew calls and interest, formation rounds (open, opt in, form, preview, publish), crews.

Whatever a person may not see answers 404 alike with what does not exist; what they may see
but not do answers 403 with the reason.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import paginate

from microsolidarity.api.auth import PERSON
from microsolidarity.api.crewing_schemas import (
    CallDetailOut,
    CallIn,
    CallOut,
    CrewOut,
    FormationRoundDetailOut,
    FormationRoundIn,
    FormationRoundOut,
    InterestIn,
    InterestResultOut,
    OptInIn,
    ProposalOut,
    PublishIn,
    SizesIn,
)
from microsolidarity.api.pagination import Pages
from microsolidarity.api.schemas import ErrorOut, Slug
from microsolidarity.crewing import (
    access,
    calls,
    queries,
    round_lifecycle,
    round_locks,
    round_publishing,
    round_queries,
)
from microsolidarity.crewing.cycles import active_members, cycle_current
from microsolidarity.crewing.models import CrewCall, FormationRound, Retrospective
from microsolidarity.groups.models import Group, Scale

router = Router(tags=["crewing"])

READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 403: ErrorOut, **READ_ERRORS}


def _congregation(person, slug: str) -> Group:
    """A congregation whose crewing the person takes part in, or 404."""
    congregation = Group.objects.filter(slug=slug, scale=Scale.CONGREGATION).first()
    if congregation is None or not access.can_use_crewing(person, congregation):
        raise Http404(_("There is no congregation at this address, or you are not in it."))
    return congregation


def _call(person, call_id: int) -> CrewCall:
    call = (
        CrewCall.objects.select_related("congregation", "caller", "crew").filter(pk=call_id).first()
    )
    if call is None or not access.can_view_call(person, call):
        raise Http404(_("There is no crew call at this address, or it is not visible to you."))
    return call


def _round(person, round_id: int) -> FormationRound:
    round_ = FormationRound.objects.select_related("congregation").filter(pk=round_id).first()
    if round_ is None or not access.can_see_round(person, round_.congregation):
        raise Http404(_("There is no round at this address, or it is not visible to you."))
    return round_


# --- Crew calls -----------------------------------------------------------------------------


@router.get(
    "/congregations/{slug}/calls",
    response={200: list[CallOut], **READ_ERRORS},
    auth=PERSON,
    summary="The open crew calls of a congregation you are in, newest first",
)
@paginate(Pages)
def call_list(request, slug: Slug):
    congregation = _congregation(request.auth, slug)
    return queries.open_calls(congregation, request.auth).select_related("congregation", "crew")


@router.post(
    "/congregations/{slug}/calls",
    response={200: CallOut, **WRITE_ERRORS},
    auth=PERSON,
    summary="Post a crew call: an invitation to form a crew",
)
def call_create(request, slug: Slug, payload: CallIn):
    congregation = _congregation(request.auth, slug)
    call = calls.call_post(
        by=request.auth,
        congregation=congregation,
        intention=payload.intention,
        description=payload.description,
        rhythm=payload.rhythm,
        meeting_minutes=payload.meeting_minutes,
        preferred_times=payload.preferred_times,
        caller_timezone=payload.timezone,
        cycle_ends_on=payload.cycle_ends_on,
        size_min=payload.size_min,
        size_max=payload.size_max,
        agreements=payload.agreements,
    )
    return call


@router.put(
    "/calls/{int:call_id}",
    response={200: CallOut, **WRITE_ERRORS},
    auth=PERSON,
    summary="Change your open call (all of it); everyone interested keeps their place and is told",
)
def call_update(request, call_id: int, payload: CallIn):
    call = _call(request.auth, call_id)
    call, _changes = calls.call_edit(
        by=request.auth,
        call=call,
        intention=payload.intention,
        description=payload.description,
        rhythm=payload.rhythm,
        meeting_minutes=payload.meeting_minutes,
        preferred_times=payload.preferred_times,
        caller_timezone=payload.timezone or call.timezone,
        cycle_ends_on=payload.cycle_ends_on,
        size_min=payload.size_min,
        size_max=payload.size_max,
        agreements=call.agreements if payload.agreements is None else payload.agreements,
        template=call.template,
    )
    return call


@router.get(
    "/calls/{int:call_id}",
    response={200: CallDetailOut, **READ_ERRORS},
    auth=PERSON,
    summary="One crew call, with the interest you may see",
)
def call_detail(request, call_id: int):
    call = _call(request.auth, call_id)
    rows = list(access.interest_rows_for(request.auth, call))
    call.interests_shown = rows
    call.my_interest = next((row for row in rows if row.person_id == request.auth.pk), None)
    return call


@router.post(
    "/calls/{int:call_id}/interest",
    response={200: InterestResultOut, **WRITE_ERRORS},
    auth=PERSON,
    summary="Tell the caller you are interested",
)
def interest_express(request, call_id: int, payload: InterestIn | None = None):
    call = _call(request.auth, call_id)
    message = payload.message if payload is not None else ""
    interest = calls.interest_express(person=request.auth, call=call, message=message)
    return {"call": call.pk, "state": interest.state}


@router.delete(
    "/calls/{int:call_id}/interest",
    response={200: InterestResultOut, **WRITE_ERRORS},
    auth=PERSON,
    summary="Withdraw your interest (nobody else is shown that you did)",
)
def interest_withdraw(request, call_id: int):
    call = _call(request.auth, call_id)
    interest = calls.interest_withdraw(person=request.auth, call=call)
    return {"call": call.pk, "state": interest.state if interest is not None else None}


# --- Formation rounds -----------------------------------------------------------------------


@router.get(
    "/congregations/{slug}/rounds",
    response={200: list[FormationRoundOut], **READ_ERRORS},
    auth=PERSON,
    summary="The formation rounds of a congregation you are in, newest first",
)
@paginate(Pages)
def round_list(request, slug: Slug):
    congregation = Group.objects.filter(slug=slug, scale=Scale.CONGREGATION).first()
    if congregation is None or not access.can_see_round(request.auth, congregation):
        raise Http404(_("There is no congregation at this address, or you are not in it."))
    return round_queries.rounds_of(congregation).select_related("congregation")


@router.post(
    "/congregations/{slug}/rounds",
    response={200: FormationRoundOut, **WRITE_ERRORS},
    auth=PERSON,
    summary="Open a formation round (hosts)",
)
def round_open(request, slug: Slug, payload: FormationRoundIn):
    congregation = _congregation(request.auth, slug)
    round_ = round_lifecycle.round_open(
        by=request.auth,
        congregation=congregation,
        title=payload.title,
        deadline=payload.deadline,
        size_min=payload.size_min,
        size_max=payload.size_max,
        min_common_minutes=payload.min_common_minutes,
        meeting_minutes=payload.meeting_minutes,
        first_meeting_after=payload.first_meeting_after,
    )
    return round_


def _round_detail(person, round_: FormationRound) -> dict:
    is_host = access.may_host_round(person, round_.congregation)
    crew = round_queries.my_crew(round_, person)
    round_.entry_count = round_.entries.count()
    round_.my_entry = round_queries.entry_of(round_, person)
    round_.my_crew = crew.slug if crew is not None else None
    round_.error = round_.error if is_host else ""
    return round_


@router.get(
    "/rounds/{int:round_id}",
    response={200: FormationRoundDetailOut, **READ_ERRORS},
    auth=PERSON,
    summary="One formation round: its state, progress, your sign-up and, once published, crew",
)
def round_detail(request, round_id: int):
    return _round_detail(request.auth, _round(request.auth, round_id))


@router.post(
    "/rounds/{int:round_id}/opt-in",
    response={200: FormationRoundDetailOut, **WRITE_ERRORS},
    auth=PERSON,
    summary="Sign up for the round (again to update), confirming languages and availability",
)
def round_opt_in(request, round_id: int, payload: OptInIn):
    round_ = _round(request.auth, round_id)
    round_lifecycle.round_opt_in(
        person=request.auth,
        formation_round=round_,
        timezone_name=payload.timezone,
        languages=payload.languages,
        interests=payload.interests,
        availability=payload.availability,
        show_to_hosts=payload.show_to_hosts,
    )
    round_.refresh_from_db()
    return _round_detail(request.auth, round_)


@router.post(
    "/rounds/{int:round_id}/opt-out",
    response={200: FormationRoundDetailOut, **WRITE_ERRORS},
    auth=PERSON,
    summary="Leave the round before it is published (asking twice changes nothing)",
)
def round_opt_out(request, round_id: int):
    round_ = _round(request.auth, round_id)
    round_lifecycle.round_opt_out(person=request.auth, formation_round=round_)
    round_.refresh_from_db()
    return _round_detail(request.auth, round_)


@router.post(
    "/rounds/{int:round_id}/form",
    response={200: FormationRoundDetailOut, **WRITE_ERRORS},
    auth=PERSON,
    summary="Propose crews (hosts), again after changes; large rounds run in the background",
)
def round_propose(request, round_id: int):
    round_ = _round(request.auth, round_id)
    formed = round_lifecycle.round_propose(by=request.auth, formation_round=round_)
    formed.refresh_from_db()
    return _round_detail(request.auth, formed)


@router.post(
    "/rounds/{int:round_id}/sizes",
    response={200: FormationRoundDetailOut, **WRITE_ERRORS},
    auth=PERSON,
    summary="Change the crew sizes until publishing (hosts); a proposal is formed again",
)
def round_sizes(request, round_id: int, payload: SizesIn):
    round_ = _round(request.auth, round_id)
    changed = round_lifecycle.round_sizes_change(
        by=request.auth,
        formation_round=round_,
        size_min=payload.size_min,
        size_max=payload.size_max,
    )
    changed.refresh_from_db()
    return _round_detail(request.auth, changed)


@router.get(
    "/rounds/{int:round_id}/preview",
    response={200: ProposalOut, 403: ErrorOut, **READ_ERRORS},
    auth=PERSON,
    summary="The engine's proposal with its explanations, the worst crew flagged (hosts)",
)
def round_preview(request, round_id: int):
    round_ = _round(request.auth, round_id)
    round_locks.round_host_require(request.auth, round_)
    proposal = round_queries.proposal_for_hosts(round_)
    return {
        "round": round_.pk,
        "status": round_.status,
        "proposal_version": round_.proposal_version,
        "total_score": round_.total_score,
        "worst_score": round_.worst_score,
        "crews": [
            {
                "number": view.crew.number,
                "score": view.crew.score,
                "is_worst": view.crew.is_worst,
                "members": view.members,
                "languages": view.languages,
                "interests": view.interests,
                "shared_minutes_per_week": view.shared_minutes,
                "longest_shared_minutes": view.longest_minutes,
                "warnings": view.warnings,
                "explanation": view.crew.explanation or {},
            }
            for view in proposal.crews
        ],
        "unplaced": proposal.unplaced,
        "not_in_proposal": [entry.person for entry in proposal.not_in_proposal],
    }


@router.post(
    "/rounds/{int:round_id}/publish",
    response={200: FormationRoundDetailOut, 409: ErrorOut, **WRITE_ERRORS},
    auth=PERSON,
    summary="Publish the proposal you previewed (hosts); if another host was first, 409",
)
def round_publish(request, round_id: int, payload: PublishIn):
    round_ = _round(request.auth, round_id)
    published = round_publishing.round_publish(
        by=request.auth, formation_round=round_, seen_version=payload.proposal_version
    )
    return _round_detail(request.auth, published)


# --- Crews ----------------------------------------------------------------------------------


@router.get(
    "/crews/{slug}",
    response={200: CrewOut, **READ_ERRORS},
    auth=PERSON,
    summary="Your crew: its members, its current cycle and its meetings (members only)",
)
def crew_detail(request, slug: Slug):
    crew = Group.objects.select_related("parent").filter(slug=slug, scale=Scale.CREW).first()
    if crew is None or not access.is_crew_member(request.auth, crew):
        raise Http404(_("There is no crew at this address, or you are not in it."))
    cycle = cycle_current(crew)
    current = None
    if cycle is not None:
        cycle.crew = crew
        mine = (
            Retrospective.objects.filter(cycle=cycle, person=request.auth)
            .values_list("choice", flat=True)
            .first()
        )
        meetings = queries.cycle_meetings(cycle)
        for meeting in meetings:
            meeting.cycle = cycle
        current = {
            "number": cycle.number,
            "status": cycle.status,
            "starts_on": cycle.starts_on,
            "ends_on": cycle.ends_on,
            "agreements": cycle.agreements,
            "format": cycle.template.name if cycle.template_id else None,
            "meetings": [
                {
                    "number": meeting.number,
                    "starts_at": meeting.occurrence.starts_at,
                    "ends_at": meeting.occurrence.ends_at,
                    "status": meeting.occurrence.status,
                    "focus": meeting.focus,
                    "host": meeting.host,
                    "url": meeting.get_absolute_url(),
                }
                for meeting in meetings
            ],
            "my_retrospective": mine,
            "url": cycle.get_absolute_url(),
        }
    return {
        "slug": crew.slug,
        "name": crew.name,
        "status": crew.status,
        "congregation": crew.parent.slug if crew.parent_id else "",
        "timezone": crew.timezone,
        "members": active_members(crew),
        "current_cycle": current,
        "url": crew.get_absolute_url(),
    }
