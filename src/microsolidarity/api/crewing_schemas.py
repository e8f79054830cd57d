"""What goes in and out of the crewing API: calls, interest, rounds and their proposal, crews."""

from datetime import date, datetime, timedelta
from typing import Annotated, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, BaseModel, StringConstraints

from microsolidarity.api.schemas import Message, PersonBriefOut, storable_text
from microsolidarity.crewing.meeting_length import LONGEST_MEETING, SHORTEST_MEETING
from microsolidarity.crewing.models import (
    CallStatus,
    Choice,
    CycleStatus,
    InterestState,
    Rhythm,
    RoundStatus,
)
from microsolidarity.gatherings.models import OccurrenceStatus
from microsolidarity.groups.models import Status
from microsolidarity.text_input import single_line

# Far enough ahead for any plan, near enough that every database and time zone can hold it.
FURTHEST_AHEAD = timedelta(days=5 * 366)


def within_reach(value: datetime) -> datetime:
    if value.tzinfo is not None and value > timezone.now() + FURTHEST_AHEAD:
        raise ValueError(_("Choose a time within the next five years."))
    return value


def date_within_reach(value: date) -> date:
    if value > timezone.localdate() + FURTHEST_AHEAD:
        raise ValueError(_("Choose a date within the next five years."))
    return value


def _text(limit: int, *, required: bool = False, one_line: bool = False):
    checks = [AfterValidator(storable_text)]
    if one_line:
        checks.append(AfterValidator(single_line))
    return Annotated[
        str, StringConstraints(max_length=limit, min_length=1 if required else 0), *checks
    ]


Intention = _text(200, required=True, one_line=True)
LongText = _text(4000)
Times = _text(2000)
ZoneName = _text(64, required=True, one_line=True)
Title = _text(140, required=True, one_line=True)
Word = _text(60, required=True, one_line=True)
Moment = Annotated[datetime, AfterValidator(within_reach)]
Day = Annotated[date, AfterValidator(date_within_reach)]


# --- Crew calls -----------------------------------------------------------------------------


class CallIn(BaseModel):
    # Plain pydantic models for bodies: ninja's Schema also reads attributes.
    intention: Intention = Field(description="What the crew is for, in a line.")
    description: LongText = ""
    rhythm: Rhythm = Rhythm.WEEKLY
    meeting_minutes: int = Field(75, ge=SHORTEST_MEETING, le=LONGEST_MEETING)
    preferred_times: _text(500) = Field(
        "", description='Weekly windows in `timezone`, like "tue 18:00-20:00; thu 07:00-09:00".'
    )
    timezone: ZoneName | None = Field(None, description="The caller's zone; else their profile's.")
    cycle_ends_on: Day | None = None
    size_min: int = Field(3, ge=2, le=50)
    size_max: int = Field(5, ge=2, le=50)
    agreements: _text(2000) | None = Field(
        None, description="Left out, the crew offers confidentiality."
    )


class InterestIn(BaseModel):
    message: Message = Field("", description="A few words to the caller.")


class CallOut(Schema):
    id: int
    congregation: str = Field(description="The congregation's slug.")
    caller: PersonBriefOut
    intention: str
    description: str
    rhythm: Rhythm
    meeting_minutes: int
    preferred_times: str
    timezone: str
    cycle_ends_on: date | None
    size_min: int
    size_max: int
    agreements: str
    status: CallStatus
    crew: str | None = Field(description="The slug of the crew it formed, once formed.")
    created_at: datetime
    url: str = Field(description="The call's page.")
    hidden: bool = Field(
        description="Hidden by the hosts: only they and operators see it, until it is shown."
    )

    @staticmethod
    def resolve_congregation(call) -> str:
        return call.congregation.slug

    @staticmethod
    def resolve_hidden(call) -> bool:
        return call.hidden_at is not None

    @staticmethod
    def resolve_crew(call) -> str | None:
        return call.crew.slug if call.crew_id else None

    @staticmethod
    def resolve_url(call) -> str:
        return call.get_absolute_url()


class InterestOut(Schema):
    person: PersonBriefOut
    state: InterestState
    created_at: datetime


class MyInterestOut(InterestOut):
    message: str


class CallDetailOut(CallOut):
    interests: list[InterestOut] = Field(
        description="The caller sees everyone interested; others see who was accepted."
    )
    my_interest: MyInterestOut | None

    @staticmethod
    def resolve_interests(call) -> list:
        return call.interests_shown


class InterestResultOut(Schema):
    call: int
    state: InterestState | None = Field(description="Null when there was no interest to withdraw.")


