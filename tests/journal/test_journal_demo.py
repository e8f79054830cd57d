"""The demo's two accounts each have a journal of more than a page; nobody else has one."""

from microsolidarity.demo.network import DEMO_HOST_EMAIL, DEMO_MEMBER_EMAIL, demo_network_load


def test_the_demo_accounts_have_a_journal_of_their_own(db, client):
    from microsolidarity.journal.models import Entry, Part
    from microsolidarity.people.models import Person

    demo_network_load()
    authors = set(Entry.objects.values_list("author__email", flat=True).distinct())
    assert authors == {DEMO_HOST_EMAIL, DEMO_MEMBER_EMAIL}
    assert set(Part.objects.values_list("author__email", flat=True)) == authors
    assert all(entry.readable for entry in Entry.objects.all())

    client.force_login(Person.objects.get(email=DEMO_MEMBER_EMAIL))
    page = client.get("/me/journal/").content.decode()
    older = client.get("/me/journal/?page=2").content.decode()

    assert page.count("<article>") == 20 and "Older entries" in page
    assert "The critic" in page and 0 < older.count("<article>") < 20
