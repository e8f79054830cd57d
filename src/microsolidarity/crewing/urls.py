"""Crewing's pages: crew calls, formation rounds, and the cycles, meetings and retrospectives."""

from django.urls import path

from microsolidarity.crewing.views import calls, cycles, rounds

urlpatterns = [
    # Crew calls
    path("g/<slug:slug>/crewing/", calls.congregation_crewing, name="congregation_crewing"),
    path("g/<slug:slug>/crewing/calls/new/", calls.call_create, name="crew_call_create"),
    path(
        "g/<slug:slug>/crewing/formats/new/",
        calls.template_create,
        name="meeting_template_create",
    ),
    path("crewing/calls/<int:pk>/", calls.call_detail, name="crew_call_detail"),
    path("crewing/calls/<int:pk>/edit/", calls.call_edit, name="crew_call_edit"),
    path("crewing/calls/<int:pk>/interest/", calls.call_interest, name="crew_call_interest"),
    path(
        "crewing/calls/<int:pk>/interest/withdraw/",
        calls.call_interest_withdraw,
        name="crew_call_interest_withdraw",
    ),
    path(
        "crewing/calls/<int:pk>/interest/<int:interest_id>/",
        calls.call_answer,
        name="crew_call_answer",
    ),
    path("crewing/calls/<int:pk>/form/", calls.call_crew_start, name="crew_call_form"),
    path("crewing/calls/<int:pk>/withdraw/", calls.call_withdraw, name="crew_call_withdraw"),
    # Formation rounds
    path("g/<slug:slug>/rounds/", rounds.round_list, name="round_list"),
    path("g/<slug:slug>/rounds/new/", rounds.round_create, name="round_create"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/progress/", rounds.round_progress, name="round_progress"),
    path("rounds/<int:pk>/join/", rounds.round_join, name="round_join"),
    path("rounds/<int:pk>/leave/", rounds.round_leave, name="round_leave"),
    path("rounds/<int:pk>/form/", rounds.round_propose, name="round_form"),
    path("rounds/<int:pk>/cancel/", rounds.round_cancel, name="round_cancel"),
    path("rounds/<int:pk>/pins/", rounds.round_pin, name="round_pin"),
    path("rounds/<int:pk>/pins/<int:pin_id>/delete/", rounds.round_unpin, name="round_unpin"),
    path("rounds/<int:pk>/move/", rounds.round_move, name="round_move"),
    path("rounds/<int:pk>/sizes/", rounds.round_sizes, name="round_sizes"),
    path("rounds/<int:pk>/publish/", rounds.round_publish, name="round_publish"),
    # Cycles, meetings, retrospectives
    path("g/<slug:slug>/cycles/", cycles.crew_cycles, name="crew_cycles"),
    path("g/<slug:slug>/cycles/<int:number>/", cycles.cycle_detail, name="cycle_detail"),
    path(
        "g/<slug:slug>/cycles/<int:number>/meetings/<int:meeting>/",
        cycles.meeting_detail,
        name="meeting_detail",
    ),
    path(
        "g/<slug:slug>/cycles/<int:number>/meetings/<int:meeting>/attendance/",
        cycles.meeting_attendance,
        name="meeting_attendance",
    ),
    path(
        "g/<slug:slug>/cycles/<int:number>/retrospective/",
        cycles.retrospective_submit,
        name="retrospective_submit",
    ),
    path(
        "g/<slug:slug>/cycles/<int:number>/retrospective/close/",
        cycles.retrospective_close,
        name="retrospective_close",
    ),
    path("g/<slug:slug>/crew/leave/", cycles.crew_leave, name="crew_leave"),
]
