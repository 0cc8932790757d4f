"""Charts drawn on the server as inline SVG (no script, no style attribute, no external library): a line
chart of series over periods (trends) and a bar chart of one value a period (documents a year, a
speaker's turns a year), both on axes whose ticks are round numbers."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

#: the colours of the series of a line chart, in order
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")
#: the widest a bar chart is drawn (units of its viewBox; pixels when it is not scaled down)
BAR_WIDTH = 560
#: series named on one row of a line chart's legend
LEGEND_ROW = 3
#: the steps an axis may take, times a power of ten
STEPS = (1, 2, 5)


def nice_ticks(low: float, high: float, *, most: int = 6, whole: bool = False) -> list[float]:
    """Ticks from at or below ``low`` to at or above ``high`` a step apart, the step 1, 2 or 5 times a
    power of ten, the smallest such step that needs no more than ``most`` ticks (at least 3: a range
    across zero needs them). ``whole``: counts, so the step is at least 1. A range of one value is
    widened to show it."""
    most = max(3, most)
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"axis ends must be finite numbers, not {low!r} and {high!r}")
    low, high = min(low, high), max(low, high)
    if high == low:
        high, low = (low + 1, low) if low >= 0 else (high, low - 1)
    exponent = math.floor(math.log10(max((high - low) / (most - 1), 1e-300)))      # (no step below 1e-300)
    while True:
        for factor in STEPS:
            step = factor * 10.0 ** exponent
            if whole and step < 1:
                continue

            def tick(k: int, step: float = step, digits: int = max(0, -exponent)) -> float:
                # rounded to the step's last digit: no float noise (0.30000000000000004) in a tick's value
                return round(k * step, digits)

            first, last = _whole(low / step, math.floor), _whole(high / step, math.ceil)
            first -= tick(first) > low              # a quotient taken for whole by mistake: one step further out
            last += tick(last) < high
            if last - first + 1 <= most:
                return [tick(k) for k in range(first, last + 1)]
        exponent += 1


def _whole(quotient: float, rounding: Callable[[float], int]) -> int:
    """``quotient`` rounded down or up, or to the nearest whole number when it is one but for float error."""
    nearest = round(quotient)
    return nearest if math.isclose(quotient, nearest, rel_tol=1e-14) else rounding(quotient)


def tick_label(value: float) -> str:
    """A tick's value as it reads on an axis: 1,000 · 2.5 · 0.02 (no float noise, no trailing zeros)."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")


