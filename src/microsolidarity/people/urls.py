from django.urls import path

from microsolidarity.people import views

urlpatterns = [
    path("me/profile/", views.profile_edit, name="profile_edit"),
    path("me/tokens/", views.token_list, name="token_list"),
    path("me/tokens/new/", views.token_new, name="token_new"),
    path("me/tokens/<int:token_id>/revoke/", views.token_delete, name="token_revoke"),
    path("towns/", views.town_options, name="town_options"),
]
