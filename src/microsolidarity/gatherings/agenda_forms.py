"""Forms for the open-space agenda: propose a session, place it, name the rooms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from microsolidarity.text_input import SingleLineFields


class ProposeForm(SingleLineFields, forms.Form):
    title = forms.CharField(label=_("Session title"), max_length=140)
    description = forms.CharField(
        label=_("What it is about (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PlaceForm(SingleLineFields, forms.Form):
    starts = forms.DateTimeField(
        label=_("Starts"), widget=forms.DateTimeInput({"type": "datetime-local"})
    )
    minutes = forms.IntegerField(label=_("Minutes"), min_value=5, max_value=24 * 60, initial=60)
    room = forms.ChoiceField(label=_("Room"), required=False)

    def __init__(self, *args, rooms: list[str], zone_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts"].label = _("Starts (%(zone)s time)") % {"zone": zone_name}
        if rooms:
            self.fields["room"].choices = [(room, room) for room in rooms]
            self.fields["room"].required = True
        else:
            del self.fields["room"]


class RoomsForm(SingleLineFields, forms.Form):
    rooms = forms.CharField(
        label=_("Rooms"),
        required=False,
        max_length=4000,
        help_text=_("One per line, or separated by commas: Kitchen, Meadow, Barn"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def names(self) -> list[str]:
        text = self.cleaned_data["rooms"].replace("\n", ",")
        return [name.strip() for name in text.split(",") if name.strip()]
