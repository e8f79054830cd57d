"""Sealing: text round-trips for its author only; keys rotate; failures carry no content."""

import pytest

from microsolidarity.journal.sealing import SealBroken, needs_reseal, open_sealed, seal

TEXT = "a part of me that wants to rest"


def test_sealed_text_opens_for_its_author():
    sealed = seal(TEXT, author_id=7)
    assert TEXT not in sealed
    assert sealed.startswith("v1.")
    assert open_sealed(sealed, author_id=7) == TEXT


def test_the_same_text_seals_differently_each_time():
    assert seal(TEXT, author_id=7) != seal(TEXT, author_id=7)


def test_a_sealed_value_moved_to_another_author_does_not_open():
    with pytest.raises(SealBroken) as error:
        open_sealed(seal(TEXT, author_id=7), author_id=8)
    assert TEXT not in str(error.value)


def test_an_altered_value_does_not_open():
    sealed = seal(TEXT, author_id=7)
    tampered = sealed[:-3] + ("A" if sealed[-3] != "A" else "B") + sealed[-2:]
    with pytest.raises(SealBroken):
        open_sealed(tampered, author_id=7)


def test_journal_key_is_used_when_set_and_old_keys_still_open(settings):
    old = seal(TEXT, author_id=1)
    settings.JOURNAL_KEY = "a-dedicated-journal-key-" + "x" * 40
    settings.JOURNAL_KEY_FALLBACKS = [settings.SECRET_KEY]
    new = seal(TEXT, author_id=1)
    assert new.split(".")[1] != old.split(".")[1]
    assert open_sealed(old, author_id=1) == TEXT
    assert needs_reseal(old) and not needs_reseal(new)
    settings.JOURNAL_KEY_FALLBACKS = []
    with pytest.raises(SealBroken):
        open_sealed(old, author_id=1)


def test_a_changed_secret_key_with_the_old_one_as_fallback_still_opens(settings):
    old = seal(TEXT, author_id=1)
    previous = settings.SECRET_KEY
    settings.SECRET_KEY = "another-long-secret-key-for-tests-" + "y" * 30
    settings.SECRET_KEY_FALLBACKS = [previous]
    assert open_sealed(old, author_id=1) == TEXT


def test_empty_text_stays_empty():
    assert seal("", author_id=1) == ""
    assert open_sealed("", author_id=1) == ""


def test_a_pickled_row_carries_its_words_sealed_only(db, make_person):
    import pickle

    from microsolidarity.journal.models import Entry
    from microsolidarity.journal.services import entry_create

    author = make_person("Ana")
    entry = Entry.objects.get(pk=entry_create(author=author, text="Lighthouse at dusk").pk)
    assert entry.text == "Lighthouse at dusk"  # opened, and remembered on the row

    copy = pickle.loads(pickle.dumps(entry))  # noqa: S301 (our own bytes, just made)

    assert b"Lighthouse" not in pickle.dumps(entry) and copy.text == "Lighthouse at dusk"
