"""The demo articles' featured images, drawn here with Pillow when the demo is loaded.

They are our own work (nothing is fetched or shipped), abstract on purpose: stylised maps, a
chart without figures, compositions of shapes. No image pretends to be a real map or real data.
Each is drawn at twice its size and scaled down, which smooths every edge; a seed per article
keeps each drawing the same on every load.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from io import BytesIO

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1600, 1000
SCALE = 2  # drawn at this multiple, then scaled down

PAPER = (241, 236, 226)
INK = (29, 31, 35)
RUST = (140, 47, 27)
TEAL = (47, 93, 98)
OCHRE = (194, 143, 44)
SLATE = (91, 103, 112)
SAND = (222, 210, 186)
SEA = (176, 196, 199)

Point = tuple[float, float]


def _blob(rng: random.Random, centre: Point, radius: float, points: int = 48) -> list[Point]:
    """An irregular closed outline around `centre`: a circle with smoothed random bumps."""
    bumps = [rng.uniform(0.75, 1.2) for _ in range(8)]
    outline = []
    for i in range(points):
        angle = 2 * math.pi * i / points
        # Blend the two nearest bumps so the edge undulates instead of jumping.
        position = 8 * i / points
        low, frac = int(position) % 8, position - int(position)
        scale = bumps[low] * (1 - frac) + bumps[(low + 1) % 8] * frac
        scale *= rng.uniform(0.97, 1.03)
        outline.append(
            (centre[0] + math.cos(angle) * radius * scale * 1.25,
             centre[1] + math.sin(angle) * radius * scale)
        )  # fmt: skip
    return outline


def _curve(start: Point, control: Point, end: Point, steps: int = 80) -> list[Point]:
    """A quadratic Bézier curve as a polyline."""
    return [
        (
            (1 - t) ** 2 * start[0] + 2 * (1 - t) * t * control[0] + t**2 * end[0],
            (1 - t) ** 2 * start[1] + 2 * (1 - t) * t * control[1] + t**2 * end[1],
        )
        for t in (i / steps for i in range(steps + 1))
    ]


def _dashed(draw: ImageDraw.ImageDraw, line: list[Point], fill, width: int, every: int = 4):
    for i in range(0, len(line) - 1, every):
        draw.line(line[i : i + every // 2 + 1], fill=fill, width=width)


def _dot_grid(draw: ImageDraw.ImageDraw, w: int, h: int, gap: int, fill) -> None:
    for x in range(gap // 2, w, gap):
        for y in range(gap // 2, h, gap):
            draw.ellipse((x - 3, y - 3, x + 3, y + 3), fill=fill)


def partnership_map(rng: random.Random, w: int, h: int) -> Image.Image:
    """Two territories with a sea between them and a route across: the pillar's stylised map."""
    image = Image.new("RGB", (w, h), SEA)
    draw = ImageDraw.Draw(image)
    north = _blob(rng, (w * 0.22, h * 0.08), w * 0.3)
    south = _blob(rng, (w * 0.8, h * 1.02), w * 0.3)
    draw.polygon(north, fill=SAND)
    draw.polygon(south, fill=SAND)
    _dot_grid(draw, w, h, 64, (255, 255, 255))
    draw.polygon(_blob(rng, (w * 0.52, h * 0.5), w * 0.09), fill=(150, 178, 182))
    draw.line([*north, north[0]], fill=SLATE, width=6)
    draw.line([*south, south[0]], fill=SLATE, width=6)
    moscow, tehran = (w * 0.2, h * 0.3), (w * 0.74, h * 0.8)
    route = _curve(moscow, (w * 0.3, h * 0.95), tehran)
    _dashed(draw, route, RUST, 14)
    for x, y in (moscow, tehran):
        draw.ellipse((x - 34, y - 34, x + 34, y + 34), fill=PAPER, outline=INK, width=10)
        draw.ellipse((x - 14, y - 14, x + 14, y + 14), fill=RUST)
    return image


def rings(rng: random.Random, w: int, h: int) -> Image.Image:
    """Offset rings and sectors: two powers circling one place (the Syria article)."""
    image = Image.new("RGB", (w, h), PAPER)
    draw = ImageDraw.Draw(image)
    for i, colour in enumerate((SAND, SEA, SAND, SEA, SAND)):
        r = h * (0.95 - 0.16 * i)
        cx, cy = w * (0.36 + 0.015 * i), h * 0.52
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour)
    cx, cy, r = w * 0.42, h * 0.52, h * 0.3
    start = rng.randint(0, 60)
    draw.pieslice((cx - r, cy - r, cx + r, cy + r), start, start + 150, fill=RUST)
    draw.pieslice((cx - r, cy - r, cx + r, cy + r), start + 170, start + 300, fill=TEAL)
    draw.ellipse((cx - r * 0.35, cy - r * 0.35, cx + r * 0.35, cy + r * 0.35), fill=PAPER)
    for i in range(7):
        x = w * 0.72 + i * 70
        draw.line([(x, h * 0.2), (x, h * 0.8)], fill=SLATE, width=8)
    draw.rectangle((w * 0.72 - 20, h * 0.46, w * 0.72 + 440, h * 0.54), fill=OCHRE)
    return image


