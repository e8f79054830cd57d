"""Adding and changing video links; the player address is always derived, never typed."""

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from microsolidarity.errors import Conflict, NotAllowed, RuleBroken
from microsolidarity.library import access
from microsolidarity.library.licences import Licence
from microsolidarity.library.models import Video
from microsolidarity.library.videos import video_embed


@transaction.atomic
def video_create(
    *,
    by,
    title: str,
    url: str,
    slug: str = "",
    description: str = "",
    author: str = "",
    licence: str = Licence.CC_BY_SA_4,
) -> Video:
    if not access.is_steward(by):
        raise NotAllowed(_("Only stewards edit the library."))
    slug = slugify(slug or title)[:140]
    if not slug:
        raise RuleBroken(_("Give the video an address of letters and digits."), field="slug")
    if Video.objects.filter(slug=slug).exists():
        raise Conflict(_("Another video has the address %(slug)s.") % {"slug": slug}, field="slug")
    embed = video_embed(url)
    return Video.objects.create(
        slug=slug,
        title=title,
        url=url.strip(),
        provider=embed.provider,
        embed_url=embed.embed_url,
        description=description,
        author=author,
        licence=licence,
        created_by=by,
    )
