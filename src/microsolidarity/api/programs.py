"""Programs and cohorts: read the templates and cohorts, sign up and leave; my own pathway."""

from datetime import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from pydantic import BaseModel

from microsolidarity.api.auth import ANYONE, PERSON
from microsolidarity.api.pagination import Pages
from microsolidarity.api.schemas import ErrorOut, Slug
from microsolidarity.programs import access, pathway, queries, seats
from microsolidarity.programs.cohorts import next_session, sessions_of
from microsolidarity.programs.models import Cohort, Program

router = Router(tags=["programs"])

READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 403: ErrorOut, **READ_ERRORS}


class StepOut(Schema):
    minutes: int
    title: str
    who: str = ""
    guide: str = ""


class ReadingOut(Schema):
    title: str
    url: str


class ModuleOut(Schema):
    number: int
    title: str
    text: str = Field(description="Markdown.")
    practices: list[StepOut]
    readings: list[ReadingOut]
    reflection_prompt: str


class ProgramSummaryOut(Schema):
    slug: str
    title: str
    summary: str
    owner: str = Field(description="The slug of the congregation or network that owns it.")
    weeks: int
    session_days: str
    session_minutes: int


class ProgramDetailOut(ProgramSummaryOut):
    modules: list[ModuleOut]


class SessionOut(Schema):
    number: int
    module: str
    starts_at: datetime
    ends_at: datetime
    status: str
    occurrence: int = Field(description="The gathering occurrence: RSVP and .ics through it.")


class SeatOut(Schema):
    state: str = Field(description='"applied", "going", "waitlisted", "declined" or "left".')
    waitlist_position: int | None
    answer: str


class CohortOut(Schema):
    slug: str
    title: str
    program: str
    capacity: int
    places_taken: int
    application_question: str
    contribution_url: str
    contribution_note: str
    series: str = Field(description="The slug of the gathering series of its sessions.")
    first_session_at: datetime


class CohortDetailOut(CohortOut):
    facilitators: list[str]
    signups_open: bool
    sessions: list[SessionOut]
    next_session: int | None = Field(
        description="Going on now or next: where a late joiner starts."
    )
    my_seat: SeatOut | None
    formation_round: int | None = Field(description="The crewing formation round, once open.")


class SignUpIn(BaseModel):
    answer: str = Field("", max_length=2000, description="Needed when the cohort asks a question.")


class EvidenceOut(Schema):
    label: str
    count: int


class StageOut(Schema):
    key: str
    label: str
    ratings: dict[str, int | None]
    average: float | None
    evidence: list[EvidenceOut]


class PathwayOut(Schema):
    stages: list[StageOut]
    note: str


def _program_out(program: Program) -> dict:
    return {
        "slug": program.slug,
        "title": program.title,
        "summary": program.summary,
        "owner": program.owner.slug,
        "weeks": program.weeks,
        "session_days": program.session_days,
        "session_minutes": program.session_minutes,
    }


def _cohort_out(cohort: Cohort, going: int | None = None) -> dict:
    return {
        "slug": cohort.slug,
        "title": cohort.title,
        "program": cohort.program.slug,
        "capacity": cohort.capacity,
        "places_taken": going if going is not None else seats.going_count(cohort),
        "application_question": cohort.application_question,
        "contribution_url": cohort.contribution_url,
        "contribution_note": cohort.contribution_note,
        "series": cohort.series.slug,
        "first_session_at": cohort.series.starts_at,
    }


def _cohort(person, slug: str) -> Cohort:
    cohort = (
        Cohort.objects.select_related("program", "program__owner", "series", "group")
        .filter(slug=slug)
        .first()
    )
    if cohort is None or not access.cohort_visible(person, cohort):
        raise Http404(_("There is no cohort here that you can see."))
    return cohort


