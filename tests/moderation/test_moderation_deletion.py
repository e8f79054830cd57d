"""Deleting an account leaves neither its email nor its name in moderation's tables."""

from io import StringIO

from django.core.management import call_command

from microsolidarity.moderation.models import ActionKind
from microsolidarity.moderation.services import action_take, response_create
from microsolidarity.rights.deletion import account_delete


def test_deleted_persons_email_is_not_kept_by_moderation(
    host, member, other_member, congregation, report
):
    action = action_take(
        by=host, group=congregation, person=other_member, kind=ActionKind.PAUSE, reason="x"
    )
    response_create(person=other_member, action=action, text="My side.")
    email = other_member.email
    account_delete(person_id=other_member.pk, force=True)
    account_delete(person_id=member.pk, force=True)
    out = StringIO()
    call_command("dumpdata", "moderation", stdout=out)
    assert email not in out.getvalue()
    assert "Oli Other" not in out.getvalue()
