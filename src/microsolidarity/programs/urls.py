"""Routes for programs, cohorts and the pathway; the project mounts them at the root."""

from django.urls import path

from microsolidarity.programs.views import cohorts, pathway, programs

urlpatterns = [
    # programs
    path("programs/", programs.program_list, name="program_list"),
    path("programs/new/", programs.program_copy, name="program_copy"),
    path("programs/<slug:slug>/", programs.program_detail, name="program_detail"),
    path("programs/<slug:slug>/modules/new/", programs.module_edit, name="module_add"),
    path(
        "programs/<slug:slug>/modules/<int:number>/edit/", programs.module_edit, name="module_edit"
    ),
    # cohorts
    path("programs/<slug:slug>/cohorts/new/", cohorts.cohort_create, name="cohort_create"),
    path("cohorts/<slug:slug>/", cohorts.cohort_detail, name="cohort_detail"),
    path("cohorts/<slug:slug>/sign-up/", cohorts.cohort_signup, name="cohort_signup"),
    path("cohorts/<slug:slug>/leave/", cohorts.cohort_leave, name="cohort_leave"),
    path(
        "cohorts/<slug:slug>/seats/<int:seat_id>/",
        cohorts.cohort_seat_answer,
        name="cohort_seat_answer",
    ),
    path(
        "cohorts/<slug:slug>/formation/",
        cohorts.cohort_formation_open,
        name="cohort_formation_open",
    ),
    path(
        "cohorts/<slug:slug>/sessions/<int:number>/", cohorts.cohort_session, name="cohort_session"
    ),
    # pathway
    path("me/pathway/", pathway.pathway_page, name="pathway"),
]
