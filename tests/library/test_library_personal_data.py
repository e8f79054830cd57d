"""The library in a person's export, and its links to them gone when their account goes."""

import pytest

from microsolidarity.library.models import Essay
from microsolidarity.rights.deletion import account_delete
from microsolidarity.rights.exports import export_files

pytestmark = pytest.mark.django_db


def test_the_export_lists_what_the_steward_added_and_edited(steward, make_essay, episode):
    make_essay(title="Mine")
    files = export_files(person=steward)
    library = files["library.json"]
    assert [e["title"] for e in library["essays_added"]] == ["Mine"]
    assert [e["title"] for e in library["episodes_published"]] == ["On crews"]


def test_deleting_the_account_keeps_the_essay_and_drops_the_link(steward, make_essay):
    essay = make_essay(title="Stays", author="Sol Steward")
    account_delete(person_id=steward.pk, force=True)
    essay = Essay.objects.get(pk=essay.pk)
    assert (essay.created_by, essay.updated_by) == (None, None)
    # The attribution is the author's name as published, which the work keeps.
    assert essay.author == "Sol Steward"
