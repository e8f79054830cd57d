"""What goes in and out of the gatherings API."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import BaseModel

from microsolidarity.api.schemas import DbId, PersonBriefOut, Slug
from microsolidarity.gatherings.access import can_see_call_link
from microsolidarity.gatherings.models import (
    Audience,
    CallLinkAudience,
    GatheringStatus,
    Kind,
    Mode,
    OccurrenceStatus,
    RsvpState,
)


class GatheringFilters(Schema):
    group: Slug | None = Field(None, description="Only gatherings of the group at this slug.")


class RegistrationQuestionOut(Schema):
    key: str
    label: str
    required: bool


class GatheringOut(Schema):
    id: int
    slug: str
    title: str
    group: str = Field(description="The slug of the group it belongs to.")
    description: str
    kind: Kind
    mode: Mode
    call_link: str = Field(
        description="Empty unless the caller may see it: going, or a member when the hosts "
        "chose that (call_link_audience)."
    )
    call_link_audience: CallLinkAudience
    place: str
    town_name: str
    timezone: str = Field(description="The hosts' time zone, in which the rule is read.")
    starts_at: datetime
    ends_at: datetime
    recurrence: str = Field(description="An RFC 5545 RRULE value; empty for a one-off.")
    capacity: int | None = Field(description="Seats per occurrence; null for no limit.")
    audience: Audience
    status: GatheringStatus
    contribution_url: str
    contribution_note: str
    registration_questions: list[RegistrationQuestionOut]
    url: str = Field(description="The gathering's page.")
    hidden: bool = Field(
        description="Hidden by the hosts: only they and operators see it, until it is shown."
    )

    @staticmethod
    def resolve_call_link(gathering, context) -> str:
        if can_see_call_link(context["request"].auth, gathering):
            return gathering.call_link
        return ""

    @staticmethod
    def resolve_group(gathering) -> str:
        return gathering.group.slug

    @staticmethod
    def resolve_hidden(gathering) -> bool:
        return gathering.hidden_at is not None

    @staticmethod
    def resolve_url(gathering) -> str:
        return gathering.get_absolute_url()


class OccurrenceOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime
    original_starts_at: datetime = Field(description="Where the rule put it, if it was moved.")
    status: OccurrenceStatus
    note: str
    going: int
    waitlisted: int
    seats_left: int | None

    @staticmethod
    def resolve_going(occurrence) -> int:
        return occurrence.going_count

    @staticmethod
    def resolve_waitlisted(occurrence) -> int:
        return occurrence.waitlist_count

    @staticmethod
    def resolve_seats_left(occurrence) -> int | None:
        capacity = occurrence.gathering.capacity
        return None if capacity is None else max(capacity - occurrence.going_count, 0)


class GatheringDetailOut(GatheringOut):
    hosts: list[PersonBriefOut]
    upcoming: list[OccurrenceOut] = Field(description="The next occurrences, soonest first.")


class RsvpIn(BaseModel):
    # A plain pydantic model: ninja's Schema also reads attributes, which lets a list through.
    occurrence: DbId | None = Field(
        None, description="The occurrence's id; needed when the gathering repeats."
    )
    state: Literal["going", "not_going"]
    answers: dict[str, str] | None = Field(
        None, description="Answers to the registration questions, by their key."
    )


class RsvpTargetIn(BaseModel):
    occurrence: DbId | None = Field(
        None, description="The occurrence's id; needed when the gathering repeats."
    )


class RsvpOut(Schema):
    gathering: int
    occurrence: int
    state: RsvpState
    waitlist_position: int | None = Field(description="1 is the next to get a seat.")
    from_series: bool
    answers: dict[str, str]
