"""Forms of the crewing pages: calls, interest, forming, retrospectives, meeting formats."""

from datetime import datetime

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from microsolidarity.crewing.meeting_length import LONGEST_MEETING, SHORTEST_MEETING
from microsolidarity.crewing.models import CONFIDENTIALITY, Choice, MeetingTemplate, Rhythm
from microsolidarity.text_input import SingleLineFields
from microsolidarity.zones import zone_choices, zone_named

MAX_STEPS = 30


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self):
        super().__init__(format="%Y-%m-%dT%H:%M")


class CallForm(SingleLineFields, forms.Form):
    intention = forms.CharField(
        label=_("What the crew is for"),
        max_length=200,
        help_text=_("One line: support, a book, a project, a practice."),
    )
    description = forms.CharField(
        label=_("More about it"),
        required=False,
        max_length=4000,
        widget=forms.Textarea({"rows": 3}),
    )
    rhythm = forms.ChoiceField(label=_("How often"), choices=Rhythm.choices, initial=Rhythm.WEEKLY)
    meeting_minutes = forms.IntegerField(
        label=_("How long each meeting (minutes)"),
        min_value=SHORTEST_MEETING,
        max_value=LONGEST_MEETING,
        initial=75,
    )
    preferred_times = forms.CharField(
        label=_("Preferred times, in your time zone"),
        required=False,
        max_length=500,
        help_text=_("Like “tue 18:00-20:00; thu 07:00-09:00”."),
    )
    caller_timezone = forms.ChoiceField(label=_("Your time zone"), choices=zone_choices)
    cycle_ends_on = forms.DateField(
        label=_("The cycle ends on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    size_min = forms.IntegerField(label=_("Smallest crew"), min_value=2, max_value=12, initial=3)
    size_max = forms.IntegerField(label=_("Largest crew"), min_value=2, max_value=12, initial=5)
    agreements = forms.CharField(
        label=_("Agreements"),
        required=False,
        max_length=2000,
        initial=CONFIDENTIALITY,
        widget=forms.Textarea({"rows": 3}),
    )
    template = forms.ModelChoiceField(
        label=_("Meeting format"), queryset=MeetingTemplate.objects.none(), required=False
    )

    def __init__(self, *args, congregation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates_for(congregation)


def templates_for(congregation):
    return MeetingTemplate.objects.filter(
        Q(congregation__isnull=True) | Q(congregation=congregation)
    ).order_by("name")


class InterestForm(SingleLineFields, forms.Form):
    message = forms.CharField(
        label=_("A few words to the caller (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea({"rows": 2}),
    )


class CrewStartForm(SingleLineFields, forms.Form):
    name = forms.CharField(label=_("The crew's name"), required=False, max_length=120)
    first_meeting_at = forms.DateTimeField(
        label=_("First meeting (your time zone)"),
        required=False,
        widget=LocalDateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Leave empty to meet at the first time you all share."),
    )
    call_link = forms.URLField(label=_("Call link"), required=False, max_length=500)


class RetrospectiveForm(SingleLineFields, forms.Form):
    worked = forms.CharField(
        label=_("What worked"), required=False, max_length=3000, widget=forms.Textarea({"rows": 3})
    )
    did_not = forms.CharField(
        label=_("What did not"), required=False, max_length=3000, widget=forms.Textarea({"rows": 3})
    )
    choice = forms.ChoiceField(
        label=_("What next for me"), choices=Choice.choices, widget=forms.RadioSelect
    )
    share_with_hosts = forms.BooleanField(
        label=_("The congregation's hosts may read this"), required=False
    )


def steps_parse(text: str) -> list[dict]:
    """Read lines `minutes | title | who | guide` into steps; refuse with the line number."""
    steps = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) < 2:
            raise forms.ValidationError(
                _("Line %(n)s: write “minutes | title | who | guide”.") % {"n": number}
            )
        minutes, title, who, guide = [*parts, "", ""][:4]
        if not minutes.isdigit() or not 1 <= int(minutes) <= 240:
            raise forms.ValidationError(
                _("Line %(n)s: start with the minutes, from 1 to 240.") % {"n": number}
            )
        if not title:
            raise forms.ValidationError(_("Line %(n)s: give the step a title.") % {"n": number})
        steps.append(
            {"minutes": int(minutes), "title": title[:120], "who": who[:120], "guide": guide[:600]}
        )
    if not steps:
        raise forms.ValidationError(_("Write at least one step."))
    if len(steps) > MAX_STEPS:
        raise forms.ValidationError(_("A format has at most 30 steps."))
    return steps


def steps_text(steps: list[dict]) -> str:
    return "\n".join(
        " | ".join(str(step.get(key, "")) for key in ("minutes", "title", "who", "guide"))
        for step in steps
    )


class TemplateForm(SingleLineFields, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=2000, widget=forms.Textarea({"rows": 2})
    )
    steps = forms.CharField(
        label=_("Steps, one a line"),
        widget=forms.Textarea({"rows": 8}),
        help_text=_(
            "minutes | title | who | guide, e.g. “5 | Arrive | everyone | One breath each”"
        ),
    )
    journal_prompt = forms.CharField(
        label=_("Journal prompt afterwards"), required=False, max_length=300
    )

    def clean_steps(self) -> list[dict]:
        return steps_parse(self.cleaned_data["steps"])


def as_aware(value: datetime | None, zone_name: str) -> datetime | None:
    """A wall-clock time from a form, read in the given zone."""
    if value is None:
        return None
    zone = zone_named(zone_name)
    return value.replace(tzinfo=zone) if value.tzinfo is None else value
