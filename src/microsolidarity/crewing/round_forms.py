"""Forms of formation rounds: opening one, signing up, pins, moves, crew sizes, publishing."""

from datetime import timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from microsolidarity.crewing.models import FormationRound, MeetingTemplate, PinKind
from microsolidarity.matching import AvailabilityError, format_availability, parse_availability
from microsolidarity.people.forms import split_list
from microsolidarity.people.languages import language_code, language_label
from microsolidarity.text_input import SingleLineFields
from microsolidarity.zones import zone_choices


class RoundOpenForm(SingleLineFields, forms.ModelForm):
    class Meta:
        model = FormationRound
        fields = [
            "title",
            "deadline",
            "size_min",
            "size_max",
            "min_common_minutes",
            "meeting_minutes",
            "first_meeting_after",
            "template",
        ]
        widgets = {
            "deadline": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "first_meeting_after": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "deadline": _("In your own time zone."),
            "min_common_minutes": _("A crew needs this much time in a row, every week."),
            "first_meeting_after": _(
                "Each crew's first meeting is at its first shared time from then."
            ),
        }

    def __init__(self, *args, congregation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline"].initial = (timezone.localtime() + timedelta(days=14)).strftime(
            "%Y-%m-%dT18:00"
        )
        self.fields["template"].queryset = MeetingTemplate.objects.filter(
            Q(congregation__isnull=True) | Q(congregation=congregation)
        )
        self.fields["template"].label = _("Meeting format")
        self.fields["template"].required = False


def _language_codes(text: str) -> list[str]:
    codes: list[str] = []
    unknown: list[str] = []
    for item in split_list(text):
        code = language_code(item)
        if code is None:
            unknown.append(item)
        elif code not in codes:
            codes.append(code)
    if unknown:
        raise forms.ValidationError(
            _("We don't know these languages: %(names)s. Use a code like 'de' or a name."),
            params={"names": ", ".join(unknown)},
        )
    return codes


class RoundEntryForm(SingleLineFields, forms.Form):
    """What a member confirms for this round; prefilled from their profile."""

    timezone = forms.ChoiceField(label=_("Your time zone"), choices=zone_choices)
    languages = forms.CharField(
        label=_("Languages you can meet in"),
        help_text=_("Codes or English names, separated by commas: en, German, pt"),
    )
    interests = forms.CharField(
        label=_("Interests"),
        required=False,
        help_text=_("A few words or tags, separated by commas: gardening, parenting"),
    )
    availability = forms.CharField(
        label=_("When you could meet each week, in your own time"),
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_("Like: mon 18:00-20:00; wed 07:00-09:30"),
    )
    show_to_hosts = forms.BooleanField(
        label=_("Hosts may see my name among people looking for a crew"), required=False
    )

    @classmethod
    def initial_for(cls, person, entry=None) -> dict:
        if entry is not None:
            return {
                "timezone": entry.timezone,
                "languages": ", ".join(language_label(code) for code in entry.languages),
                "interests": ", ".join(entry.interests),
                "availability": entry.availability,
                "show_to_hosts": entry.show_to_hosts,
            }
        profile = getattr(person, "profile", None)
        if profile is None:
            return {}
        return {
            "timezone": profile.timezone,
            "languages": ", ".join(language_label(code) for code in profile.languages),
            "interests": ", ".join(profile.interests),
            "availability": profile.availability,
        }

    def clean_languages(self) -> list[str]:
        return _language_codes(self.cleaned_data["languages"])

    def clean_interests(self) -> list[str]:
        return split_list(self.cleaned_data["interests"])

    def clean_availability(self) -> str:
        try:
            return format_availability(parse_availability(self.cleaned_data["availability"]))
        except AvailabilityError as error:
            raise forms.ValidationError(
                _("At character %(column)s: %(message)s"),
                params={"column": error.column, "message": error.message},
            ) from error


class RoundPinForm(SingleLineFields, forms.Form):
    first = forms.TypedChoiceField(label=_("Person"), coerce=int)
    kind = forms.ChoiceField(label=_("Pin"), choices=PinKind.choices)
    second = forms.TypedChoiceField(label=_("and"), coerce=int)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(person.pk, str(person)) for person in people]
        self.fields["first"].choices = choices
        self.fields["second"].choices = choices


class RoundMoveForm(SingleLineFields, forms.Form):
    OUT = "out"

    person = forms.TypedChoiceField(label=_("Move"), coerce=int)
    to = forms.ChoiceField(label=_("to"))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, people, crews, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(person.pk, str(person)) for person in people]
        self.fields["to"].choices = [
            (str(crew.pk), _("Crew %(number)s") % {"number": crew.number}) for crew in crews
        ] + [(self.OUT, _("Not placed this round"))]


class RoundPublishForm(SingleLineFields, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class RoundSizesForm(SingleLineFields, forms.Form):
    size_min = forms.IntegerField(label=_("Smallest crew"), min_value=2, max_value=99)
    size_max = forms.IntegerField(label=_("Largest crew"), min_value=2, max_value=99)

    def clean(self):
        data = super().clean()
        low, high = data.get("size_min"), data.get("size_max")
        if low is not None and high is not None and low > high:
            self.add_error("size_max", _("The largest crew can't be smaller than the smallest."))
        return data