def _detail(cohort: Cohort, person) -> dict:
    sessions = sessions_of(cohort)
    upcoming = next_session(sessions)
    seat = access.seat_of(person, cohort)
    return {
        **_cohort_out(cohort),
        "facilitators": [str(p) for p in cohort.facilitators.order_by("display_name")],
        "signups_open": timezone.now() < seats.signups_close_at(cohort),
        "sessions": [
            {
                "number": s.number,
                "module": s.module.title if s.module else "",
                "starts_at": s.starts_at,
                "ends_at": s.occurrence.ends_at,
                "status": s.occurrence.status,
                "occurrence": s.occurrence.pk,
            }
            for s in sessions
        ],
        "next_session": upcoming.number if upcoming else None,
        "my_seat": (
            {
                "state": seat.state,
                "waitlist_position": seats.waitlist_position(seat),
                "answer": seat.answer,
            }
            if seat
            else None
        ),
        "formation_round": cohort.formation_round_id,
    }


@router.get(
    "",
    response={200: list[ProgramSummaryOut], **READ_ERRORS},
    auth=ANYONE,
    summary="Program templates you can see",
)
@paginate(Pages)
def program_list(request):
    return [_program_out(p) for p in queries.programs_visible_to(request.auth)]


@router.get(
    "/cohorts",
    response={200: list[CohortOut], **READ_ERRORS},
    auth=ANYONE,
    summary="Cohorts you can see, latest first",
)
@paginate(Pages)
def cohort_list(request):
    return [_cohort_out(c, c.going) for c in queries.cohorts_visible_to(request.auth)]


@router.get(
    "/cohorts/{slug}",
    response={200: CohortDetailOut, **READ_ERRORS},
    auth=ANYONE,
    summary="One cohort: its sessions, your place, its formation round",
)
def cohort_detail(request, slug: Slug):
    return _detail(_cohort(request.auth, slug), request.auth)


@router.post(
    "/cohorts/{slug}/sign-up",
    response={200: CohortDetailOut, **WRITE_ERRORS},
    auth=PERSON,
    summary="Sign up (or apply): a place if free, else the waiting list",
)
def cohort_sign_up(request, slug: Slug, payload: SignUpIn):
    cohort = _cohort(request.auth, slug)
    seats.seat_request(person=request.auth, cohort=cohort, answer=payload.answer)
    return _detail(cohort, request.auth)


@router.delete(
    "/cohorts/{slug}/sign-up",
    response={200: CohortDetailOut, **WRITE_ERRORS},
    auth=PERSON,
    summary="Leave the cohort, its waiting list or withdraw an application",
)
def cohort_leave(request, slug: Slug):
    cohort = _cohort(request.auth, slug)
    seats.seat_leave(person=request.auth, cohort=cohort)
    return _detail(cohort, request.auth)


@router.get(
    "/pathway",
    response={200: PathwayOut, **READ_ERRORS},
    auth=PERSON,
    summary="Your own pathway: self-assessment and roles held (nobody else's, ever)",
)
def my_pathway(request):
    person = request.auth
    return {
        "stages": [
            {
                "key": stage.key,
                "label": stage.label,
                "ratings": {key: level for key, _label, level in stage.skills},
                "average": stage.average,
                "evidence": [{"label": e.label, "count": e.count} for e in stage.evidence],
            }
            for stage in pathway.pathway_of(person)
        ],
        "note": pathway.note_of(person),
    }


@router.get(
    "/{slug}",
    response={200: ProgramDetailOut, **READ_ERRORS},
    auth=ANYONE,
    summary="One program template with its modules",
)
def program_detail(request, slug: Slug):
    program = get_object_or_404(Program.objects.select_related("owner"), slug=slug)
    if not access.program_visible(request.auth, program):
        raise Http404(_("There is no program here that you can see."))
    return {
        **_program_out(program),
        "modules": [
            {
                "number": m.number,
                "title": m.title,
                "text": m.text,
                "practices": m.practices,
                "readings": m.readings,
                "reflection_prompt": m.reflection_prompt,
            }
            for m in program.modules.all()
        ],
    }
