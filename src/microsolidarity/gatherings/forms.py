"""Forms for calling and editing a gathering, RSVPs with registration answers, and moving one."""

import zoneinfo
from datetime import datetime, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from microsolidarity.gatherings.models import Audience, CallLinkAudience, Gathering, Kind, Mode
from microsolidarity.people.forms import split_list
from microsolidarity.text_input import SingleLineFields
from microsolidarity.zones import zone_choices

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]


class Repeat:
    ONCE = "once"
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"
    CUSTOM = "custom"
    CHOICES = [
        (ONCE, _("Once")),
        (WEEKLY, _("Every week on the same day")),
        (FORTNIGHTLY, _("Every two weeks on the same day")),
        (MONTHLY, _("Every month on the same weekday (like the first Thursday)")),
        (CUSTOM, _("A rule of my own (RFC 5545 RRULE)")),
    ]


def repeat_rule(choice: str, local_start: datetime, custom: str = "") -> str:
    """The RRULE for a simple choice, read against the start's day in the host's zone."""
    weekday = WEEKDAYS[local_start.weekday()]
    if choice == Repeat.WEEKLY:
        return f"FREQ=WEEKLY;BYDAY={weekday}"
    if choice == Repeat.FORTNIGHTLY:
        return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={weekday}"
    if choice == Repeat.MONTHLY:
        position = (local_start.day - 1) // 7 + 1
        # A fifth weekday does not exist every month: the last one does.
        return f"FREQ=MONTHLY;BYDAY={-1 if position == 5 else position}{weekday}"
    if choice == Repeat.CUSTOM:
        return custom.strip()
    return ""


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time with no zone yet: the form reads it in the host's zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        for pattern in INPUT_FORMATS:
            try:
                return datetime.strptime(str(value).strip(), pattern)
            except ValueError:
                continue
        raise forms.ValidationError(_("Give a date and time, like 2026-03-05 19:30."))


