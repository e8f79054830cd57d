"""`path_for` gives the address reverse() gives, for every shape of argument and prefix."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from microsolidarity.paths import path_for

CASES = [
    ("group_detail", ["circle-987654321"]),
    ("group_detail", ["98765432"]),
    ("person_detail", [7]),
    ("gathering_detail", ["full-moon_walk"]),
    ("occurrence_detail", ["full-moon-walk", 12]),
    ("poll_detail", [3]),
    ("group_membership_manage", ["crew-9876543210", 98765431]),
]


@pytest.mark.parametrize(("name", "args"), CASES)
def test_path_for_equals_reverse(name, args):
    assert path_for(name, *args) == reverse(name, args=args)


@pytest.mark.parametrize("prefix", ["/", "/community/"])
def test_path_for_follows_the_script_prefix(prefix):
    set_script_prefix(prefix)
    try:
        assert path_for("group_detail", "garden") == reverse("group_detail", args=["garden"])
        assert path_for("group_detail", "garden").startswith(prefix)
    finally:
        set_script_prefix("/")


def test_an_argument_reverse_would_refuse_is_still_refused():
    with pytest.raises(NoReverseMatch):
        path_for("group_detail", "")
    with pytest.raises(NoReverseMatch):
        path_for("group_detail", "two words")
