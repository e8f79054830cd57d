"""Each kind by email each time, in a daily digest, or only in the list, as each person chose."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from microsolidarity.notifications.emails import digests_send
from microsolidarity.notifications.models import Delivery, Kind, Notification
from microsolidarity.notifications.preferences import preferences_get, preferences_set
from microsolidarity.notifications.services import (
    emails_held,
    notification_open,
    notifications_mark_read,
    notify,
)

# 09:00 in Lisbon (UTC in winter), 18:00 in Tokyo.
MORNING = datetime(2031, 1, 15, 9, 0, tzinfo=UTC)


@pytest.fixture
def ana(make_person):
    return make_person("Ana", email="ana@example.org", timezone="Europe/Lisbon")


@pytest.fixture
def ben(make_person):
    return make_person("Ben", email="ben@example.org", timezone="Europe/Lisbon")


def tell(people, kind=Kind.POLL_OPENED, text="Something happened", actor=None, link="/groups/"):
    return notify(people=people, kind=kind, text=text, link=link, actor=actor)


def test_the_actor_and_closed_accounts_are_never_told(ana, ben, make_person):
    closed = make_person("Cy Closed")
    closed.is_active = False
    closed.save(update_fields=["is_active"])

    rows = tell([ana, ben, closed], actor=ben)

    assert [row.person_id for row in rows] == [ana.pk]
    ana.refresh_from_db()
    ben.refresh_from_db()
    assert (ana.notifications_unread, ben.notifications_unread) == (1, 0)


def test_a_link_that_leaves_the_site_is_dropped(ana):
    (row,) = tell([ana], link="https://elsewhere.example/phish")
    (other,) = tell([ana], link="//elsewhere.example/")

    assert (row.link, other.link) == ("", "")


def test_join_requests_are_emailed_each_time_by_default_and_polls_wait_for_the_digest(
    ana, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tell([ana], kind=Kind.JOIN_REQUEST, text="Ari asks to join")
        tell([ana], kind=Kind.POLL_OPENED, text="A poll opens")

    assert [message.subject for message in mail.outbox] == ["Ari asks to join"]
    assert preferences_get(ana)[Kind.POLL_OPENED] == Delivery.DIGEST


def test_off_means_only_the_list_and_each_time_means_an_email(
    ana, ben, django_capture_on_commit_callbacks
):
    preferences_set(person=ana, choices={Kind.JOIN_REQUEST: Delivery.OFF})
    preferences_set(person=ben, choices={Kind.POLL_OPENED: Delivery.EVENT})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tell([ana, ben], kind=Kind.JOIN_REQUEST, text="Ari asks to join")
        tell([ana, ben], kind=Kind.POLL_OPENED, text="A poll opens")

    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("ben@example.org", "A poll opens"),
        ("ben@example.org", "Ari asks to join"),
    ]
    assert Notification.objects.filter(person=ana).count() == 2


def test_choosing_the_default_again_keeps_no_row(ana):
    preferences_set(person=ana, choices={Kind.POLL_OPENED: Delivery.OFF})
    preferences_set(person=ana, choices={Kind.POLL_OPENED: Delivery.DIGEST})

    assert not ana.notification_preferences.exists()


def test_an_email_each_time_is_sent_once_even_if_the_task_runs_twice(ana):
    from microsolidarity.notifications.emails import notification_email_send

    (row,) = tell([ana], kind=Kind.JOIN_REQUEST)
    mail.outbox.clear()

    assert notification_email_send(notification_id=row.pk) == 1
    assert notification_email_send(notification_id=row.pk) == 0
    assert len(mail.outbox) == 1


def test_the_digest_gathers_the_days_news_in_one_email_once_a_day(ana, ben, time_machine):
    time_machine.move_to(MORNING - timedelta(hours=3), tick=False)
    tell([ana, ben], text="A poll opens in Riverside")
    tell([ana], text="Kit is interested in your call", kind=Kind.CALL_INTEREST)
    tell([ana], text="Ari asks to join", kind=Kind.JOIN_REQUEST)
    mail.outbox.clear()

    time_machine.move_to(MORNING, tick=False)
    assert digests_send() == 2
    assert digests_send() == 0

    (to_ana,) = [m for m in mail.outbox if m.to == ["ana@example.org"]]
    assert "A poll opens in Riverside" in to_ana.body
    assert "Kit is interested in your call" in to_ana.body
    assert "Ari asks to join" not in to_ana.body  # an email each time, not the digest's
    assert "Wednesday 15 January 2031, 06:00 (Europe/Lisbon)" in to_ana.body


def test_the_digest_waits_for_the_readers_own_morning(make_person, time_machine):
    early = make_person("Eve", email="eve@example.org", timezone="America/New_York")
    time_machine.move_to(MORNING - timedelta(hours=1), tick=False)
    tell([early])
    mail.outbox.clear()

    time_machine.move_to(MORNING, tick=False)  # 04:00 in New York
    assert digests_send() == 0
    time_machine.move_to(MORNING + timedelta(hours=5), tick=False)  # 09:00
    assert digests_send() == 1
    assert mail.outbox[-1].to == ["eve@example.org"]


def test_news_after_the_days_digest_waits_for_tomorrows(ana, time_machine):
    time_machine.move_to(MORNING, tick=False)
    tell([ana], text="First")
    assert digests_send() == 1
    time_machine.move_to(MORNING + timedelta(hours=2), tick=False)
    tell([ana], text="Second")

    assert digests_send() == 0
    time_machine.move_to(MORNING + timedelta(days=1), tick=False)
    assert digests_send() == 1
    assert "Second" in mail.outbox[-1].body and "First" not in mail.outbox[-1].body


def test_news_by_email_off_is_never_in_a_digest(ana, time_machine):
    preferences_set(person=ana, choices={Kind.POLL_OPENED: Delivery.OFF})
    time_machine.move_to(MORNING, tick=False)
    tell([ana])
    mail.outbox.clear()

    assert digests_send() == 0
    assert mail.outbox == []


def test_the_digest_command_reports_what_it_sent(ana, time_machine, capsys):
    time_machine.move_to(MORNING, tick=False)
    tell([ana])

    call_command("send_notification_digests")

    assert "1 digests sent" in capsys.readouterr().out


def test_reading_one_or_all_keeps_the_count_right(ana):
    first, second, _third = (tell([ana], text=str(n))[0] for n in range(3))

    notification_open(person=ana, notification_id=first.pk)
    ana.refresh_from_db()
    assert ana.notifications_unread == 2
    assert notifications_mark_read(person=ana, ids=[second.pk]) == 1
    assert notifications_mark_read(person=ana) == 0
    ana.refresh_from_db()
    assert ana.notifications_unread == 0
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_nobody_opens_or_reads_someone_elses(ana, ben):
    (row,) = tell([ana])

    with pytest.raises(Notification.DoesNotExist):
        notification_open(person=ben, notification_id=row.pk)
    assert notifications_mark_read(person=ben, ids=[row.pk]) == 0
    assert Notification.objects.get(pk=row.pk).read_at is None


def test_held_emails_are_recorded_but_never_queued(ana, django_capture_on_commit_callbacks):
    """The demo writes a past nobody lived (and marks it emailed): no task is queued for it."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as queued:
        with emails_held():
            (row,) = tell([ana], kind=Kind.JOIN_REQUEST, text="Ari asks to join")
        tell([ana], kind=Kind.JOIN_REQUEST, text="Bo asks to join")

    assert row.pk is not None
    assert len(queued) == 1
    assert [message.subject for message in mail.outbox] == ["Bo asks to join"]


@pytest.mark.django_db(transaction=True)
def test_loading_the_demo_queues_no_notification_email():
    from django_tasks_db.models import DBTaskResult

    from microsolidarity.demo.network import demo_network_load

    demo_network_load()

    assert Notification.objects.exists()
    assert not DBTaskResult.objects.filter(task_path__endswith="notification_email").exists()
