"""Parts and entries of a person's private journal; every word of them is sealed at rest."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from microsolidarity.journal.prompts import Prompt
from microsolidarity.journal.sealing import SealBroken, open_sealed, seal


def _opened(row, field: str, sealed: str) -> str | None:
    """The plain text of a sealed field's value, or None when the site's keys can't open it (a
    lost or changed key): pages, the API and the export say so instead of failing. Opened
    once per row and value, though a page asks for it several times."""
    opened = row.__dict__.setdefault("_opened", {})
    if opened.get(field, (None,))[0] != (sealed, row.author_id):
        try:
            text = open_sealed(sealed, author_id=row.author_id)
        except SealBroken:
            text = None
        opened[field] = ((sealed, row.author_id), text)
    return opened[field][1]


class _Sealed(models.Model):
    """A row with sealed fields, opened once per value (`_opened`); a pickled or copied row
    carries them sealed only."""

    class Meta:
        abstract = True

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_opened", None)
        return state


class Part(_Sealed):
    """A named inner part ("the planner", "the critic"). Its name and notes are sealed."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_parts"
    )
    sealed_name = models.TextField(editable=False)
    sealed_notes = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(default=now)

    class Meta:
        # Names are sealed, so the database cannot sort by them: order in Python when needed.
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        # Never the name: a part may be printed in a log or a traceback.
        return f"Part {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("journal_part_edit", args=[self.pk])

    @property
    def name(self) -> str | None:
        return _opened(self, "name", self.sealed_name)

    @name.setter
    def name(self, value: str) -> None:
        self.sealed_name = seal(value, author_id=self.author_id)

    @property
    def notes(self) -> str | None:
        return _opened(self, "notes", self.sealed_notes)

    @notes.setter
    def notes(self, value: str) -> None:
        self.sealed_notes = seal(value, author_id=self.author_id)

    @property
    def readable(self) -> bool:
        return self.name is not None and self.notes is not None

    @property
    def label(self) -> str:
        """What pages show for the part: its name, or that it can't be opened."""
        name = self.name
        return name if name is not None else str(_("a part that can't be opened"))


class Entry(_Sealed):
    """One journal entry: sealed text, an optional prompt, parts, and a meeting it follows."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_entries"
    )
    sealed_text = models.TextField(editable=False)
    prompt = models.CharField(_("prompt"), max_length=32, choices=Prompt, blank=True)
    parts = models.ManyToManyField(Part, blank=True, related_name="entries")
    # The dyad or crew meeting this entry reflects on, when the author wishes to link it.
    group = models.ForeignKey(
        "groups.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    written_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-written_at", "-pk"]
        indexes = [models.Index(fields=["author", "-written_at"])]

    def __str__(self) -> str:
        return f"Journal entry {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("journal_entry_detail", args=[self.pk])

    @property
    def text(self) -> str | None:
        return _opened(self, "text", self.sealed_text)

    @text.setter
    def text(self, value: str) -> None:
        self.sealed_text = seal(value, author_id=self.author_id)

    @property
    def readable(self) -> bool:
        return self.text is not None


# The journal's tables: their writes say whose journal they touch (services), so a kept
# rendering of one person's journal lasts while others write theirs.
JOURNAL_TABLES = (Part, Entry, Entry.parts.through)
