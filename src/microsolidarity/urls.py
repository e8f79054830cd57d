"""Top-level routes: pages, accounts, the API and the operators' admin."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from microsolidarity.api.urls import api

# allauth answers its own rate limits through this; ours adds Retry-After.
handler429 = "microsolidarity.ratelimits.account_too_many_requests"
handler404 = "microsolidarity.api.errors.not_found"
# A refusal names the group and the way in (sign in, join, ask to join) where it can.
handler403 = "microsolidarity.home.errors.permission_denied"

urlpatterns = [
    # Routes under a prefix of their own first: a path outside it is refused at the prefix,
    # while every app mounted at "" must try each of its routes before the next is asked.
    # No path changes its view for this order (tests/test_routes_resolve.py).
    path("dyads/", include("microsolidarity.dyads.urls")),
    path("me/journal/", include("microsolidarity.journal.urls")),
    path("api/v1/", api.urls),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("microsolidarity.home.urls")),
    path("", include("microsolidarity.groups.urls")),
    path("", include("microsolidarity.people.urls")),
    path("", include("microsolidarity.gatherings.urls")),
    path("", include("microsolidarity.crewing.urls")),
    path("", include("microsolidarity.programs.urls")),
    path("", include("microsolidarity.library.urls")),
    path("", include("microsolidarity.rights.urls")),
    path("", include("microsolidarity.moderation.urls")),
    path("", include("microsolidarity.outreach.urls")),
    path("", include("microsolidarity.participation.urls")),
    path("", include("microsolidarity.network.urls")),
    path("", include("microsolidarity.notifications.urls")),
]
# Uploaded files (books, audio, artwork) in development; production serves MEDIA_ROOT itself.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
