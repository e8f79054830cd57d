"""What the library's pages share: the steward check and turning refusals into form errors."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from microsolidarity.errors import DomainError


def steward_required(view):
    """Signed in and a steward (or operator); others get 403 with the reason on the page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm("library.edit_library"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def form_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)
