"""Pages of the parts journal; each reads and writes only the signed-in person's own journal."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from microsolidarity.journal import queries, sealing, services
from microsolidarity.journal.forms import DeleteAllForm, EntryForm, PartForm
from microsolidarity.journal.models import JOURNAL_TABLES
from microsolidarity.journal.prompts import Prompt
from microsolidarity.page_cache import (
    ANY_ROWS,
    fresh_part,
    private_in_fresh_parts,
    render_part,
    row_version,
)
from microsolidarity.pages import domain_errors_on


def private(view):
    """Signed in, never stored by a browser, and no POST body in error reports."""
    return login_required(never_cache(sensitive_post_parameters()(view)))


ENTRIES_ON_A_PAGE = 20
# What a kept rendering of the journal's page is sealed for, apart from the journal's rows.
KEPT_PAGE = "kept page"


@private
@private_in_fresh_parts
def journal_home(request: HttpRequest) -> HttpResponse:
    """Newest entries first, a page at a time (`?page=2` for older ones). The page around the
    journal's words may be kept; the words come only through `_own`, kept only sealed."""
    try:
        page = max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        page = 1
    return render(
        request,
        "journal/home.html",
        {
            "own_parts": render_part(request, _own, "parts", page),
            "own_entries": render_part(request, _own, "entries", page),
            "prompts": [p for p in Prompt if p.value],
        },
    )


def _own_kept_by(request: HttpRequest, piece: str, page: int):
    """Kept while no row of the author's journal changes (decision 0013-c)."""
    scopes = (f"person:{request.user.pk}", ANY_ROWS)
    return [row_version(model, scope) for model in JOURNAL_TABLES for scope in scopes], None


def _seal_kept(request: HttpRequest, html: str) -> str:
    return sealing.seal(html, author_id=request.user.pk, purpose=KEPT_PAGE)


def _open_kept(request: HttpRequest, kept: str) -> str | None:
    try:
        return sealing.open_sealed(kept, author_id=request.user.pk, purpose=KEPT_PAGE)
    except sealing.SealBroken:
        return None  # a key since changed: rendered again


@fresh_part(kept_by=_own_kept_by, sealed=(_seal_kept, _open_kept))
def _own(request: HttpRequest, many: list, known: list[dict]) -> list[str]:
    """The author's parts, or a page of their entries: `many` holds ("parts" | "entries",
    page) pairs. Their parts are read and opened once for all of them. A rendering is kept
    sealed with the journal's key, as the journal's rows are, and only for its author."""
    author = request.user
    parts = queries.parts_of(author)
    shown = []
    for piece, page in many:
        if piece == "parts":
            shown.append(render_to_string("journal/_own_parts.html", {"parts": parts}))
            continue
        entries, more = queries.entries_page(author, parts, page=page, size=ENTRIES_ON_A_PAGE)
        context = {
            "entries": entries,
            "older": page + 1 if more else None,
            "newer": page - 1 if page > 1 else None,
        }
        shown.append(render_to_string("journal/_own_entries.html", context))
    return shown


@private
def entry_create(request: HttpRequest) -> HttpResponse:
    author = request.user
    if request.method == "POST":
        form = EntryForm(request.POST, author=author)
        if form.is_valid():
            with domain_errors_on(form):
                entry = services.entry_create(
                    author=author,
                    text=form.cleaned_data["text"],
                    prompt=form.cleaned_data["prompt"],
                    part_ids=form.cleaned_data["parts"],
                    group_id=form.cleaned_data["group"],
                )
                messages.success(request, _("Saved. Only you can read it."))
                return redirect(entry)
    else:
        initial = {}
        if request.GET.get("prompt") in Prompt.values:
            initial["prompt"] = request.GET["prompt"]
        if request.GET.get("group", "").isdigit():
            initial["group"] = int(request.GET["group"])
        form = EntryForm(initial=initial, author=author)
    return render(request, "journal/entry_form.html", {"form": form, "entry": None})


@private
def entry_detail(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = queries.entry_of(request.user, entry_id)
    return render(request, "journal/entry_detail.html", {"entry": entry})


@private
def entry_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    author = request.user
    entry = queries.entry_of(author, entry_id)
    if not entry.readable:
        messages.error(request, services.unreadable_message())
        return redirect(entry)
    if request.method == "POST":
        form = EntryForm(request.POST, author=author)
        if form.is_valid():
            with domain_errors_on(form):
                entry = services.entry_update(
                    author=author,
                    entry_id=entry.pk,
                    text=form.cleaned_data["text"],
                    prompt=form.cleaned_data["prompt"],
                    part_ids=form.cleaned_data["parts"],
                    group_id=form.cleaned_data["group"],
                )
                messages.success(request, _("Saved."))
                return redirect(entry)
    else:
        form = EntryForm(
            initial={
                "text": entry.text,
                "prompt": entry.prompt,
                "parts": [p.pk for p in entry.parts.all()],
                "group": entry.group_id,
            },
            author=author,
        )
    return render(request, "journal/entry_form.html", {"form": form, "entry": entry})


@private
@require_POST
def entry_delete(request: HttpRequest, entry_id: int) -> HttpResponse:
    services.entry_delete(author=request.user, entry_id=entry_id)
    messages.success(request, _("The entry is deleted."))
    return redirect("journal_home")


@private
def part_create(request: HttpRequest) -> HttpResponse:
    form = PartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            services.part_create(author=request.user, **form.cleaned_data)
            messages.success(request, _("Part added."))
            return redirect("journal_home")
    return render(request, "journal/part_form.html", {"form": form, "part": None})


@private
def part_edit(request: HttpRequest, part_id: int) -> HttpResponse:
    part = queries.part_of(request.user, part_id)
    if not part.readable:
        messages.error(request, services.unreadable_message())
        return redirect("journal_home")
    if request.method == "POST":
        form = PartForm(request.POST)
        if form.is_valid():
            with domain_errors_on(form):
                services.part_update(author=request.user, part_id=part.pk, **form.cleaned_data)
                messages.success(request, _("Part saved."))
                return redirect("journal_home")
    else:
        form = PartForm(initial={"name": part.name, "notes": part.notes})
    return render(request, "journal/part_form.html", {"form": form, "part": part})


@private
@require_POST
def part_delete(request: HttpRequest, part_id: int) -> HttpResponse:
    services.part_delete(author=request.user, part_id=part_id)
    messages.success(request, _("The part is removed; entries that named it stay."))
    return redirect("journal_home")


@private
def journal_export(request: HttpRequest) -> HttpResponse:
    data = services.journal_export(author=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="journal-{stamp}.json"'
    return response


@private
def journal_delete_all(request: HttpRequest) -> HttpResponse:
    form = DeleteAllForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        entries, parts = services.journal_delete_all(author=request.user)
        messages.success(
            request,
            _("Your journal is empty now: %(entries)s entries and %(parts)s parts deleted.")
            % {"entries": entries, "parts": parts},
        )
        return redirect("journal_home")
    return render(request, "journal/delete_all.html", {"form": form})
