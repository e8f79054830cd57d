"""Video addresses turned into a player to load on request: YouTube (privacy-enhanced), Vimeo
(do-not-track) and PeerTube. Nothing here is fetched: the address alone says where to play."""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.utils.translation import gettext as _

from microsolidarity.errors import RuleBroken

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_YOUTUBE_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "youtube-nocookie.com",
    "www.youtube-nocookie.com",
}
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
_PEERTUBE_PATH = re.compile(r"^/(?:w|videos/watch|videos/embed)/([A-Za-z0-9-]{6,64})/?$")


@dataclass(frozen=True)
class Embed:
    provider: str
    embed_url: str

    @property
    def origin(self) -> str:
        parts = urlsplit(self.embed_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def host(self) -> str:
        return urlsplit(self.embed_url).hostname or ""


def _youtube_id(host: str, path: str, query: str) -> str | None:
    if host == "youtu.be":
        candidate = path.strip("/").split("/")[0]
    elif host in _YOUTUBE_HOSTS:
        if path == "/watch":
            candidate = parse_qs(query).get("v", [""])[0]
        else:
            match = re.match(r"^/(?:embed|shorts|live|v)/([^/]+)", path)
            candidate = match.group(1) if match else ""
    else:
        return None
    return candidate if _YOUTUBE_ID.match(candidate) else ""


def video_embed(url: str) -> Embed:
    """The player address for a video page's address, or a RuleBroken saying what we take."""
    parts = urlsplit((url or "").strip())
    if parts.scheme != "https" or not parts.hostname:
        raise RuleBroken(_("Give the video's https:// address."), field="url")
    host = parts.hostname.lower()
    youtube = _youtube_id(host, parts.path, parts.query)
    if youtube:
        return Embed("youtube", f"https://www.youtube-nocookie.com/embed/{youtube}?autoplay=1")
    if youtube == "":
        raise RuleBroken(_("That YouTube address names no video."), field="url")
    if host in _VIMEO_HOSTS:
        match = re.match(r"^/(?:video/)?(\d{3,12})/?$", parts.path)
        if not match:
            raise RuleBroken(_("That Vimeo address names no video."), field="url")
        return Embed("vimeo", f"https://player.vimeo.com/video/{match.group(1)}?dnt=1&autoplay=1")
    match = _PEERTUBE_PATH.match(parts.path)
    if match:
        netloc = parts.netloc.lower()
        return Embed("peertube", f"https://{netloc}/videos/embed/{match.group(1)}?autoplay=1")
    raise RuleBroken(
        _("We can show videos from YouTube, Vimeo and PeerTube; this address is none of those."),
        field="url",
    )
