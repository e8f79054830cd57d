"""One shape for a page's POST action, and for a form whose service refused: written once here.

A page action is: POST only, signed in, load the object (404), check the permission (403, or
404 where the object must not be confirmed), call the service, say how it went (the refusal's
own message, or the view's success), and go back. A view decorated with `post_action` holds
only the middle: it calls the service and returns what to say.
"""

import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.views.decorators.http import require_POST

from microsolidarity.errors import DomainError
from microsolidarity.redirects import safe_next


@dataclass(frozen=True)
class Done:
    """What an action says when it worked, and where it goes when not the usual place."""

    message: str = ""
    to: Any = None
    level: int = messages.SUCCESS


# What a decorated view returns: a success message, a Done, its own response, or None when it
# has said everything itself.
Outcome = str | Done | HttpResponse | None


def post_action(
    load: Callable[..., Any] | None = None,
    *,
    allow: str | Callable[[Any, Any], bool] | None = None,
    hidden: bool = False,
    to: Any = None,
    follow_next: bool = False,
    respond: Callable[[HttpRequest, Any], HttpResponse] | None = None,
    login: bool = True,
) -> Callable[[Callable[..., Outcome]], Callable[..., HttpResponse]]:
    """Decorate `view(request, loaded, **rest)`, which calls a service and returns an Outcome.

    `load(request, **url_kwargs)` fetches the object (raising 404); it takes the URL's
    arguments it names, and the view gets the rest. `allow` is a permission name checked on
    the object, or `allow(user, obj)`; a refusal is 403, or 404 when `hidden`. After the
    service, the person goes to `to` (a URL, a route name, a model, or `to(obj)`; the object
    itself by default), to a safe `next` first when `follow_next`, or gets `respond(request,
    obj)` (an htmx partial, say). A DomainError becomes its message, and the same way back.
    """

    def decorate(view: Callable[..., Outcome]) -> Callable[..., HttpResponse]:
        loads = _parameters(load) if load is not None else set()

        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            obj = None
            if load is not None:
                obj = load(request, **{k: v for k, v in kwargs.items() if k in loads})
                kwargs = {k: v for k, v in kwargs.items() if k not in loads}
                args = (obj, *args)
            if allow is not None and not _allowed(request, allow, obj):
                raise Http404 if hidden else PermissionDenied
            try:
                outcome = view(request, *args, **kwargs)
            except DomainError as error:
                messages.error(request, error.message)
                return _back(request, obj, to, follow_next, respond)
            if isinstance(outcome, HttpResponse):
                return outcome
            if isinstance(outcome, str):
                outcome = Done(outcome)
            if outcome is None:
                outcome = Done()
            if outcome.message:
                messages.add_message(request, outcome.level, outcome.message)
            if outcome.to is not None:
                return _back(request, obj, outcome.to, follow_next, None)
            return _back(request, obj, to, follow_next, respond)

        wrapped = require_POST(wrapper)
        return login_required(wrapped) if login else wrapped

    return decorate


def _parameters(load: Callable[..., Any]) -> set[str]:
    names = list(inspect.signature(load).parameters)
    return set(names[1:])  # the first is the request


def _allowed(request: HttpRequest, allow: str | Callable[[Any, Any], bool], obj: Any) -> bool:
    if isinstance(allow, str):
        return request.user.has_perm(allow, obj)
    return allow(request.user, obj)


def _back(
    request: HttpRequest,
    obj: Any,
    to: Any,
    follow_next: bool,
    respond: Callable[[HttpRequest, Any], HttpResponse] | None,
) -> HttpResponse:
    if respond is not None:
        return respond(request, obj)
    target = to(obj) if callable(to) else (obj if to is None else to)
    if follow_next:
        return redirect(safe_next(request, resolve_url(target)))
    return redirect(target)


def domain_error_on(
    form: Any, error: DomainError, *, field: Callable[[DomainError], str | None] | None = None
) -> None:
    """Put a refusal on the form: on its field when the form has it, else above the form."""
    name = field(error) if field is not None else error.field
    form.add_error(name if name in form.fields else None, error.message)


@contextmanager
def domain_errors_on(
    form: Any, *, field: Callable[[DomainError], str | None] | None = None
) -> Iterator[None]:
    """Run a form's service call; a DomainError goes on the form and the page is shown again.

    The block's code after the service call (the success message, the redirect's return) runs
    only when the service worked; after a refusal the view goes on to render the form.
    """
    try:
        yield
    except DomainError as error:
        domain_error_on(form, error, field=field)
