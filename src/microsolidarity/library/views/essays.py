"""Essay pages: the library's front page, search, reading, the Markdown export and editing."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from microsolidarity.groups.models import Group
from microsolidarity.library.attribution import essay_attribution
from microsolidarity.library.essays import essay_create, essay_update
from microsolidarity.library.forms import EssayForm
from microsolidarity.library.front_matter import essay_file_write
from microsolidarity.library.models import Book, Essay, Podcast, ReadingList, Video
from microsolidarity.library.rendering import markdown_html
from microsolidarity.library.search import essay_search
from microsolidarity.library.views.common import steward_required
from microsolidarity.pages import domain_errors_on

MAX_QUERY = 200


def library_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "library/home.html",
        {
            "essays": Essay.objects.only(
                "slug", "title", "author", "summary", "licence", "published_on"
            ),
            "books": Book.objects.all(),
            "podcasts": Podcast.objects.all(),
            "videos": Video.objects.all(),
            "reading_lists": ReadingList.objects.filter(
                owner__in=Group.objects.visible_to(request.user)
            ).select_related("owner"),
            "can_edit": request.user.has_perm("library.edit_library"),
        },
    )


def library_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    hits = essay_search(query) if query else []
    return render(request, "library/search.html", {"query": query, "hits": hits})


def _essay(slug: str) -> Essay:
    return get_object_or_404(Essay.objects.select_related("derived_from"), slug=slug)


def essay_detail(request: HttpRequest, slug: str) -> HttpResponse:
    essay = _essay(slug)
    return render(
        request,
        "library/essay_detail.html",
        {
            "essay": essay,
            "html": markdown_html(essay.body),
            "attribution": essay_attribution(essay),
            "books": essay.books.all(),
            "derivatives": essay.derivatives.only("slug", "title"),
            "can_edit": request.user.has_perm("library.edit_library"),
        },
    )


def essay_markdown(request: HttpRequest, slug: str) -> HttpResponse:
    """The essay as a Markdown file: front matter, then the text, then its attribution."""
    essay = _essay(slug)
    text = essay_file_write(essay) + "\n---\n\n" + essay_attribution(essay).sentence() + "\n"
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{essay.slug}.md"'
    return response


@steward_required
def essay_new(request: HttpRequest) -> HttpResponse:
    form = EssayForm(request.POST or None, initial={"licence": "CC-BY-SA-4.0", "language": "en"})
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            essay = essay_create(by=request.user, **form.service_values())
            messages.success(request, _("The essay is in the library."))
            return redirect(essay)
    return render(request, "library/essay_form.html", {"form": form, "essay": None})


@steward_required
def essay_edit(request: HttpRequest, slug: str) -> HttpResponse:
    essay = _essay(slug)
    form = EssayForm(request.POST or None, initial=EssayForm.initial_for(essay), editing=essay)
    if request.method == "POST" and form.is_valid():
        values = form.service_values()
        values.pop("slug")
        with domain_errors_on(form):
            essay = essay_update(by=request.user, essay_id=essay.pk, **values)
            messages.success(request, _("Saved. Books holding this essay are being rebuilt."))
            return redirect(essay)
    return render(request, "library/essay_form.html", {"form": form, "essay": essay})
