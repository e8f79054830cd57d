"""Single-line text: refused with a control character in every form and API schema, and what
was stored before the rule still makes a calendar and an email instead of a 500."""

import importlib
import inspect
import pkgutil
from datetime import timedelta

import pytest
from django import forms
from django.utils import timezone
from icalendar import Calendar

import microsolidarity
from microsolidarity.text_input import (
    SingleLineFields,
    control_character_problem,
    is_single_line_field,
    single_line,
)

BAD = ["Line one\nLine two", "Tab\x0bbed", "Car\rriage", "Bell\x07", "Sep\u2028arated", "Nul\x00"]
# Input fields of the API that hold several lines on purpose.
MULTI_LINE = {
    "description",
    "agreements",
    "message",
    "availability",
    "preferred_times",
    "text",
    "answers",
    "answer",
}


def _modules(prefix: str):
    for info in pkgutil.walk_packages(microsolidarity.__path__, "microsolidarity."):
        if info.name.startswith(prefix) and ".migrations" not in info.name:
            if ".management" in info.name or info.name.endswith("__main__"):
                continue
            yield importlib.import_module(info.name)


def _our_forms() -> list[type]:
    found = set()
    for module in _modules("microsolidarity."):
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, forms.BaseForm)
                and cls.__module__ == module.__name__
                and cls.__module__.startswith("microsolidarity.")
            ):
                found.add(cls)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__name__}")


def test_every_form_of_ours_refuses_control_characters_in_its_single_line_fields():
    found = _our_forms()
    assert len(found) > 30
    assert [
        f"{c.__module__}.{c.__name__}" for c in found if not issubclass(c, SingleLineFields)
    ] == []


def test_every_single_line_text_field_of_the_api_refuses_control_characters():
    from pydantic import BaseModel

    unchecked = []
    for module in _modules("microsolidarity.api"):
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if not (issubclass(cls, BaseModel) and name.endswith("In")):
                continue
            for field_name, info in cls.model_fields.items():
                if field_name in MULTI_LINE or "str" not in repr(info.annotation):
                    continue
                bad = ["a\nb"] if "list" in repr(info.annotation) else "a\nb"
                try:
                    cls.model_validate({**_valid_body(cls), field_name: bad})
                except ValueError:
                    continue
                unchecked.append(f"{name}.{field_name}")
    assert unchecked == []


def _valid_body(cls) -> dict:
    """Just enough for each input model to validate when its own field is the only fault."""
    return {
        "CallIn": {"intention": "Cooks"},
        "FormationRoundIn": {
            "title": "Autumn",
            "deadline": (timezone.now() + timedelta(days=3)).isoformat(),
        },
        "OptInIn": {"timezone": "UTC", "languages": ["en"], "availability": "mon 10:00-11:00"},
    }.get(cls.__name__, {})


@pytest.mark.parametrize("value", BAD)
def test_the_shared_rule_names_the_problem_and_where(value):
    problem = control_character_problem(value)
    assert problem and "character" in problem
    with pytest.raises(ValueError, match="character"):
        single_line(value)


def test_ordinary_text_passes_the_rule():
    for value in ("Evening circle", "Café · 19:30 – Ünïcode ✓", ""):
        assert control_character_problem(value) is None


def test_textareas_and_passwords_are_not_single_line():
    assert is_single_line_field(forms.CharField())
    assert not is_single_line_field(forms.CharField(widget=forms.Textarea))
    assert not is_single_line_field(forms.CharField(widget=forms.PasswordInput))


@pytest.mark.parametrize("title", BAD[:3])
def test_the_gathering_form_refuses_a_title_with_a_line_break(client, host, congregation, title):
    from microsolidarity.gatherings.models import Gathering

    soon = timezone.now() + timedelta(days=5)
    client.force_login(host)
    answer = client.post(
        f"/gatherings/new/?group={congregation.slug}",
        {
            "group": congregation.slug,
            "title": title,
            "kind": "gathering",
            "mode": "online",
            "timezone": "UTC",
            "starts": soon.strftime("%Y-%m-%dT%H:%M"),
            "ends": (soon + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "repeat": "once",
            "audience": "public",
        },
    )
    assert answer.status_code == 200
    assert answer.context["form"].errors["title"]
    assert not Gathering.objects.exists()


def test_the_api_refuses_a_crew_call_intention_with_a_line_break(client, member, congregation):
    from microsolidarity.people.services import token_create

    _token, raw = token_create(person=member, name="t")
    answer = client.post(
        f"/api/v1/crewing/congregations/{congregation.slug}/calls",
        {"intention": "Cooks\nand bakers"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert answer.status_code == 422
    assert "one line" in answer.json()["errors"]["intention"][0]


@pytest.fixture
def stored_bad_title(host, congregation, member):
    """A gathering whose title got a newline before the rule existed, someone going."""
    from microsolidarity.gatherings.models import Gathering
    from microsolidarity.gatherings.rsvp import rsvp_set
    from microsolidarity.gatherings.services import gathering_create

    starts = timezone.now() + timedelta(hours=20)
    gathering = gathering_create(
        by=host,
        group=congregation,
        title="Fine",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )
    Gathering.objects.filter(pk=gathering.pk).update(title="Line one\nLine two\x0b")
    gathering.refresh_from_db()
    rsvp_set(person=member, occurrence=gathering.occurrences.get(), state="going")
    return gathering


def test_a_stored_line_break_makes_a_valid_calendar_for_the_gathering_and_its_date(
    client, stored_bad_title
):
    occurrence = stored_bad_title.occurrences.get()
    for url in (
        stored_bad_title.get_absolute_url() + "calendar.ics",
        occurrence.get_absolute_url() + "calendar.ics",
    ):
        answer = client.get(url)
        assert answer.status_code == 200, url
        [event] = Calendar.from_ical(answer.content).walk("VEVENT")
        assert str(event["SUMMARY"]) == "Line one Line two"


def test_a_stored_line_break_still_gets_its_reminder_sent(stored_bad_title, member, mailoutbox):
    from django.core.management import call_command

    from microsolidarity.gatherings.models import ReminderSent

    call_command("send_reminders", stdout=__import__("io").StringIO())

    assert [message.to for message in mailoutbox] == [[member.email]]
    assert mailoutbox[0].subject == "Reminder: Line one Line two"
    assert ReminderSent.objects.filter(person=member).exists()
