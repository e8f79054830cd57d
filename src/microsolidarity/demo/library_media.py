"""Small media made by code for the demo and the tests: a WAV tone and square PNG artwork."""

import io
import math
import struct
import wave

from PIL import Image, ImageDraw


def tone_wav(*, seconds: float = 2.0, frequency: float = 440.0, rate: int = 8000) -> bytes:
    """A mono 16-bit sine tone that fades in and out; a few kilobytes per second."""
    frames = int(seconds * rate)
    fade = max(1, rate // 20)
    samples = bytearray()
    for n in range(frames):
        envelope = min(1.0, n / fade, (frames - n) / fade)
        value = int(12000 * envelope * math.sin(2 * math.pi * frequency * n / rate))
        samples += struct.pack("<h", value)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(samples))
    return buffer.getvalue()


def artwork_png(*, size: int = 1400, colour: str = "#2f5d50") -> bytes:
    """Square artwork in the podcast directories' size range: five nested rings, one per scale."""
    picture = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(picture)
    for ring in range(5):
        inset = size // 12 + ring * size // 12
        draw.ellipse(
            (inset, inset, size - inset, size - inset), outline="#f4efe6", width=size // 80
        )
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
