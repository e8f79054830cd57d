"""Routes for gatherings; the project mounts them at the root."""

from django.urls import path

from microsolidarity.gatherings.views import agenda, feeds, gatherings, polls, registration

_AGENDA = "gatherings/<slug:slug>/<int:occurrence_id>/agenda/"

urlpatterns = [
    # gatherings
    path("gatherings/", gatherings.gathering_list, name="gathering_list"),
    path("gatherings/<slug:slug>/hosts/", gatherings.gathering_host_add, name="gathering_host_add"),
    path(
        "gatherings/<slug:slug>/hosts/<int:person_id>/remove/",
        gatherings.gathering_host_remove,
        name="gathering_host_remove",
    ),
    path("gatherings/new/", gatherings.gathering_create, name="gathering_create"),
    path("gatherings/<slug:slug>/", gatherings.gathering_detail, name="gathering_detail"),
    path("gatherings/<slug:slug>/edit/", gatherings.gathering_edit, name="gathering_edit"),
    path("gatherings/<slug:slug>/cancel/", gatherings.gathering_cancel, name="gathering_cancel"),
    path("gatherings/<slug:slug>/follow/", gatherings.series_follow, name="series_follow"),
    path(
        "gatherings/<slug:slug>/<int:occurrence_id>/",
        gatherings.occurrence_detail,
        name="occurrence_detail",
    ),
    path(
        "gatherings/<slug:slug>/<int:occurrence_id>/rsvp/",
        gatherings.rsvp_answer,
        name="rsvp_answer",
    ),
    path(
        "gatherings/<slug:slug>/<int:occurrence_id>/cancel/",
        gatherings.occurrence_cancel,
        name="occurrence_cancel",
    ),
    path(
        "gatherings/<slug:slug>/<int:occurrence_id>/move/",
        gatherings.occurrence_move,
        name="occurrence_move",
    ),
    # feeds
    path("calendar/<str:key>.ics", feeds.person_feed, name="person_feed"),
    path("g/<slug:slug>/calendar.ics", feeds.group_feed, name="group_feed"),
    path("gatherings/<slug:slug>/calendar.ics", feeds.gathering_feed, name="gathering_feed"),
    path(
        "gatherings/<slug:slug>/<int:occurrence_id>/calendar.ics",
        feeds.occurrence_feed,
        name="occurrence_feed",
    ),
    path("me/calendar/", feeds.feed_settings, name="feed_settings"),
    path("me/calendar/reset/", feeds.feed_reset, name="feed_reset"),
    path("me/calendar/off/", feeds.feed_revoke, name="feed_revoke"),
    # polls
    path("g/<slug:slug>/polls/", polls.poll_list, name="poll_list"),
    path("g/<slug:slug>/polls/new/", polls.poll_create, name="poll_create"),
    path("g/<slug:slug>/find-a-time/", polls.poll_find_time, name="poll_find_time"),
    path("polls/<int:pk>/", polls.poll_detail, name="poll_detail"),
    path("polls/<int:pk>/close/", polls.poll_close, name="poll_close"),
    # agenda
    path(_AGENDA, agenda.agenda_detail, name="agenda_detail"),
    path(f"{_AGENDA}print/", agenda.agenda_print, name="agenda_print"),
    path(f"{_AGENDA}propose/", agenda.session_propose, name="agenda_propose"),
    path(f"{_AGENDA}rooms/", agenda.agenda_rooms, name="agenda_rooms"),
    path(f"{_AGENDA}<int:session_id>/interest/", agenda.session_interest, name="agenda_interest"),
    path(f"{_AGENDA}<int:session_id>/place/", agenda.session_place, name="agenda_place"),
    path(f"{_AGENDA}<int:session_id>/unplace/", agenda.session_unplace, name="agenda_unplace"),
    # registration
    path(
        "gatherings/<slug:slug>/registrations.csv",
        registration.gathering_registrations_csv,
        name="gathering_registrations_csv",
    ),
    path(
        "gatherings/<slug:slug>/<int:occurrence_id>/registrations.csv",
        registration.occurrence_registrations_csv,
        name="occurrence_registrations_csv",
    ),
]
