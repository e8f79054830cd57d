"""Dates and times in one format per language, one period at a sentence's end, no name said
twice in a row in a generated subject."""

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.template import Context, Template
from django.utils import translation

from microsolidarity.mail import email_send
from microsolidarity.text_input import single_periods, unrepeated

MOMENT = datetime(2027, 3, 10, 18, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("DATE_FORMAT", "10 March 2027"),
        ("DATETIME_FORMAT", "Wednesday 10 March 2027, 18:30"),
        ("SHORT_DATE_FORMAT", "10 Mar 2027"),
        ("SHORT_DATETIME_FORMAT", "Wed 10 Mar 2027, 18:30"),
        ("TIME_FORMAT", "18:30"),
    ],
)
def test_english_pages_write_each_named_format_one_way(name, written, settings):
    settings.TIME_ZONE = "UTC"
    with translation.override("en"):
        shown = Template('{{ when|date:"' + name + '" }}').render(Context({"when": MOMENT}))
    assert shown == written


def test_a_sentence_ending_on_a_date_has_one_period(settings):
    settings.TIME_ZONE = "UTC"
    template = Template(
        '{% load i18n %}{% blocktranslate with date=when|date:"DATETIME_FORMAT" %}'
        "Sign-ups close {{ date }}.{% endblocktranslate %}"
    )
    with translation.override("en"):
        shown = template.render(Context({"when": MOMENT}))
    assert shown == "Sign-ups close Wednesday 10 March 2027, 18:30."


@pytest.mark.parametrize(
    ("text", "single"),
    [
        ("You're in: Tea at 5 p.m..", "You're in: Tea at 5 p.m."),
        ("Wait for it...", "Wait for it..."),
        ("Nothing to change.", "Nothing to change."),
    ],
)
def test_a_title_ending_in_a_period_does_not_make_two(text, single):
    assert single_periods(text) == single


def test_emails_end_their_sentences_once(mailoutbox):
    email_send(to=["a@example.org"], subject="Moved: Tea at 5 p.m..", lines=["See you at 5 p.m.."])

    (message,) = mail.outbox
    assert message.subject == "Moved: Tea at 5 p.m."
    assert message.body == "See you at 5 p.m.\n"


@pytest.mark.parametrize(
    ("name", "after", "read"),
    [
        ("Spring crews: crew 1", "Spring crews", "crew 1"),
        ("Gardeners", "Spring crews", "Gardeners"),
        ("Spring crews", "Spring crews", "Spring crews"),
    ],
)
def test_a_crew_named_after_its_round_is_not_named_twice(name, after, read):
    assert unrepeated(name, after=after) == read
