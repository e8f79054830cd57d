"""Languages are named by code or English name, offline."""

import pytest

from microsolidarity.people.languages import language_code, language_label


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("de", "de"),
        ("German", "de"),
        ("  gERMAN ", "de"),
        ("pt", "pt"),
        ("Chinese", "zh"),
        ("zh", "zh"),
        ("Tagalog", "tl"),
        ("Yoruba", "yo"),
        ("Persian", "fa"),
    ],
)
def test_a_language_is_known_by_code_or_english_name(text, code):
    assert language_code(text) == code


@pytest.mark.parametrize("text", ["Klingon", "", "pt-br", "english!"])
def test_an_unknown_language_is_none(text):
    assert language_code(text) is None


def test_a_code_reads_as_its_english_name():
    assert language_label("zh") == "Chinese"
    assert language_label("de") == "German"
    assert language_label("qq") == "qq"
