"""Routes for participation; the project mounts them at the root."""

from django.urls import path

from microsolidarity.participation.views import bookshelf, contributions, volunteering

urlpatterns = [
    # contributions
    path("groups/<slug:slug>/contribute/", contributions.contribute, name="contribute"),
    path(
        "groups/<slug:slug>/contribute/edit/", contributions.contribute_edit, name="contribute_edit"
    ),
    path("groups/<slug:slug>/treasurers/", contributions.treasurer_add, name="treasurer_add"),
    path(
        "groups/<slug:slug>/treasurers/<int:person_id>/remove/",
        contributions.treasurer_remove,
        name="treasurer_remove",
    ),
    path("groups/<slug:slug>/pledge/", contributions.pledge_save, name="pledge_save"),
    path("groups/<slug:slug>/pledge/end/", contributions.pledge_end, name="pledge_end"),
    path("groups/<slug:slug>/pledges/", contributions.pledge_list, name="pledge_list"),
    path("groups/<slug:slug>/ledger/", contributions.ledger_page, name="ledger"),
    path("groups/<slug:slug>/ledger/import/", contributions.ledger_import, name="ledger_import"),
    path("gatherings/<slug:slug>/budget/", contributions.gathering_budget, name="gathering_budget"),
    # volunteering
    path(
        "gatherings/<slug:slug>/volunteer/",
        volunteering.gathering_volunteer,
        name="gathering_volunteer",
    ),
    path(
        "gatherings/<slug:slug>/volunteer/slots/",
        volunteering.gathering_slot_create,
        name="gathering_slot_create",
    ),
    path(
        "gatherings/<slug:slug>/volunteer/slots/<int:slot_id>/delete/",
        volunteering.gathering_slot_delete,
        name="gathering_slot_delete",
    ),
    path(
        "gatherings/<slug:slug>/volunteer/slots/<int:slot_id>/signup/",
        volunteering.gathering_slot_signup,
        name="gathering_slot_signup",
    ),
    path(
        "gatherings/<slug:slug>/volunteer/slots/<int:slot_id>/withdraw/",
        volunteering.gathering_slot_withdraw,
        name="gathering_slot_withdraw",
    ),
    path(
        "gatherings/<slug:slug>/volunteer/<int:occurrence_id>/buddy/",
        volunteering.gathering_buddy_ask,
        name="gathering_buddy_ask",
    ),
    path(
        "gatherings/<slug:slug>/volunteer/buddies/<int:buddy_id>/offer/",
        volunteering.gathering_buddy_offer,
        name="gathering_buddy_offer",
    ),
    path("me/helping/", volunteering.helping, name="helping"),
    # bookshelf
    path("groups/<slug:slug>/shelf/", bookshelf.shelf, name="shelf"),
    path("groups/<slug:slug>/shelf/add/", bookshelf.shelf_add, name="shelf_add"),
    path("shelf/isbn/<str:isbn>/", bookshelf.isbn_copies, name="shelf_isbn"),
    path("shelf/<int:copy_id>/", bookshelf.copy_detail, name="copy_detail"),
    path("shelf/<int:copy_id>/request/", bookshelf.copy_request, name="copy_request"),
    path("shelf/<int:copy_id>/withdraw/", bookshelf.copy_withdraw, name="copy_withdraw"),
    path("shelf/<int:copy_id>/hand-over/", bookshelf.copy_hand_over, name="copy_hand_over"),
    path("shelf/<int:copy_id>/remove/", bookshelf.copy_remove, name="copy_remove"),
    path("shelf/loans/<int:loan_id>/return/", bookshelf.loan_return, name="loan_return"),
]
