"""A visitor reads the library: essay, book, podcast and a video that loads nothing from its
host until the visitor presses play. Every request the browser makes is recorded."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def library(make_person, network, staff, settings, tmp_path):
    from microsolidarity.demo.library_media import artwork_png, tone_wav
    from microsolidarity.library.book_builds import book_build
    from microsolidarity.library.books import book_create
    from microsolidarity.library.essays import essay_create
    from microsolidarity.library.podcasts import episode_create, podcast_create
    from microsolidarity.library.video_services import video_create

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    essay = essay_create(
        by=staff,
        slug="five-scales",
        title="Five scales",
        author="The Example Collective",
        licence="CC-BY-SA-4.0",
        source_url="https://essays.example.org/five-scales",
        body="# Why scales\n\nBelonging grows at five scales, from the self to the network. "
        "A very-long-unbroken-word-that-should-wrap-on-a-phone-rather-than-scroll-sideways.",
    )
    book = book_create(by=staff, title="The practice", essay_ids=[essay.pk])
    book_build(book_id=book.pk)
    podcast = podcast_create(
        by=staff,
        title="Conversations",
        description="Talks.",
        author="The Example Collective",
        artwork=ContentFile(artwork_png(size=1400), name="art.png"),
    )
    episode_create(
        by=staff,
        podcast_id=podcast.pk,
        title="On crews",
        audio=ContentFile(tone_wav(seconds=1.0), name="a.wav"),
    )
    video = video_create(
        by=staff, title="An introduction", url="https://www.youtube.com/watch?v=abcdefghijk"
    )
    from microsolidarity.library.reading_lists import reading_item_add, reading_list_create

    reading_list = reading_list_create(by=staff, owner=network, title="Start here")
    reading_item_add(by=staff, reading_list_id=reading_list.pk, essay_id=essay.pk)
    return {
        "essay": essay,
        "book": book,
        "podcast": podcast,
        "video": video,
        "reading_list": reading_list,
    }


def _record_requests(page, live_server):
    """Every request, and no request leaves the test: other hosts are answered by an abort."""
    ours = urlsplit(live_server.url).netloc
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if urlsplit(route.request.url).netloc == ours else route.abort()
        ),
    )
    return seen, ours


def test_the_video_loads_nothing_from_its_host_before_a_click(
    new_page, axe_check, live_server, library
):
    page = new_page()
    seen, ours = _record_requests(page, live_server)
    page.goto(library["video"].get_absolute_url())
    page.wait_for_load_state("networkidle")
    axe_check(page)
    assert seen and all(urlsplit(url).netloc == ours for url in seen), seen
    assert page.locator("iframe").count() == 0

    page.get_by_role("button", name=re.compile("Play the video")).click()
    frame = page.locator("iframe")
    expect(frame).to_have_attribute(
        "src", "https://www.youtube-nocookie.com/embed/abcdefghijk?autoplay=1"
    )
    expect(frame).to_have_attribute("title", "An introduction")
    page.wait_for_load_state("networkidle")
    others = {urlsplit(url).netloc for url in seen} - {ours}
    assert others == {"www.youtube-nocookie.com"}


def test_a_visitor_reads_an_essay_a_book_and_the_podcast_on_a_phone(
    new_page, axe_check, live_server, library
):
    page = new_page(viewport={"width": 390, "height": 844})
    seen, ours = _record_requests(page, live_server)
    page.goto("/library/")
    axe_check(page)
    page.get_by_role("link", name="Five scales").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Five scales")
    expect(page.get_by_role("complementary", name="Attribution")).to_contain_text(
        "Creative Commons Attribution-ShareAlike 4.0"
    )
    axe_check(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.goto(library["book"].get_absolute_url())
    expect(page.get_by_role("button", name="EPUB (e-readers)")).to_be_visible()
    axe_check(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.goto("/library/search/?q=belong")
    expect(page.locator("mark").first).to_have_text("Belonging")
    axe_check(page)

    page.goto(library["podcast"].get_absolute_url())
    page.get_by_role("link", name="On crews").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("On crews")
    axe_check(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.goto(library["reading_list"].get_absolute_url())
    expect(page.get_by_role("link", name="Five scales")).to_be_visible()
    axe_check(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert all(urlsplit(url).netloc == ours for url in seen), seen


def test_a_steward_writes_an_essay_in_the_site(new_page, axe_check, verified_person, staff):
    from test_join_journey import sign_in

    from microsolidarity.groups.models import Role
    from microsolidarity.groups.services import group_create, host_assign, membership_join

    steward = verified_person("Sol Steward", "sol@example.org")
    network = group_create(by=staff, name="Steward Network", scale="network", join_policy="open")
    membership_join(person=steward, group=network)
    host_assign(by=staff, group=network, person=steward, role=Role.STEWARD)

    page = new_page()
    sign_in(page, axe_check, "sol@example.org")
    page.goto("/library/")
    page.get_by_role("button", name="Write an essay").click()
    axe_check(page)
    page.get_by_label("Title").fill("On dyads")
    page.get_by_label("Author").fill("Sol Steward")
    page.get_by_label("Text (Markdown)").fill("Two people *checking in*, every week.")
    page.get_by_role("button", name="Save essay").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("On dyads")
    expect(page.get_by_role("complementary", name="Attribution")).to_contain_text(
        "“On dyads” by Sol Steward"
    )
    axe_check(page)
    # The stewards' other forms are scanned too.
    for form in ("/library/books/new/", "/library/videos/new/"):
        assert page.goto(form).status == 200
        axe_check(page)
