"""Reading lists: a group's ordered essays and links, kept by its hosts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from microsolidarity.groups.models import Group
from microsolidarity.library.forms import ReadingItemForm, ReadingListForm
from microsolidarity.library.models import ReadingList
from microsolidarity.library.reading_lists import (
    reading_item_add,
    reading_item_move,
    reading_item_remove,
    reading_list_create,
)
from microsolidarity.pages import domain_errors_on, post_action


def _reading_list(request: HttpRequest, slug: str) -> ReadingList:
    reading_list = get_object_or_404(ReadingList.objects.select_related("owner"), slug=slug)
    if not request.user.has_perm("library.view_reading_list", reading_list):
        raise Http404
    return reading_list


def reading_list_detail(request: HttpRequest, slug: str) -> HttpResponse:
    reading_list = _reading_list(request, slug)
    can_edit = request.user.has_perm("library.edit_reading_list", reading_list)
    return render(
        request,
        "library/reading_list_detail.html",
        {
            "reading_list": reading_list,
            "items": reading_list.items.select_related("essay"),
            "can_edit": can_edit,
            "form": ReadingItemForm() if can_edit else None,
        },
    )


def group_reading_lists(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    if not request.user.has_perm("groups.view_group", group):
        raise Http404
    return render(
        request,
        "library/group_reading_lists.html",
        {
            "group": group,
            "reading_lists": group.reading_lists.all(),
            "can_keep": request.user.has_perm("groups.manage_group", group),
        },
    )


@login_required
def reading_list_new(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    if not request.user.has_perm("groups.view_group", group):
        raise Http404
    if not request.user.has_perm("groups.manage_group", group):
        messages.error(request, _("Only the group's hosts keep its reading lists."))
        return redirect(group)
    form = ReadingListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            reading_list = reading_list_create(by=request.user, owner=group, **form.cleaned_data)
            messages.success(request, _("The reading list is ready for its first item."))
            return redirect(reading_list)
    return render(request, "library/reading_list_form.html", {"form": form, "group": group})


def _editable(request: HttpRequest, slug: str) -> ReadingList:
    reading_list = _reading_list(request, slug)
    if not request.user.has_perm("library.edit_reading_list", reading_list):
        raise Http404
    return reading_list


@login_required
@require_POST
def reading_item_new(request: HttpRequest, slug: str) -> HttpResponse:
    reading_list = _editable(request, slug)
    form = ReadingItemForm(request.POST)
    if form.is_valid():
        essay = form.cleaned_data["essay"]
        with domain_errors_on(form):
            reading_item_add(
                by=request.user,
                reading_list_id=reading_list.pk,
                essay_id=essay.pk if essay else None,
                link_url=form.cleaned_data["link_url"],
                link_title=form.cleaned_data["link_title"],
                isbn=form.cleaned_data["isbn"],
                book_title=form.cleaned_data["book_title"],
                book_author=form.cleaned_data["book_author"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Added to the list."))
            return redirect(reading_list)
    return render(
        request,
        "library/reading_list_detail.html",
        {
            "reading_list": reading_list,
            "items": reading_list.items.select_related("essay"),
            "can_edit": True,
            "form": form,
        },
        status=400,
    )


@post_action(_editable)
def reading_item_move_view(request: HttpRequest, reading_list: ReadingList, item_id: int) -> None:
    get_object_or_404(reading_list.items, pk=item_id)
    reading_item_move(by=request.user, item_id=item_id, up=request.POST.get("up") == "1")


@login_required
@require_POST
def reading_item_remove_view(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    reading_list = _editable(request, slug)
    get_object_or_404(reading_list.items, pk=item_id)
    reading_item_remove(by=request.user, item_id=item_id)
    messages.success(request, _("Removed from the list."))
    return redirect(reading_list)
