"""Crewing pages: a crew's cycles, its meetings, attendance, retrospectives, leaving."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path


def cycle_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    raise Http404


def meeting_detail(request: HttpRequest, slug: str, number: int, meeting: int) -> HttpResponse:
    raise Http404


urlpatterns = [
    path("g/<slug:slug>/cycles/<int:number>/", cycle_detail, name="cycle_detail"),
    path(
        "g/<slug:slug>/cycles/<int:number>/meetings/<int:meeting>/",
        meeting_detail,
        name="meeting_detail",
    ),
]
