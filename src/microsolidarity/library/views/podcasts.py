"""Podcast pages: the show with its episodes, each episode, the RSS feed, and uploads."""

from datetime import timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from microsolidarity.gatherings.models import Occurrence, OccurrenceStatus
from microsolidarity.library.attribution import attribution_for
from microsolidarity.library.forms import EpisodeEditForm, EpisodeForm
from microsolidarity.library.models import Podcast
from microsolidarity.library.podcasts import (
    episode_create,
    episode_update,
    podcast_feed_xml,
    published_episodes,
)
from microsolidarity.library.rendering import markdown_html
from microsolidarity.library.views.common import steward_required
from microsolidarity.pages import domain_errors_on

RECENT_CALL_DAYS = 120


def _attribution(request, podcast: Podcast):
    return attribution_for(
        title=podcast.title,
        author=podcast.author,
        source_url=request.build_absolute_uri(podcast.get_absolute_url()),
        licence=podcast.licence,
    )


def podcast_detail(request: HttpRequest, slug: str) -> HttpResponse:
    podcast = get_object_or_404(Podcast, slug=slug)
    return render(
        request,
        "library/podcast_detail.html",
        {
            "podcast": podcast,
            "episodes": published_episodes(podcast),
            "attribution": _attribution(request, podcast),
            "can_edit": request.user.has_perm("library.edit_library"),
        },
    )


def podcast_feed(request: HttpRequest, slug: str) -> HttpResponse:
    podcast = get_object_or_404(Podcast, slug=slug)
    xml = podcast_feed_xml(
        podcast, feed_url=request.build_absolute_uri(), base_url=request.build_absolute_uri("/")
    )
    return HttpResponse(xml, content_type="application/rss+xml; charset=utf-8")


def episode_detail(request: HttpRequest, slug: str, episode: str) -> HttpResponse:
    podcast = get_object_or_404(Podcast, slug=slug)
    found = get_object_or_404(published_episodes(podcast).select_related("podcast"), slug=episode)
    return render(
        request,
        "library/episode_detail.html",
        {
            "podcast": podcast,
            "episode": found,
            "notes": markdown_html(found.show_notes),
            "attribution": _attribution(request, podcast),
            "can_edit": request.user.has_perm("library.edit_library"),
        },
    )


def _recent_calls():
    since = timezone.now() - timedelta(days=RECENT_CALL_DAYS)
    return (
        Occurrence.objects.filter(
            starts_at__gte=since,
            starts_at__lte=timezone.now(),
            status=OccurrenceStatus.SCHEDULED,
        )
        .select_related("gathering")
        .order_by("-starts_at")[:50]
    )


@steward_required
def episode_new(request: HttpRequest, slug: str) -> HttpResponse:
    podcast = get_object_or_404(Podcast, slug=slug)
    occurrences = list(_recent_calls())
    form = EpisodeForm(request.POST or None, request.FILES or None, occurrences=occurrences)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            created = episode_create(
                by=request.user,
                podcast_id=podcast.pk,
                title=form.cleaned_data["title"],
                slug=form.cleaned_data["slug"],
                audio=form.cleaned_data["audio"],
                show_notes=form.cleaned_data["show_notes"],
                explicit=form.cleaned_data["explicit"],
                occurrence_id=form.cleaned_data["occurrence"],
            )
            messages.success(request, _("The episode is published in the feed."))
            return redirect(created)
    return render(request, "library/episode_form.html", {"form": form, "podcast": podcast})


@steward_required
def episode_edit(request: HttpRequest, slug: str, episode: str) -> HttpResponse:
    podcast = get_object_or_404(Podcast, slug=slug)
    found = get_object_or_404(podcast.episodes.select_related("podcast"), slug=episode)
    occurrences = list(_recent_calls())
    if found.occurrence_id and found.occurrence not in occurrences:
        occurrences.insert(0, found.occurrence)
    initial = {
        "title": found.title,
        "show_notes": found.show_notes,
        "explicit": found.explicit,
        "occurrence": found.occurrence_id,
    }
    form = EpisodeEditForm(request.POST or None, initial=initial, occurrences=occurrences)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            found = episode_update(
                by=request.user,
                episode_id=found.pk,
                title=form.cleaned_data["title"],
                show_notes=form.cleaned_data["show_notes"],
                explicit=form.cleaned_data["explicit"],
                occurrence_id=form.cleaned_data["occurrence"],
            )
            messages.success(request, _("Saved; the feed shows the change."))
            return redirect(found)
    return render(
        request,
        "library/episode_form.html",
        {"form": form, "podcast": podcast, "episode": found},
    )
