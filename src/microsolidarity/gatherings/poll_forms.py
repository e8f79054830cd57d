"""Forms for asking a group for a time, closing a poll, and finding a time from availability."""

from datetime import datetime, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from microsolidarity.text_input import SingleLineFields
from microsolidarity.zones import zone_choices

DURATION_CHOICES = [
    (30, _("30 minutes")),
    (60, _("1 hour")),
    (90, _("1½ hours")),
    (120, _("2 hours")),
    (180, _("3 hours")),
    (240, _("4 hours")),
]


class PollForm(SingleLineFields, forms.Form):
    title = forms.CharField(
        label=_("What it is for"), max_length=140, help_text=_("For example: Monthly call")
    )
    description = forms.CharField(
        label=_("A few words (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    timezone = forms.ChoiceField(
        label=_("The times below are in"), choices=zone_choices, initial="UTC"
    )


class SlotForm(SingleLineFields, forms.Form):
    day = forms.DateField(label=_("Day"), required=False, widget=forms.DateInput({"type": "date"}))
    starts = forms.TimeField(
        label=_("From"), required=False, widget=forms.TimeInput({"type": "time"})
    )
    ends = forms.TimeField(label=_("To"), required=False, widget=forms.TimeInput({"type": "time"}))

    def clean(self):
        data = super().clean()
        filled = [data.get(name) is not None for name in ("day", "starts", "ends")]
        if any(filled) and not all(filled):
            raise forms.ValidationError(
                _("Give a day, a start and an end, or leave the row empty.")
            )
        return data

    def local_times(self) -> tuple[datetime, datetime] | None:
        """The slot as naive wall-clock times, or None for an empty row."""
        data = self.cleaned_data
        if data.get("day") is None:
            return None
        return (
            datetime.combine(data["day"], data["starts"]),
            datetime.combine(data["day"], data["ends"]),
        )


SlotFormSet = forms.formset_factory(SlotForm, extra=3, max_num=40, absolute_max=40)


class CloseForm(SingleLineFields, forms.Form):
    slot = forms.TypedChoiceField(label=_("The time"), coerce=int)
    capacity = forms.IntegerField(
        label=_("Seats (optional)"),
        required=False,
        min_value=1,
        help_text=_("Leave empty when everyone fits."),
    )

    def __init__(self, *args, slots, best=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = slots
        if best is not None:
            self.fields["slot"].initial = best


class FindTimeForm(SingleLineFields, forms.Form):
    week = forms.DateField(
        label=_("A day in the week"), widget=forms.DateInput({"type": "date"}), required=False
    )
    duration = forms.TypedChoiceField(
        label=_("How long"), choices=DURATION_CHOICES, coerce=int, initial=60
    )

    def duration_delta(self) -> timedelta:
        return timedelta(minutes=self.cleaned_data["duration"])


class SuggestionPollForm(SingleLineFields, forms.Form):
    """Turn chosen suggestions (UTC start times) into a poll."""

    title = forms.CharField(label=_("What it is for"), max_length=140)
    duration = forms.TypedChoiceField(choices=DURATION_CHOICES, coerce=int)

    def clean(self):
        data = super().clean()
        starts = []
        for value in self.data.getlist("starts") if hasattr(self.data, "getlist") else []:
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                moment = None
            if moment is None or moment.tzinfo is None:
                raise forms.ValidationError(_("Choose times from the suggestions."))
            starts.append(moment)
        if not starts:
            raise forms.ValidationError(_("Tick at least one suggested time to offer."))
        data["starts"] = starts
        return data
