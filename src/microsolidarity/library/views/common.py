"""What the library's pages share: the steward check."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def steward_required(view):
    """Signed in and a steward (or operator); others get 403 with the reason on the page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm("library.edit_library"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapper)
