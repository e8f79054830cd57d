"""Re-authentication before an account is scheduled for deletion."""

from django import forms
from django.utils.translation import gettext_lazy as _

from microsolidarity.text_input import SingleLineFields


class ConfirmWithPasswordForm(SingleLineFields, forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("We ask again so nobody else can delete your account from your device."),
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.person.check_password(password):
            raise forms.ValidationError(_("That is not your password. Please try again."))
        return password


class ConfirmWithCodeForm(SingleLineFields, forms.Form):
    code = forms.CharField(
        label=_("The code we emailed you"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, check, **kwargs):
        super().__init__(*args, **kwargs)
        self.check = check

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not self.check(code):
            raise forms.ValidationError(
                _("That code is wrong or too old. Ask for a new one below.")
            )
        return code
