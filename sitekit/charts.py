"""Geometry of the bar charts drawn by `{{ chart("id") }}`; the markup is overrides/kb/chart.html.

Why the SVG is written here and not by a charting library: pygal 3.1.3 (able to write SVG
without a browser) was tried first and did not fit cleanly, so it is no longer installed:
- its series colours must be literal colours (it parses them to pick a contrasting text colour),
  so `var(--...)` or `currentColor` fail and dark mode would need CSS overrides of its internals;
- every render gets a random `id` (uuid) that its CSS is scoped to, so two builds of the same
  data differ and tests cannot compare output;
- it writes a fixed-size drawing scaled by a viewBox: on a 360-pixel phone its 10-pixel axis text
  shrinks to about 8 pixels, and long Vietnamese labels are truncated, not wrapped;
- no role="img", aria-labelledby or <desc>; every axis tick carries its own <title>, which screen
  readers would read as noise; tick labels are not in Vietnamese number format.
The charts the site needs are plain horizontal bars, which take a few lines of arithmetic.

Sizing: the SVG has no viewBox. Its width is 100% of the column and its height is fixed in
pixels, bar lengths are percentages of the width, and text keeps its CSS pixel size, so labels
stay legible on a 360-pixel phone and do not grow on a wide screen. Labels wrap at a length that
fits a 300-pixel column.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from . import fmt

FONT = 14          # px, labels and values
LINE = 18          # px per label line
BAR = 18           # px bar thickness
GAP = 14           # px between rows
GROUP_GAP = 8      # px before a group heading (besides GAP)
MAX_BAR = 72.0     # % of the width for the largest bar; the rest holds the value text
WRAP = 40          # characters per label line (fits 300 px at 14 px)


@dataclass
class Row:
    fig: object
    label: str
    label_lines: list[str]
    label_y: list[int]
    bar_y: int
    pct: float            # bar length, % of the width
    value_text: str
    colour: int           # 1 or 2: position inside its group
    group_heading: str = ""
    heading_y: int = 0


@dataclass
class Layout:
    rows: list[Row] = field(default_factory=list)
    height: int = 0
    percent_scale: bool = False


def wrap(text: str) -> list[str]:
    return textwrap.wrap(text, WRAP, break_long_words=False) or [text]


def layout(chart: dict, figures: dict) -> Layout:
    items = chart["series"]
    figs = [figures[i["fig"]] for i in items]
    percent = all(f.is_percent for f in figs)
    # Shares are drawn on their whole 0–100% scale; counts relative to the largest.
    top = 100.0 if percent else max((f.value for f in figs), default=0) or 1.0
    out = Layout(percent_scale=percent)
    y = 0
    group, index = None, 0
    for item, f in zip(items, figs, strict=False):
        row_group = item.get("group")
        heading = ""
        if row_group and row_group != group:
            y += GROUP_GAP if out.rows else 0
            heading = row_group
            heading_y = y + FONT
            y += LINE + 4
            index = 0
        elif not row_group:
            index = 0
        group = row_group
        index += 1
        label = item.get("label") or f.label
        if f.derived:
            label += " (số tính toán)"
        lines = wrap(label)
        label_y = [y + FONT + k * LINE for k in range(len(lines))]
        y += LINE * len(lines) + 4
        row = Row(fig=f, label=item.get("label") or f.label, label_lines=lines, label_y=label_y, bar_y=y,
                  pct=round(f.value / top * MAX_BAR, 3), value_text=fmt.figure_text(f, with_unit=True),
                  colour=1 if not row_group else (index - 1) % 2 + 1)
        if heading:
            row.group_heading, row.heading_y = heading, heading_y
        out.rows.append(row)
        y += BAR + GAP
    out.height = y - GAP + 4
    return out
