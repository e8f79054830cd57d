"""API tokens are stored as HMAC-SHA256 keyed from SECRET_KEY, and survive a key rotation."""

import hashlib
import importlib

import pytest
from django.apps import apps
from django.utils.crypto import salted_hmac

from microsolidarity.people.models import ApiToken
from microsolidarity.people.services import token_authenticate, token_create

pytestmark = pytest.mark.django_db


def test_the_stored_digest_depends_on_the_secret_key(make_person, settings):
    from microsolidarity.people.tokens import token_digest

    _token, raw = token_create(person=make_person(), name="script")
    stored = ApiToken.objects.get().key_hash

    settings.SECRET_KEY = "another-site-" + "k" * 50
    _token, made_elsewhere = token_create(person=make_person(), name="script")

    assert len(stored) == 64
    # The same token, hashed under the other key, is not what was stored.
    assert token_digest(raw) != stored
    # A database copied to a site with another key gives nothing that checks there.
    assert token_authenticate(raw) is None
    assert token_authenticate(made_elsewhere) is not None


def test_a_token_made_before_a_key_rotation_still_works_and_is_rehashed(make_person, settings):
    person = make_person()
    old_key = settings.SECRET_KEY
    _token, raw = token_create(person=person, name="script")
    before = ApiToken.objects.get().key_hash

    settings.SECRET_KEY = "rotated-" + "r" * 50
    settings.SECRET_KEY_FALLBACKS = [old_key]

    assert token_authenticate(raw) == person
    after = ApiToken.objects.get().key_hash
    assert after != before
    settings.SECRET_KEY_FALLBACKS = []
    assert token_authenticate(raw) == person


def test_the_migration_rehashes_plain_sha256_digests_so_old_tokens_keep_working(
    make_person, settings
):
    person = make_person()
    raw = "ms_" + "a" * 43
    ApiToken.objects.create(
        person=person,
        name="old",
        prefix=raw[:10],
        key_hash=hashlib.sha256(raw.encode()).hexdigest(),
    )
    assert token_authenticate(raw) is None

    migration = importlib.import_module(
        "microsolidarity.people.migrations.0002_api_token_keyed_hash"
    )
    migration.rehash_with_the_site_key(apps, None)

    assert token_authenticate(raw) == person
    assert (
        ApiToken.objects.get().key_hash
        == salted_hmac(
            "microsolidarity.people.ApiToken",
            hashlib.sha256(raw.encode()).hexdigest(),
            algorithm="sha256",
        ).hexdigest()
    )
