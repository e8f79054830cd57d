"""Essays: stewards write them, pages render safe HTML, and attribution comes with every copy."""

import pytest
from django.urls import reverse

from microsolidarity.errors import Conflict, NotAllowed, RuleBroken
from microsolidarity.library.essays import essay_create, essay_update
from microsolidarity.library.front_matter import essay_file_read
from microsolidarity.library.models import Essay

pytestmark = pytest.mark.django_db


def test_only_stewards_write_essays(member, host):
    for person in (member, host):
        with pytest.raises(NotAllowed):
            essay_create(by=person, slug="", title="T", author="A", licence="CC0-1.0", body="x")


def test_a_steward_writes_an_essay_through_the_site(client, steward):
    client.force_login(steward)
    response = client.post(
        reverse("library_essay_create"),
        {
            "title": "On dyads",
            "author": "Sol Steward",
            "licence": "CC-BY-SA-4.0",
            "language": "en",
            "body": "Two people *checking in*.",
            "translations": "pt https://example.org/pt/duplas",
        },
    )
    essay = Essay.objects.get(slug="on-dyads")
    assert response.status_code == 302 and response.url == essay.get_absolute_url()
    assert essay.created_by == steward
    assert essay.translations == [
        {"language": "pt", "title": "", "url": "https://example.org/pt/duplas"}
    ]


def test_a_member_cannot_open_the_essay_form(client, member):
    client.force_login(member)
    assert client.get(reverse("library_essay_create")).status_code == 403


def test_the_page_carries_the_attribution_and_safe_html(client, make_essay):
    essay = make_essay(
        title="Crews",
        body="A *crew*.<script>alert(1)</script>\n\n[bad](javascript:alert(1)) [ok](https://example.org)",
        author="Ana Example",
        licence="CC-BY-SA-4.0",
        source_url="https://example.org/crews",
    )
    html = client.get(essay.get_absolute_url()).content.decode()
    assert "<em>crew</em>" in html
    assert "<script>alert" not in html
    assert 'href="javascript' not in html
    assert "“Crews” by Ana Example" in html
    assert '<a href="https://example.org/crews">' in html
    assert 'href="https://creativecommons.org/licenses/by-sa/4.0/" rel="license"' in html


def test_other_licences_are_shown_as_they_are(client, make_essay):
    essay = make_essay(title="Quiet", licence="all-rights-reserved")
    html = client.get(essay.get_absolute_url()).content.decode()
    assert "All rights reserved" in html
    assert "Share adaptations under the same licence" not in html


def test_an_essay_written_here_names_this_site_as_its_source(client, make_essay, settings):
    essay = make_essay(title="Home grown")
    html = client.get(essay.get_absolute_url()).content.decode()
    assert f"{settings.SITE_URL}/library/essays/home-grown/" in html


def test_an_adaptation_keeps_a_sharealike_licence_and_names_its_original(client, make_essay):
    original = make_essay(title="Original", licence="CC-BY-SA-4.0", author="First Author")
    with pytest.raises(RuleBroken, match="same licence"):
        make_essay(title="Remix", licence="CC-BY-4.0", derived_from_id=original.pk)
    remix = make_essay(title="Remix", licence="CC-BY-SA-4.0", derived_from_id=original.pk)
    html = client.get(remix.get_absolute_url()).content.decode()
    assert "Adapted from" in html and "“Original” by First Author" in html
    # An original cannot become ShareAlike under an adaptation that does not share alike.
    loose = make_essay(title="Loose", licence="CC-BY-4.0")
    make_essay(title="Loose remix", licence="CC-BY-4.0", derived_from_id=loose.pk)
    with pytest.raises(RuleBroken, match="adapts this essay"):
        essay_update(by=loose.created_by, essay_id=loose.pk, licence="CC-BY-SA-4.0")


def test_an_essay_cannot_be_adapted_from_itself_or_its_own_adaptation(make_essay, steward):
    first = make_essay(title="First")
    second = make_essay(title="Second", derived_from_id=first.pk)
    with pytest.raises(RuleBroken, match="itself"):
        essay_update(by=steward, essay_id=first.pk, derived_from_id=second.pk)


def test_the_markdown_download_reads_back_with_its_attribution(client, make_essay):
    essay = make_essay(title="Round trip", body="# Heading\n\nText.", source_url="https://e.org/a")
    response = client.get(reverse("library_essay_markdown", args=[essay.slug]))
    text = response.content.decode()
    assert response["Content-Disposition"] == 'attachment; filename="round-trip.md"'
    assert "“Round trip” by Sol Steward, from https://e.org/a" in text
    parsed = essay_file_read(text, default_slug="x")
    assert (parsed.slug, parsed.title, parsed.licence) == (
        "round-trip",
        "Round trip",
        "CC-BY-SA-4.0",
    )
    assert parsed.source_url == "https://e.org/a"


def test_a_duplicate_address_is_refused_with_a_message(make_essay):
    make_essay(title="Same")
    with pytest.raises(Conflict, match="already has the address same"):
        make_essay(title="Same")


def test_editing_shows_a_message_on_a_bad_licence_instead_of_losing_the_text(
    client, make_essay, steward
):
    original = make_essay(title="Original")
    remix = make_essay(title="Remix", derived_from_id=original.pk)
    client.force_login(steward)
    response = client.post(
        reverse("library_essay_edit", args=[remix.slug]),
        {
            "title": "Remix",
            "author": "A",
            "licence": "CC0-1.0",
            "language": "en",
            "body": "My long careful text.",
            "derived_from": original.pk,
        },
    )
    assert response.status_code == 200
    assert "keep the same licence" in response.content.decode()
    assert "My long careful text." in response.content.decode()


def test_an_edit_that_does_not_name_the_original_keeps_it(make_essay, steward):
    original = make_essay(title="Original")
    remix = make_essay(title="Remix", derived_from_id=original.pk)
    essay_update(by=steward, essay_id=remix.pk, body="New words.")
    assert Essay.objects.get(pk=remix.pk).derived_from == original
    essay_update(by=steward, essay_id=remix.pk, derived_from_id=None)
    assert Essay.objects.get(pk=remix.pk).derived_from is None
