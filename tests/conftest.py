"""Fixtures shared by the whole suite: people and a small network of groups."""

import itertools

import pytest

_emails = itertools.count(1)

# What gives a test the database. pytest-django refuses any other access ("Database access not
# allowed"), so a test that passes without one of these never touched the database.
DATABASE_FIXTURES = {
    "_django_db_helper",
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "django_db_setup",
    "live_server",
}


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="only the tests that use the database or are marked postgres (make test-postgres)",
    )


def _uses_the_database(item) -> bool:
    if item.get_closest_marker("django_db") or item.get_closest_marker("postgres"):
        return True
    return bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config, items):
    """The PostgreSQL run leaves out what cannot differ there: tests without the database.

    Tests that start a site of their own in a subprocess give it a SQLite file of their own, so
    they too are the same on either run.
    """
    if not config.getoption("--database-tests-only"):
        return
    left_out = [item for item in items if not _uses_the_database(item)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if _uses_the_database(item)]


@pytest.fixture
def make_person(db):
    """Make a person with a profile: make_person(display_name="Ana", timezone="Europe/Lisbon")."""
    from microsolidarity.people.services import person_create

    def make(
        display_name: str = "", email: str = "", password: str = "a-long-test-password", **profile
    ):
        number = next(_emails)
        person = person_create(
            email=email or f"person{number}@example.org",
            password=password,
            display_name=display_name or f"Person {number}",
        )
        if profile:
            for key, value in profile.items():
                setattr(person.profile, key, value)
            person.profile.save()
        return person

    return make


@pytest.fixture
def staff(make_person):
    person = make_person("Operator")
    person.is_staff = True
    person.save(update_fields=["is_staff"])
    return person


@pytest.fixture
def host(make_person):
    """Hosts the network and the congregation."""
    return make_person("Hana Host")


@pytest.fixture
def network(host, staff):
    from microsolidarity.groups.models import JoinPolicy, Scale
    from microsolidarity.groups.services import group_create, host_assign, membership_join

    group = group_create(
        by=staff, name="Test Network", scale=Scale.NETWORK, join_policy=JoinPolicy.OPEN
    )
    membership_join(person=host, group=group)
    host_assign(by=staff, group=group, person=host)
    return group


@pytest.fixture
def congregation(network, host):
    """A public congregation that takes requests, hosted by `host`."""
    from microsolidarity.groups.models import JoinPolicy, Scale
    from microsolidarity.groups.services import group_create

    return group_create(
        by=host,
        name="Riverside Congregation",
        scale=Scale.CONGREGATION,
        parent=network,
        join_policy=JoinPolicy.REQUEST,
    )


@pytest.fixture
def member(make_person, congregation, host):
    """An active member of `congregation`."""
    from microsolidarity.groups.services import membership_approve, membership_request

    person = make_person("Mo Member")
    result = membership_request(person=person, group=congregation)
    membership_approve(by=host, membership=result.membership)
    return person
