"""Book pages: downloads when built, a progress bar while building, and stewards' edits."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from microsolidarity.library.attribution import essay_attribution
from microsolidarity.library.book_builds import book_essays
from microsolidarity.library.books import book_create, book_rebuild_request, book_update
from microsolidarity.library.forms import BookForm
from microsolidarity.library.models import Book, BuildStatus
from microsolidarity.library.views.common import steward_required
from microsolidarity.pages import domain_errors_on

POLL_SECONDS = 2


def _progress_context(book: Book) -> dict:
    building = book.build_status in (BuildStatus.WAITING, BuildStatus.BUILDING)
    return {
        "book": book,
        "building": building,
        "poll_seconds": POLL_SECONDS,
        "progress_percent": round(book.build_progress * 100),
    }


def book_detail(request: HttpRequest, slug: str) -> HttpResponse:
    book = get_object_or_404(Book, slug=slug)
    essays = book_essays(book)
    return render(
        request,
        "library/book_detail.html",
        {
            **_progress_context(book),
            "chapters": [(essay, essay_attribution(essay)) for essay in essays],
            "can_edit": request.user.has_perm("library.edit_library"),
        },
    )


def book_progress(request: HttpRequest, slug: str) -> HttpResponse:
    """The partial htmx polls while a build runs; when it ends the page reloads."""
    book = get_object_or_404(Book, slug=slug)
    context = _progress_context(book)
    if request.htmx and not context["building"]:
        return HttpResponseClientRefresh()
    return render(request, "library/book_detail.html#progress", context)


def book_download(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    book = get_object_or_404(Book, slug=slug)
    file = book.epub if kind == "epub" else book.pdf
    if not file:
        raise Http404(_("This book has not been built yet."))
    return redirect(file.url)


@steward_required
def book_new(request: HttpRequest) -> HttpResponse:
    form = BookForm(request.POST or None, initial={"language": "en"})
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            book = book_create(
                by=request.user,
                title=form.cleaned_data["title"],
                essay_ids=form.cleaned_data["essays"],
                slug=form.cleaned_data["slug"],
                subtitle=form.cleaned_data["subtitle"],
                description=form.cleaned_data["description"],
                language=form.cleaned_data["language"],
            )
            messages.success(request, _("The book is being built."))
            return redirect(book)
    return render(request, "library/book_form.html", {"form": form, "book": None})


@steward_required
def book_edit(request: HttpRequest, slug: str) -> HttpResponse:
    book = get_object_or_404(Book, slug=slug)
    initial = {
        "title": book.title,
        "slug": book.slug,
        "subtitle": book.subtitle,
        "description": book.description,
        "language": book.language,
        "essays": "\n".join(essay.slug for essay in book_essays(book)),
    }
    form = BookForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            book = book_update(
                by=request.user,
                book_id=book.pk,
                title=form.cleaned_data["title"],
                essay_ids=form.cleaned_data["essays"],
                subtitle=form.cleaned_data["subtitle"],
                description=form.cleaned_data["description"],
                language=form.cleaned_data["language"],
            )
            messages.success(request, _("Saved. The book is being rebuilt."))
            return redirect(book)
    return render(request, "library/book_form.html", {"form": form, "book": book})


@require_POST
@steward_required
def book_rebuild(request: HttpRequest, slug: str) -> HttpResponse:
    book = get_object_or_404(Book, slug=slug)
    book_rebuild_request(by=request.user, book_id=book.pk)
    messages.success(request, _("The book is being rebuilt."))
    return redirect(book)
