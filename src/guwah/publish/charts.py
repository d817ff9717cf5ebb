"""Charts as SVG text, drawn on the server: bars, columns and a tile map of Xinjiang.

Public pages must render without network access and without scripts (the site's policy
forbids inline scripts, and the static copy opens from a disk), so charts are plain SVG
written here: every shape has a text label, every chart an accessible ``<title>`` and
``<desc>``, and every bar a tooltip. Colours are presentation attributes (allowed by the
style policy, unlike ``style=``) with a class the stylesheet may override.

The map is a schematic on purpose: one square per prefecture-level unit, placed roughly
where the unit lies. It draws no borders or shapes, which we could not draw honestly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

ACCENT = "#0d5c8c"
INK = "#1d232b"
MUTED = "#5b6673"
EMPTY = "#eef1f4"
# light to dark: the shades of the map (sequential, readable in grey too)
SHADES = ("#d6e6f2", "#a9cbe3", "#6fa6cf", "#2f78b0", "#0d4f7c")
FONT = 'font-family="system-ui, sans-serif"'


@dataclass(frozen=True)
class Bar:
    label: str
    value: int


@dataclass(frozen=True)
class Tile:
    """A square of the tile map: its grid cell, label and value (None: no data)."""

    column: int
    row: int
    label: str
    value: int | None


# The 14 prefecture-level units of Xinjiang on a 6 × 5 grid (column, row), placed by the
# rough position of each unit: north at the top, west on the left. Not to scale.
XINJIANG_GRID: dict[str, tuple[int, int]] = {
    "CN-654200": (2, 0),  # Tacheng
    "CN-654300": (3, 0),  # Altay
    "CN-652700": (1, 1),  # Bortala
    "CN-650200": (2, 1),  # Karamay
    "CN-652300": (3, 1),  # Changji
    "CN-654000": (1, 2),  # Ili
    "CN-650100": (3, 2),  # Urumqi
    "CN-650400": (4, 2),  # Turpan
    "CN-650500": (5, 2),  # Hami
    "CN-653000": (0, 3),  # Kizilsu
    "CN-652900": (1, 3),  # Aksu
    "CN-652800": (3, 3),  # Bayingolin
    "CN-653100": (0, 4),  # Kashgar
    "CN-653200": (1, 4),  # Hotan
}


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def _open(chart_id: str, width: int, height: int, title: str, desc: str) -> list[str]:
    ref = _text(chart_id)
    return [
        # laid out left to right in any interface language: on a right-to-left page an
        # inherited direction would flip every text anchor (labels over their bars)
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" direction="ltr" '
        f'aria-labelledby="{ref}-title {ref}-desc" {FONT} font-size="13">',
        f'<title id="{ref}-title">{_text(title)}</title>',
        f'<desc id="{ref}-desc">{_text(desc)}</desc>',
    ]


def _clip(label: str, most: int) -> str:
    return label if len(label) <= most else label[: most - 1] + "…"


def bar_chart(bars: Sequence[Bar], *, chart_id: str, title: str, desc: str) -> str:
    """Horizontal bars, one row per label (for categories: status, ethnicity)."""
    row, top, gap = 26, 6, 8
    labels = [_clip(b.label, 34) for b in bars]
    label_width = min(260, 24 + 7 * max((len(text) for text in labels), default=4))
    plot = 360
    width = label_width + plot + 60
    height = top * 2 + row * max(len(bars), 1)
    most = max((b.value for b in bars), default=0) or 1
    out = _open(chart_id, width, height, title, desc)
    for i, (bar, label) in enumerate(zip(bars, labels, strict=True)):
        y = top + i * row
        length = round(plot * bar.value / most)
        middle = y + row / 2 + 4
        out += [
            f"<g><title>{_text(bar.label)}: {bar.value}</title>",
            f'<text x="{label_width - gap}" y="{middle}" text-anchor="end" fill="{INK}">'
            f"{_text(label)}</text>",
            f'<rect class="bar" x="{label_width}" y="{y + 4}" width="{max(length, 1)}" '
            f'height="{row - 8}" fill="{ACCENT}"/>',
            f'<text class="value" x="{label_width + length + 6}" y="{middle}" fill="{INK}">'
            f"{bar.value}</text></g>",
        ]
    if not bars:
        out.append(f'<text x="10" y="22" fill="{MUTED}">—</text>')
    out.append("</svg>")
    return "".join(out)


def column_chart(bars: Sequence[Bar], *, chart_id: str, title: str, desc: str) -> str:
    """Vertical columns in the given order (years, sentence lengths, a histogram)."""
    plot, top, bottom, left = 160, 22, 40, 12
    step = max(44, 8 + 7 * max((len(b.label) for b in bars), default=0))  # labels fit
    width = left * 2 + step * max(len(bars), 1)
    height = top + plot + bottom
    most = max((b.value for b in bars), default=0) or 1
    out = _open(chart_id, width, height, title, desc)
    base = top + plot
    out.append(f'<line x1="{left}" y1="{base}" x2="{width - left}" y2="{base}" stroke="{MUTED}"/>')
    for i, bar in enumerate(bars):
        x = left + i * step
        tall = round(plot * bar.value / most)
        centre = x + step / 2
        out += [
            f"<g><title>{_text(bar.label)}: {bar.value}</title>",
            f'<rect class="bar" x="{x + 6}" y="{base - tall}" width="{step - 12}" '
            f'height="{tall}" fill="{ACCENT}"/>',
            f'<text class="value" x="{centre}" y="{base - tall - 5}" text-anchor="middle" '
            f'fill="{INK}">{bar.value}</text>',
            f'<text x="{centre}" y="{base + 16}" text-anchor="middle" fill="{INK}" '
            f'font-size="11">{_text(_clip(bar.label, 16))}</text></g>',
        ]
    out.append("</svg>")
    return "".join(out)


def shade(value: int | None, most: int) -> int:
    """The shade step of a value (0: none; 1-5 darker with more), for the map and legend."""
    if not value or most <= 0:
        return 0
    return max(1, min(len(SHADES), math.ceil(len(SHADES) * value / most)))


def _lines(label: str, width: int) -> list[str]:
    """A label in at most two lines of ``width`` characters (broken between words)."""
    words, lines = label.split(), [""]
    for word in words:
        joined = f"{lines[-1]} {word}".strip()
        if len(joined) <= width or not lines[-1]:
            lines[-1] = joined
        elif len(lines) < 2:
            lines.append(word)
        else:
            lines[-1] = joined
    return [_clip(line, width) for line in lines]


def tile_map(
    tiles: Sequence[Tile], *, chart_id: str, title: str, desc: str, legend: str = ""
) -> str:
    """A grid of labelled squares shaded by value, with a legend of the shades."""
    cell, pad = 104, 4
    columns = max((t.column for t in tiles), default=0) + 1
    rows = max((t.row for t in tiles), default=0) + 1
    width = columns * cell
    legend_top = rows * cell + 10
    height = legend_top + 34
    most = max((t.value or 0 for t in tiles), default=0)
    out = _open(chart_id, width, height, title, desc)
    for tile in tiles:
        x, y = tile.column * cell + pad, tile.row * cell + pad
        step = shade(tile.value, most)
        fill = SHADES[step - 1] if step else EMPTY
        ink = "#ffffff" if step >= 4 else INK
        size = cell - 2 * pad
        value = "–" if tile.value is None else str(tile.value)
        out += [
            f"<g><title>{_text(tile.label)}: {value}</title>",
            f'<rect class="tile shade-{step}" x="{x}" y="{y}" width="{size}" height="{size}" '
            f'rx="6" fill="{fill}" stroke="#ffffff"/>',
        ]
        for n, line in enumerate(_lines(tile.label, 14)):
            out.append(
                f'<text x="{x + size / 2}" y="{y + 22 + 15 * n}" text-anchor="middle" '
                f'fill="{ink}" font-size="12">{_text(line)}</text>'
            )
        out.append(
            f'<text x="{x + size / 2}" y="{y + size - 14}" text-anchor="middle" fill="{ink}" '
            f'font-size="20" font-weight="700">{value}</text></g>'
        )
    out += _legend(most, legend_top, legend)
    out.append("</svg>")
    return "".join(out)


def _legend(most: int, top: int, label: str) -> list[str]:
    out = [f'<text x="4" y="{top + 16}" fill="{MUTED}" font-size="12">{_text(label)}</text>']
    x = 8 + 7 * len(label)
    bounds = [0] + [math.floor(most * (i + 1) / len(SHADES)) for i in range(len(SHADES))]
    for i, colour in enumerate(SHADES):
        low, high = bounds[i] + 1, bounds[i + 1]
        if most <= 0 or high < low:
            continue
        text = str(low) if low == high else f"{low}–{high}"
        out += [
            f'<rect x="{x}" y="{top + 4}" width="16" height="16" fill="{colour}"/>',
            f'<text x="{x + 20}" y="{top + 16}" fill="{INK}" font-size="12">{text}</text>',
        ]
        x += 34 + 7 * len(text)
    return out
