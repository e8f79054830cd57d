"""Forms for pairing settings and partnership check-ins."""

from django import forms
from django.utils.translation import gettext_lazy as _

from microsolidarity.dyads.models import Balance, CheckIn, Every, Feeling
from microsolidarity.text_input import SingleLineFields


class ProgramForm(SingleLineFields, forms.Form):
    every_weeks = forms.TypedChoiceField(
        label=_("How often"), choices=Every.choices, coerce=int, initial=Every.TWO_WEEKS
    )
    next_round_on = forms.DateField(
        label=_("Next round starts on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to start today (or keep the date already set)."),
    )
    prompts = forms.CharField(
        label=_("Conversation prompts"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One a line; each round uses the next. Empty: a few gentle defaults."),
    )
    active = forms.BooleanField(label=_("Pairing is on"), required=False, initial=True)


class CheckInForm(SingleLineFields, forms.ModelForm):
    class Meta:
        model = CheckIn
        fields = ["spoke", "decided", "carried", "felt", "note", "summary"]
        widgets = {
            "spoke": forms.RadioSelect(choices=Balance.choices),
            "decided": forms.RadioSelect(choices=Balance.choices),
            "carried": forms.RadioSelect(choices=Balance.choices),
            "felt": forms.RadioSelect(choices=Feeling.choices),
            "note": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "note": _("Only the two of you read this."),
            "summary": _("The hosts see this summary, without your answers or names."),
        }
