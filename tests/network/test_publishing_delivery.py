"""Publishing sends followers only what changed; deliveries retry with backoff and never reach
private addresses outside the allow-list."""

from datetime import timedelta

import pytest
from django.utils import timezone

from microsolidarity.gatherings.models import Gathering
from microsolidarity.network.delivery import deliveries_due, delivery_attempt, delivery_enqueue
from microsolidarity.network.models import Delivery, DeliveryState, Follower, FollowState
from microsolidarity.network.publishing import group_publish
from microsolidarity.network.remote_http import RemoteRefused, destination_check

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed(congregation, fake_remote):
    remote = fake_remote()
    actor = remote.store()
    Follower.objects.create(
        group=congregation, actor=actor, follow_id=f"{remote.uri}#f", state=FollowState.ACCEPTED
    )
    return congregation


def sent_types() -> list[str]:
    return [d.activity["type"] for d in Delivery.objects.order_by("pk")]


def test_create_then_nothing_then_update_then_delete(followed, make_gathering):
    gathering = make_gathering(followed, "Autumn gathering")
    assert group_publish(group_id=followed.pk) == 1
    assert group_publish(group_id=followed.pk) == 0
    gathering.title = "Autumn gathering, new room"
    gathering.save(update_fields=["title"])
    group_publish(group_id=followed.pk)
    Gathering.objects.filter(pk=gathering.pk).update(hidden_at=timezone.now())
    group_publish(group_id=followed.pk)
    assert sent_types() == ["Create", "Update", "Delete"]
    update = Delivery.objects.order_by("pk")[1].activity
    assert update["object"]["name"] == "Autumn gathering, new room"


def test_a_gathering_that_ended_is_let_go_without_a_delete(followed, make_gathering, time_machine):
    make_gathering(followed, "Short one", days=1)
    group_publish(group_id=followed.pk)
    time_machine.move_to(timezone.now() + timedelta(days=3))
    assert group_publish(group_id=followed.pk) == 0
    assert sent_types() == ["Create"]


def test_making_the_congregation_private_withdraws_everything(followed, make_gathering):
    make_gathering(followed, "One")
    make_gathering(followed, "Two", days=12)
    group_publish(group_id=followed.pk)
    followed.visibility = "members"
    followed.save(update_fields=["visibility"])
    group_publish(group_id=followed.pk)
    assert sent_types() == ["Create", "Create", "Delete", "Delete"]


def test_a_cancelled_occurrence_is_sent_as_cancelled(followed, make_gathering):
    gathering = make_gathering(followed, "Maybe")
    group_publish(group_id=followed.pk)
    gathering.occurrences.update(status="cancelled")
    group_publish(group_id=followed.pk)
    update = Delivery.objects.order_by("pk").last().activity
    assert (update["type"], update["object"]["ical:status"]) == ("Update", "CANCELLED")


def test_a_failed_delivery_waits_longer_each_time_then_gives_up(settings):
    settings.FEDERATION_DELIVERY_ATTEMPTS = 3
    # Port 9 on loopback: nobody listens, the connection is refused at once.
    delivery = delivery_enqueue(
        inbox="http://127.0.0.1:9/inbox", activity={"type": "Create"}, signer=None
    )
    before = timezone.now()
    assert delivery_attempt(delivery_id=delivery.pk) == DeliveryState.PENDING
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    assert delivery.next_attempt_at >= before + timedelta(minutes=1)
    assert "could not be reached" in delivery.last_error
    # Not due yet: the sweep leaves it.
    assert deliveries_due() == 0
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert deliveries_due() == 1
    delivery.refresh_from_db()
    assert delivery.next_attempt_at >= timezone.now() + timedelta(minutes=4)
    delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.GAVE_UP, 3)


def test_nothing_is_sent_to_a_blocked_server(staff):
    from microsolidarity.network.services import server_block

    server_block(by=staff, domain="127.0.0.1:9")
    assert delivery_enqueue(inbox="http://127.0.0.1:9/inbox", activity={}, signer=None) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/inbox",
        "https://127.0.0.1/inbox",
        "https://10.0.0.8/inbox",
        "https://192.168.1.1/inbox",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/inbox",
        "https://localhost/inbox",
        "ftp://example.org/inbox",
    ],
)
def test_private_addresses_are_refused_in_production(settings, url):
    settings.FEDERATION_ALLOW_PRIVATE_NETWORKS = []
    with pytest.raises(RemoteRefused):
        destination_check(url)


def test_the_allow_list_opens_only_the_networks_it_names(settings):
    settings.FEDERATION_ALLOW_PRIVATE_NETWORKS = ["127.0.0.0/8"]
    destination_check("http://127.0.0.1:8017/inbox")
    with pytest.raises(RemoteRefused):
        destination_check("https://10.0.0.8/inbox")


def test_a_mistyped_allow_list_stops_the_server_from_starting():
    import os
    import subprocess
    import sys

    env = {**os.environ, "FEDERATION_ALLOW_PRIVATE_NETWORKS": "10.0.0.0/8,not-a-network"}
    done = subprocess.run(
        [sys.executable, "-c", "import microsolidarity.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "FEDERATION_ALLOW_PRIVATE_NETWORKS holds 'not-a-network'" in done.stderr


def test_the_sweep_sends_what_a_bulk_update_changed_and_retries_what_is_due(
    followed, make_gathering
):
    from io import StringIO

    from django.core.management import call_command

    gathering = make_gathering(followed, "Quietly hidden")
    group_publish(group_id=followed.pk)
    # Moderation hides with a bulk update, which sends no signal: the sweep notices.
    Gathering.objects.filter(pk=gathering.pk).update(hidden_at=timezone.now())
    out = StringIO()
    call_command("federation_deliver", stdout=out)
    assert sent_types() == ["Create", "Delete"]
    assert "1 activities queued, 2 deliveries tried" in out.getvalue()
    # Both went to a server that is not there (port 9): they wait for their next try.
    assert set(Delivery.objects.values_list("attempts", "state")) == {(1, DeliveryState.PENDING)}
