"""The podcast: real byte lengths and durations from the files, and a feed that parses back."""

import io
from datetime import timedelta

import feedparser
import mutagen
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from microsolidarity.demo.library_media import tone_wav
from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.library.audio import audio_inspect
from microsolidarity.library.podcasts import episode_create

pytestmark = pytest.mark.django_db


def test_the_generated_tone_is_audio_mutagen_can_time():
    data = tone_wav(seconds=2.5, rate=8000)
    assert mutagen.File(io.BytesIO(data)).info.length == pytest.approx(2.5, abs=0.01)


def test_an_episode_stores_the_files_real_length_and_duration(episode, wav_bytes):
    assert episode.audio_bytes == len(wav_bytes)
    assert episode.audio_seconds == pytest.approx(1.5, abs=0.01)
    assert episode.audio_type == "audio/wav"
    with episode.audio.open("rb") as handle:
        assert handle.read() == wav_bytes


@pytest.mark.parametrize(
    "data",
    [b"", b"not audio at all, just some text" * 10, b"RIFF\x00\x00\x00\x00WAVEjunk"],
    ids=["empty", "text", "broken-wav"],
)
def test_files_that_are_not_audio_are_refused_with_a_message(data):
    with pytest.raises(RuleBroken) as caught:
        audio_inspect(ContentFile(data, name="x.mp3"))
    assert caught.value.field == "audio"


def test_only_stewards_publish_episodes(member, podcast, wav_bytes):
    with pytest.raises(NotAllowed):
        episode_create(
            by=member,
            podcast_id=podcast.pk,
            title="Nope",
            audio=ContentFile(wav_bytes, name="a.wav"),
        )


