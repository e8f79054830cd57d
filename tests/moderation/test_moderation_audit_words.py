"""The audit log reads as sentences: who did what to which content or person."""

from html import unescape

from django.urls import reverse

from microsolidarity.moderation.audit_words import audit_lines
from microsolidarity.moderation.models import ActionKind, AuditEntry, ContentKind
from microsolidarity.moderation.services import action_reverse, action_take, report_dismiss


def _sentences(group) -> list[str]:
    entries = AuditEntry.objects.filter(group=group).order_by("created_at", "pk")
    return [line.sentence for line in audit_lines(entries)]


def test_hiding_a_crew_call_reads_as_a_sentence_with_its_title(
    hide, crew_call, congregation, host, member
):
    action = hide(ContentKind.CREW_CALL, crew_call)
    action_reverse(by=host, action=action, note="We talked it through.")

    assert _sentences(congregation) == [
        f"{member.public_name} reported the crew call “{crew_call}”",
        f"{host.public_name} hid the crew call “{crew_call}”",
        f"{host.public_name} showed the crew call “{crew_call}” again",
    ]


def test_steps_about_people_name_them_and_never_their_address(
    congregation, host, other_member, report
):
    action = action_take(
        by=host, group=congregation, person=other_member, kind=ActionKind.PAUSE, reason="Rest."
    )
    report_dismiss(by=host, report=report, note="Sorted out.")

    sentences = _sentences(congregation)

    assert f"{host.public_name} paused the membership of {other_member.public_name}" in sentences
    assert f"{host.public_name} dismissed the report about {other_member.public_name}" in sentences
    assert not any("@" in sentence for sentence in sentences)
    assert action.kind not in " ".join(sentences).split()


def test_the_log_page_shows_the_sentences_and_written_notes_not_codes(
    client, hide, crew_call, congregation, host
):
    hide(ContentKind.CREW_CALL, crew_call)
    client.force_login(host)

    page = unescape(
        client.get(reverse("moderation_log", args=[congregation.slug])).content.decode()
    )

    assert f"{host.public_name} hid the crew call “{crew_call}”" in page
    assert f"crew_call {crew_call.pk}" not in page
    assert "Action taken" not in page
