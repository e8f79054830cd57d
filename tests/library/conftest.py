"""Fixtures for the library: a steward, essays, a book, a podcast with an episode."""

import pytest
from django.core.files.base import ContentFile


@pytest.fixture(autouse=True)
def media_under_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def steward(make_person, network, staff):
    from microsolidarity.groups.models import Role
    from microsolidarity.groups.services import host_assign, membership_join

    person = make_person("Sol Steward")
    membership_join(person=person, group=network)
    host_assign(by=staff, group=network, person=person, role=Role.STEWARD)
    return person


ESSAY_TEXT = """---
title: Five scales
author: The Example Collective
licence: CC-BY-SA-4.0
source_url: https://essays.example.org/five-scales
date: 2026-01-15
translations:
  - language: pt
    title: Cinco escalas
    url: https://essays.example.org/pt/cinco-escalas
---

# Why scales

Belonging grows at the self, the dyad, the crew, the congregation and the network.

## The crew

A crew of three to six peers meets often and knows each other well.
"""


@pytest.fixture
def essay_folder(tmp_path):
    folder = tmp_path / "essays"
    folder.mkdir()
    (folder / "five-scales.md").write_text(ESSAY_TEXT, encoding="utf-8")
    (folder / "hospitality.md").write_text(
        "---\ntitle: Leadership as hospitality\nauthor: Ana Example\nlicence: CC-BY-4.0\n---\n\n"
        "Hosting is making room for others, and handing the room on.\n",
        encoding="utf-8",
    )
    return folder


@pytest.fixture
def essays(essay_folder):
    from microsolidarity.library.essays import essays_import
    from microsolidarity.library.models import Essay

    report = essays_import(directory=essay_folder)
    assert not report.errors
    return list(Essay.objects.order_by("slug"))


@pytest.fixture
def make_essay(steward):
    from microsolidarity.library.essays import essay_create

    def make(title="An essay", body="Some words about crews.", **values):
        values.setdefault("author", "Sol Steward")
        values.setdefault("licence", "CC-BY-SA-4.0")
        values.setdefault("slug", "")
        return essay_create(by=steward, title=title, body=body, **values)

    return make


@pytest.fixture
def podcast(steward):
    from microsolidarity.demo.library_media import artwork_png
    from microsolidarity.library.podcasts import podcast_create

    return podcast_create(
        by=steward,
        title="Microsolidarity Conversations",
        description="Talks about belonging at five scales.",
        author="The Example Collective",
        owner_email="podcast@example.org",
        artwork=ContentFile(artwork_png(size=1400), name="art.png"),
    )


@pytest.fixture
def wav_bytes():
    from microsolidarity.demo.library_media import tone_wav

    return tone_wav(seconds=1.5)


@pytest.fixture
def episode(steward, podcast, wav_bytes):
    from microsolidarity.library.podcasts import episode_create

    return episode_create(
        by=steward,
        podcast_id=podcast.pk,
        title="On crews",
        show_notes="We talk about **crews**.",
        audio=ContentFile(wav_bytes, name="on-crews.wav"),
    )