def bar_chart(rng: random.Random, w: int, h: int) -> Image.Image:
    """A chart without figures: rising bars with a few picked out (the arms-trade article)."""
    image = Image.new("RGB", (w, h), PAPER)
    draw = ImageDraw.Draw(image)
    left, right, top, base = w * 0.08, w * 0.92, h * 0.12, h * 0.86
    for i in range(5):
        y = base - (base - top) * i / 4
        draw.line([(left, y), (right, y)], fill=SAND, width=4)
    bars = 16
    slot = (right - left) / bars
    level = 0.25
    for i in range(bars):
        level = min(0.98, max(0.08, level + rng.uniform(-0.05, 0.09)))
        x0 = left + i * slot + slot * 0.18
        colour = RUST if i in (9, 10, 13) else (TEAL if i % 5 == 4 else SLATE)
        draw.rectangle((x0, base - (base - top) * level, x0 + slot * 0.64, base), fill=colour)
    rise = base - top
    trend = [(left + (i + 0.5) * slot, base - rise * (0.3 + 0.035 * i)) for i in range(bars)]
    draw.line(trend, fill=OCHRE, width=12, joint="curve")
    draw.line([(left, base), (right, base)], fill=INK, width=8)
    return image


def corridor(rng: random.Random, w: int, h: int) -> Image.Image:
    """A north–south route through contour lines, with stations (the corridor article)."""
    image = Image.new("RGB", (w, h), SAND)
    draw = ImageDraw.Draw(image)
    for i in range(-2, 24):
        phase, amplitude = rng.uniform(0, math.tau), rng.uniform(20, 60)
        line = [
            (x, i * h / 20 + amplitude * math.sin(x / w * math.tau * 1.3 + phase))
            for x in range(0, w + 40, 40)
        ]
        draw.line(line, fill=PAPER, width=6)
    draw.rectangle((w * 0.56, 0, w * 0.7, h), fill=SEA)
    route = []
    for i in range(13):
        y = h * i / 12
        route.append((w * 0.42 + math.sin(i * 0.9) * w * 0.06, y))
    draw.line(route, fill=INK, width=26, joint="curve")
    draw.line(route, fill=OCHRE, width=12, joint="curve")
    for x, y in route[2:-1:3]:
        draw.line([(x, y), (x - w * 0.12, y)], fill=INK, width=10)
        draw.ellipse((x - 30, y - 30, x + 30, y + 30), fill=PAPER, outline=INK, width=10)
    x, y = route[6]
    draw.ellipse((x - 44, y - 44, x + 44, y + 44), fill=RUST, outline=INK, width=10)
    return image


def triangle(rng: random.Random, w: int, h: int) -> Image.Image:
    """Three points held in tension (the Israel triangle article)."""
    image = Image.new("RGB", (w, h), PAPER)
    overlay = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    shade = ImageDraw.Draw(overlay)
    points = [(w * 0.26, h * 0.8), (w * 0.52, h * 0.14), (w * 0.8, h * 0.74)]
    jitter = [(x + rng.uniform(-40, 40), y + rng.uniform(-40, 40)) for x, y in points]
    shade.polygon(points, fill=(*SEA, 255))
    shade.polygon([jitter[0], jitter[1], (w * 0.55, h * 0.62)], fill=(*TEAL, 150))
    shade.polygon([jitter[1], jitter[2], (w * 0.5, h * 0.6)], fill=(*RUST, 130))
    image.paste(overlay, (0, 0), overlay)
    draw = ImageDraw.Draw(image)
    draw.line([*points, points[0]], fill=INK, width=10, joint="curve")
    for (x, y), colour in zip(points, (TEAL, RUST, OCHRE), strict=True):
        draw.ellipse((x - 70, y - 70, x + 70, y + 70), fill=colour, outline=INK, width=10)
    return image


DRAWINGS: dict[str, Callable[[random.Random, int, int], Image.Image]] = {
    "partnership-map": partnership_map,
    "rings": rings,
    "bar-chart": bar_chart,
    "corridor": corridor,
    "triangle": triangle,
}


def draw_png(kind: str, seed: str) -> bytes:
    """The drawing named `kind` (a key of DRAWINGS) as PNG bytes, WIDTH × HEIGHT pixels."""
    rng = random.Random(seed)
    large = DRAWINGS[kind](rng, WIDTH * SCALE, HEIGHT * SCALE)
    image = large.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
    buffer = BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
