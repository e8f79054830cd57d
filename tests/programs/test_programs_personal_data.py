"""A person's programs data is in their export, and goes (passing their place on) on deletion."""

import io
import json
import zipfile

SECRET = "I want to learn to host"


def test_the_export_holds_places_and_the_pathway(make_cohort, people):
    from microsolidarity.programs.pathway import pathway_save
    from microsolidarity.programs.seats import seat_request
    from microsolidarity.rights.exports import export_zip

    cohort = make_cohort(capacity=2, application_question="Why?")
    (ana,) = people(1)
    seat_request(person=ana, cohort=cohort, answer="Curious")
    pathway_save(person=ana, ratings={"coaching": 2}, note=SECRET)
    archive = zipfile.ZipFile(io.BytesIO(export_zip(person=ana)))
    data = json.loads(archive.read("programs.json"))
    assert data["cohort_places"][0] == {
        **data["cohort_places"][0],
        "cohort": cohort.title,
        "state": "applied",
        "answer": "Curious",
    }
    assert data["pathway"] == {"ratings": {"coaching": 2}, "note": SECRET}


def test_deleting_an_account_passes_the_place_on_and_removes_the_pathway(make_cohort, people):
    from microsolidarity.programs.models import PathwayNote, PathwayRating, Seat, SeatState
    from microsolidarity.programs.pathway import pathway_save
    from microsolidarity.programs.seats import seat_request
    from microsolidarity.rights.deletion import account_delete

    cohort = make_cohort(capacity=1)
    leaver, waiting = people(2)
    seat_request(person=leaver, cohort=cohort)
    seat_request(person=waiting, cohort=cohort)
    pathway_save(person=leaver, ratings={"listening": 4}, note=SECRET)
    account_delete(person_id=leaver.pk, force=True)
    assert Seat.objects.get(person=leaver).state == SeatState.LEFT
    assert Seat.objects.get(person=waiting).state == SeatState.GOING
    assert not PathwayRating.objects.filter(person=leaver).exists()
    assert not PathwayNote.objects.filter(person=leaver).exists()
