"""Forms of outreach: they parse what people type; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from microsolidarity.outreach import payloads
from microsolidarity.outreach.models import ChatService, DigestFrequency
from microsolidarity.text_input import SingleLineFields

EVENT_LABELS = {
    payloads.GATHERING_CREATED: _("A public gathering is called"),
    payloads.GATHERING_UPDATED: _("A public gathering changes"),
    payloads.GATHERING_CANCELLED: _("A public gathering is cancelled"),
    payloads.RSVP_COUNTS: _("RSVP counts change (numbers only)"),
    payloads.CREW_CALL_OPENED: _("A crew call opens (no names, no details)"),
    payloads.MEMBER_JOINED: _("Someone joins (a count, never who)"),
}


class SubscribeForm(SingleLineFields, forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class IssueForm(SingleLineFields, forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Markdown: *emphasis*, **strong**, [a link](https://example.org), # a heading."
        ),
    )
    segment = forms.ChoiceField(label=_("Who receives it"))

    def __init__(self, *args, segments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segment"].choices = list(segments)


class ChatRuleForm(SingleLineFields, forms.Form):
    service = forms.ChoiceField(label=_("Service"), choices=ChatService.choices)
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        required=False,
        help_text=_("For you: which channel or room this is."),
    )
    url = forms.CharField(
        label=_("Address"),
        max_length=500,
        help_text=_(
            "Discord: the channel's webhook address. Matrix: the homeserver, such as "
            "https://matrix.example.org."
        ),
    )
    matrix_room = forms.CharField(label=_("Matrix room id"), max_length=255, required=False)
    matrix_token = forms.CharField(
        label=_("Matrix access token"),
        max_length=255,
        required=False,
        widget=forms.PasswordInput(render_value=False),
    )
    post_gatherings = forms.BooleanField(
        label=_("Post new public gatherings and calls"), required=False, initial=True
    )
    post_crew_calls = forms.BooleanField(
        label=_("Post that a crew call opened (no names, no details)"), required=False
    )


class WebhookForm(SingleLineFields, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    url = forms.CharField(label=_("Address that receives the events"), max_length=500)
    event_types = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(event, EVENT_LABELS[event]) for event in payloads.EVENT_TYPES],
        widget=forms.CheckboxSelectMultiple,
    )


class DigestForm(SingleLineFields, forms.Form):
    frequency = forms.ChoiceField(
        label=_("Send me a digest"), choices=DigestFrequency.choices, widget=forms.RadioSelect
    )
    gatherings = forms.BooleanField(label=_("Gatherings"), required=False)
    calls = forms.BooleanField(label=_("Calls"), required=False)
    crew_calls = forms.BooleanField(label=_("Open crew calls"), required=False)
