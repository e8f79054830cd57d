"""Forms for people: sign-up extras, the profile, API tokens."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from microsolidarity.matching.availability import (
    AvailabilityError,
    format_availability,
    parse_availability,
)
from microsolidarity.people.languages import language_code, language_label
from microsolidarity.people.models import Person, Profile
from microsolidarity.people.towns import Town, town_resolve
from microsolidarity.text_input import SingleLineFields
from microsolidarity.zones import zone_from_text

MAX_INTERESTS = 30
MAX_INTEREST_LENGTH = 40


class SignupExtrasForm(SingleLineFields, forms.Form):
    """allauth's ACCOUNT_SIGNUP_FORM_CLASS: what we ask besides email and password."""

    display_name = forms.CharField(
        label=_("Your name, as others will see it"), max_length=80, required=True
    )

    def signup(self, request, user):
        # The adapter stores the name; allauth calls this after saving.
        return user


def split_list(text: str) -> list[str]:
    return [item.strip() for item in re.split(r"[,;\n]", text) if item.strip()]


class ZoneField(forms.CharField):
    """A time zone typed into a searchable list (an input with a datalist of readable names):
    a name, a label or a city alone is understood; anything else is refused in words."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"list": "zone-options", "autocomplete": "off", "spellcheck": "false"}
            ),
        )
        kwargs.setdefault(
            "help_text", _("Type to search, like Berlin or America/New_York; times show in it.")
        )
        super().__init__(max_length=64, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return text
        name = zone_from_text(text)
        if name is None:
            raise forms.ValidationError(
                _(
                    "We don't know the time zone “%(text)s”: "
                    "pick one from the list, like Europe/Berlin."
                ),
                params={"text": text},
            )
        return name


class ProfileForm(SingleLineFields, forms.ModelForm):
    display_name = forms.CharField(label=_("Display name"), max_length=80)
    timezone = ZoneField(label=_("Time zone"))
    languages_text = forms.CharField(
        label=_("Languages"),
        required=False,
        help_text=_("Codes or English names, separated by commas: en, German, pt"),
    )
    interests_text = forms.CharField(
        label=_("Interests"),
        required=False,
        help_text=_("A few words or tags, separated by commas: gardening, parenting, open source"),
    )
    town = forms.CharField(
        label=_("Town"),
        required=False,
        help_text=_("The nearest town of some size; we never store anything more precise."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "town-options"}),
    )

    class Meta:
        model = Profile
        fields = [
            "pronouns",
            "timezone",
            "values",
            "seeking",
            "availability",
            "pronouns_audience",
            "languages_audience",
            "interests_audience",
            "values_audience",
            "availability_audience",
            "location_audience",
        ]
        widgets = {
            "values": forms.Textarea(attrs={"rows": 3}),
            "seeking": forms.Textarea(attrs={"rows": 3}),
            "availability": forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        }
        labels = {
            "pronouns_audience": _("Who sees my pronouns"),
            "languages_audience": _("Who sees my languages"),
            "interests_audience": _("Who sees my interests"),
            "values_audience": _("Who sees what I value and seek"),
            "availability_audience": _("Who sees my availability"),
            "location_audience": _("Who sees my town"),
        }

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.resolved_town: Town | None = None
        profile = self.instance
        self.fields["display_name"].initial = person.display_name
        self.fields["languages_text"].initial = ", ".join(
            language_label(code) for code in profile.languages
        )
        self.fields["interests_text"].initial = ", ".join(profile.interests)
        self.fields["town"].initial = profile.town_name
        if profile.timezone == "UTC":
            # UTC is what a new profile starts with: the browser's zone is a better guess,
            # filled in by timezone-default.js for the person to check and save.
            self.fields["timezone"].widget.attrs["data-zone-from-browser"] = "true"

    def clean_languages_text(self) -> list[str]:
        codes: list[str] = []
        unknown: list[str] = []
        for item in split_list(self.cleaned_data["languages_text"]):
            code = language_code(item)
            if code is None:
                unknown.append(item)
            elif code not in codes:
                codes.append(code)
        if unknown:
            raise forms.ValidationError(
                _(
                    "We don't know these languages: %(names)s. "
                    "Use a code like 'de' or a name like 'German'."
                ),
                params={"names": ", ".join(unknown)},
            )
        return codes

    def clean_interests_text(self) -> list[str]:
        tags: list[str] = []
        for item in split_list(self.cleaned_data["interests_text"]):
            tag = " ".join(item.lower().split())
            if len(tag) > MAX_INTEREST_LENGTH:
                raise forms.ValidationError(
                    _("'%(tag)s' is long for a tag; keep each under %(n)s characters."),
                    params={"tag": item, "n": MAX_INTEREST_LENGTH},
                )
            if tag not in tags:
                tags.append(tag)
        if len(tags) > MAX_INTERESTS:
            raise forms.ValidationError(
                _("Up to %(n)s interests, please."), params={"n": MAX_INTERESTS}
            )
        return tags

    def clean_availability(self) -> str:
        text = self.cleaned_data["availability"]
        try:
            return format_availability(parse_availability(text))
        except AvailabilityError as error:
            raise forms.ValidationError(
                _("At character %(column)s: %(message)s"),
                params={"column": error.column, "message": error.message},
            ) from error

    def clean_town(self) -> str:
        text = self.cleaned_data["town"].strip()
        if not text:
            return ""
        if text == self.instance.town_name and self.instance.town_geonameid:
            return text
        matches = town_resolve(text)
        if not matches:
            raise forms.ValidationError(
                _("We can't find a town called '%(text)s'. Try the nearest larger town."),
                params={"text": text},
            )
        if len(matches) > 1:
            options = "; ".join(town.label for town in matches[:6])
            raise forms.ValidationError(
                _("Several towns are called that: %(options)s. Add the country after a comma."),
                params={"options": options},
            )
        self.resolved_town = matches[0]
        return matches[0].label
