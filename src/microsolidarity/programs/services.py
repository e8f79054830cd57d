"""Writes on program templates: copying a shipped one, editing modules. Raise DomainErrors."""

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.programs import access
from microsolidarity.programs.models import Module, Program
from microsolidarity.programs.shipped import SHIPPED_PROGRAMS
from microsolidarity.programs.steps import readings_check, steps_check

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def unique_slug(model, text: str) -> str:
    base = slugify(text)[:140] or "program"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def days_check(days) -> str:
    """BYDAY values in week order, from a list or a comma-separated string."""
    if isinstance(days, str):
        days = days.split(",")
    chosen = {str(day).strip().upper() for day in days if str(day).strip()}
    unknown = chosen - set(WEEKDAYS)
    if unknown or not chosen:
        raise RuleBroken(_("Choose one or more days of the week."), field="session_days")
    return ",".join(day for day in WEEKDAYS if day in chosen)


def shipped(key: str) -> dict:
    for template in SHIPPED_PROGRAMS:
        if template["key"] == key:
            return template
    raise RuleBroken(_("There is no such template to start from."), field="template")


@transaction.atomic
def program_copy(*, by, owner, key: str, title: str = "") -> Program:
    """Start a program from a shipped template; the copy belongs to the owner group."""
    if not access.can_run_cohorts_of(by, owner):
        raise NotAllowed(
            _("Only the hosts of %(name)s can add programs to it.") % {"name": owner.name}
        )
    template = shipped(key)
    title = (title or template["title"]).strip()[:140]
    program = Program.objects.create(
        owner=owner,
        title=title,
        slug=unique_slug(Program, f"{owner.slug}-{title}"),
        summary=template["summary"],
        weeks=template["weeks"],
        session_days=template["session_days"],
        session_minutes=template["session_minutes"],
        created_by=by,
    )
    Module.objects.bulk_create(
        Module(
            program=program,
            number=number,
            title=module["title"],
            text=module["text"],
            practices=steps_check(module["practices"]),
            readings=readings_check(module["readings"]),
            reflection_prompt=module["reflection_prompt"],
        )
        for number, module in enumerate(template["modules"], start=1)
    )
    return program


@transaction.atomic
def module_save(
    *,
    by,
    program: Program,
    number: int | None,
    title: str,
    text: str = "",
    practices: list | None = None,
    readings: list | None = None,
    reflection_prompt: str = "",
) -> Module:
    """Change a module, or add one at the end (number None). Cohorts read modules live."""
    if not access.can_manage_program(by, program):
        raise NotAllowed(_("Only the hosts of %(name)s can change it.") % {"name": program.owner})
    program = Program.objects.select_for_update().get(pk=program.pk)
    title = (title or "").strip()
    if not title:
        raise RuleBroken(_("Give the module a title."), field="title")
    if len(text or "") > 8000:
        raise RuleBroken(_("Keep the text under 8,000 characters."), field="text")
    values = {
        "title": title[:140],
        "text": (text or "").strip(),
        "practices": steps_check(practices or []),
        "readings": readings_check(readings or []),
        "reflection_prompt": (reflection_prompt or "").strip()[:500],
    }
    if number is None:
        last = program.modules.order_by("-number").values_list("number", flat=True).first()
        return Module.objects.create(program=program, number=(last or 0) + 1, **values)
    module = program.modules.filter(number=number).first()
    if module is None:
        raise RuleBroken(_("That module is not in this program."))
    for key, value in values.items():
        setattr(module, key, value)
    module.save(update_fields=list(values))
    return module
