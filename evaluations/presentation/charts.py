"""Small server-rendered SVG graphics, so the page and the PDF show the same picture without
scripts: a body map of pain points, and trend lines of key measures across evaluations."""

import math
from collections.abc import Iterable
from html import escape  # quotes too: these strings go into attributes

from evaluations.interpretation.trends import Series
from evaluations.models import PainPoint

# Where each pain region sits on a 120 x 260 outline, front (x 0-120) and back (x 140-260) views.
# (region code) -> list of (x, y) per side: left/right are the person's own sides. Seen from the
# front the person's right is on the viewer's left; seen from the back it is on the viewer's right.
FRONT, BACK = 0, 140
CENTRE = 60  # the figure's midline, from its left edge
REGION_POINTS = {
    "neck": {"midline": [(BACK + 60, 42)], "left": [(BACK + 54, 42)], "right": [(BACK + 66, 42)]},
    "shoulder": {"left": [(FRONT + 88, 58)], "right": [(FRONT + 32, 58)]},
    "chest": {"midline": [(FRONT + 60, 72)], "left": [(FRONT + 72, 72)], "right": [(FRONT + 48, 72)]},
    "upper_back": {"midline": [(BACK + 60, 72)], "left": [(BACK + 48, 72)], "right": [(BACK + 72, 72)]},
    "lower_back": {"midline": [(BACK + 60, 112)], "left": [(BACK + 50, 112)], "right": [(BACK + 70, 112)]},
    "elbow": {"left": [(FRONT + 96, 98)], "right": [(FRONT + 24, 98)]},
    "wrist_hand": {"left": [(FRONT + 102, 134)], "right": [(FRONT + 18, 134)]},
    "hip": {"left": [(FRONT + 76, 128)], "right": [(FRONT + 44, 128)]},
    "groin": {"left": [(FRONT + 66, 140)], "right": [(FRONT + 54, 140)], "midline": [(FRONT + 60, 140)]},
    "full_leg": {
        "left": [(FRONT + 70, 160), (FRONT + 70, 200)],
        "right": [(FRONT + 50, 160), (FRONT + 50, 200)],
    },
    "knee": {"left": [(FRONT + 70, 184)], "right": [(FRONT + 50, 184)]},
    "ankle": {"left": [(FRONT + 70, 232)], "right": [(FRONT + 50, 232)]},
    "foot": {"left": [(FRONT + 72, 246)], "right": [(FRONT + 48, 246)]},
}


def _side_letters(x0: int, *, back: bool) -> str:
    """L and R beside the figure, on the side of the person's left and right as drawn."""
    viewer_left, viewer_right = ("L", "R") if back else ("R", "L")
    return (
        f'<text x="{x0 + 6}" y="30" font-size="10" font-weight="bold" text-anchor="middle" fill="#333">{viewer_left}</text>'
        f'<text x="{x0 + 114}" y="30" font-size="10" font-weight="bold" text-anchor="middle" fill="#333">{viewer_right}</text>'
    )


def _outline(x0: int) -> str:
    return (
        f'<g fill="#f4f6f8" stroke="#8a949e" stroke-width="1.2">'
        f'<circle cx="{x0 + 60}" cy="22" r="14"/>'
        f'<rect x="{x0 + 40}" y="38" width="40" height="100" rx="12"/>'
        f'<rect x="{x0 + 20}" y="48" width="14" height="92" rx="7"/><rect x="{x0 + 86}" y="48" width="14" height="92" rx="7"/>'
        f'<rect x="{x0 + 42}" y="136" width="16" height="114" rx="7"/><rect x="{x0 + 62}" y="136" width="16" height="114" rx="7"/>'
        f"</g>"
    )


def _colour(intensity: int) -> str:
    return "#dc3545" if intensity >= 7 else "#fd7e14" if intensity >= 4 else "#ffc107"


