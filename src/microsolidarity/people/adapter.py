"""allauth hooks: every new account gets a profile."""

from allauth.account.adapter import DefaultAccountAdapter

from microsolidarity.people.services import profile_get


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        person = super().save_user(request, user, form, commit=commit)
        if commit:
            display_name = form.cleaned_data.get("display_name", "").strip()
            if display_name:
                person.display_name = display_name
                person.save(update_fields=["display_name"])
            profile_get(person)
        return person
