"""Forms of the programs pages: a cohort from a template, a module, a sign-up, the pathway."""

from django import forms
from django.utils.translation import gettext_lazy as _

from microsolidarity.crewing.forms import LocalDateTimeInput, steps_parse, steps_text
from microsolidarity.errors import DomainError
from microsolidarity.people.models import Person
from microsolidarity.programs import pathway
from microsolidarity.programs.steps import readings_parse, readings_text
from microsolidarity.text_input import SingleLineFields
from microsolidarity.zones import zone_choices

DAY_CHOICES = [
    ("MO", _("Monday")),
    ("TU", _("Tuesday")),
    ("WE", _("Wednesday")),
    ("TH", _("Thursday")),
    ("FR", _("Friday")),
    ("SA", _("Saturday")),
    ("SU", _("Sunday")),
]


class CohortForm(SingleLineFields, forms.Form):
    title = forms.CharField(
        label=_("Name of this cohort"),
        max_length=140,
        required=False,
        help_text=_("Leave empty for the program's name and the first date."),
    )
    first_session_at = forms.DateTimeField(
        label=_("When the first session starts, your local time"), widget=LocalDateTimeInput()
    )
    host_timezone = forms.ChoiceField(label=_("Your time zone"), choices=zone_choices)
    session_days = forms.MultipleChoiceField(
        label=_("Days it meets"), choices=DAY_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    session_minutes = forms.IntegerField(
        label=_("How long each session (minutes)"), min_value=15, max_value=480
    )
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=500, initial=24)
    call_link = forms.URLField(label=_("Call link"), required=False, max_length=500)
    application_question = forms.CharField(
        label=_("Application question"),
        required=False,
        max_length=500,
        help_text=_("Leave empty for open sign-up: the first to sign up get the places."),
    )
    contribution_url = forms.URLField(label=_("Contribution link"), required=False, max_length=500)
    contribution_note = forms.CharField(
        label=_("Sliding-scale note"),
        required=False,
        max_length=300,
        initial=_("Pay what you can, from nothing upwards. Nobody is turned away for money."),
    )
    co_facilitators = forms.ModelMultipleChoiceField(
        label=_("Facilitating with you"),
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Cohorts are better never hosted alone."),
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["co_facilitators"].queryset = (
            people if people is not None else Person.objects.none()
        )


class ModuleForm(SingleLineFields, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=140)
    text = forms.CharField(
        label=_("Text (Markdown)"),
        required=False,
        max_length=8000,
        widget=forms.Textarea({"rows": 8}),
    )
    practices = forms.CharField(
        label=_("Practices, one step a line"),
        required=False,
        widget=forms.Textarea({"rows": 6}),
        help_text=_("minutes | title | who | guide, e.g. “10 | Arrive | everyone | One word each”"),
    )
    readings = forms.CharField(
        label=_("Readings, one a line"),
        required=False,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("title | https://… (the library's essays will come here once it exists)"),
    )
    reflection_prompt = forms.CharField(
        label=_("Reflection prompt"), required=False, max_length=500
    )

    @staticmethod
    def initial_for(module) -> dict:
        return {
            "title": module.title,
            "text": module.text,
            "practices": steps_text(module.practices),
            "readings": readings_text(module.readings),
            "reflection_prompt": module.reflection_prompt,
        }

    def clean_practices(self) -> list[dict]:
        text = self.cleaned_data["practices"]
        return steps_parse(text) if text.strip() else []

    def clean_readings(self) -> list[dict]:
        try:
            return readings_parse(self.cleaned_data["readings"])
        except DomainError as error:
            raise forms.ValidationError(error.message) from error


class SignUpForm(SingleLineFields, forms.Form):
    answer = forms.CharField(
        label=_("Your answer"), required=False, max_length=2000, widget=forms.Textarea({"rows": 3})
    )


class PathwayForm(SingleLineFields, forms.Form):
    note = forms.CharField(
        label=_("A note to myself"),
        required=False,
        max_length=pathway.NOTE_LIMIT,
        widget=forms.Textarea({"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Not answered")), *[(str(v), label) for v, label in pathway.LEVELS]]
        for key, _stage, label in pathway.SKILLS:
            self.fields[key] = forms.ChoiceField(label=label, choices=choices, required=False)

    def ratings(self) -> dict[str, int | None]:
        return {
            key: (
                int(self.cleaned_data[key])
                if self.cleaned_data.get(key) not in ("", None)
                else None
            )
            for key in pathway.SKILL_KEYS
        }