def body_map(pain_points: Iterable[PainPoint]) -> str:
    """Front and back outlines with each pain point marked, coloured by intensity (NRS bands)."""
    pain_points = list(pain_points)
    marks = []
    for point in pain_points:
        sides = ("left", "right") if point.side == "bilateral" else (point.side,)
        for side in sides:
            for x, y in REGION_POINTS.get(point.region.code, {}).get(side, []):
                label = escape(
                    f"{point.region.label}, {point.get_side_display().lower()}: {point.intensity}/10"
                )
                marks.append(
                    f'<g><title>{label}</title><circle cx="{x}" cy="{y}" r="7" fill="{_colour(point.intensity)}" '
                    f'fill-opacity="0.85" stroke="#333"/><text x="{x}" y="{y + 3}" font-size="8" text-anchor="middle" '
                    f'fill="#000">{point.intensity}</text></g>'
                )
    summary = (
        "; ".join(f"{p.region.label} {p.get_side_display().lower()} {p.intensity}/10" for p in pain_points)
        or "no pain recorded"
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 260 270" width="260" height="270" role="img" '
        f'aria-label="Body map: {escape(summary)}">'
        f"{_outline(FRONT)}{_outline(BACK)}"
        f"{_side_letters(FRONT, back=False)}{_side_letters(BACK, back=True)}"
        f'<text x="{FRONT + CENTRE}" y="266" font-size="10" font-weight="bold" text-anchor="middle">Front</text>'
        f'<text x="{BACK + CENTRE}" y="266" font-size="10" font-weight="bold" text-anchor="middle">Back</text>'
        f"{''.join(marks)}</svg>"
    )


def _nice_ceiling(value: float) -> float:
    """The smallest round number (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten) at or
    above `value`: the top of the value axis."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if step * power >= value)


def trend_chart(series: Series, width: int = 320, height: int = 150) -> str:
    """A line of one measure across evaluations, with its values written at each point. The
    value axis starts at zero (or, with negative values, says where it starts); both axes are
    labelled, the value axis with the unit, the other with each evaluation's date."""
    values = [value for _date, value in series.points]
    if not values:
        return ""
    low = min(0.0, min(values))
    # Headroom above the highest value, so its label stays inside the plot.
    high = _nice_ceiling(max(values) * 1.15) if max(values) > low else low + 1
    left, right, top, bottom = 46, width - 10, 24, height - 36
    inset = 16  # the first and last point stand clear of the axes
    step = (right - left - 2 * inset) / max(len(values) - 1, 1)

    def y(value: float) -> float:
        return bottom - (value - low) / (high - low) * (bottom - top)

    xs = [left + inset + i * step for i in range(len(values))] if len(values) > 1 else [(left + right) / 2]
    coords = [(x, y(value)) for x, value in zip(xs, values, strict=True)]
    line = " ".join(f"{x:.1f},{yy:.1f}" for x, yy in coords)
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{yy:.1f}" r="3" fill="#0d6efd"/><text x="{x:.1f}" y="{yy - 6:.1f}" font-size="9" '
        f'text-anchor="middle">{value:g}</text><text x="{x:.1f}" y="{bottom + 12}" font-size="8" text-anchor="middle" '
        f'fill="#333">{escape(date)}</text>'
        for (x, yy), (date, value) in zip(coords, series.points, strict=True)
    )
    ticks = "".join(
        f'<line x1="{left - 3}" y1="{y(tick):.1f}" x2="{left}" y2="{y(tick):.1f}" stroke="#555"/>'
        f'<text x="{left - 5}" y="{y(tick) + 3:.1f}" font-size="8" text-anchor="end" fill="#333">{tick:g}</text>'
        for tick in (low, (low + high) / 2, high)
    )
    start_note = (
        f'<text x="{left + 4}" y="{bottom - 4}" font-size="8" fill="#b02a37">axis starts at {low:g}</text>'
        if low != 0
        else ""
    )
    middle = (top + bottom) / 2
    better = "lower is better" if series.lower_is_better else "higher is better"
    description = ", ".join(f"{date} {value:g}" for date, value in series.points)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(series.label)} ({escape(series.unit)}): {escape(description)}">'
        f'<text x="2" y="11" font-size="10" font-weight="bold">{escape(series.label)} ({escape(series.unit)}; {better})</text>'
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="#555"/>'
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#555"/>{ticks}{start_note}'
        f'<text x="10" y="{middle:.1f}" font-size="8" text-anchor="middle" fill="#333" '
        f'transform="rotate(-90 10 {middle:.1f})">{escape(series.unit)}</text>'
        f'<text x="{(left + right) / 2:.1f}" y="{height - 4}" font-size="8" text-anchor="middle" fill="#333">'
        f"Date of evaluation</text>"
        f'<polyline points="{line}" fill="none" stroke="#0d6efd" stroke-width="2"/>{dots}</svg>'
    )
