"""Routes for pairing; the project mounts them at dyads/."""

from django.urls import path

from microsolidarity.dyads import views

urlpatterns = [
    path("", views.dyads_home, name="dyads_home"),
    path("programs/<slug:slug>/", views.dyads_program, name="dyads_program"),
    path("programs/<slug:slug>/opt-in/", views.dyads_opt_in, name="dyads_opt_in"),
    path("programs/<slug:slug>/opt-out/", views.dyads_opt_out, name="dyads_opt_out"),
    path("places/<int:member_id>/outcome/", views.dyads_outcome, name="dyads_outcome"),
    path("outcome/<str:token>/", views.dyads_outcome_link, name="dyads_outcome_link"),
    path("d/<slug:slug>/check-in/", views.dyads_checkin, name="dyads_checkin"),
]
