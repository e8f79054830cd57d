"""The settings form: for each kind, how the person hears of it."""

from django import forms

from microsolidarity.notifications.models import Delivery, Kind
from microsolidarity.text_input import SingleLineFields


class PreferencesForm(SingleLineFields, forms.Form):
    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                initial=current[kind],
                widget=forms.RadioSelect,
            )
