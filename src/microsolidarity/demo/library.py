"""The demo library: five essays imported from demo/data, one book, a podcast with two
episodes (tones made by code), a past network call recorded as one of them, one video."""

from datetime import timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone
from stdnum import isbn as isbn_numbers

from microsolidarity.demo.library_media import artwork_png, tone_wav
from microsolidarity.demo.participation import BOOKS, SHELF_BOOK_ISBN, SHELF_BOOK_TITLE
from microsolidarity.gatherings.models import Kind, Mode
from microsolidarity.gatherings.occurrences import occurrences_materialise
from microsolidarity.gatherings.services import gathering_create
from microsolidarity.groups.models import Group
from microsolidarity.library.book_builds import book_build
from microsolidarity.library.books import book_create
from microsolidarity.library.essays import essays_import
from microsolidarity.library.models import Essay
from microsolidarity.library.podcasts import episode_create, podcast_create
from microsolidarity.library.reading_lists import reading_item_add, reading_list_create
from microsolidarity.library.video_services import video_create

DATA = Path(__file__).parent / "data"
BOOK_ORDER = [
    "background",
    "five-scales",
    "leadership-as-hospitality",
    "developmental-pathway",
    "domination-to-partnership",
]


def _past_call(*, steward, network: Group):
    start = timezone.now().replace(minute=30, second=0, microsecond=0) - timedelta(days=21)
    gathering = gathering_create(
        by=steward,
        group=network,
        title="Network call: the five scales",
        description="A teaching on the five scales, then breakouts in threes.",
        kind=Kind.CALL,
        mode=Mode.ONLINE,
        call_link="https://call.example.org/microsolidarity-network",
        starts_at=start,
        ends_at=start + timedelta(minutes=90),
        host_timezone="Europe/Berlin",
    )
    # Occurrences are made from now on; this call was three weeks ago, so make it from then.
    occurrences_materialise(gathering=gathering, now=start - timedelta(minutes=1))
    return gathering.occurrences.get()


def demo_library_load(*, steward, network: Group) -> None:
    report = essays_import(directory=DATA, by=steward)
    if report.errors:
        raise RuntimeError(f"demo essays did not import: {report.errors}")
    essays = {essay.slug: essay.pk for essay in Essay.objects.filter(slug__in=BOOK_ORDER)}
    book = book_create(
        by=steward,
        title="Microsolidarity: a short introduction",
        subtitle="Five essays on belonging at five scales",
        essay_ids=[essays[slug] for slug in BOOK_ORDER],
    )
    # The demo has no worker running yet: build here, so the downloads work at once.
    book_build(book_id=book.pk)
    podcast = podcast_create(
        by=steward,
        title="Microsolidarity Conversations",
        description="Hosts and members talk about crews, congregations and the practice.",
        author="Microsolidarity platform contributors",
        owner_email="podcast@demo.microsolidarity.local",
        artwork=ContentFile(artwork_png(size=1400), name="artwork.png"),
    )
    episode_create(
        by=steward,
        podcast_id=podcast.pk,
        title="What a crew is for",
        audio=ContentFile(tone_wav(seconds=3.0, frequency=392.0), name="crew.wav"),
        show_notes="Why three to six people, and why *often* matters more than *long*.",
        published_at=timezone.now() - timedelta(days=30),
    )
    occurrence = _past_call(steward=steward, network=network)
    episode_create(
        by=steward,
        podcast_id=podcast.pk,
        title="Recorded call: the five scales",
        audio=ContentFile(tone_wav(seconds=4.0, frequency=440.0), name="call.wav"),
        show_notes="The teaching from the network call, without the breakouts.",
        occurrence_id=occurrence.pk,
        published_at=timezone.now() - timedelta(days=20),
    )
    video_create(
        by=steward,
        title="An introduction to microsolidarity",
        url="https://www.youtube.com/watch?v=DEMOvideo01",
        author="Microsolidarity platform contributors",
        description="A short talk introducing the practice (a placeholder link in the demo).",
    )
    reading_list = reading_list_create(
        by=steward,
        owner=network,
        title="Start here",
        slug="start-here",
        description="For anyone joining a crew for the first time.",
    )
    for slug in ("background", "five-scales", "leadership-as-hospitality"):
        reading_item_add(by=steward, reading_list_id=reading_list.pk, essay_id=essays[slug])
    reading_item_add(
        by=steward,
        reading_list_id=reading_list.pk,
        link_url="https://www.youtube.com/@microsolidarity",
        link_title="The video channel",
        note="Talks and recorded calls.",
    )
    # Written as its ISBN-10: the list keeps the ISBN-13 the shelf copy has.
    reading_item_add(
        by=steward,
        reading_list_id=reading_list.pk,
        isbn=isbn_numbers.to_isbn10(SHELF_BOOK_ISBN),
        book_title=SHELF_BOOK_TITLE,
        book_author=dict(BOOKS)[SHELF_BOOK_TITLE],
        note="Borrow it from the shelf of your congregation.",
    )
