"""Forms for starting and editing groups and for inviting people."""

from django import forms
from django.utils.translation import gettext_lazy as _

from microsolidarity.groups.models import Group, Scale
from microsolidarity.people.forms import split_list
from microsolidarity.people.languages import language_code, language_label
from microsolidarity.people.models import Person
from microsolidarity.text_input import SingleLineFields
from microsolidarity.zones import zone_choices


class GroupForm(SingleLineFields, forms.ModelForm):
    timezone = forms.ChoiceField(label=_("Time zone"), choices=zone_choices, initial="UTC")
    languages_text = forms.CharField(
        label=_("Languages"), required=False, help_text=_("Separated by commas: en, de")
    )
    tiers_text = forms.CharField(
        label=_("Membership tiers"),
        required=False,
        help_text=_("Separated by commas, lowest first: Friend, Partner"),
    )

    class Meta:
        model = Group
        fields = [
            "name",
            "description",
            "join_policy",
            "visibility",
            "status",
            "timezone",
            "region",
            "crew_warn_above",
            "crew_max",
            "congregation_warn_above",
            "host_term_days",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        labels = {
            "crew_warn_above": _("Warn when a crew grows above"),
            "crew_max": _("Largest crew allowed"),
            "congregation_warn_above": _("Warn when the congregation grows above"),
        }

    def __init__(self, *args, scale: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.scale = scale
        if scale != Scale.CONGREGATION:
            for name in ("crew_warn_above", "crew_max", "congregation_warn_above", "tiers_text"):
                del self.fields[name]
        else:
            self.fields["tiers_text"].initial = ", ".join(self.instance.tiers or [])
        if self.instance.pk is None:
            del self.fields["status"]
        self.fields["languages_text"].initial = ", ".join(
            language_label(code) for code in self.instance.languages or []
        )

    def clean_languages_text(self) -> list[str]:
        codes, unknown = [], []
        for item in split_list(self.cleaned_data["languages_text"]):
            code = language_code(item)
            (unknown.append(item) if code is None else codes.append(code))
        if unknown:
            raise forms.ValidationError(
                _("We don't know these languages: %(names)s."), params={"names": ", ".join(unknown)}
            )
        return list(dict.fromkeys(codes))

    def clean_tiers_text(self) -> list[str]:
        tiers = list(dict.fromkeys(split_list(self.cleaned_data["tiers_text"])))
        if not tiers:
            raise forms.ValidationError(_("Name at least one tier, like Friend."))
        if any(len(tier) > 40 for tier in tiers):
            raise forms.ValidationError(_("Keep each tier's name under 40 characters."))
        return tiers

    def clean(self):
        data = super().clean()
        warn, maximum = data.get("crew_warn_above"), data.get("crew_max")
        if maximum is not None and maximum < 2:
            self.add_error("crew_max", _("A crew needs room for at least two people."))
        if warn is not None and maximum is not None and warn > maximum:
            self.add_error("crew_warn_above", _("The warning should come at or below the maximum."))
        return data


class InviteForm(SingleLineFields, forms.Form):
    """One field: someone's name here, or an email address (theirs, account or not)."""

    email = forms.CharField(
        label=_("Their name here or their email address"),
        max_length=254,
        help_text=_("Someone without an account yet gets an email that signs them up."),
    )

    def clean_email(self) -> Person | str:
        """The person named, or an address that belongs to no account yet."""
        text = self.cleaned_data["email"].strip()
        if "@" in text:
            person = Person.objects.filter(email__iexact=text, is_active=True).first()
            return person or text
        named = list(Person.objects.filter(display_name__iexact=text, is_active=True)[:2])
        if len(named) == 1:
            return named[0]
        if named:
            raise forms.ValidationError(
                _("Several people are called %(name)s: use their email address."),
                params={"name": text},
            )
        raise forms.ValidationError(
            _("Nobody here is called %(name)s. Use their email address to invite them."),
            params={"name": text},
        )


class RequestForm(SingleLineFields, forms.Form):
    message = forms.CharField(
        label=_("A few words to the hosts (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
