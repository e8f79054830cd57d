"""Pages a person uses to look after their own account: profile, API tokens, town look-up."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from microsolidarity.pages import post_action
from microsolidarity.people.forms import ProfileForm
from microsolidarity.people.services import (
    profile_get,
    profile_update,
    token_create,
    token_revoke,
)
from microsolidarity.people.towns import town_search
from microsolidarity.zones import zone_choices


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = profile_get(request.user)
    form = ProfileForm(request.POST or None, instance=profile, person=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        profile = profile_update(
            person=request.user,
            changes={
                **{name: data[name] for name in ProfileForm.Meta.fields},
                "languages": data["languages_text"],
                "interests": data["interests_text"],
            },
            display_name=data["display_name"],
            town=form.resolved_town,
            town_changed=form.resolved_town is not None or not data["town"],
        )
        request.session["viewer_timezone"] = profile.timezone
        messages.success(request, _("Your profile is saved."))
        return redirect("person_detail", request.user.pk)
    context = {"form": form, "profile": profile, "zone_options": zone_choices()}
    return render(request, "people/profile_edit.html", context)


@require_GET
def town_options(request: HttpRequest) -> HttpResponse:
    """Suggestions for the town field (htmx fills a datalist)."""
    towns = town_search(request.GET.get("town", ""), limit=12)
    return render(request, "people/town_options.html", {"towns": towns})


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    tokens = request.user.api_tokens.all()
    return render(request, "people/tokens.html", {"tokens": tokens})


@login_required
@require_POST
def token_new(request: HttpRequest) -> HttpResponse:
    name = request.POST.get("name", "").strip()
    if not name or len(name) > 80:
        messages.error(
            request, _("Give the token a name of up to 80 characters, like 'my script'.")
        )
        return redirect("token_list")
    token, raw = token_create(person=request.user, name=name)
    tokens = request.user.api_tokens.all()
    return render(request, "people/tokens.html", {"tokens": tokens, "new_token": raw, "new": token})


@post_action(to="token_list")
def token_delete(request: HttpRequest, token_id: int) -> str:
    token = token_revoke(person=request.user, token_id=token_id)
    return _("Token “%(name)s” is revoked.") % {"name": token.name}
