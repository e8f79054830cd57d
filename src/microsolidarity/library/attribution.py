"""The attribution every page and every export of a work carries, built from the work itself."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from microsolidarity.library.licences import Licence, licence_terms
from microsolidarity.site import absolute_url


@dataclass(frozen=True)
class Attribution:
    title: str
    author: str
    source_url: str
    licence: str
    licence_name: str
    licence_url: str
    share_alike: bool
    adapted_from: "Attribution | None" = None

    def sentence(self) -> str:
        """One line of plain text, for EPUB metadata, feeds and the PDF's text."""
        parts = [
            _("“%(title)s” by %(author)s") % {"title": self.title, "author": self.author},
        ]
        if self.source_url:
            parts.append(_("from %(source)s") % {"source": self.source_url})
        if self.licence_url:
            parts.append(
                _("licensed under %(licence)s (%(url)s)")
                % {"licence": self.licence_name, "url": self.licence_url}
            )
        else:
            parts.append(self.licence_name)
        line = ", ".join(parts) + "."
        if self.adapted_from is not None:
            line += " " + _("Adapted from %(original)s") % {
                "original": self.adapted_from.sentence()
            }
        return line


def attribution_for(*, title: str, author: str, source_url: str, licence: str) -> Attribution:
    terms = licence_terms(licence)
    return Attribution(
        title=title,
        author=author,
        source_url=source_url,
        licence=licence,
        licence_name=str(Licence(licence).label),
        licence_url=terms.url,
        share_alike=terms.share_alike,
    )


def essay_attribution(essay) -> Attribution:
    # An essay first written here has this site as its source.
    source = essay.source_url or absolute_url(essay.get_absolute_url())
    base = attribution_for(
        title=essay.title, author=essay.author, source_url=source, licence=essay.licence
    )
    if essay.derived_from_id is None:
        return base
    original = essay.derived_from
    return Attribution(
        **{**base.__dict__, "adapted_from": essay_attribution(original)},
    )
