"""What an uploaded audio file really is: its byte length, duration and type, read by mutagen."""

from dataclasses import dataclass

import mutagen
from django.utils.translation import gettext as _

from microsolidarity.errors import RuleBroken

# mutagen's file classes, and the type a podcast feed announces for each.
AUDIO_TYPES = {
    "MP3": ("audio/mpeg", "mp3"),
    "MP4": ("audio/mp4", "m4a"),
    "OggVorbis": ("audio/ogg", "ogg"),
    "OggOpus": ("audio/ogg", "opus"),
    "FLAC": ("audio/flac", "flac"),
    "WAVE": ("audio/wav", "wav"),
}
MAX_AUDIO_BYTES = 300 * 1024 * 1024


@dataclass(frozen=True)
class AudioFacts:
    size: int
    seconds: float
    mime: str
    extension: str


def audio_inspect(file) -> AudioFacts:
    """Read a file (an upload or any open binary file); refuse what is not playable audio."""
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    if not size:
        raise RuleBroken(_("The audio file is empty."), field="audio")
    if size > MAX_AUDIO_BYTES:
        raise RuleBroken(_("The audio file is larger than 300 MB."), field="audio")
    file.seek(0)
    try:
        audio = mutagen.File(file)
    except mutagen.MutagenError:
        audio = None
    finally:
        file.seek(0)
    kind = type(audio).__name__ if audio is not None else ""
    if kind not in AUDIO_TYPES:
        raise RuleBroken(
            _("This is not an audio file we can publish: upload MP3, M4A, Ogg, Opus, FLAC or WAV."),
            field="audio",
        )
    seconds = float(getattr(audio.info, "length", 0) or 0)
    if seconds <= 0:
        raise RuleBroken(_("The audio file has no length we can read."), field="audio")
    mime, extension = AUDIO_TYPES[kind]
    return AudioFacts(size=size, seconds=seconds, mime=mime, extension=extension)
