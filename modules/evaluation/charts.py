"""Charts drawn on the server as SVG: the same markup on the dashboard page and in the 通报 PDF.

No chart library and nothing fetched: a horizontal bar chart (scores by department) and a line
chart (a score over periods). Every label is escaped; the numbers are written beside the bars
and points, so the chart reads the same printed in black and white.
"""

from __future__ import annotations

from markupsafe import Markup, escape

FONT = "Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif"
COLOURS = ("#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b7791f", "#c53030", "#2c7a7b")


def bar_chart(
    bars: list[tuple[str, float]], *, title: str, maximum: float = 100.0, width: int = 560
) -> Markup:
    """Horizontal bars ``(label, value)`` on a scale to ``maximum``, each value printed."""
    row, left, top = 26, 150, 30
    height = top + row * max(len(bars), 1) + 10
    span = width - left - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    for i, (label, value) in enumerate(bars):
        y = top + i * row
        length = 0 if maximum <= 0 else max(0.0, min(value / maximum, 1.0)) * span
        parts.append(
            f'<text x="{left - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{left}" y="{y + 3}" width="{length:.1f}" height="{row - 8}" '
            f'fill="{COLOURS[0]}"/>'
            f'<text x="{left + length + 6:.1f}" y="{y + 15}">{value:.2f}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every label escaped above)


def line_chart(
    labels: list[str],
    series: dict[str, list[float | None]],
    *,
    title: str,
    maximum: float = 100.0,
    width: int = 560,
    plot_h: int = 160,
) -> Markup:
    """One line per series over ``labels`` (periods); a ``None`` value leaves a gap."""
    left, right, top = 40, 20, 30
    bottom = 30 + 14 * ((len(series) + 2) // 3)  # the legend: three names a row
    plot_w, height = width - left - right, top + plot_h + bottom
    pad = 30  # the first and last points clear of the axis labels
    step = (plot_w - 2 * pad) / max(len(labels) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + pad + i * step, top + plot_h * (1 - max(0.0, min(v / maximum, 1.0)))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="11">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    for tick in (0, 50, 100):
        _x, y = xy(0, maximum * tick / 100)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#ccc"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">'
            f"{maximum * tick / 100:g}</text>"
        )
    for i, label in enumerate(labels):
        x, _y = xy(i, 0)
        parts.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle">{escape(label)}</text>'
        )
    for n, (name, values) in enumerate(series.items()):
        colour = COLOURS[n % len(COLOURS)]
        points = [xy(i, v) for i, v in enumerate(values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        for (x, y), v in zip(points, [v for v in values if v is not None], strict=True):
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>'
                f'<text x="{x:.1f}" y="{y - 6:.1f}" text-anchor="middle">{v:.1f}</text>'
            )
        ly = top + plot_h + 34 + 14 * (n // 3)
        lx = left + (n % 3) * 170
        parts.append(
            f'<rect x="{lx}" y="{ly - 9}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{lx + 14}" y="{ly}">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every label escaped above)
