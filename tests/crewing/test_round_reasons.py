"""Every reason the engine can give has words on the round page, and the change offered too."""

from typing import get_args

import pytest

from microsolidarity.crewing.round_reasons import change_words, reason_words
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
