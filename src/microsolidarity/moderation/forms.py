"""Forms of moderation: they parse what a person typed; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from microsolidarity.moderation.models import ActionKind
from microsolidarity.people.models import Person
from microsolidarity.text_input import SingleLineFields


class ReportForm(SingleLineFields, forms.Form):
    about = forms.ModelChoiceField(
        label=_("Who is it about?"), queryset=Person.objects.none(), required=True
    )
    reason = forms.CharField(
        label=_("What happened?"),
        help_text=_("Only the hosts of the group read this. Nothing happens automatically."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, people=None, **kwargs):
        """`people`: whom the reporter may choose from, when the link named no one."""
        super().__init__(*args, **kwargs)
        if people is None:
            del self.fields["about"]
        else:
            self.fields["about"].queryset = people


class ActionForm(SingleLineFields, forms.Form):
    kind = forms.ChoiceField(label=_("Step"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("The member is told this, by email and on their moderation page."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, staff: bool = False, can_hide: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (value, label)
            for value, label in ActionKind.choices
            if (value != ActionKind.SUSPEND or staff) and (value != ActionKind.HIDE or can_hide)
        ]
        self.fields["kind"].choices = choices


class ResponseForm(SingleLineFields, forms.Form):
    text = forms.CharField(
        label=_("Your response"),
        help_text=_("The hosts of the group read this."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