def _y_axis(parts: list[str], ticks: list[float], y: Callable[[float], float], *, left: float, right: float) -> None:
    for v in ticks:
        parts.append(f'<line x1="{left}" x2="{right}" y1="{y(v):.1f}" y2="{y(v):.1f}" class="grid"/>'
                     f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" class="tick">{tick_label(v)}</text>')


def _every(count: int, room: int) -> int:
    """Label every n-th of ``count`` periods so that at most ``room`` labels are drawn."""
    return max(1, math.ceil(count / max(1, room)))


def line_chart(periods: Sequence[str], series: dict[str, list[float]], *, labels: dict[str, str] | None = None,
               width: int = 640, height: int = 360, what: str = "trend chart") -> Markup:
    """Series over periods as lines with a point a period (each point's value in its tooltip), a legend
    above the plot (``labels``: what a series is called there, else its name) and round ticks."""
    labels = labels or {}
    rows = math.ceil(len(series) / LEGEND_ROW) if series else 0
    left, right, bottom, top = 64, 24, 40, 20 + 30 * rows
    peak = max((v for vs in series.values() for v in vs), default=0)
    ticks = nice_ticks(0, peak if peak > 0 else 1, most=6)
    ceiling = ticks[-1]
    n = max(len(periods) - 1, 1)

    def x(i: int) -> float:
        return left + (width - left - right) * (i / n if len(periods) > 1 else 0.5)

    def y(v: float) -> float:
        return top + (height - top - bottom) * (1 - v / ceiling)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" class="chart line" '
             f'aria-label="{escape(what)}">']
    _y_axis(parts, ticks, y, left=left, right=width - right)
    every = _every(len(periods), 8 if max(map(len, periods), default=0) <= 4 else 5)   # years, else months or days
    for i, period in enumerate(periods):
        if i % every == 0:
            parts.append(f'<text x="{x(i):.1f}" y="{height - bottom + 20}" text-anchor="middle" class="tick">'
                         f'{escape(period)}</text>')
    for (term, values), colour in zip(series.items(), COLOURS, strict=False):
        name = labels.get(term, term)
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" points="{points}">'
                     f'<title>{escape(name)}</title></polyline>')
        for i, v in enumerate(values):
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.5" fill="{colour}">'
                         f'<title>{escape(name)}, {escape(periods[i])}: {tick_label(round(v, 3))}</title></circle>')
    for k, (term, colour) in enumerate(zip(series, COLOURS, strict=False)):
        lx, ly = left + 190 * (k % LEGEND_ROW), 22 + 30 * (k // LEGEND_ROW)
        parts.append(f'<rect x="{lx}" y="{ly - 8}" width="14" height="6" fill="{colour}"/>'
                     f'<text x="{lx + 20}" y="{ly}" class="legend">{escape(labels.get(term, term))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label on the axis, its value, where it leads (None: nowhere) and its tooltip."""

    label: str
    value: float
    href: str | None = None
    title: str = ""


def bar_chart(bars: Sequence[Bar], *, height: int = 240, what: str = "bar chart") -> Markup:
    """One bar a period, side by side, on round ticks (counts: whole steps); a bar with a link is a link
    (reached by Tab, its tooltip and label saying what it counts), and each bar's value stands above it
    when there is room. The chart is as wide as its bars need, up to BAR_WIDTH units (more only for
    more than 39 bars), and scales down."""
    count = max(len(bars), 1)
    left, right, bottom, top = 48, 12, 30, 18
    slot = max(14.0, min(64.0, (BAR_WIDTH - left - right) / count))
    width = int(left + right + slot * count)
    peak = max((b.value for b in bars), default=0)
    ticks = nice_ticks(0, peak if peak > 0 else 1, most=5, whole=True)
    ceiling = ticks[-1]

    def y(v: float) -> float:
        return top + (height - top - bottom) * (1 - v / ceiling)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
             f'class="chart bar" role="group" aria-label="{escape(what)}">']
    _y_axis(parts, ticks, y, left=left, right=width - right)
    every = _every(len(bars), int((width - left - right) // 52))     # a label in 52 units, however large
    numbers = slot >= 26
    for i, b in enumerate(bars):
        x = left + slot * i
        inner = slot * 0.72
        bx = x + (slot - inner) / 2
        tip = escape(b.title or f"{b.label}: {tick_label(b.value)}")
        rect = (f'<rect x="{bx:.1f}" y="{y(b.value):.1f}" width="{inner:.1f}" height="{y(0) - y(b.value):.1f}" '
                f'class="{"zero" if not b.value else "fill"}"/>')
        if numbers:    # (a zero too: a year without any is a fact, not a gap in the chart)
            rect += (f'<text x="{x + slot / 2:.1f}" y="{y(b.value) - 4:.1f}" text-anchor="middle" '
                     f'class="value{"" if b.value else " none"}">{tick_label(b.value)}</text>')
        if b.href and b.value:
            # the link covers the whole column, so a short bar is as easy to reach as a tall one
            parts.append(f'<a href="{escape(b.href)}" aria-label="{tip}"><title>{tip}</title>'
                         f'<rect x="{x:.1f}" y="{top}" width="{slot:.1f}" height="{y(0) - top:.1f}" class="hit"/>'
                         f'{rect}</a>')
        else:
            parts.append(f'<g><title>{tip}</title>{rect}</g>')
        if i % every == 0:
            parts.append(f'<text x="{x + slot / 2:.1f}" y="{height - bottom + 18}" text-anchor="middle" class="tick">'
                         f'{escape(b.label)}</text>')
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(0):.1f}" y2="{y(0):.1f}" class="axis"/></svg>')
    return Markup("".join(parts))


def every_year(counts: Sequence[tuple[str, float]]) -> list[tuple[str, float]]:
    """(year, value) for every year from the first to the last of ``counts`` (years as 4 digits), a year
    not in it as 0; anything that is not a year (``unknown``) is left out."""
    known = {int(year): value for year, value in counts if len(year) == 4 and year.isdigit()}
    if not known:
        return []
    return [(str(year), known.get(year, 0)) for year in range(min(known), max(known) + 1)]
