"""collectstatic takes from the npm packages only the files pages link to, and every file a
template links to is still collected."""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.finders import AppDirectoriesFinder, FileSystemFinder
from django.contrib.staticfiles.utils import matches_patterns

SRC = Path(__file__).resolve().parents[1] / "src" / "microsolidarity"
LINKED = re.compile(r"""{% static ['"]([^'"]+)['"]""")


def _named(found) -> set[str]:
    # A folder given with a prefix lists its files without it; collectstatic puts it in front.
    return {
        f"{storage.prefix}/{path}" if getattr(storage, "prefix", None) else path
        for path, storage in found
    }


def collected() -> set[str]:
    patterns = apps.get_app_config("staticfiles").ignore_patterns
    return _named(FileSystemFinder().list(patterns)) | _named(AppDirectoriesFinder().list(patterns))


def test_only_the_used_pico_and_world_files_are_collected():
    files = collected()
    assert {p for p in files if p.startswith("pico/")} == {"pico/pico.classless.min.css"}
    assert {p for p in files if p.startswith("world-atlas/")} == {"world-atlas/countries-110m.json"}
    # The project's own files and Leaflet's are all still there.
    assert "microsolidarity/site.css" in files
    assert "leaflet/leaflet.js" in files
    assert any(p.startswith("leaflet/images/") for p in files)


def test_every_file_a_template_or_script_links_to_is_collected():
    linked = set()
    for path in SRC.rglob("*"):
        if path.suffix in {".html", ".js"} and path.is_file():
            linked |= set(LINKED.findall(path.read_text(encoding="utf-8")))
    linked |= {"world-atlas/countries-110m.json"}  # fetched by network/map.js
    assert len(linked) >= 15
    patterns = apps.get_app_config("staticfiles").ignore_patterns
    for name in linked:
        assert not matches_patterns(Path(name).name, patterns), name
    missing = linked - collected()
    assert not missing, missing


def test_the_folders_named_are_in_the_settings():
    prefixes = {entry[0] for entry in settings.STATICFILES_DIRS if isinstance(entry, tuple)}
    assert {"pico", "world-atlas"} <= prefixes
