"""The one place that turns stored zone names into zones and moments into text."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from microsolidarity.errors import RuleBroken
from microsolidarity.zones import (
    local_to_utc,
    moment_for,
    moment_text,
    person_zone,
    zone_checked,
    zone_named,
)

EVENING = datetime(2026, 6, 1, 16, 0, tzinfo=UTC)


def test_an_unknown_or_empty_zone_name_reads_as_utc():
    assert zone_named("Mars/Olympus").key == "UTC"
    assert zone_named("").key == "UTC"
    assert zone_named(None).key == "UTC"
    assert zone_named("Europe/Paris").key == "Europe/Paris"


def test_a_zone_someone_just_typed_is_refused_with_a_message_naming_it():
    with pytest.raises(RuleBroken, match="Mars/Olympus is not a time zone") as refused:
        zone_checked("Mars/Olympus")
    assert refused.value.field == "timezone"
    assert zone_checked("Asia/Tokyo").key == "Asia/Tokyo"


def test_a_person_reads_in_their_profile_zone_or_a_confirmed_one():
    paris = SimpleNamespace(profile=SimpleNamespace(timezone="Europe/Paris"))
    assert person_zone(paris).key == "Europe/Paris"
    assert person_zone(paris, confirmed="Asia/Tokyo").key == "Asia/Tokyo"


def test_a_person_without_a_profile_or_with_a_stale_zone_reads_in_utc():
    assert person_zone(SimpleNamespace()).key == "UTC"
    stale = SimpleNamespace(profile=SimpleNamespace(timezone="Europe/Atlantis"))
    assert person_zone(stale).key == "UTC"


def test_a_moment_is_written_in_each_members_own_zone():
    paris = SimpleNamespace(profile=SimpleNamespace(timezone="Europe/Paris"))
    tokyo = SimpleNamespace(profile=SimpleNamespace(timezone="Asia/Tokyo"))
    assert moment_for(EVENING, paris) == "Monday 01 June 2026, 18:00 (Europe/Paris)"
    assert moment_for(EVENING, tokyo) == "Tuesday 02 June 2026, 01:00 (Asia/Tokyo)"


def test_the_hosts_hour_is_added_only_when_their_zone_differs_and_exists():
    paris = zone_named("Europe/Paris")
    assert moment_text(EVENING, paris, also="Europe/London").endswith(
        "18:00 (Europe/Paris) = 17:00 Europe/London"
    )
    assert "=" not in moment_text(EVENING, paris, also="Europe/Paris")
    assert "=" not in moment_text(EVENING, paris, also="Nowhere/Else")


def test_a_wall_time_skipped_by_the_clocks_changing_is_refused():
    paris = zone_named("Europe/Paris")
    with pytest.raises(RuleBroken, match="does not exist in Europe/Paris") as refused:
        local_to_utc(datetime(2026, 3, 29, 2, 30), paris, "starts")
    assert refused.value.field == "starts"
    assert local_to_utc(datetime(2026, 6, 1, 18, 0), paris, "starts") == EVENING
