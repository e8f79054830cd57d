"""The podcast: shows, episodes with audio read for its real length, and their RSS feed."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from feedgen.feed import FeedGenerator
from PIL import Image, UnidentifiedImageError

from microsolidarity.errors import Conflict, NotAllowed, RuleBroken
from microsolidarity.gatherings.models import Occurrence
from microsolidarity.library import access
from microsolidarity.library.attribution import attribution_for
from microsolidarity.library.audio import audio_inspect
from microsolidarity.library.licences import Licence
from microsolidarity.library.models import Episode, Podcast
from microsolidarity.library.rendering import markdown_html, markdown_text
from microsolidarity.site import site_url


def _check_steward(by) -> None:
    if not access.is_steward(by):
        raise NotAllowed(_("Only stewards edit the library."))


@transaction.atomic
def podcast_create(
    *,
    by,
    title: str,
    description: str,
    author: str,
    artwork,
    slug: str = "",
    language: str = "en",
    explicit: bool = False,
    owner_email: str = "",
    category: str = "Society & Culture",
    licence: str = Licence.CC_BY_SA_4,
) -> Podcast:
    _check_steward(by)
    slug = slugify(slug or title)[:140]
    if not slug:
        raise RuleBroken(_("Give the podcast an address of letters and digits."), field="slug")
    if Podcast.objects.filter(slug=slug).exists():
        raise Conflict(
            _("Another podcast has the address %(slug)s.") % {"slug": slug}, field="slug"
        )
    podcast = Podcast(
        slug=slug,
        title=title,
        description=description,
        author=author,
        language=language,
        explicit=explicit,
        owner_email=owner_email,
        category=category,
        licence=licence,
    )
    podcast.artwork.save(f"{slug}-artwork.{artwork_check(artwork)}", artwork, save=False)
    podcast.save()
    return podcast


def artwork_check(image) -> str:
    """The artwork's file extension, after checking it is a square PNG or JPEG."""

    image.seek(0)
    try:
        with Image.open(image) as picture:
            kind, (width, height) = picture.format, picture.size
    except (UnidentifiedImageError, OSError) as exc:
        raise RuleBroken(_("The artwork must be a PNG or JPEG image."), field="artwork") from exc
    finally:
        image.seek(0)
    if kind not in ("PNG", "JPEG"):
        raise RuleBroken(_("The artwork must be a PNG or JPEG image."), field="artwork")
    if width != height:
        raise RuleBroken(_("Podcast artwork must be square."), field="artwork")
    return "png" if kind == "PNG" else "jpg"


def _occurrence(occurrence_id: int | None):

    if occurrence_id is None:
        return None
    occurrence = Occurrence.objects.select_related("gathering").filter(pk=occurrence_id).first()
    if occurrence is None:
        raise RuleBroken(_("That gathering is not on the calendar."), field="occurrence")
    if occurrence.starts_at > timezone.now():
        raise RuleBroken(_("That call has not happened yet."), field="occurrence")
    return occurrence


@transaction.atomic
def episode_create(
    *,
    by,
    podcast_id: int,
    title: str,
    audio,
    slug: str = "",
    show_notes: str = "",
    explicit: bool = False,
    published_at: datetime | None = None,
    occurrence_id: int | None = None,
) -> Episode:
    """A new episode; its length and duration come from the audio file, never from a form."""
    _check_steward(by)
    podcast = Podcast.objects.filter(pk=podcast_id).first()
    if podcast is None:
        raise RuleBroken(_("That podcast is not in the library."))
    slug = slugify(slug or title)[:140]
    if not slug:
        raise RuleBroken(_("Give the episode an address of letters and digits."), field="slug")
    if podcast.episodes.filter(slug=slug).exists():
        raise Conflict(
            _("Another episode of this podcast has the address %(slug)s.") % {"slug": slug},
            field="slug",
        )
    facts = audio_inspect(audio)
    episode = Episode(
        podcast=podcast,
        slug=slug,
        title=title,
        show_notes=show_notes,
        explicit=explicit,
        published_at=published_at or timezone.now(),
        occurrence=_occurrence(occurrence_id),
        audio_bytes=facts.size,
        audio_seconds=facts.seconds,
        audio_type=facts.mime,
        created_by=by,
    )
    episode.audio.save(f"{podcast.slug}-{slug}.{facts.extension}", audio, save=False)
    episode.save()
    return episode


@transaction.atomic
def episode_update(
    *,
    by,
    episode_id: int,
    title: str,
    show_notes: str,
    explicit: bool,
    occurrence_id: int | None = None,
) -> Episode:
    _check_steward(by)
    episode = Episode.objects.select_for_update().filter(pk=episode_id).first()
    if episode is None:
        raise RuleBroken(_("That episode is not in the library."))
    episode.title, episode.show_notes, episode.explicit = title, show_notes, explicit
    episode.occurrence = _occurrence(occurrence_id)
    episode.save(update_fields=["title", "show_notes", "explicit", "occurrence"])
    return episode


def published_episodes(podcast: Podcast):
    return podcast.episodes.filter(published_at__lte=timezone.now()).select_related(
        "occurrence__gathering"
    )


def podcast_feed_xml(podcast: Podcast, *, feed_url: str, base_url: str = "") -> bytes:
    """RSS 2.0 with the iTunes podcast tags; enclosures carry the files' real byte lengths."""
    base_url = (base_url or site_url()).rstrip("/")

    def _absolute(path: str) -> str:
        return f"{base_url}{path}"

    attribution = attribution_for(
        title=podcast.title,
        author=podcast.author,
        source_url=_absolute(podcast.get_absolute_url()),
        licence=podcast.licence,
    )
    feed = FeedGenerator()
    feed.load_extension("podcast")
    feed.title(podcast.title)
    # feedgen's RSS channel <link> is the last link given: the self link goes first.
    feed.link(href=feed_url, rel="self")
    feed.link(href=_absolute(podcast.get_absolute_url()), rel="alternate")
    feed.description(podcast.description)
    feed.language(podcast.language)
    feed.copyright(attribution.sentence())
    artwork = _absolute(podcast.artwork.url)
    feed.image(url=artwork, title=podcast.title, link=_absolute(podcast.get_absolute_url()))
    feed.podcast.itunes_image(artwork)
    feed.podcast.itunes_author(podcast.author)
    feed.podcast.itunes_summary(podcast.description)
    feed.podcast.itunes_explicit("yes" if podcast.explicit else "no")
    feed.podcast.itunes_category(podcast.category)
    if podcast.owner_email:
        feed.podcast.itunes_owner(name=podcast.author, email=podcast.owner_email)
    for episode in published_episodes(podcast):
        entry = feed.add_entry(order="append")
        entry.guid(f"urn:uuid:{episode.guid}", permalink=False)
        entry.title(episode.title)
        entry.link(href=_absolute(episode.get_absolute_url()))
        entry.description(markdown_text(episode.show_notes) or episode.title)
        if episode.show_notes:
            entry.content(str(markdown_html(episode.show_notes)), type="CDATA")
        entry.enclosure(
            _absolute(episode.audio.url),
            str(episode.audio_bytes),
            episode.audio_type,
        )
        entry.published(episode.published_at)
        entry.podcast.itunes_duration(round(episode.audio_seconds))
        entry.podcast.itunes_explicit("yes" if episode.explicit else "no")
    return feed.rss_str(pretty=True)
