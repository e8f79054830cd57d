"""The licences an essay may carry, with the link and the ShareAlike term each one has."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Licence(models.TextChoices):
    CC_BY_SA_4 = "CC-BY-SA-4.0", _("Creative Commons Attribution-ShareAlike 4.0")
    CC_BY_4 = "CC-BY-4.0", _("Creative Commons Attribution 4.0")
    CC_BY_NC_SA_4 = (
        "CC-BY-NC-SA-4.0",
        _("Creative Commons Attribution-NonCommercial-ShareAlike 4.0"),
    )
    CC0 = "CC0-1.0", _("CC0 1.0: no rights reserved")
    ALL_RIGHTS = (
        "all-rights-reserved",
        _("All rights reserved (shown with the author's permission)"),
    )


@dataclass(frozen=True)
class LicenceTerms:
    url: str
    share_alike: bool
    needs_attribution: bool


TERMS: dict[str, LicenceTerms] = {
    Licence.CC_BY_SA_4: LicenceTerms(
        "https://creativecommons.org/licenses/by-sa/4.0/", share_alike=True, needs_attribution=True
    ),
    Licence.CC_BY_4: LicenceTerms(
        "https://creativecommons.org/licenses/by/4.0/", share_alike=False, needs_attribution=True
    ),
    Licence.CC_BY_NC_SA_4: LicenceTerms(
        "https://creativecommons.org/licenses/by-nc-sa/4.0/",
        share_alike=True,
        needs_attribution=True,
    ),
    Licence.CC0: LicenceTerms(
        "https://creativecommons.org/publicdomain/zero/1.0/",
        share_alike=False,
        needs_attribution=False,
    ),
    Licence.ALL_RIGHTS: LicenceTerms("", share_alike=False, needs_attribution=True),
}

# What people write in front matter, mapped to the licence they mean.
ALIASES = {
    "cc-by-sa": Licence.CC_BY_SA_4,
    "cc-by-sa-4.0": Licence.CC_BY_SA_4,
    "cc by-sa 4.0": Licence.CC_BY_SA_4,
    "cc by-sa": Licence.CC_BY_SA_4,
    "by-sa": Licence.CC_BY_SA_4,
    "cc-by": Licence.CC_BY_4,
    "cc-by-4.0": Licence.CC_BY_4,
    "cc by 4.0": Licence.CC_BY_4,
    "cc-by-nc-sa": Licence.CC_BY_NC_SA_4,
    "cc-by-nc-sa-4.0": Licence.CC_BY_NC_SA_4,
    "cc0": Licence.CC0,
    "cc0-1.0": Licence.CC0,
    "all-rights-reserved": Licence.ALL_RIGHTS,
    "all rights reserved": Licence.ALL_RIGHTS,
}


def licence_from_text(text: str) -> str | None:
    """The licence a front-matter value names, or None when it names none we know."""
    cleaned = " ".join(str(text).strip().lower().split())
    if cleaned in {value.lower() for value in Licence.values}:
        return next(value for value in Licence.values if value.lower() == cleaned)
    return ALIASES.get(cleaned)


def licence_terms(licence: str) -> LicenceTerms:
    return TERMS[licence]


def derivative_licence_allowed(*, source: str, derivative: str) -> bool:
    """ShareAlike: an adaptation of a ShareAlike work keeps the same licence."""
    if licence_terms(source).share_alike:
        return derivative == source
    if source == Licence.ALL_RIGHTS:
        return derivative == Licence.ALL_RIGHTS
    return True
