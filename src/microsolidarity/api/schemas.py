"""What goes in and out of the API: input filters and bodies, output shapes, the error shape."""

from datetime import date, datetime
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, BaseModel, StringConstraints

from microsolidarity.groups import access
from microsolidarity.groups.models import (
    JoinedVia,
    JoinPolicy,
    MembershipState,
    Role,
    Scale,
    Status,
    Visibility,
)
from microsolidarity.text_input import single_line

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
# An id as the databases store it (a 64-bit integer): larger numbers are refused with a 422
# instead of overflowing the database driver.
DbId = Annotated[int, Field(ge=1, le=2**63 - 1)]


def storable_text(value: str) -> str:
    """Refuse what a database can't keep: NUL characters and lone surrogates."""
    if "\x00" in value:
        raise ValueError(_("Text can't contain NUL characters."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(_("Text must be valid Unicode.")) from error
    return value


Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=140)]
SearchText = Annotated[
    str,
    StringConstraints(max_length=100),
    AfterValidator(storable_text),
    AfterValidator(single_line),
]
Message = Annotated[str, StringConstraints(max_length=1000), AfterValidator(storable_text)]


class ErrorOut(Schema):
    detail: str = Field(description="What went wrong and what to do next.")
    errors: dict[str, list[str]] = Field(
        default_factory=dict,
        description='Messages for each field that was refused; "__all__" for the whole input.',
    )


class GroupFilters(Schema):
    scale: Scale | None = Field(None, description="Only groups of this scale.")
    parent: Slug | None = Field(None, description="Only groups sitting in the group at this slug.")
    q: SearchText | None = Field(None, description="Words in the name, description or region.")


class JoinRequestIn(BaseModel):
    # A plain pydantic model: ninja's Schema also reads attributes, which lets a list through.
    message: Message = Field("", description="A few words for the hosts.")


def _line(max_length: int, min_length: int = 0):
    """One line of text a database can keep, as a group's name or region is."""
    return Annotated[
        str,
        StringConstraints(min_length=min_length, max_length=max_length),
        AfterValidator(storable_text),
        AfterValidator(single_line),
    ]


class GroupPatchIn(BaseModel):
    """What a host may change on a group; what is left out stays as it is."""

    name: _line(120, min_length=1) = Field(None, description="The group's name.")
    description: Annotated[
        str, StringConstraints(max_length=4000), AfterValidator(storable_text)
    ] = Field(None, description="What the group is for.")
    join_policy: JoinPolicy = Field(None, description="How people join.")
    visibility: Visibility = Field(
        None, description="Who sees it; never wider than the group it sits in."
    )
    status: Status = Field(None, description="Whether it is active.")
    timezone: _line(64) = Field(None, description="An IANA time zone, like Europe/Berlin.")
    languages: list[_line(16)] = Field(None, description="Language codes, like en and de.")
    region: _line(120) = Field(None, description="Where it meets, in words.")


class GroupBriefOut(Schema):
    slug: str
    name: str
    scale: Scale
    url: str = Field(description="The group's page.")

    @staticmethod
    def resolve_url(group) -> str:
        return group.get_absolute_url()


class GroupOut(GroupBriefOut):
    parent: str | None = Field(description="The slug of the group it sits in.")
    description: str
    join_policy: JoinPolicy
    visibility: Visibility
    status: Status
    timezone: str
    languages: list[str]
    region: str
    member_count: int

    @staticmethod
    def resolve_parent(group) -> str | None:
        return group.parent.slug if group.parent_id else None


class OwnMembershipOut(Schema):
    """One of the caller's own memberships."""

    group: GroupBriefOut
    role: Role
    role_until: date | None
    tier: str
    state: MembershipState
    joined_via: JoinedVia
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None


class GroupDetailOut(GroupOut):
    my_membership: OwnMembershipOut | None = Field(
        description="The caller's own membership, if they have one."
    )

    @staticmethod
    def resolve_my_membership(group, context):
        membership = access.membership_of(context["request"].auth, group)
        if membership is not None:
            membership.group = group
        return membership


class GroupTreeOut(Schema):
    group: GroupOut
    children: list["GroupTreeOut"]


class PersonBriefOut(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(person) -> str:
        return str(person)


class MemberOut(Schema):
    person: PersonBriefOut
    role: Role
    role_until: date | None
    tier: str
    state: MembershipState
    started_at: datetime | None
    hosting: bool

    @staticmethod
    def resolve_hosting(membership) -> bool:
        return membership.is_hosting()


class MembershipResultOut(Schema):
    membership: OwnMembershipOut
    warning: str | None = Field(description="Something worth knowing, like a crew growing large.")


class ProfileOut(Schema):
    pronouns: str
    timezone: str
    languages: list[str]
    interests: list[str]
    values: str
    seeking: str
    availability: str
    town: str = Field(alias="town_name")


class MeOut(Schema):
    id: int
    email: str
    display_name: str
    name: str
    is_staff: bool
    profile: ProfileOut | None
    memberships: list[OwnMembershipOut] = Field(
        description="Current memberships, invitations and requests (not past ones)."
    )
