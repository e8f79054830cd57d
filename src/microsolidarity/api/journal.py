"""The parts journal for its author only: list, write, read and delete entries.

Every lookup starts from the caller, so another person's entry is a 404 exactly like
one that doesn't exist. Staff and superusers are no exception.
"""

from datetime import datetime
from typing import Annotated

from django.views.decorators.debug import sensitive_variables
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from pydantic import AfterValidator, BaseModel, StringConstraints

from microsolidarity.api.auth import PERSON
from microsolidarity.api.pagination import Pages
from microsolidarity.api.schemas import DbId, ErrorOut, storable_text
from microsolidarity.journal import queries, services
from microsolidarity.journal.prompts import Prompt

router = Router(tags=["journal"])

EntryText = Annotated[
    str,
    StringConstraints(min_length=1, max_length=services.TEXT_LIMIT),
    AfterValidator(storable_text),
]
ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class PartOut(Schema):
    id: int
    name: str | None = Field(description="None when the site's journal key can't open it.")


class EntryOut(Schema):
    id: int
    written_at: datetime
    updated_at: datetime
    prompt: Prompt = Field(description="The prompt's key, or empty for none.")
    prompt_text: str
    readable: bool = Field(description="False when the site's journal key can't open it.")
    text: str | None = Field(description="None when it can't be opened (`readable` is false).")
    parts: list[PartOut]
    group: str | None = Field(None, description="The slug of the dyad or crew it reflects on.")

    @staticmethod
    def resolve_prompt_text(entry) -> str:
        return str(Prompt(entry.prompt).label) if entry.prompt else ""

    @staticmethod
    def resolve_readable(entry) -> bool:
        return entry.readable

    @staticmethod
    def resolve_parts(entry) -> list[dict]:
        return [{"id": part.pk, "name": part.name} for part in entry.parts.all()]

    @staticmethod
    def resolve_group(entry) -> str | None:
        return entry.group.slug if entry.group_id else None


class DeletedOut(Schema):
    id: int
    deleted: bool


class EntryIn(BaseModel):
    text: EntryText
    prompt: Prompt = Prompt.NONE
    parts: list[DbId] = Field(default_factory=list, max_length=100)
    group: DbId | None = Field(None, description="Id of a dyad or crew you are part of.")


@router.get(
    "/entries",
    response={200: list[EntryOut], **ERRORS},
    auth=PERSON,
    summary="Your journal entries, newest first",
)
@paginate(Pages)
def entry_list(request):
    return queries.entries_of(request.auth)


@router.post(
    "/entries",
    response={200: EntryOut, 400: ErrorOut, **ERRORS},
    auth=PERSON,
    summary="Write an entry",
)
@sensitive_variables("payload")
def entry_create(request, payload: EntryIn):
    entry = services.entry_create(
        author=request.auth,
        text=payload.text,
        prompt=payload.prompt,
        part_ids=payload.parts,
        group_id=payload.group,
    )
    return queries.entry_of(request.auth, entry.pk)


@router.get(
    "/entries/{int:entry_id}",
    response={200: EntryOut, **ERRORS},
    auth=PERSON,
    summary="One of your entries",
)
def entry_detail(request, entry_id: int):
    return queries.entry_of(request.auth, entry_id)


@router.delete(
    "/entries/{int:entry_id}",
    response={200: DeletedOut, **ERRORS},
    auth=PERSON,
    summary="Delete one of your entries",
)
def entry_delete(request, entry_id: int):
    services.entry_delete(author=request.auth, entry_id=entry_id)
    return {"id": entry_id, "deleted": True}
