"""Program pages: the list, one template with its modules, copying a shipped one, editing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from microsolidarity.crewing.queries import Step
from microsolidarity.groups.models import Group
from microsolidarity.pages import Done, domain_errors_on, post_action
from microsolidarity.programs import access, queries, services
from microsolidarity.programs.forms import ModuleForm
from microsolidarity.programs.models import Program
from microsolidarity.programs.shipped import SHIPPED_PROGRAMS
from microsolidarity.programs.texts import markdown_html


def practice_steps(raw_steps: list[dict]) -> list[Step]:
    """Practices as crewing's timed steps, each with the minute it starts after."""
    steps, elapsed = [], 0
    for raw in raw_steps:
        minutes = int(raw.get("minutes", 0))
        steps.append(
            Step(
                title=str(raw.get("title", "")),
                minutes=minutes,
                who=str(raw.get("who", "")),
                guide=str(raw.get("guide", "")),
                people="",
                starts_after=elapsed,
            )
        )
        elapsed += minutes
    return steps


def _program(request: HttpRequest, slug: str) -> Program:
    program = get_object_or_404(Program.objects.select_related("owner"), slug=slug)
    if not request.user.has_perm("programs.see_program", program):
        raise Http404
    return program


def program_list(request: HttpRequest) -> HttpResponse:
    person = request.user
    return render(
        request,
        "programs/program_list.html",
        {
            "programs": queries.programs_visible_to(person),
            "cohorts": queries.cohorts_visible_to(person)[:50],
            "owners": queries.hosted_owners(person),
            "shipped": SHIPPED_PROGRAMS,
        },
    )


@post_action(to="program_list")
def program_copy(request: HttpRequest) -> Done:
    owner = get_object_or_404(Group, slug=request.POST.get("owner", ""))
    if not access.can_run_cohorts_of(request.user, owner):
        raise Http404
    program = services.program_copy(
        by=request.user, owner=owner, key=request.POST.get("template", "")
    )
    return Done(
        _("%(title)s is yours to adapt. Start a cohort when ready.") % {"title": program},
        to=program,
    )


def program_detail(request: HttpRequest, slug: str) -> HttpResponse:
    program = _program(request, slug)
    modules = [
        (module, markdown_html(module.text), practice_steps(module.practices))
        for module in program.modules.all()
    ]
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "modules": modules,
            "cohorts": queries.cohorts_visible_to(request.user).filter(program=program),
            "can_manage": request.user.has_perm("programs.manage_program", program),
        },
    )


@login_required
def module_edit(request: HttpRequest, slug: str, number: int | None = None) -> HttpResponse:
    program = _program(request, slug)
    if not request.user.has_perm("programs.manage_program", program):
        raise Http404
    module = None
    if number is not None:
        module = get_object_or_404(program.modules, number=number)
    initial = ModuleForm.initial_for(module) if module else {}
    form = ModuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            services.module_save(
                by=request.user, program=program, number=number, **form.cleaned_data
            )
            messages.success(request, _("Module saved."))
            return redirect(program)
    return render(
        request,
        "programs/module_form.html",
        {"program": program, "module": module, "form": form},
    )
