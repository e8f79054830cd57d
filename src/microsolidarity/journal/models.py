"""Parts and entries of a person's private journal; every word of them is sealed at rest."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from microsolidarity.journal.prompts import Prompt
from microsolidarity.journal.sealing import open_sealed, seal


class Part(models.Model):
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
    def name(self) -> str:
        return open_sealed(self.sealed_name, author_id=self.author_id)

    @name.setter
    def name(self, value: str) -> None:
        self.sealed_name = seal(value, author_id=self.author_id)

    @property
    def notes(self) -> str:
        return open_sealed(self.sealed_notes, author_id=self.author_id)

    @notes.setter
    def notes(self, value: str) -> None:
        self.sealed_notes = seal(value, author_id=self.author_id)


class Entry(models.Model):
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
    def text(self) -> str:
        return open_sealed(self.sealed_text, author_id=self.author_id)

    @text.setter
    def text(self, value: str) -> None:
        self.sealed_text = seal(value, author_id=self.author_id)
