"""Calendar feeds: a personal secret feed, a feed per public group, an .ics per gathering."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from microsolidarity.gatherings import feeds
from microsolidarity.gatherings.access import gathering_visible
from microsolidarity.gatherings.models import Gathering, Occurrence
from microsolidarity.groups.access import group_visible
from microsolidarity.groups.models import Group

# Calendar apps poll; a few minutes of caching spares the server without going stale.
FEED_MAX_AGE = 300


def _calendar_response(content: bytes, filename: str, *, private: bool) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = f"{'private' if private else 'public'}, max-age={FEED_MAX_AGE}"
    if private:
        # The address itself is the secret: never let it leak through a Referer.
        response["Referrer-Policy"] = "no-referrer"
    return response


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_GET
def person_feed(request: HttpRequest, key: str) -> HttpResponse:
    person = feeds.calendar_feed_person(key)
    if person is None:
        raise Http404
    return _calendar_response(
        feeds.person_ics(person, base_url=_base_url(request)), "microsolidarity.ics", private=True
    )


@require_GET
def group_feed(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    if not group_visible(None, group):
        # Feeds are fetched without a session, so only public groups have one.
        raise Http404
    content = feeds.group_ics(
        group, feeds.public_group_gatherings(group), base_url=_base_url(request)
    )
    return _calendar_response(content, f"{group.slug}.ics", private=False)


def _visible_gathering(request: HttpRequest, slug: str) -> Gathering:
    gathering = get_object_or_404(Gathering.objects.select_related("group"), slug=slug)
    if not gathering_visible(request.user, gathering):
        raise Http404
    return gathering


@require_GET
def gathering_feed(request: HttpRequest, slug: str) -> HttpResponse:
    gathering = _visible_gathering(request, slug)
    content = feeds.gathering_ics(gathering, viewer=request.user, base_url=_base_url(request))
    return _calendar_response(
        content, f"{gathering.slug}.ics", private=not group_visible(None, gathering.group)
    )


@require_GET
def occurrence_feed(request: HttpRequest, slug: str, occurrence_id: int) -> HttpResponse:
    gathering = _visible_gathering(request, slug)
    occurrence = get_object_or_404(Occurrence, pk=occurrence_id, gathering=gathering)
    occurrence.gathering = gathering
    content = feeds.occurrence_ics(occurrence, viewer=request.user, base_url=_base_url(request))
    filename = f"{gathering.slug}-{occurrence.starts_at:%Y%m%d}.ics"
    return _calendar_response(content, filename, private=True)


@login_required
def feed_settings(request: HttpRequest) -> HttpResponse:
    context = {"active": feeds.calendar_feed_active(request.user), "feed_url": None}
    key = feeds.calendar_feed_key(request.user)
    if key is not None:
        url = request.build_absolute_uri(reverse("person_feed", args=[key]))
        context.update(feed_url=url, webcal_url="webcal://" + url.split("://", 1)[1])
    return render(request, "gatherings/feed_settings.html", context)


@login_required
@require_POST
def feed_reset(request: HttpRequest) -> HttpResponse:
    feeds.calendar_feed_reset(person=request.user)
    messages.success(
        request, _("Your new feed address is ready. Any earlier address has stopped working.")
    )
    return redirect("feed_settings")


@login_required
@require_POST
def feed_revoke(request: HttpRequest) -> HttpResponse:
    feeds.calendar_feed_revoke(person=request.user)
    messages.success(request, _("Your calendar feed is switched off."))
    return redirect("feed_settings")
