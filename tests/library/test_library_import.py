"""`import_essays`: a folder of Markdown files in, idempotent, bad files named and skipped."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from microsolidarity.library.books import book_create
from microsolidarity.library.essays import essay_update, essays_import
from microsolidarity.library.models import Book, Essay

pytestmark = pytest.mark.django_db


def test_import_reads_every_front_matter_field(essay_folder):
    report = essays_import(directory=essay_folder)
    assert sorted(report.created) == ["five-scales", "hospitality"]
    essay = Essay.objects.get(slug="five-scales")
    assert essay.title == "Five scales"
    assert essay.author == "The Example Collective"
    assert essay.licence == "CC-BY-SA-4.0"
    assert essay.source_url == "https://essays.example.org/five-scales"
    assert essay.published_on.isoformat() == "2026-01-15"
    assert essay.translations == [
        {
            "language": "pt",
            "title": "Cinco escalas",
            "url": "https://essays.example.org/pt/cinco-escalas",
        }
    ]
    assert essay.body.startswith("# Why scales")
    assert Essay.objects.get(slug="hospitality").licence == "CC-BY-4.0"


def test_importing_again_changes_nothing(essay_folder):
    essays_import(directory=essay_folder)
    before = list(Essay.objects.order_by("pk").values_list("pk", "updated_at"))
    report = essays_import(directory=essay_folder)
    assert report.created == [] and report.updated == []
    assert sorted(report.unchanged) == ["five-scales", "hospitality"]
    assert list(Essay.objects.order_by("pk").values_list("pk", "updated_at")) == before


def test_a_changed_file_updates_its_essay_and_rebuilds_its_books(
    essay_folder, steward, django_capture_on_commit_callbacks
):
    essays_import(directory=essay_folder)
    essay = Essay.objects.get(slug="hospitality")
    with django_capture_on_commit_callbacks(execute=False):
        book = book_create(by=steward, title="One", essay_ids=[essay.pk])
    path = essay_folder / "hospitality.md"
    path.write_text(path.read_text().replace("handing the room on", "passing the keys"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = essays_import(directory=essay_folder)
    assert report.updated == ["hospitality"]
    essay.refresh_from_db()
    assert "passing the keys" in essay.body
    assert Book.objects.get(pk=book.pk).content_version == 2
    assert len(callbacks) == 1  # the rebuild of the one book holding it


def test_bad_files_are_named_with_the_reason_and_the_rest_import(essay_folder):
    (essay_folder / "no-front.md").write_text("Just text.\n")
    (essay_folder / "no-author.md").write_text("---\ntitle: T\nlicence: CC-BY-SA\n---\nText\n")
    (essay_folder / "odd-licence.md").write_text(
        "---\ntitle: T\nauthor: A\nlicence: WTFPL\n---\nText\n"
    )
    (essay_folder / "bad-yaml.md").write_text("---\ntitle: [unclosed\n---\nText\n")
    (essay_folder / "typo.md").write_text(
        "---\ntitle: T\nauthor: A\nlicence: CC0\nauthr: B\n---\nText\n"
    )
    (essay_folder / "latin1.md").write_bytes("---\ntitle: Caf\xe9\n---\n".encode("latin-1"))
    report = essays_import(directory=essay_folder)
    errors = dict(report.errors)
    assert "front matter between two --- lines" in errors["no-front.md"]
    assert "no author" in errors["no-author.md"]
    assert "WTFPL" in errors["odd-licence.md"]
    assert "not valid YAML" in errors["bad-yaml.md"]
    assert "authr" in errors["typo.md"]
    assert "UTF-8" in errors["latin1.md"]
    assert sorted(report.created) == ["five-scales", "hospitality"]


def test_an_essay_edited_in_the_site_is_not_overwritten_without_asking(essay_folder, steward):
    essays_import(directory=essay_folder)
    essay = Essay.objects.get(slug="hospitality")
    essay_update(by=steward, essay_id=essay.pk, body="Edited in the site.\n")
    path = essay_folder / "hospitality.md"
    path.write_text(path.read_text() + "\nMore from the file.\n")
    report = essays_import(directory=essay_folder)
    assert [name for name, _reason in report.skipped] == ["hospitality.md"]
    assert Essay.objects.get(pk=essay.pk).body == "Edited in the site.\n"
    report = essays_import(directory=essay_folder, overwrite=True)
    assert report.updated == ["hospitality"]
    assert "More from the file." in Essay.objects.get(pk=essay.pk).body


def test_an_adaptation_of_a_sharealike_essay_must_keep_its_licence(essay_folder):
    (essay_folder / "zz-adapted.md").write_text(
        "---\ntitle: Scales, retold\nauthor: B\nlicence: CC-BY-4.0\nderived_from: five-scales\n"
        "---\nRetold.\n"
    )
    (essay_folder / "aa-adapted-ok.md").write_text(
        "---\ntitle: Scales, again\nauthor: C\nlicence: CC-BY-SA-4.0\n"
        "derived_from: five-scales\n---\nAgain.\n"
    )
    report = essays_import(directory=essay_folder)
    assert "same licence" in dict(report.errors)["zz-adapted.md"]
    # Sorted by name it comes before its original: the import orders originals first.
    adapted = Essay.objects.get(slug="aa-adapted-ok")
    assert adapted.derived_from.slug == "five-scales"


def test_the_command_reports_counts_and_fails_on_errors(essay_folder, capsys):
    call_command("import_essays", str(essay_folder))
    assert "2 created, 0 updated, 0 unchanged, 0 skipped, 0 with errors" in capsys.readouterr().out
    (essay_folder / "broken.md").write_text("no front matter")
    with pytest.raises(CommandError, match="1 file"):
        call_command("import_essays", str(essay_folder))
    captured = capsys.readouterr()
    assert "broken.md" in captured.err
    assert "0 created, 0 updated, 2 unchanged" in captured.out


def test_the_command_refuses_a_missing_folder(tmp_path):
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("import_essays", str(tmp_path / "nowhere"))
