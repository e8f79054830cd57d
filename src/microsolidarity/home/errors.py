"""The site's 403 page: it says why and offers the way on (sign in, join, ask to join)."""

from django.http import HttpRequest, HttpResponseForbidden
from django.template import loader

from microsolidarity.groups import access
from microsolidarity.groups.models import Group


def _group_of(request: HttpRequest) -> Group | None:
    """The group whose page refused, when the address names one the viewer may see."""
    match = getattr(request, "resolver_match", None)
    slug = match.kwargs.get("slug") if match else None
    if not slug or not request.path.startswith("/g/"):
        return None
    group = Group.objects.filter(slug=slug).first()
    if group is None or not request.user.has_perm("groups.view_group", group):
        # A group the viewer may not see is not named, as its own page would not name it.
        return None
    return group


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponseForbidden:
    group = _group_of(request)
    membership = access.membership_of(request.user, group) if group is not None else None
    context = {
        "group": group,
        "membership": membership,
        "is_member": group is not None and access.is_member(request.user, group),
        "reason": str(exception) if exception and str(exception) else "",
    }
    template = loader.get_template("403.html")
    return HttpResponseForbidden(template.render(context, request))
