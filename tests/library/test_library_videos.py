"""Video links: the player address is derived from the video's address, and the page loads
nothing from the host before a click (the browser test watches the requests)."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from microsolidarity.errors import RuleBroken
from microsolidarity.library.video_services import video_create
from microsolidarity.library.videos import video_embed


@pytest.mark.parametrize(
    ("url", "provider", "embed"),
    [
        (
            "https://www.youtube.com/watch?v=abcdefghijk",
            "youtube",
            "https://www.youtube-nocookie.com/embed/abcdefghijk?autoplay=1",
        ),
        (
            "https://youtu.be/abcdefghijk?t=30",
            "youtube",
            "https://www.youtube-nocookie.com/embed/abcdefghijk?autoplay=1",
        ),
        (
            "https://m.youtube.com/shorts/abc_efg-ijk",
            "youtube",
            "https://www.youtube-nocookie.com/embed/abc_efg-ijk?autoplay=1",
        ),
        (
            "https://vimeo.com/123456789",
            "vimeo",
            "https://player.vimeo.com/video/123456789?dnt=1&autoplay=1",
        ),
        (
            "https://tube.example.org/w/9c9de5e8-0a1e-484a-b099-e80766180a6d",
            "peertube",
            "https://tube.example.org/videos/embed/9c9de5e8-0a1e-484a-b099-e80766180a6d?autoplay=1",
        ),
    ],
)
def test_video_addresses_become_privacy_minded_players(url, provider, embed):
    found = video_embed(url)
    assert (found.provider, found.embed_url) == (provider, embed)


@pytest.mark.parametrize(
    "url",
    [
        "http://www.youtube.com/watch?v=abcdefghijk",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/@channel",
        "https://vimeo.com/channels/staff",
        "https://example.org/some/page",
        "javascript:alert(1)",
        "",
    ],
)
def test_other_addresses_are_refused_with_a_message(url):
    with pytest.raises(RuleBroken) as caught:
        video_embed(url)
    assert caught.value.field == "url"


@given(st.text(max_size=80))
def test_any_text_either_gives_an_https_player_or_a_readable_refusal(text):
    try:
        found = video_embed(text)
    except RuleBroken as error:
        assert error.message
    else:
        assert found.embed_url.startswith("https://")
        assert '"' not in found.embed_url and "<" not in found.embed_url


@pytest.mark.django_db
def test_the_page_allows_only_that_player_as_a_frame_and_holds_no_frame_yet(client, steward):
    video = video_create(by=steward, title="Intro", url="https://vimeo.com/123456789")
    response = client.get(reverse("library_video", args=[video.slug]))
    policy = response["Content-Security-Policy"]
    assert "frame-src https://player.vimeo.com;" in policy + ";"
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    html = response.content.decode()
    assert "<iframe" not in html
    assert 'data-embed="https://player.vimeo.com/video/123456789?dnt=1&amp;autoplay=1"' in html


@pytest.mark.django_db
def test_other_pages_keep_frames_forbidden(client):
    policy = client.get(reverse("library_home"))["Content-Security-Policy"]
    assert "frame-src" not in policy and "default-src 'self'" in policy
