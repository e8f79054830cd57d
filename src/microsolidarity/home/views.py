"""The home page, for visitors and for members."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from microsolidarity.groups import queries as group_queries
from microsolidarity.groups.models import Group, Scale
from microsolidarity.home.dashboard import guidance_for


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        public = group_queries.groups_with_counts(
            Group.objects.visible_to(None).filter(scale=Scale.CONGREGATION)
        )[:12]
        return render(request, "home/welcome.html", {"congregations": public})
    home = group_queries.home_for(request.user)
    # What everyone's RSVPs and poll answers change is in fresh parts (home/parts.py).
    return render(
        request, "home/home.html", {"home": home, "guidance": guidance_for(request.user, home)}
    )