class GatheringForm(SingleLineFields, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=140)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=8000, widget=forms.Textarea({"rows": 4})
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.GATHERING)
    mode = forms.ChoiceField(label=_("Where"), choices=Mode.choices, initial=Mode.ONLINE)
    call_link = forms.URLField(label=_("Call link"), required=False, max_length=500)
    call_link_audience = forms.ChoiceField(
        label=_("Who sees the call link"),
        choices=CallLinkAudience.choices,
        initial=CallLinkAudience.GOING,
        required=False,
        help_text=_("Never visitors who are not signed in, nor people outside the group."),
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    town_name = forms.CharField(label=_("Town"), required=False, max_length=200)
    timezone = forms.ChoiceField(
        label=_("Time zone of the hosts"),
        choices=zone_choices,
        help_text=_("Times below are read in this zone; everyone sees them in their own."),
    )
    starts = LocalDateTimeField(label=_("Starts"))
    ends = LocalDateTimeField(label=_("Ends"))
    repeat = forms.ChoiceField(label=_("Repeats"), choices=Repeat.CHOICES, initial=Repeat.ONCE)
    recurrence = forms.CharField(
        label=_("Your own rule"),
        required=False,
        max_length=300,
        help_text=_(
            "Only for a rule of your own, e.g. FREQ=MONTHLY;BYDAY=1TH or FREQ=WEEKLY;COUNT=6"
        ),
    )
    capacity = forms.IntegerField(
        label=_("Seats"), required=False, min_value=1, help_text=_("Empty for no limit.")
    )
    rsvp_closes_hours = forms.IntegerField(
        label=_("RSVPs close this many hours before the start"),
        required=False,
        min_value=0,
        max_value=24 * 60,
    )
    audience = forms.ChoiceField(
        label=_("Who can see it"), choices=Audience.choices, initial=Audience.PUBLIC
    )
    contribution_url = forms.URLField(label=_("Contribution link"), required=False, max_length=500)
    contribution_note = forms.CharField(
        label=_("Contribution note"),
        required=False,
        max_length=300,
        initial=_("Pay what you can; if money is a barrier, write to the hosts."),
    )
    questions_text = forms.CharField(
        label=_("Registration questions"),
        required=False,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("One per line; end a line with * if it must be answered."),
    )
    reminders_text = forms.CharField(
        label=_("Reminders, in minutes before the start"),
        required=False,
        initial="1440, 60",
        help_text=_("Separated by commas: 1440 is a day, 60 an hour. Empty for no reminders."),
    )

    def __init__(self, *args, gathering: Gathering | None = None, **kwargs):
        if gathering is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(gathering)
        super().__init__(*args, **kwargs)

    @staticmethod
    def initial_from(gathering: Gathering) -> dict:
        zone = zoneinfo.ZoneInfo(gathering.timezone)
        questions = [
            q["label"] + (" *" if q.get("required") else "")
            for q in gathering.registration_questions or []
        ]
        closes = gathering.rsvp_closes_before
        return {
            "title": gathering.title,
            "description": gathering.description,
            "kind": gathering.kind,
            "mode": gathering.mode,
            "call_link": gathering.call_link,
            "call_link_audience": gathering.call_link_audience,
            "place": gathering.place,
            "town_name": gathering.town_name,
            "timezone": gathering.timezone,
            "starts": gathering.starts_at.astimezone(zone).replace(tzinfo=None),
            "ends": gathering.ends_at.astimezone(zone).replace(tzinfo=None),
            "repeat": Repeat.CUSTOM if gathering.recurrence else Repeat.ONCE,
            "recurrence": gathering.recurrence,
            "capacity": gathering.capacity,
            "rsvp_closes_hours": int(closes.total_seconds() // 3600) if closes else None,
            "audience": gathering.audience,
            "contribution_url": gathering.contribution_url,
            "contribution_note": gathering.contribution_note,
            "questions_text": "\n".join(questions),
            "reminders_text": ", ".join(str(m) for m in gathering.reminder_minutes or []),
        }

    def clean_questions_text(self) -> list[dict]:
        questions = []
        for line in self.cleaned_data["questions_text"].splitlines():
            line = line.strip()
            if line:
                required = line.endswith("*")
                questions.append({"label": line.rstrip("*").strip(), "required": required})
        return questions

    def clean_reminders_text(self) -> list[int]:
        try:
            return [int(item) for item in split_list(self.cleaned_data["reminders_text"])]
        except ValueError as error:
            raise forms.ValidationError(_("Give whole minutes, like 1440, 60.")) from error

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        zone = zoneinfo.ZoneInfo(data["timezone"])
        data["starts_at"] = data["starts"].replace(tzinfo=zone)
        data["ends_at"] = data["ends"].replace(tzinfo=zone)
        if data["repeat"] == Repeat.CUSTOM and not data["recurrence"].strip():
            self.add_error("recurrence", _("Write the rule, or choose another way to repeat."))
        data["rule"] = repeat_rule(data["repeat"], data["starts"], data.get("recurrence", ""))
        return data

    def service_kwargs(self) -> dict:
        """The cleaned input, named as `gathering_create` and `gathering_update` take it."""
        data = self.cleaned_data
        hours = data.get("rsvp_closes_hours")
        return {
            "title": data["title"],
            "description": data["description"],
            "kind": data["kind"],
            "mode": data["mode"],
            "call_link": data["call_link"],
            "call_link_audience": data["call_link_audience"] or CallLinkAudience.GOING,
            "place": data["place"],
            "town_name": data["town_name"],
            "timezone": data["timezone"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "recurrence": data["rule"],
            "capacity": data["capacity"],
            "rsvp_closes_before": timedelta(hours=hours) if hours else None,
            "audience": data["audience"],
            "contribution_url": data["contribution_url"],
            "contribution_note": data["contribution_note"],
            "registration_questions": data["questions_text"],
            "reminder_minutes": data["reminders_text"],
        }


class MoveForm(SingleLineFields, forms.Form):
    starts = LocalDateTimeField(label=_("New start"))
    ends = LocalDateTimeField(label=_("New end"), required=False)
    note = forms.CharField(label=_("A word for the people coming"), required=False, max_length=300)


class CancelForm(SingleLineFields, forms.Form):
    note = forms.CharField(label=_("A word for the people coming"), required=False, max_length=300)


def answers_form(gathering: Gathering, data=None, initial: dict | None = None) -> forms.Form:
    """A form with one field per registration question of the gathering."""
    form = forms.Form(data, initial=initial or {})
    for question in gathering.registration_questions or []:
        form.fields[f"answer_{question['key']}"] = forms.CharField(
            label=question["label"], required=bool(question.get("required")), max_length=1000
        )
    return form


def answers_from(gathering: Gathering, data) -> dict:
    return {
        question["key"]: str(data.get(f"answer_{question['key']}", "")).strip()
        for question in gathering.registration_questions or []
    }
