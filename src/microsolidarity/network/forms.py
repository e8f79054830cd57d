"""Forms of the network pages: the directory's filters, a listing, and the operators' forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from microsolidarity.network.directory import DEFAULT_RADIUS_KM, NEAR_RADII_KM
from microsolidarity.people.towns import Town, town_resolve, town_search
from microsolidarity.text_input import SingleLineFields

MODE_CHOICES = [
    ("", _("Online or in person")),
    ("online", _("Online")),
    ("in_person", _("In person")),
]


def _resolve_town(text: str) -> Town:
    matches = town_resolve(text)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        suggestions = ", ".join(town.label for town in town_search(text.split(",")[0], limit=3))
        if suggestions:
            raise forms.ValidationError(
                _("We don't know %(text)s. Did you mean: %(suggestions)s?"),
                params={"text": text, "suggestions": suggestions},
            )
        raise forms.ValidationError(
            _("We don't know a town called %(text)s; try the nearest bigger town."),
            params={"text": text},
        )
    raise forms.ValidationError(
        _("There are several towns called %(text)s; add the country, like %(example)s."),
        params={"text": text, "example": matches[0].label},
    )


class DirectoryFilterForm(SingleLineFields, forms.Form):
    language = forms.ChoiceField(label=_("Language"), required=False)
    mode = forms.ChoiceField(label=_("Meets"), choices=MODE_CHOICES, required=False)
    near = forms.CharField(
        label=_("Near a town"),
        required=False,
        max_length=200,
        help_text=_("A town, or a town and its country: Porto, Portugal"),
    )
    radius = forms.TypedChoiceField(
        label=_("Within"),
        choices=[(km, _("%(km)s km") % {"km": km}) for km in NEAR_RADII_KM],
        coerce=int,
        required=False,
        empty_value=DEFAULT_RADIUS_KM,
    )

    def __init__(self, *args, languages: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("Any language")), *languages]
        self.near_town: Town | None = None

    def clean_near(self) -> str:
        text = self.cleaned_data["near"].strip()
        if text:
            self.near_town = _resolve_town(text)
        return text


class ListingForm(SingleLineFields, forms.Form):
    listed = forms.BooleanField(
        label=_("List it in the network's directory and on the map"), required=False
    )
    town = forms.CharField(
        label=_("Town where it meets"),
        required=False,
        max_length=200,
        help_text=_(
            "The town, never a street: Lisbon, Portugal. Leave empty if it meets only online."
        ),
    )
    meets_online = forms.BooleanField(label=_("Meets online"), required=False)
    rhythm = forms.CharField(
        label=_("Meeting rhythm"),
        required=False,
        max_length=200,
        help_text=_("For example: a call every month, a gathering each spring and autumn."),
    )
    contact = forms.CharField(
        label=_("Contact for newcomers"),
        required=False,
        max_length=200,
        help_text=_(
            "An email address or a web address; leave empty to use the request button only."
        ),
    )
    federated = forms.BooleanField(
        label=_(
            "Let other servers (this software, Mobilizon, Gancio) follow its public gatherings"
        ),
        required=False,
    )

    def clean_town(self) -> str:
        text = self.cleaned_data["town"].strip()
        self.resolved_town = _resolve_town(text) if text else None
        return text


class FollowForm(SingleLineFields, forms.Form):
    address = forms.CharField(
        label=_("Group to follow"),
        max_length=500,
        help_text=_(
            "A handle like group@events.example.org, or the group's address (https://...)."
        ),
    )


class BlockForm(SingleLineFields, forms.Form):
    domain = forms.CharField(
        label=_("Server to block"), max_length=255, help_text=_("Like events.example.org")
    )
    reason = forms.CharField(
        label=_("Why (for the other operators)"), max_length=300, required=False
    )
