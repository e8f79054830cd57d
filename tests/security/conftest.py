"""Abuse limits are off in the suite; these fixtures switch them on, with an empty cache."""

import pytest
from django.core.cache import cache, caches


@pytest.fixture
def limits_on(settings):
    from microsolidarity import settings as project

    settings.RATE_LIMITS_ENABLED = True
    settings.RATELIMIT_ENABLE = True
    settings.ACCOUNT_RATE_LIMITS = project.SIGN_IN_RATE_LIMITS
    for each in (cache, caches["limits"]):
        each.clear()
    yield settings
    for each in (cache, caches["limits"]):
        each.clear()


@pytest.fixture
def verified_person(make_person):
    from allauth.account.models import EmailAddress

    def make(email: str, password: str = "a-long-test-password"):
        person = make_person(email=email, password=password)
        EmailAddress.objects.create(user=person, email=email, verified=True, primary=True)
        return person

    return make


@pytest.fixture(autouse=True)
def _quick(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(make_person, network, congregation, host, member, staff, settings):
    """One of everything the routes name, each related to the matrix's roles."""
    from matrix_world import build_world

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    return build_world(
        make_person=make_person,
        network=network,
        congregation=congregation,
        host=host,
        member=member,
        staff=staff,
    )
