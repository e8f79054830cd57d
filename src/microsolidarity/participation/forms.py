"""Forms for the contribute page, pledges, the ledger upload, volunteer slots and the shelf."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from microsolidarity.participation.contributions import TierInput
from microsolidarity.participation.models import Rhythm, Terms, VolunteerRole
from microsolidarity.participation.money import amount_parse
from microsolidarity.text_input import SingleLineFields

MAX_UPLOAD = 5 * 1024 * 1024


class AmountField(forms.CharField):
    """An amount typed the viewer's way: 12.50, or 12,50 in languages that write it so."""

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        try:
            return amount_parse(value)
        except ValueError:
            raise forms.ValidationError(_("Write an amount such as 12.50.")) from None


def _lines(text: str) -> list[list[str]]:
    return [
        [part.strip() for part in line.split("|")] for line in text.splitlines() if line.strip()
    ]


class ContributionPageForm(SingleLineFields, forms.Form):
    intro = forms.CharField(label=_lazy("Why we ask"), widget=forms.Textarea, required=False)
    links = forms.CharField(
        label=_lazy("Where to give, one a line: name | address"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_lazy("For example: Open Collective | https://opencollective.com/riverside"),
    )
    sliding_scale = forms.CharField(
        label=_lazy("Sliding-scale note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    currency = forms.CharField(label=_lazy("Currency"), max_length=3, initial="EUR")
    tiers = forms.CharField(
        label=_lazy("Tiers, one a line: name | amount | once, monthly or yearly | description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_lazy("For example: Friend | 5 | monthly | keeps the lights on"),
    )

    def clean_links(self) -> list[dict]:
        links = []
        for parts in _lines(self.cleaned_data["links"]):
            label, url = (parts[0], parts[1]) if len(parts) > 1 else (parts[0], parts[0])
            links.append({"label": label, "url": url})
        return links

    def clean_tiers(self) -> list[TierInput]:
        tiers = []
        for number, parts in enumerate(_lines(self.cleaned_data["tiers"]), start=1):
            if len(parts) < 2:
                raise forms.ValidationError(
                    _("Tier %(n)s needs at least a name and an amount.") % {"n": number}
                )
            try:
                amount = amount_parse(parts[1])
            except ValueError:
                raise forms.ValidationError(
                    _("Tier %(n)s: %(amount)s is not an amount.")
                    % {"n": number, "amount": parts[1]}
                ) from None
            rhythm = (parts[2] if len(parts) > 2 and parts[2] else Rhythm.MONTHLY).lower()
            if rhythm not in Rhythm.values:
                raise forms.ValidationError(
                    _("Tier %(n)s: say once, monthly or yearly.") % {"n": number}
                )
            tiers.append(TierInput(parts[0], amount, rhythm, " | ".join(parts[3:])))
        return tiers


class PledgeForm(SingleLineFields, forms.Form):
    amount = AmountField(label=_lazy("Amount"), max_length=20)
    rhythm = forms.ChoiceField(
        label=_lazy("How often"), choices=Rhythm.choices, initial=Rhythm.MONTHLY
    )
    listed = forms.BooleanField(
        label=_lazy("List my name and amount for the group's members to see"), required=False
    )


class TreasurerForm(SingleLineFields, forms.Form):
    email = forms.EmailField(label=_lazy("Email of the member to appoint"))


class LedgerUploadForm(SingleLineFields, forms.Form):
    file = forms.FileField(
        label=_lazy("Open Collective transactions export (CSV)"),
        help_text=_lazy("Importing the same export again changes nothing."),
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is over 5 MB: export a shorter period."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("This is not a CSV text file.")) from None


class CampBudgetForm(SingleLineFields, forms.Form):
    amount = AmountField(label=_lazy("Budget"), max_length=20)
    currency = forms.CharField(label=_lazy("Currency"), max_length=3, initial="EUR")
    tag = forms.SlugField(
        label=_lazy("Ledger tag"),
        help_text=_lazy("Open Collective expense tag of this camp's entries."),
    )
    note = forms.CharField(label=_lazy("Note"), max_length=300, required=False)


class SlotForm(SingleLineFields, forms.Form):
    role = forms.ChoiceField(label=_lazy("Role"), choices=VolunteerRole.choices)
    title = forms.CharField(label=_lazy("Name (for another role)"), max_length=80, required=False)
    count = forms.IntegerField(label=_lazy("How many people"), min_value=1, max_value=50, initial=1)
    description = forms.CharField(label=_lazy("What it involves"), max_length=500, required=False)
    occurrence = forms.TypedChoiceField(
        label=_lazy("On which dates"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args, occurrences=(), recurring: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        every = _("Every date of the series") if recurring else _("This gathering")
        self.fields["occurrence"].choices = [("", every)] + [
            (o.pk, f"{o.starts_at:%Y-%m-%d %H:%M} UTC") for o in occurrences
        ]


class BuddyForm(SingleLineFields, forms.Form):
    note = forms.CharField(
        label=_lazy("Anything a buddy should know (optional)"), max_length=300, required=False
    )


class CopyForm(SingleLineFields, forms.Form):
    title = forms.CharField(label=_lazy("Title"), max_length=300)
    author = forms.CharField(label=_lazy("Author"), max_length=200, required=False)
    isbn = forms.CharField(
        label=_lazy("ISBN (optional)"),
        max_length=40,
        required=False,
        help_text=_lazy("10 or 13 digits, hyphens allowed."),
    )
    terms = forms.ChoiceField(label=_lazy("Lend or give"), choices=Terms.choices)
    loan_days = forms.IntegerField(
        label=_lazy("Lent for (days)"), min_value=1, max_value=365, initial=28
    )
    note = forms.CharField(label=_lazy("Note"), max_length=300, required=False)
    group_owned = forms.BooleanField(label=_lazy("The group owns this copy"), required=False)

    def __init__(self, *args, can_own: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_own:
            del self.fields["group_owned"]
