"""Axis calibration of a matplotlib figure PDF from its own tick labels and tick marks.

A tick is a short straight line on the page; a tick label is a number printed next to it
(below for x, left for y). The scale is decided from the labels alone: year labels on x
(matplotlib date axis: a label Y is the tick at Y-01-01), labels with a constant ratio are
a log axis, labels with a constant difference a linear one. Nothing is typed per file.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from dataclasses import dataclass

_NUMBER_RE = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")
_TICK_MAX_LENGTH = 30.0  # pt: matplotlib major ticks here are 20 pt, minor 10 pt
_LABEL_GAP = 40.0  # pt: tick label to tick end (matplotlib pad ~ 3.5-10 pt at this scale)
_YEAR_RANGE = (1900, 2100)


class FigureAxesError(ValueError):
    """A figure whose axes cannot be read; the message names the file and page."""


@dataclass(frozen=True)
class Axis:
    """One calibrated axis: page coordinate <-> data value.

    `scale` is `date` (value in days since 0001-01-01, proleptic ordinal), `log` or `linear`.
    `ticks` holds (label text, label value, page position) of every labelled tick.
    """

    name: str
    scale: str
    slope: float
    intercept: float
    ticks: tuple[tuple[str, float, float], ...]
    residual: float  # largest |position - fitted position| over labelled ticks, pt

    def _forward(self, value: float) -> float:
        return math.log10(value) if self.scale == "log" else value

    def to_page(self, value: float) -> float:
        """Page coordinate of a data value (for date axes: a proleptic ordinal day)."""
        return self.intercept + self.slope * self._forward(value)

    def to_value(self, position: float) -> float:
        """Data value at a page coordinate."""
        u = (position - self.intercept) / self.slope
        return 10**u if self.scale == "log" else u


@dataclass(frozen=True)
class Calibration:
    """Both axes of one figure page, plus the axis titles as printed."""

    x: Axis
    y: Axis
    x_title: str
    y_title: str
    plot_left: float  # page x of the y axis (tick roots)
    plot_bottom: float  # pdfplumber `top` of the x axis (tick roots)


def parse_tick_label(text: str) -> float | None:
    """The number a tick label prints ("1e+09", "0.01", "1000000", "10^3"), else None."""
    t = text.strip().replace("\u2212", "-")
    if _NUMBER_RE.match(t):
        return float(t)
    m = re.match(r"^10\^\{?(-?\d+)\}?$", t)
    return 10.0 ** int(m.group(1)) if m else None


def year_to_ordinal(year: int) -> int:
    """Proleptic ordinal of 1 January of `year` (matplotlib date ticks sit there)."""
    return dt.date(year, 1, 1).toordinal()


def ordinal_to_fractional_year(day: float) -> float:
    """A (fractional) ordinal day as a fractional year: 2020-07-02 -> ~2020.5."""
    date = dt.date.fromordinal(math.floor(day))
    start = year_to_ordinal(date.year)
    length = year_to_ordinal(date.year + 1) - start
    return date.year + (day - start) / length


def _fit(points: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Least squares position = a + b*u; returns (a, b, largest residual)."""
    n = len(points)
    mu = sum(u for u, _ in points) / n
    mp = sum(p for _, p in points) / n
    suu = sum((u - mu) ** 2 for u, _ in points)
    b = sum((u - mu) * (p - mp) for u, p in points) / suu
    a = mp - b * mu
    return a, b, max(abs(a + b * u - p) for u, p in points)


def choose_scale(values: list[float], is_x: bool) -> str:
    """`date`, `log` or `linear` from the tick label values alone.

    Whole numbers in the year range on x are years. Otherwise positive labels whose
    consecutive ratios agree (and differences do not) make a log axis.
    """
    if is_x and all(v.is_integer() and _YEAR_RANGE[0] <= v <= _YEAR_RANGE[1] for v in values):
        return "date"
    ordered = sorted(values)
    diffs = [b - a for a, b in itertools.pairwise(ordered)]
    if all(v > 0 for v in ordered) and len(ordered) >= 3:
        ratios = [b / a for a, b in itertools.pairwise(ordered)]
        ratio_spread = max(ratios) / min(ratios)
        diff_spread = max(diffs) / min(diffs)
        if ratio_spread < 1.0001 and diff_spread > 1.0001:
            return "log"
    return "linear"


def _numeric_words(words: list[dict]) -> list[tuple[dict, float]]:
    out = []
    for w in words:
        if w.get("upright", True):
            value = parse_tick_label(w["text"])
            if value is not None:
                out.append((w, value))
    return out


def _short_lines(lines: list[dict], vertical: bool) -> list[dict]:
    out = []
    for ln in lines:
        w, h = ln["x1"] - ln["x0"], ln["bottom"] - ln["top"]
        if vertical and w < 0.5 and 0 < h <= _TICK_MAX_LENGTH:
            out.append(ln)
        if not vertical and h < 0.5 and 0 < w <= _TICK_MAX_LENGTH:
            out.append(ln)
    return out


