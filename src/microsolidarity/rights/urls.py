from django.urls import path

from microsolidarity.rights import views

urlpatterns = [
    path("me/data/", views.my_data, name="rights_my_data"),
    path("me/data/export/", views.my_data_export, name="rights_export"),
    path("me/data/delete/", views.account_delete, name="rights_account_delete"),
    path("me/data/delete/cancel/", views.account_delete_cancel, name="rights_delete_cancel"),
]
