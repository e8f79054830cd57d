"""The notification list, opening one, marking all read, and how each kind is delivered."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from microsolidarity.notifications import preferences, services
from microsolidarity.notifications.forms import PreferencesForm
from microsolidarity.notifications.models import Notification

PAGE_SIZE = 30


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(
        Notification.objects.filter(person=request.user).order_by("-created_at", "-pk"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Following a notification marks it read and goes where it points."""
    try:
        notification = services.notification_open(
            person=request.user, notification_id=notification_id
        )
    except Notification.DoesNotExist:
        raise Http404 from None
    return redirect(notification.link or "notification_list")


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_read(person=request.user)
    messages.success(request, _("Everything is marked read."))
    return redirect("notification_list")


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, current=preferences.preferences_get(request.user))
    if request.method == "POST" and form.is_valid():
        preferences.preferences_set(person=request.user, choices=form.cleaned_data)
        messages.success(request, _("Saved: you hear of each kind as you chose."))
        return redirect("notification_settings")
    return render(request, "notifications/settings.html", {"form": form})
