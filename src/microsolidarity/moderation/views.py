"""Pages of moderation: they parse input, call a service, and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from microsolidarity.errors import DomainError
from microsolidarity.groups import access
from microsolidarity.groups.models import Group
from microsolidarity.moderation import services
from microsolidarity.moderation.forms import ActionForm, ReportForm, ResponseForm
from microsolidarity.moderation.models import (
    ActionKind,
    AuditEntry,
    ContentKind,
    ModerationAction,
    Report,
    ReportStatus,
)
from microsolidarity.people.models import Person


def _int(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


def _hosted_group(request: HttpRequest, slug: str) -> Group:
    group = get_object_or_404(Group, slug=slug)
    if not access.can_manage(request.user, group):
        raise PermissionDenied
    return group


@login_required
def report_new(request: HttpRequest) -> HttpResponse:
    """?group=<slug>&person=<id>&kind=<content kind>&id=<content id>"""
    params = request.POST if request.method == "POST" else request.GET
    group = Group.objects.filter(slug=params.get("group", "")).first()
    if group is None or not access.is_member(request.user, group):
        raise Http404
    person_id = _int(params.get("person"))
    about = Person.objects.filter(pk=person_id).first() if person_id else None
    kind = params.get("kind", "")
    kind = kind if kind in ContentKind.values else ""
    content_id = _int(params.get("id")) if kind else None
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(
                reporter=request.user,
                group=group,
                about_person=about,
                content_kind=kind,
                content_id=content_id,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Thank you. The hosts of %(name)s will read your report.") % {"name": group.name},
            )
            return redirect(group)
    context = {
        "form": form,
        "group": group,
        "about": about,
        "kind": kind,
        "kind_label": ContentKind(kind).label if kind else "",
        "content_id": content_id,
    }
    return render(request, "moderation/report.html", context)


@login_required
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    group = _hosted_group(request, slug)
    reports = Report.objects.filter(group=group).select_related("reporter", "about_person")
    actions = (
        ModerationAction.objects.filter(group=group)
        .select_related("person", "by", "reversed_by")
        .prefetch_related("responses")
    )
    context = {
        "group": group,
        "open_reports": [r for r in reports[:200] if r.status == ReportStatus.OPEN],
        "closed_reports": [r for r in reports[:200] if r.status != ReportStatus.OPEN],
        "actions": actions[:200],
        "is_staff": request.user.is_staff,
    }
    return render(request, "moderation/queue.html", context)


@login_required
def act(request: HttpRequest, slug: str) -> HttpResponse:
    """?person=<id> or ?report=<id>: the host chooses a step and gives a reason."""
    group = _hosted_group(request, slug)
    params = request.POST if request.method == "POST" else request.GET
    report_id = _int(params.get("report"))
    report = (
        get_object_or_404(Report.objects.select_related("about_person"), pk=report_id, group=group)
        if report_id
        else None
    )
    person_id = _int(params.get("person"))
    person = report.about_person if report is not None and report.about_person else None
    if person_id:
        person = get_object_or_404(Person, pk=person_id)
    if person is None:
        raise Http404
    can_hide = report is not None and bool(report.content_kind)
    form = ActionForm(request.POST or None, staff=request.user.is_staff, can_hide=can_hide)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_take(
                by=request.user,
                group=group,
                person=person,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
                report=report,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Done. %(person)s is told by email.") % {"person": person})
            return redirect("moderation_queue", group.slug)
    context = {"group": group, "report": report, "person": person, "form": form}
    return render(request, "moderation/act.html", context)


@login_required
@require_POST
def dismiss(request: HttpRequest, slug: str, report_id: int) -> HttpResponse:
    group = _hosted_group(request, slug)
    report = get_object_or_404(Report, pk=report_id, group=group)
    services.report_dismiss(by=request.user, report=report)
    messages.success(request, _("The report is dismissed."))
    return redirect("moderation_queue", group.slug)


@login_required
@require_POST
def undo(request: HttpRequest, slug: str, action_id: int) -> HttpResponse:
    group = _hosted_group(request, slug)
    action = get_object_or_404(ModerationAction, pk=action_id, group=group)
    try:
        services.action_reverse(by=request.user, action=action)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The step is undone, and the member is told."))
    return redirect("moderation_queue", group.slug)


@login_required
def log(request: HttpRequest, slug: str) -> HttpResponse:
    group = _hosted_group(request, slug)
    entries = AuditEntry.objects.filter(group=group).select_related("who", "target_person")[:500]
    return render(request, "moderation/log.html", {"group": group, "entries": entries})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    actions = (
        ModerationAction.objects.filter(person=request.user)
        .select_related("group")
        .prefetch_related("responses")
    )
    return render(
        request,
        "moderation/mine.html",
        {"actions": actions, "form": ResponseForm(), "suspend": ActionKind.SUSPEND},
    )


@login_required
@require_POST
def respond(request: HttpRequest, action_id: int) -> HttpResponse:
    action = get_object_or_404(
        ModerationAction.objects.select_related("group"), pk=action_id, person=request.user
    )
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            services.response_create(
                person=request.user, action=action, text=form.cleaned_data["text"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Your response is with the hosts of %(name)s.") % {"name": action.group.name},
            )
    else:
        messages.error(request, _("Write your response first."))
    return redirect("moderation_mine")
