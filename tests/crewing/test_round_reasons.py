"""Every reason the engine can give has words on the round page, and the change offered too."""

from typing import get_args

import pytest

from microsolidarity.crewing.round_reasons import (
    TAKEN_OUT,
    change_words,
    change_words_to_you,
    reason_words,
    reason_words_to_you,
)
from microsolidarity.matching.model import UnplacedCode


@pytest.mark.parametrize("code", get_args(UnplacedCode))
def test_every_engine_reason_code_has_words(code):
    detail = {"minutes": 60, "count": 4, "min_size": 3, "names": ["Ana", "Bo"]}
    words = reason_words(code, detail)
    assert words and words.endswith(".")
    assert "%(" not in words


def test_the_change_offered_names_the_window_or_language_or_crew_size():
    window = {"kind": "window", "people": 5, "window_local": "tue 18:00-19:00"}
    assert "tue 18:00-19:00" in change_words({"change": window})
    assert "5 possible crew-mates" in change_words({"change": window})
    language = {"kind": "language", "people": 2, "language": "es"}
    assert "2 possible crew-mates" in change_words({"change": language})
    larger = {"kind": "larger_crew", "max_size": 7}
    assert "7" in change_words({"change": larger})
    assert change_words({}) == ""


def test_an_unknown_code_gives_no_words_so_the_stored_text_is_shown():
    assert reason_words("something_new", {}) == ""


@pytest.mark.parametrize("code", [*get_args(UnplacedCode), TAKEN_OUT])
def test_the_person_left_out_reads_every_reason_as_you(code):
    detail = {"minutes": 60, "count": 4, "min_size": 3, "names": ["Ana", "Bo"]}
    words = reason_words_to_you(code, detail)
    assert words and words.endswith(".")
    assert "%(" not in words
    assert "you" in words.lower().split() or "your" in words.lower()
    assert "they" not in words.lower().split() and "their" not in words.lower()


def test_the_person_is_never_told_someone_must_be_kept_apart_from_them():
    detail = {"minutes": 60, "count": 1, "min_size": 3, "names": ["Ana"]}
    for code in get_args(UnplacedCode):
        assert "apart" not in reason_words_to_you(code, detail)


def test_the_change_that_would_place_them_is_said_to_them():
    window = {"kind": "window", "people": 5, "window_local": "tue 18:00-19:00"}
    assert change_words_to_you({"change": window}) == (
        "If you could also be free tue 18:00-19:00 (your time), 5 people you could meet "
        "with are free then."
    )
    one = {"kind": "language", "people": 1, "language": "es"}
    assert "1 person who shares your time speaks it" in change_words_to_you({"change": one})
    larger = {"kind": "larger_crew", "max_size": 7}
    assert "up to 7 people would have had room for you" in change_words_to_you({"change": larger})
    assert change_words_to_you({}) == ""


def test_a_host_taking_someone_out_has_words_for_the_host_page_too():
    assert reason_words(TAKEN_OUT, {}) == "Taken out of the proposal by a host."
