"""Building a book's EPUB and PDF: the work the background task does, with its progress.

Below `books` (whose writes queue this work) and `tasks`, so neither needs the other late.
"""

import logging

from django.core.files.base import ContentFile
from django.db.models import Case, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from microsolidarity.library import book_files
from microsolidarity.library.models import Book, BuildStatus, Essay

logger = logging.getLogger(__name__)


def book_progress_record(*, book_id: int, fraction: float, note: str) -> None:
    """How far a build is, for the book page's progress bar (its own short write)."""
    Book.objects.filter(pk=book_id).update(
        build_status=BuildStatus.BUILDING,
        build_progress=max(0.0, min(1.0, fraction)),
        build_note=note[:200],
    )


def book_essays(book: Book) -> list[Essay]:
    return [
        entry.essay
        for entry in book.entries.select_related("essay", "essay__derived_from").order_by(
            "position"
        )
    ]


def book_build(*, book_id: int) -> Book | None:
    """Build the EPUB and the PDF of the book as it is now; idempotent.

    A build records the version it read: when an essay changes meanwhile, the book stays
    waiting and the build queued by that change makes the next files.
    """
    book = Book.objects.filter(pk=book_id).first()
    if book is None:
        return None
    if book.is_current():
        return book
    version = book.content_version
    try:
        book_progress_record(book_id=book_id, fraction=0.05, note=_("Reading the essays."))
        essays = book_essays(book)
        book_progress_record(book_id=book_id, fraction=0.15, note=_("Writing the EPUB."))
        epub = book_files.book_epub_bytes(book, essays)
        book_progress_record(book_id=book_id, fraction=0.45, note=_("Typesetting the PDF."))
        pdf = book_files.book_pdf_bytes(book, essays)
        book_progress_record(book_id=book_id, fraction=0.9, note=_("Saving the files."))
    except Exception as error:
        logger.exception("Building book %s failed", book_id)
        Book.objects.filter(pk=book_id).update(
            build_status=BuildStatus.FAILED,
            build_note=_("The build failed; a steward can try again."),
            build_error=f"{type(error).__name__}: {error}"[:2000],
        )
        return Book.objects.get(pk=book_id)
    old = (book.epub.name, book.pdf.name)
    stem = f"{book.slug}-v{version}"
    book.epub.save(f"{stem}.epub", ContentFile(epub), save=False)
    book.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
    Book.objects.filter(pk=book_id).update(
        epub=book.epub.name,
        pdf=book.pdf.name,
        built_version=version,
        built_at=timezone.now(),
        build_progress=1.0,
        build_note="",
        build_status=Case(
            When(content_version=version, then=Value(BuildStatus.READY)),
            default=Value(BuildStatus.WAITING),
        ),
    )
    for name in old:
        if name and name not in (book.epub.name, book.pdf.name):
            book.epub.storage.delete(name)
    return Book.objects.get(pk=book_id)
