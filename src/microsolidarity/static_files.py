"""Collect only the front-end files the pages use from the npm packages in STATICFILES_DIRS.

Pico ships 239 variants and world-atlas the world at three resolutions; compressing all of them
(gzip and Brotli, twice with the hashed names) was most of `collectstatic`'s minutes. Pages and
tests in DEBUG read files straight from the finders, so nothing changes there.
"""

from pathlib import Path

from django.contrib.staticfiles.apps import StaticFilesConfig

# Per STATICFILES_DIRS prefix: the files pages link to. The rest of that folder is not collected.
USED = {
    "pico": {"pico.classless.min.css"},
    "world-atlas": {"countries-110m.json"},
}


def unused_files(static_dirs) -> list[str]:
    """The names in USED's folders that no page links to (collectstatic matches names)."""
    names = set()
    for entry in static_dirs:
        if isinstance(entry, tuple) and entry[0] in USED:
            folder = Path(entry[1])
            kept = USED[entry[0]]
            names |= {path.name for path in folder.iterdir() if path.name not in kept}
    return sorted(names)


class StaticFiles(StaticFilesConfig):
    @property  # type: ignore[override]
    def ignore_patterns(self) -> list[str]:
        from django.conf import settings

        return [*StaticFilesConfig.ignore_patterns, *unused_files(settings.STATICFILES_DIRS)]
