"""Video pages: a facade that loads nothing from the video's host until the viewer clicks."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from microsolidarity.library.attribution import attribution_for
from microsolidarity.library.forms import VideoForm
from microsolidarity.library.models import Video
from microsolidarity.library.video_services import video_create
from microsolidarity.library.videos import video_embed
from microsolidarity.library.views.common import steward_required
from microsolidarity.pages import domain_errors_on


def video_detail(request: HttpRequest, slug: str) -> HttpResponse:
    video = get_object_or_404(Video, slug=slug)
    embed = video_embed(video.url)
    response = render(
        request,
        "library/video_detail.html",
        {
            "video": video,
            "embed": embed,
            "attribution": attribution_for(
                title=video.title,
                author=video.author or embed.host,
                source_url=video.url,
                licence=video.licence,
            ),
        },
    )
    # The page's own policy, plus this one player as a frame: the frame only exists once the
    # viewer clicks (video-facade.js), so before that nothing from the host is requested.
    response._csp_config = {**settings.SECURE_CSP, "frame-src": [embed.origin]}
    return response


@steward_required
def video_new(request: HttpRequest) -> HttpResponse:
    form = VideoForm(request.POST or None, initial={"licence": "CC-BY-SA-4.0"})
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            video = video_create(by=request.user, **form.cleaned_data)
            messages.success(request, _("The video is in the library."))
            return redirect(video)
    return render(request, "library/video_form.html", {"form": form})
