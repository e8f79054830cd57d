"""The library's pages: they answer, stay within a few queries, and fit a phone's width."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from microsolidarity.library.books import book_create
from microsolidarity.library.podcasts import episode_create
from microsolidarity.library.reading_lists import reading_item_add, reading_list_create
from microsolidarity.library.video_services import video_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(
    steward, make_essay, podcast, wav_bytes, host, congregation, django_capture_on_commit_callbacks
):
    essays = [make_essay(title=f"Essay {n}", body=f"Text {n} about crews.") for n in range(8)]
    with django_capture_on_commit_callbacks(execute=False):
        for n in range(3):
            book_create(by=steward, title=f"Book {n}", essay_ids=[e.pk for e in essays[:5]])
    for n in range(4):
        episode_create(
            by=steward,
            podcast_id=podcast.pk,
            title=f"Episode {n}",
            audio=ContentFile(wav_bytes, name=f"e{n}.wav"),
        )
    for n in range(3):
        video_create(by=steward, title=f"Video {n}", url=f"https://vimeo.com/12345{n}")
    reading_list = reading_list_create(by=host, owner=congregation, title="Start")
    for essay in essays:
        reading_item_add(by=host, reading_list_id=reading_list.pk, essay_id=essay.pk)
    return {"essays": essays, "reading_list": reading_list}


def test_list_pages_take_a_bounded_number_of_queries(
    client, shelf, podcast, django_assert_max_num_queries
):
    pages = [
        reverse("library_home"),
        reverse("library_search") + "?q=crews",
        reverse("library_podcast", args=[podcast.slug]),
        reverse("library_podcast_feed", args=[podcast.slug]),
        reverse("library_book", args=["book-0"]),
        shelf["reading_list"].get_absolute_url(),
        reverse("library_group_reading_lists", args=[shelf["reading_list"].owner.slug]),
    ]
    for url in pages:
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200, url


def test_a_stewards_pages_answer(client, steward, shelf, podcast):
    client.force_login(steward)
    essay = shelf["essays"][0]
    for url in (
        reverse("library_essay_create"),
        reverse("library_essay_edit", args=[essay.slug]),
        reverse("library_book_create"),
        reverse("library_book_edit", args=["book-0"]),
        reverse("library_episode_create", args=[podcast.slug]),
        reverse("library_video_create"),
    ):
        assert client.get(url).status_code == 200, url


def test_a_steward_makes_a_book_and_a_video_through_the_site(
    client, steward, shelf, django_capture_on_commit_callbacks
):
    client.force_login(steward)
    slugs = "\n".join(essay.slug for essay in shelf["essays"][:2])
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("library_book_create"), {"title": "Pair", "language": "en", "essays": slugs}
        )
    assert response.status_code == 302
    missing = client.post(
        reverse("library_book_create"),
        {"title": "Gap", "language": "en", "essays": "no-such-essay"},
    )
    assert "No essay has the address no-such-essay" in missing.content.decode()
    bad_video = client.post(
        reverse("library_video_create"),
        {"title": "V", "url": "https://example.org/clip", "licence": "CC-BY-SA-4.0"},
    )
    assert "YouTube, Vimeo and PeerTube" in bad_video.content.decode()