def _feed(client, podcast):
    response = client.get(reverse("library_podcast_feed", args=[podcast.slug]))
    assert response["Content-Type"].startswith("application/rss+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    parsed["raw"] = response.content.decode()
    return parsed


def test_the_feed_parses_back_with_the_podcast_tags(client, podcast, episode, wav_bytes):
    parsed = _feed(client, podcast)
    assert parsed.version == "rss20"
    assert parsed.feed.title == "Microsolidarity Conversations"
    assert parsed.feed.language == "en"
    # feedparser reads "no" as not explicit (None); "yes" would be True.
    assert not parsed.feed.itunes_explicit
    assert "<itunes:explicit>no</itunes:explicit>" in parsed["raw"]
    assert parsed.feed.image.href.endswith(podcast.artwork.url)
    assert "Attribution-ShareAlike 4.0" in parsed.feed.rights
    [entry] = parsed.entries
    assert entry.title == "On crews"
    assert entry.id == f"urn:uuid:{episode.guid}"
    assert entry.guidislink is False
    assert entry.itunes_duration == "2"
    [enclosure] = entry.enclosures
    assert int(enclosure.length) == len(wav_bytes)
    assert enclosure.type == "audio/wav"
    assert enclosure.href.endswith(episode.audio.url)
    assert "<strong>crews</strong>" in entry.content[0].value


def test_an_explicit_episode_says_so_in_the_feed(client, steward, podcast, wav_bytes):
    episode_create(
        by=steward,
        podcast_id=podcast.pk,
        title="Strong words",
        explicit=True,
        audio=ContentFile(wav_bytes, name="strong.wav"),
    )
    [entry] = _feed(client, podcast).entries
    assert entry.itunes_explicit is True


def test_an_episode_scheduled_for_later_is_not_in_the_feed_yet(
    client, steward, podcast, episode, wav_bytes
):
    episode_create(
        by=steward,
        podcast_id=podcast.pk,
        title="Next week",
        audio=ContentFile(wav_bytes, name="later.wav"),
        published_at=timezone.now() + timedelta(days=7),
    )
    assert [entry.title for entry in _feed(client, podcast).entries] == ["On crews"]


@pytest.fixture
def past_call(steward, network):
    from microsolidarity.gatherings.models import Kind, Mode
    from microsolidarity.gatherings.occurrences import occurrences_materialise
    from microsolidarity.gatherings.services import gathering_create
    from microsolidarity.groups.models import Role
    from microsolidarity.groups.services import host_assign

    start = timezone.now().replace(microsecond=0) - timedelta(days=3)
    host_assign(by=steward, group=network, person=steward, role=Role.STEWARD)
    gathering = gathering_create(
        by=steward,
        group=network,
        title="Network call",
        description="",
        kind=Kind.CALL,
        mode=Mode.ONLINE,
        call_link="https://call.example.org/x",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        host_timezone="UTC",
    )
    occurrences_materialise(gathering=gathering, now=start - timedelta(minutes=1))
    return gathering.occurrences.get()


def test_a_recorded_network_call_becomes_an_episode(client, steward, podcast, past_call, wav_bytes):
    episode = episode_create(
        by=steward,
        podcast_id=podcast.pk,
        title="The call, recorded",
        audio=ContentFile(wav_bytes, name="call.wav"),
        occurrence_id=past_call.pk,
    )
    assert episode.occurrence == past_call
    assert list(past_call.episodes.all()) == [episode]
    html = client.get(episode.get_absolute_url()).content.decode()
    assert past_call.get_absolute_url() in html
    assert "Recording of Network call" in html


def test_the_upload_form_offers_recent_network_calls(client, steward, podcast, past_call):
    client.force_login(steward)
    html = client.get(reverse("library_episode_create", args=[podcast.slug])).content.decode()
    assert f'<option value="{past_call.pk}">Network call · ' in html


def test_a_call_that_has_not_happened_cannot_be_its_recording(
    steward, podcast, past_call, wav_bytes
):
    past_call.starts_at = timezone.now() + timedelta(days=1)
    past_call.ends_at = past_call.starts_at + timedelta(hours=1)
    past_call.save(update_fields=["starts_at", "ends_at"])
    with pytest.raises(RuleBroken, match="not happened yet"):
        episode_create(
            by=steward,
            podcast_id=podcast.pk,
            title="Too soon",
            audio=ContentFile(wav_bytes, name="soon.wav"),
            occurrence_id=past_call.pk,
        )


def test_a_steward_uploads_an_episode_through_the_form(client, steward, podcast, wav_bytes):
    client.force_login(steward)
    upload = ContentFile(wav_bytes, name="upload.wav")
    response = client.post(
        reverse("library_episode_create", args=[podcast.slug]),
        {"title": "Uploaded", "audio": upload, "show_notes": "Notes."},
    )
    episode = podcast.episodes.get(slug="uploaded")
    assert response.status_code == 302 and response.url == episode.get_absolute_url()
    assert episode.audio_bytes == len(wav_bytes)


def test_the_upload_form_says_what_is_wrong_with_a_bad_file(client, steward, podcast):
    client.force_login(steward)
    response = client.post(
        reverse("library_episode_create", args=[podcast.slug]),
        {"title": "Bad", "audio": ContentFile(b"hello" * 100, name="bad.mp3")},
    )
    assert response.status_code == 200
    assert "not an audio file we can publish" in response.content.decode()
    assert not podcast.episodes.exists()


def test_podcast_artwork_must_be_a_square_png_or_jpeg(steward):
    from microsolidarity.demo.library_media import artwork_png
    from microsolidarity.library.podcasts import artwork_check

    assert artwork_check(ContentFile(artwork_png(size=64))) == "png"
    with pytest.raises(RuleBroken, match="PNG or JPEG"):
        artwork_check(ContentFile(b"GIF89a not really"))
    from PIL import Image

    wide = io.BytesIO()
    Image.new("RGB", (80, 40)).save(wide, format="PNG")
    with pytest.raises(RuleBroken, match="square"):
        artwork_check(ContentFile(wide.getvalue()))


def test_a_steward_edits_the_show_notes_and_the_feed_follows(client, steward, podcast, episode):
    client.force_login(steward)
    url = reverse("library_episode_edit", args=[podcast.slug, episode.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "On crews, again", "show_notes": "New *notes*."})
    assert response.status_code == 302
    [entry] = _feed(client, podcast).entries
    assert entry.title == "On crews, again"
    assert entry.id == f"urn:uuid:{episode.guid}"  # the same episode to podcast apps
    assert "<em>notes</em>" in entry.content[0].value


def test_members_cannot_edit_episodes(member, episode):
    from microsolidarity.library.podcasts import episode_update

    with pytest.raises(NotAllowed):
        episode_update(by=member, episode_id=episode.pk, title="X", show_notes="", explicit=False)