# --- Formation rounds -----------------------------------------------------------------------


class FormationRoundIn(BaseModel):
    title: Title
    deadline: Moment = Field(description="When sign-ups close, with its time zone.")
    size_min: int = Field(3, ge=2, le=50)
    size_max: int = Field(4, ge=2, le=50)
    min_common_minutes: int = Field(60, ge=0, le=1440)
    meeting_minutes: int = Field(75, ge=SHORTEST_MEETING, le=LONGEST_MEETING)
    first_meeting_after: Day | None = None


class OptInIn(BaseModel):
    timezone: ZoneName = Field(description="The zone your availability is written in.")
    languages: list[Word] = Field(min_length=1, max_length=20, description='Like ["en", "de"].')
    interests: list[Word] = Field(default_factory=list, max_length=30)
    availability: Times = Field(
        description='Weekly times, like "mon 18:00-20:00; thu 07:00-08:30".'
    )
    show_to_hosts: bool = Field(
        False, description="Hosts may see your name among people looking for a crew."
    )


class SizesIn(BaseModel):
    size_min: int = Field(ge=2, le=50, description="The smallest crew.")
    size_max: int = Field(ge=2, le=50, description="The largest crew.")


class PublishIn(BaseModel):
    proposal_version: int = Field(
        ge=0, le=2**31 - 1, description="The version of the proposal you previewed."
    )


class RoundEntryOut(Schema):
    timezone: str
    languages: list[str]
    interests: list[str]
    availability: str
    show_to_hosts: bool


class FormationRoundOut(Schema):
    id: int
    congregation: str = Field(description="The congregation's slug.")
    title: str
    deadline: datetime
    size_min: int
    size_max: int
    min_common_minutes: int
    meeting_minutes: int
    first_meeting_after: date | None
    status: RoundStatus
    progress: float = Field(description="While crews are formed: 0 to 1.")
    progress_note: str
    proposal_version: int = Field(description="Name it when you publish.")
    published_at: datetime | None
    url: str = Field(description="The round's page.")

    @staticmethod
    def resolve_congregation(round_) -> str:
        return round_.congregation.slug

    @staticmethod
    def resolve_url(round_) -> str:
        return round_.get_absolute_url()


class FormationRoundDetailOut(FormationRoundOut):
    entry_count: int
    my_entry: RoundEntryOut | None = Field(description="What you signed up with, if you did.")
    my_crew: str | None = Field(description="Once published: the slug of your crew.")
    error: str = Field(description="Why forming crews failed, if it did.")


class ProposedMemberOut(Schema):
    person: PersonBriefOut
    timezone: str
    local_times: str = Field(description="The crew's shared weekly times in this person's zone.")
    moved_by_host: bool


class ProposedCrewOut(Schema):
    number: int
    score: float
    is_worst: bool = Field(description="The crew that fits least well: look at it first.")
    members: list[ProposedMemberOut]
    languages: list[str]
    interests: list[str]
    shared_minutes_per_week: int
    longest_shared_minutes: int
    warnings: list[str]
    explanation: dict[str, Any] = Field(description="The engine's whole 'why this crew'.")


class UnplacedOut(Schema):
    person: PersonBriefOut
    reason: str


class ProposalOut(Schema):
    round: int
    status: RoundStatus
    proposal_version: int
    total_score: float | None
    worst_score: float | None
    crews: list[ProposedCrewOut]
    unplaced: list[UnplacedOut]
    not_in_proposal: list[PersonBriefOut] = Field(
        description="People who signed up after the proposal was made."
    )


# --- Crews ----------------------------------------------------------------------------------


class MeetingOut(Schema):
    number: int
    starts_at: datetime
    ends_at: datetime
    status: OccurrenceStatus
    focus: PersonBriefOut | None = Field(description="The member the meeting is for.")
    host: PersonBriefOut | None
    url: str = Field(description="The meeting's page.")


class CycleOut(Schema):
    number: int
    status: CycleStatus
    starts_on: date
    ends_on: date
    agreements: str
    format: str | None = Field(description="The meeting format's name.")
    meetings: list[MeetingOut]
    my_retrospective: Choice | None = Field(description="Your choice, once you wrote it.")
    url: str = Field(description="The cycle's page.")


class CrewOut(Schema):
    slug: str
    name: str
    status: Status
    congregation: str = Field(description="The congregation's slug.")
    timezone: str
    members: list[PersonBriefOut] = Field(description="Active members, in the order of focus.")
    current_cycle: CycleOut | None = Field(description="The latest cycle, whatever its state.")
    url: str = Field(description="The crew's page.")
