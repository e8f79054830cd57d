"""Account deletion: grace period, cancelling by signing in, and nothing left behind."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from microsolidarity.errors import RuleBroken
from microsolidarity.rights.deletion import (
    FORMER_MEMBER,
    account_delete,
    deletion_cancel,
    deletion_request,
    deletions_carry_out,
)

LEAVER_EMAIL = "zelda.quill-7731@example.org"  # as in conftest.py
LEAVER_NAME = "Zelda Quillfeather"


def _raw_rows_containing(needle: str) -> list[str]:
    """Every row of every table, read with plain SQL, that holds the needle anywhere."""
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                if needle.lower() in repr(row).lower():
                    hits.append(f"{table}: {row!r}")
    return hits


def _dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


def test_deletion_waits_for_the_grace_period(leaver, settings):
    settings.ACCOUNT_DELETION_GRACE_DAYS = 14
    now = timezone.now()
    pending = deletion_request(person=leaver, now=now)

    assert pending.due_at == now + timedelta(days=14)
    assert deletions_carry_out(now=now + timedelta(days=13)) == []
    with pytest.raises(RuleBroken):
        account_delete(person_id=leaver.pk, now=now + timedelta(days=13))
    leaver.refresh_from_db()
    assert leaver.email == LEAVER_EMAIL


def test_asking_twice_keeps_the_first_date(leaver):
    first = deletion_request(person=leaver)
    assert deletion_request(person=leaver).pk == first.pk


def test_cancelled_deletion_is_never_carried_out(leaver):
    now = timezone.now()
    deletion_request(person=leaver, now=now)
    assert deletion_cancel(person=leaver) is True

    assert deletions_carry_out(now=now + timedelta(days=30)) == []
    leaver.refresh_from_db()
    assert leaver.is_active and leaver.email == LEAVER_EMAIL


def test_after_deletion_email_and_name_appear_nowhere_in_a_dump(leaver, footprint):
    assert _raw_rows_containing(LEAVER_EMAIL)  # the scan does see them beforehand
    assert LEAVER_NAME in _dump()
    now = timezone.now()
    deletion_request(person=leaver, now=now)

    reports = deletions_carry_out(now=now + timedelta(days=15))

    assert [report.person_id for report in reports] == [leaver.pk]
    dump = _dump()
    for needle in (LEAVER_EMAIL, LEAVER_NAME, "Zelda", "zelda.quill"):
        lines = dump.replace("}}, {", "}}\n{").splitlines()
        assert [line for line in lines if needle.lower() in line.lower()] == []
        assert _raw_rows_containing(needle) == []


def test_deletion_frees_the_seat_and_promotes_the_waitlist(leaver, footprint, mailoutbox):
    from microsolidarity.gatherings.models import Rsvp, RsvpState

    occurrence, waiting = footprint["occurrence"], footprint["waiting"]
    assert Rsvp.objects.get(occurrence=occurrence, person=waiting).state == RsvpState.WAITLISTED

    account_delete(person_id=leaver.pk, force=True)

    assert Rsvp.objects.get(occurrence=occurrence, person=waiting).state == RsvpState.GOING
    assert not Rsvp.objects.filter(person=leaver).exists()


def test_deletion_removes_personal_data_and_keeps_shared_content(leaver, footprint):
    from allauth.account.models import EmailAddress

    from microsolidarity.crewing.models import CallInterest, Retrospective
    from microsolidarity.dyads.models import CheckIn
    from microsolidarity.gatherings.models import PollAnswer
    from microsolidarity.groups.models import Membership, MembershipState
    from microsolidarity.journal.models import Entry, Part
    from microsolidarity.people.models import ApiToken, Person

    report = account_delete(person_id=leaver.pk, force=True)

    person = Person.objects.get(pk=leaver.pk)
    assert str(person) == FORMER_MEMBER
    assert not person.is_active and not person.has_usable_password()
    assert person.profile.town_name == "" and person.profile.availability == ""
    assert not Entry.objects.filter(author=person).exists()
    assert not Part.objects.filter(author=person).exists()
    assert report.journal_entries == 1 and report.journal_parts == 1
    assert not ApiToken.objects.filter(person=person).exists()
    assert not EmailAddress.objects.filter(user=person).exists()
    assert not CallInterest.objects.filter(person=person).exists()
    assert not Retrospective.objects.filter(person=person).exists()
    assert set(Membership.objects.filter(person=person).values_list("state", flat=True)) == {
        MembershipState.ALUMNI
    }
    # What the partner sees stays, by "a former member".
    check_in = CheckIn.objects.get(group=footprint["dyad"])
    assert check_in.note == "we laughed" and str(check_in.author) == FORMER_MEMBER
    footprint["dyad"].refresh_from_db()
    assert LEAVER_NAME not in footprint["dyad"].name
    assert PollAnswer.objects.filter(person=person).count() == 1


def test_a_leaving_host_hands_hosting_on(make_person, congregation, host):
    from microsolidarity.groups.models import Membership

    member = make_person("Next In Line")
    from microsolidarity.groups.services import membership_approve, membership_request

    membership_approve(
        by=host, membership=membership_request(person=member, group=congregation).membership
    )

    account_delete(person_id=host.pk, force=True)

    assert Membership.objects.get(person=member, group=congregation).is_hosting()


def test_deletion_ends_the_persons_sessions(client, leaver):
    client.force_login(leaver)
    assert client.get("/me/data/").status_code == 200

    account_delete(person_id=leaver.pk, force=True)

    response = client.get("/me/data/")
    assert response.status_code == 302


def test_command_deletes_due_accounts(leaver):
    deletion_request(person=leaver, now=timezone.now() - timedelta(days=30))
    out = io.StringIO()

    call_command("delete_due_accounts", stdout=out)

    assert "1 account(s) deleted." in out.getvalue()
    leaver.refresh_from_db()
    assert leaver.email != LEAVER_EMAIL


def test_a_dyad_named_with_an_unanswered_invitation_loses_the_name(leaver, make_person):
    from microsolidarity.groups.models import Group, Membership, MembershipState
    from microsolidarity.groups.services import dyad_create

    inviter = make_person("Yusuf Inviter")
    dyad = dyad_create(by=inviter, partner=leaver, invite=True)
    assert LEAVER_NAME in dyad.name and "zelda" in dyad.slug
    assert Membership.objects.get(group=dyad, person=leaver).state == MembershipState.INVITED

    account_delete(person_id=leaver.pk, force=True)

    dyad = Group.objects.get(pk=dyad.pk)
    assert LEAVER_NAME not in dyad.name and "Zelda" not in dyad.name
    assert "zelda" not in dyad.slug and "quillfeather" not in dyad.slug
    assert FORMER_MEMBER in dyad.name
    assert not Membership.objects.filter(group=dyad, person=leaver).exists()


def test_asking_to_delete_ends_the_persons_api_tokens_at_once(client, leaver):
    from microsolidarity.people.services import token_create

    _token, raw = token_create(person=leaver, name="script")
    bearer = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/me", headers=bearer).status_code == 200

    deletion_request(person=leaver)

    answer = client.get("/api/v1/me", headers=bearer)
    assert answer.status_code == 401
    assert answer.json()["detail"]