def _x_ticks(words, lines) -> list[tuple[str, float, float, float]]:
    """(label, value, tick x, tick root top) for numeric labels with a tick just above."""
    ticks = _short_lines(lines, vertical=True)
    out = []
    for w, value in _numeric_words(words):
        cx = (w["x0"] + w["x1"]) / 2
        near = [
            t
            for t in ticks
            if abs(t["x0"] - cx) <= (w["x1"] - w["x0"]) / 2
            and 0 <= w["top"] - t["bottom"] <= _LABEL_GAP
        ]
        if near:
            t = min(near, key=lambda t: (-(t["bottom"] - t["top"]), abs(t["x0"] - cx)))
            out.append((w["text"], value, t["x0"], t["top"]))
    return out


def _y_ticks(words, lines) -> list[tuple[str, float, float, float]]:
    """(label, value, tick y as pdfplumber top, tick root x) for labels with a tick right."""
    ticks = _short_lines(lines, vertical=False)
    out = []
    for w, value in _numeric_words(words):
        cy = (w["top"] + w["bottom"]) / 2
        near = [
            t
            for t in ticks
            if abs(t["top"] - cy) <= (w["bottom"] - w["top"]) / 2
            and 0 <= t["x0"] - w["x1"] <= _LABEL_GAP
        ]
        if near:
            t = min(near, key=lambda t: (-(t["x1"] - t["x0"]), abs(t["top"] - cy)))
            out.append((w["text"], value, t["top"], t["x1"]))
    return out


def _largest_row(ticks, key_index: int) -> list:
    """The ticks sharing the most common root coordinate (one axis, not stray numbers)."""
    groups: dict[float, list] = {}
    for t in ticks:
        groups.setdefault(round(t[key_index], 0), []).append(t)
    return max(groups.values(), key=len) if groups else []


def _axis(name: str, ticks: list, is_x: bool, where: str) -> Axis:
    values = [t[1] for t in ticks]
    if len(set(values)) < 2:
        raise FigureAxesError(f"{where}: {name} axis has fewer than 2 readable tick labels")
    scale = choose_scale(values, is_x)
    if scale == "date":
        pts = [(float(year_to_ordinal(int(v))), t[2]) for v, t in zip(values, ticks, strict=True)]
    elif scale == "log":
        pts = [(math.log10(v), t[2]) for v, t in zip(values, ticks, strict=True)]
    else:
        pts = [(v, t[2]) for v, t in zip(values, ticks, strict=True)]
    a, b, res = _fit(pts)
    labelled = tuple(sorted((t[0], t[1], t[2]) for t in ticks))
    return Axis(name=name, scale=scale, slope=b, intercept=a, ticks=labelled, residual=res)


def _rotated_title(chars: list[dict], right_of: float) -> str:
    """Text of the rotated (y axis) title left of the y tick labels, read bottom to top."""
    rot = sorted(
        (c for c in chars if not c["upright"] and c["x0"] < right_of), key=lambda c: -c["bottom"]
    )
    text, prev = "", None
    for c in rot:
        if prev is not None and prev["top"] - c["bottom"] > 0.2 * c["size"]:
            text += " "
        text += c["text"]
        prev = c
    return text.strip()


def calibrate(page, where: str) -> Calibration:
    """Calibrate the x and y axes of a pdfplumber page; `where` is `file:page` for errors.

    Raises FigureAxesError when an axis has fewer than 2 labelled ticks or the fitted
    tick positions miss the labels by more than 1 pt (not a straight scale).
    """
    words = page.extract_words(extra_attrs=["upright", "size"])
    lines = page.lines
    xt = _largest_row(_x_ticks(words, lines), 3)
    yt = _largest_row(_y_ticks(words, lines), 3)
    x = _axis("x", xt, True, where)
    y = _axis("y", yt, False, where)
    for axis in (x, y):
        if axis.residual > 1.0:
            raise FigureAxesError(
                f"{where}: {axis.name} tick labels do not lie on a {axis.scale} scale "
                f"(largest miss {axis.residual:.2f} pt)"
            )
    plot_bottom = xt[0][3]
    plot_left = yt[0][3]
    below = [
        w
        for w in words
        if w["top"] > plot_bottom and w["upright"] and parse_tick_label(w["text"]) is None
    ]
    x_title = " ".join(w["text"] for w in sorted(below, key=lambda w: (round(w["top"]), w["x0"])))
    y_title = _rotated_title(
        page.chars, min(w["x0"] for w, _ in _numeric_words(words)) if words else 0
    )
    return Calibration(x, y, x_title, y_title, plot_left, plot_bottom)
