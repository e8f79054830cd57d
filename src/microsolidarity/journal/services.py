"""Writes on a person's own journal: parts and entries, export, and deleting all of it.

Each function takes the author and works only on the author's rows. Text never
goes into an exception message or a log line (see docs/journal.md).
"""

from contextlib import ExitStack
from functools import wraps

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from microsolidarity.errors import RuleBroken
from microsolidarity.journal import queries
from microsolidarity.journal.models import JOURNAL_TABLES, Entry, Part
from microsolidarity.journal.prompts import Prompt
from microsolidarity.page_cache import writes_of

TEXT_LIMIT = 50_000
NAME_LIMIT = 120
NOTES_LIMIT = 4_000


def _the_authors_rows(write):
    """What `write` writes is its author's journal alone: their kept journal page is dropped,
    and no one else's (page_cache.writes_of)."""

    @wraps(write)
    def written(*, author, **fields):
        with ExitStack() as scoped:
            for model in JOURNAL_TABLES:
                scoped.enter_context(writes_of(model, f"person:{author.pk}"))
            return write(author=author, **fields)

    return written


def unreadable_message() -> str:
    return _(
        "This can't be opened with the site's current journal key. It is kept as it is: "
        "the site's operator can make it readable again by adding the earlier key "
        "(JOURNAL_KEY_FALLBACKS). You can delete it."
    )


def _refuse_unreadable(item) -> None:
    # Saving over it would replace what a restored key could still open.
    if not item.readable:
        raise RuleBroken(unreadable_message())


def _clean(text: str, *, limit: int, field: str, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise RuleBroken(_("Write something first."), field=field)
    if len(text) > limit:
        raise RuleBroken(
            _("Keep it under %(limit)s characters.") % {"limit": f"{limit:,}"}, field=field
        )
    if "\x00" in text:
        raise RuleBroken(_("The text holds a character that can't be stored."), field=field)
    return text


def _own_parts(author, part_ids) -> list[Part]:
    ids = {int(pk) for pk in part_ids or []}
    parts = list(Part.objects.filter(author=author, pk__in=ids))
    if len(parts) != len(ids):
        raise RuleBroken(_("Choose among your own parts."), field="parts")
    return parts


def _own_group(author, group_id):
    if group_id in (None, ""):
        return None
    group = queries.linkable_groups(author).filter(pk=group_id).first()
    if group is None:
        raise RuleBroken(_("Link an entry only to a dyad or crew you are part of."), field="group")
    return group


def _prompt(prompt: str) -> str:
    if prompt not in Prompt.values:
        raise RuleBroken(_("Choose one of the prompts, or none."), field="prompt")
    return prompt


@sensitive_variables("name", "notes")
@_the_authors_rows
@transaction.atomic
def part_create(*, author, name: str, notes: str = "") -> Part:
    part = Part(author=author)
    part.name = _clean(name, limit=NAME_LIMIT, field="name", required=True)
    part.notes = _clean(notes, limit=NOTES_LIMIT, field="notes", required=False)
    part.save()
    return part


@sensitive_variables("name", "notes")
@_the_authors_rows
@transaction.atomic
def part_update(*, author, part_id: int, name: str, notes: str = "") -> Part:
    part = queries.part_of(author, part_id)
    _refuse_unreadable(part)
    part.name = _clean(name, limit=NAME_LIMIT, field="name", required=True)
    part.notes = _clean(notes, limit=NOTES_LIMIT, field="notes", required=False)
    part.save(update_fields=["sealed_name", "sealed_notes"])
    return part


@_the_authors_rows
@transaction.atomic
def part_delete(*, author, part_id: int) -> None:
    """The part goes; entries that named it stay, without it."""
    queries.part_of(author, part_id).delete()


@sensitive_variables("text")
@_the_authors_rows
@transaction.atomic
def entry_create(
    *, author, text: str, prompt: str = "", part_ids=(), group_id: int | None = None
) -> Entry:
    entry = Entry(author=author, prompt=_prompt(prompt), group=_own_group(author, group_id))
    entry.text = _clean(text, limit=TEXT_LIMIT, field="text", required=True)
    entry.save()
    entry.parts.set(_own_parts(author, part_ids))
    return entry


@sensitive_variables("text")
@_the_authors_rows
@transaction.atomic
def entry_update(
    *, author, entry_id: int, text: str, prompt: str = "", part_ids=(), group_id=None
) -> Entry:
    entry = queries.entry_of(author, entry_id)
    _refuse_unreadable(entry)
    entry.text = _clean(text, limit=TEXT_LIMIT, field="text", required=True)
    entry.prompt = _prompt(prompt)
    entry.group = _own_group(author, group_id)
    entry.updated_at = timezone.now()
    entry.save(update_fields=["sealed_text", "prompt", "group", "updated_at"])
    entry.parts.set(_own_parts(author, part_ids))
    return entry


@_the_authors_rows
@transaction.atomic
def entry_delete(*, author, entry_id: int) -> None:
    queries.entry_of(author, entry_id).delete()


def journal_export(*, author) -> dict:
    """All of the author's journal, opened, as plain data for a JSON download.

    What the current keys can't open is listed with `"readable": false` and no text, and
    the rest is delivered all the same (`unreadable` counts them, `note` says why).
    """
    parts = [
        {
            "id": part.pk,
            "readable": part.readable,
            "name": part.name,
            "notes": part.notes,
            "created_at": part.created_at.isoformat(),
        }
        for part in queries.parts_of(author)
    ]
    entries = [
        {
            "id": entry.pk,
            "readable": entry.text is not None,
            "written_at": entry.written_at.isoformat(),
            "updated_at": entry.updated_at.isoformat(),
            "prompt": entry.prompt,
            "prompt_text": str(Prompt(entry.prompt).label) if entry.prompt else "",
            "text": entry.text,
            "parts": [part.pk for part in entry.parts.all()],
            "group": entry.group.name if entry.group else None,
        }
        for entry in queries.entries_of(author)
    ]
    unreadable = sum(not row["readable"] for row in parts + entries)
    return {
        "format": "microsolidarity-journal/1",
        "exported_at": timezone.now().isoformat(),
        "unreadable": unreadable,
        "note": unreadable_message() if unreadable else "",
        "parts": parts,
        "entries": entries,
    }


@_the_authors_rows
@transaction.atomic
def journal_delete_all(*, author) -> tuple[int, int]:
    """Delete every entry and part of the author; returns (entries, parts) deleted."""
    entries = Entry.objects.filter(author=author)
    entry_count = entries.count()
    entries.delete()
    parts = Part.objects.filter(author=author)
    part_count = parts.count()
    parts.delete()
    return entry_count, part_count
