"""The member's own data page: the export ZIP and the re-authenticated deletion request."""

import io
import json
import zipfile

from django.core import mail
from django.urls import reverse

from microsolidarity.rights.deletion import pending_deletion


def _files(response) -> dict:
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name: json.loads(archive.read(name)) for name in archive.namelist()}


def test_export_is_a_zip_of_everything_about_me(client, leaver, footprint):
    client.force_login(leaver)

    response = client.get(reverse("rights_export"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "microsolidarity-my-data-" in response["Content-Disposition"]
    files = _files(response)
    assert files["profile.json"]["email"] == leaver.email
    assert files["profile.json"]["town_name"] == "Lisbon, Portugal"
    assert files["availability.json"]["windows"]
    assert {m.get("group") for m in files["memberships.json"]} >= {"Riverside Congregation"}
    assert files["gatherings.json"]["rsvps"][0]["gathering"] == "Tiny circle"
    assert files["gatherings.json"]["poll_answers"][0]["answer"] == "yes"
    assert files["dyads.json"]["check_ins_written"][0]["note"] == "we laughed"
    assert files["crewing.json"]["call_interests"][0]["call"] == "A crew for gardeners"
    assert files["crewing.json"]["retrospectives"][0]["worked"] == "listening"
    assert files["journal.json"]["entries"][0]["text"] == "a private thought"
    assert files["journal.json"]["parts"][0]["name"] == "the planner"


def test_export_holds_nobody_elses_journal(client, leaver, footprint, member):
    from microsolidarity.journal.services import entry_create

    entry_create(author=member, text="not yours to read", prompt="", part_ids=[])
    client.force_login(leaver)

    files = _files(client.get(reverse("rights_export")))

    assert "not yours to read" not in json.dumps(files)


def test_data_pages_need_signing_in(client):
    for name in ("rights_my_data", "rights_export", "rights_account_delete"):
        assert client.get(reverse(name)).status_code == 302


def test_deletion_needs_the_password(client, leaver):
    client.force_login(leaver)

    wrong = client.post(reverse("rights_account_delete"), {"password": "not it"})

    assert wrong.status_code == 200
    assert pending_deletion(leaver) is None
    right = client.post(reverse("rights_account_delete"), {"password": "a-long-test-password"})
    assert right.status_code == 302
    assert pending_deletion(leaver) is not None
    # Signed out: the next page asks to sign in.
    assert client.get(reverse("rights_my_data")).status_code == 302


def test_signing_in_during_the_grace_period_cancels_the_deletion(client, leaver):
    from microsolidarity.rights.deletion import deletion_request

    deletion_request(person=leaver)

    assert client.login(email=leaver.email, password="a-long-test-password")
    assert pending_deletion(leaver) is None


def test_an_account_without_a_password_confirms_with_an_emailed_code(client, leaver):
    leaver.set_unusable_password()
    leaver.save(update_fields=["password"])
    client.force_login(leaver)
    url = reverse("rights_account_delete")

    client.post(url, {"send_code": "1"})
    code = next(word for word in mail.outbox[-1].body.split() if word.isdigit())
    assert client.post(url, {"code": "000000" if code != "000000" else "111111"}).status_code == 200
    assert pending_deletion(leaver) is None
    assert client.post(url, {"code": code}).status_code == 302
    assert pending_deletion(leaver) is not None


def test_my_data_page_shows_a_pending_deletion(client, leaver):
    from datetime import timedelta

    from django.utils import timezone

    from microsolidarity.rights.models import DeletionRequest

    client.force_login(leaver)
    # As an operator would record one: the page's own request signs the person out.
    DeletionRequest.objects.create(person=leaver, due_at=timezone.now() + timedelta(days=3))

    response = client.get(reverse("rights_my_data"))

    assert b"Keep my account" in response.content
    client.post(reverse("rights_delete_cancel"))
    assert pending_deletion(leaver) is None
