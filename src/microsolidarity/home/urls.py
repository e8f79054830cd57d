from django.urls import path

from microsolidarity.home import views

urlpatterns = [path("", views.home, name="home")]
