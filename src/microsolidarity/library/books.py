"""Books: collections of essays, rebuilt as EPUB and PDF in the background when one changes."""

import logging
from functools import partial

from django.db import transaction
from django.db.models import F
from django.utils.text import slugify
from django.utils.translation import gettext as _

from microsolidarity.errors import Conflict, NotAllowed, RuleBroken
from microsolidarity.library import access
from microsolidarity.library.models import Book, BookEssay, BuildStatus, Essay
from microsolidarity.library.tasks import book_build_task

logger = logging.getLogger(__name__)


def _check_steward(by) -> None:
    if not access.is_steward(by):
        raise NotAllowed(_("Only stewards edit the library."))


def _set_essays(book: Book, essay_ids: list[int]) -> None:
    if len(set(essay_ids)) != len(essay_ids):
        raise RuleBroken(_("An essay can be in a book only once."), field="essays")
    if not essay_ids:
        raise RuleBroken(_("A book needs at least one essay."), field="essays")
    found = set(Essay.objects.filter(pk__in=essay_ids).values_list("pk", flat=True))
    if found != set(essay_ids):
        raise RuleBroken(_("Some of those essays are not in the library."), field="essays")
    book.entries.all().delete()
    BookEssay.objects.bulk_create(
        BookEssay(book=book, essay_id=essay_id, position=position)
        for position, essay_id in enumerate(essay_ids, start=1)
    )


@transaction.atomic
def book_create(
    *,
    by,
    title: str,
    essay_ids: list[int],
    slug: str = "",
    subtitle: str = "",
    description: str = "",
    language: str = "en",
) -> Book:
    _check_steward(by)
    slug = slugify(slug or title)[:140]
    if not slug:
        raise RuleBroken(_("Give the book an address of letters and digits."), field="slug")
    if Book.objects.filter(slug=slug).exists():
        raise Conflict(
            _("Another book already has the address %(slug)s.") % {"slug": slug}, field="slug"
        )
    book = Book.objects.create(
        slug=slug,
        title=title,
        subtitle=subtitle,
        description=description,
        language=language,
        created_by=by,
    )
    _set_essays(book, essay_ids)
    transaction.on_commit(partial(_enqueue, book.pk))
    return book


@transaction.atomic
def book_update(
    *,
    by,
    book_id: int,
    title: str,
    essay_ids: list[int],
    subtitle: str = "",
    description: str = "",
    language: str = "en",
) -> Book:
    _check_steward(by)
    book = Book.objects.select_for_update().filter(pk=book_id).first()
    if book is None:
        raise RuleBroken(_("That book is not in the library."))
    book.title, book.subtitle, book.description, book.language = (
        title,
        subtitle,
        description,
        language,
    )
    book.save(update_fields=["title", "subtitle", "description", "language"])
    _set_essays(book, essay_ids)
    books_changed(book_ids=[book.pk])
    return book


def books_changed(
    *, essay_ids: list[int] | None = None, book_ids: list[int] | None = None
) -> list[int]:
    """Mark books stale and queue their rebuild once this transaction commits."""
    ids = set(book_ids or [])
    if essay_ids:
        ids |= set(
            BookEssay.objects.filter(essay_id__in=essay_ids).values_list("book_id", flat=True)
        )
    if not ids:
        return []
    Book.objects.filter(pk__in=ids).update(
        content_version=F("content_version") + 1,
        build_status=BuildStatus.WAITING,
        build_progress=0.0,
        build_note=_("Waiting for a worker to build the book."),
        build_error="",
    )
    for book_id in sorted(ids):
        transaction.on_commit(partial(_enqueue, book_id))
    return sorted(ids)


def book_rebuild_request(*, by, book_id: int) -> Book:
    _check_steward(by)
    with transaction.atomic():
        books_changed(book_ids=[book_id])
    return Book.objects.get(pk=book_id)


def _enqueue(book_id: int) -> None:
    book_build_task.enqueue(book_id)
