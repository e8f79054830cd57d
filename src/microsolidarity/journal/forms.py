"""Forms for the journal; their choices come from the author's own parts and groups."""

from django import forms
from django.utils.translation import gettext_lazy as _

from microsolidarity.journal import queries
from microsolidarity.journal.prompts import Prompt
from microsolidarity.journal.services import NAME_LIMIT, NOTES_LIMIT, TEXT_LIMIT
from microsolidarity.text_input import SingleLineFields


class EntryForm(SingleLineFields, forms.Form):
    prompt = forms.ChoiceField(label=_("Prompt"), choices=Prompt.choices, required=False)
    text = forms.CharField(
        label=_("Entry"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Only you can read this. It is encrypted where it is stored."),
    )
    parts = forms.TypedMultipleChoiceField(
        label=_("Parts of me in this entry"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    group = forms.TypedChoiceField(
        label=_("After meeting with"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Optional: the dyad or crew this entry reflects on. Only you see the link."),
    )

    def __init__(self, *args, author, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parts"].choices = [(p.pk, p.label) for p in queries.parts_of(author)]
        self.fields["group"].choices = [("", _("Nobody in particular"))] + [
            (g.pk, g.name) for g in queries.linkable_groups(author)
        ]


class PartForm(SingleLineFields, forms.Form):
    name = forms.CharField(
        label=_("Name of the part"),
        max_length=NAME_LIMIT,
        help_text=_("For example: the planner, the critic, the one who wants to rest."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        max_length=NOTES_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What it does for you, what it fears, what it needs."),
    )


class DeleteAllForm(SingleLineFields, forms.Form):
    confirm = forms.CharField(
        label=_('Type "delete" to confirm'),
        max_length=20,
        help_text=_("Every entry and part goes, for good. Export first if you want a copy."),
    )

    def clean_confirm(self):
        value = self.cleaned_data["confirm"].strip().lower()
        if value != "delete":
            raise forms.ValidationError(_('Type the word "delete" to confirm.'))
        return value
