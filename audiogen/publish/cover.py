"""A generated square cover when the show has none (Apple: 1400-3000 px, RGB)."""

from __future__ import annotations

import hashlib
import io
import textwrap

from PIL import Image, ImageDraw, ImageFont

from audiogen.errors import BadInput

COVER_SIZE = 1400
MIN_SIDE, MAX_SIDE = 1400, 3000  # Apple's limits for podcast artwork


def normalize_cover(data: bytes, name: str) -> bytes:
    """A user's cover made acceptable to Apple: square (centre crop), RGB, 1400-3000 px, JPEG.

    A cover that already meets the rules is kept byte for byte.
    """
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (OSError, ValueError) as exc:
        raise BadInput(f"cover image {name} cannot be read: {exc}") from exc
    width, height = image.size
    if (
        image.format == "JPEG"
        and image.mode == "RGB"
        and width == height
        and MIN_SIDE <= width <= MAX_SIDE
    ):
        return data
    side = min(width, height)
    left, top = (width - side) // 2, (height - side) // 2
    square = image.convert("RGB").crop((left, top, left + side, top + side))
    target = min(max(side, MIN_SIDE), MAX_SIDE)
    if target != side:
        square = square.resize((target, target), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    square.save(out, format="JPEG", quality=90)
    return out.getvalue()


def render_cover(title: str, size: int = COVER_SIZE) -> bytes:
    """A JPEG cover: the show title in large type on a colour derived from the title."""
    digest = hashlib.sha256(title.encode("utf-8")).digest()
    hue = digest[0] / 255
    background = _hsl_to_rgb(hue, 0.45, 0.22)
    accent = _hsl_to_rgb((hue + 0.08) % 1.0, 0.70, 0.62)
    image = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(image)
    margin = size // 10
    draw.rectangle((margin, margin, margin + size // 6, margin + size // 60), fill=accent)

    lines = textwrap.wrap(title, width=14)[:5] or ["audiogen"]
    font_size = size // 9 if len(lines) <= 3 else size // 12
    font = ImageFont.load_default(size=font_size)
    y = margin + size // 8
    for line in lines:
        draw.text((margin, y), line, font=font, fill=(250, 250, 250))
        y += int(font_size * 1.2)
    small = ImageFont.load_default(size=size // 28)
    draw.text(
        (margin, size - margin - size // 28), "narrated with audiogen", font=small, fill=accent
    )
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=88)
    return out.getvalue()


def _hsl_to_rgb(h: float, s: float, lightness: float) -> tuple[int, int, int]:
    import colorsys

    r, g, b = colorsys.hls_to_rgb(h, lightness, s)
    return round(r * 255), round(g * 255), round(b * 255)
