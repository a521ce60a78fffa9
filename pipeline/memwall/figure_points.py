"""Plotted markers, their text labels and the legend's growth claims, read from figure PDFs.

Geometry and text come from pdfplumber. Marker colours come from PDFium (pypdfium2):
matplotlib draws scatter markers as Form XObjects whose fill colour is set outside the
form, and pdfminer (under pdfplumber 0.11.10) starts each form with a fresh graphics state,
so it reports every such marker as black; PDFium resolves the inherited colour.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import math
import re
from pathlib import Path

import pdfplumber
import polars as pl
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

from memwall import codes
from memwall.figure_axes import Calibration, calibrate, ordinal_to_fractional_year

_MARKER_SIZE = (8.0, 40.0)  # pt: a marker is a filled, roughly square blob of this width
# x font size: largest gap between a label's box and its marker's edge. Measured here: labels
# sit 0-40.5 pt from their marker (26 pt text, "PCIe 1.0a" below its point); 2 em admits them.
_LABEL_REACH = 2.0
_COINCIDENT = 1.0  # pt: markers whose centres are closer than this hide one another
_CLAIM_RE = re.compile(r"(?P<factor>\d[\d,]*(?:\.\d+)?)x\s*/\s*(?P<years>\d+)\s*yrs", re.I)

POINTS_SCHEMA = {
    "vintage": pl.String,
    "figure": pl.String,
    "series": pl.String,
    "colour": pl.String,
    "date": pl.Date,
    "year": pl.Float64,
    "value": pl.Float64,
    "value_unit": pl.String,
    "label": pl.String,
    "label_gap_pt": pl.Float64,
    "coincident": pl.Boolean,
    "page": pl.Int64,
    "x_pt": pl.Float64,
    "y_pt": pl.Float64,
}
CLAIMS_SCHEMA = {
    "vintage": pl.String,
    "figure": pl.String,
    "series": pl.String,
    "colour": pl.String,
    "legend_text": pl.String,
    "factor_per_2_years": pl.Float64,
    "factor_per_2_years_text": pl.String,
    "factor_per_2_years_half_unit": pl.Float64,
    "factor_per_20_years": pl.Float64,
    "factor_per_20_years_text": pl.String,
    "factor_per_20_years_half_unit": pl.Float64,
}


def _hex(rgb: tuple[float, ...]) -> str:
    return "#" + "".join(f"{round(c):02x}" for c in rgb)


def _plumber_colour(colour) -> str | None:
    """pdfplumber colour (gray or RGB in 0..1) as #rrggbb."""
    if colour is None:
        return None
    c = tuple(colour) if isinstance(colour, (tuple, list)) else (colour,)
    if len(c) == 1:
        c = c * 3
    return _hex(tuple(255 * v for v in c[:3])) if len(c) >= 3 else None


def read_markers(path: Path, page_index: int) -> list[dict]:
    """Every filled marker-sized path on a page: centre (pdfplumber coordinates) and colour.

    Paths inside Form XObjects take the form's box; their colour is the inner path's fill.
    """
    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[page_index]
        height = page.get_height()
        r, g, b, a = (ctypes.c_uint() for _ in range(4))
        markers = []
        form_box = None
        for obj in page.get_objects(max_depth=2):
            if obj.level == 0:
                form_box = obj.get_bounds() if obj.type == pdfium_raw.FPDF_PAGEOBJ_FORM else None
            if obj.type != pdfium_raw.FPDF_PAGEOBJ_PATH:
                continue
            box = form_box if obj.level > 0 else obj.get_bounds()
            if box is None:
                continue
            w, h = box[2] - box[0], box[3] - box[1]
            if not (_MARKER_SIZE[0] <= w <= _MARKER_SIZE[1] and abs(w - h) < 0.5):
                continue
            mode, stroke = ctypes.c_int(), ctypes.c_int()
            pdfium_raw.FPDFPath_GetDrawMode(obj.raw, mode, stroke)
            if mode.value == 0:  # not filled: an outline, not a marker
                continue
            pdfium_raw.FPDFPageObj_GetFillColor(obj.raw, r, g, b, a)
            markers.append(
                {
                    "x_pt": (box[0] + box[2]) / 2,
                    "y_pt": height - (box[1] + box[3]) / 2,
                    "size_pt": w,
                    "colour": _hex((r.value, g.value, b.value)),
                    "z": len(markers),  # drawing order: a later marker is drawn on top
                }
            )
        return markers
    finally:
        pdf.close()


def _text_lines(words: list[dict]) -> list[dict]:
    """Words joined into printed lines (same baseline, same colour, gaps under one em)."""
    lines: list[dict] = []
    for w in sorted(words, key=lambda w: (round(w["bottom"]), w["x0"])):
        colour = _plumber_colour(w.get("non_stroking_color"))
        last = lines[-1] if lines else None
        if (
            last
            and abs(last["bottom"] - w["bottom"]) < 1
            and last["colour"] == colour
            and 0 <= w["x0"] - last["x1"] < w["size"]
        ):
            last["text"] += " " + w["text"]
            last["x1"], last["top"] = w["x1"], min(last["top"], w["top"])
        else:
            lines.append({k: w[k] for k in ("x0", "x1", "top", "bottom", "text", "size")})
            lines[-1]["colour"] = colour
    return lines


def _legend_rows(lines: list[dict]) -> list[dict]:
    """Legend rows: a series name ending in ':' and a rate ("30x / 20 yrs") on one baseline.

    The name and the rate may be one printed line ("Inteconnect BW: 30x / 20 yrs") or two.
    """
    rows = []
    for rate in (ln for ln in lines if _CLAIM_RE.search(ln["text"])):
        head = rate["text"][: _CLAIM_RE.search(rate["text"]).start()]
        if ":" in head:
            name_text, rate_text = head.split(":")[0].strip(), rate["text"][len(head) :]
        else:
            left = [
                ln
                for ln in lines
                if abs(ln["bottom"] - rate["bottom"]) < 2
                and ln["x1"] <= rate["x0"]
                and ln["text"].endswith(":")
            ]
            if not left:
                continue
            name = max(left, key=lambda ln: ln["x1"])
            name_text, rate_text = name["text"].rstrip(":").strip(), rate["text"]
            rows.append(
                {"line": name, "name": name_text, "rate": rate_text, "colour": rate["colour"]}
            )
            rows.append({"line": rate, "name": None})
            continue
        rows.append({"line": rate, "name": name_text, "rate": rate_text, "colour": rate["colour"]})
    return rows


def _factor(text: str) -> tuple[float, float]:
    """A printed factor and half its last printed digit ("3.0" -> 3.0, 0.05; "60000" -> 5000)."""
    clean = text.replace(",", "")
    if "." in clean:
        decimals = len(clean.split(".")[1])
        return float(clean), 0.5 * 10**-decimals
    digits = clean.rstrip("0")
    return float(clean), 0.5 * 10 ** (len(clean) - len(digits))


def parse_claim(text: str) -> dict:
    """Factors per 2 and per 20 years printed in a legend rate ("60000x / 20 yrs (3.0x/2yrs)")."""
    out: dict = {}
    for m in _CLAIM_RE.finditer(text):
        key = {"2": "factor_per_2_years", "20": "factor_per_20_years"}.get(m["years"])
        if key and key not in out:
            value, half = _factor(m["factor"])
            out[key], out[key + "_text"], out[key + "_half_unit"] = value, m["factor"], half
    return out


def _gap(marker: dict, line: dict) -> float:
    """Distance from a marker's edge to the nearest point of a text line's box, pt (>= 0)."""
    dx = max(line["x0"] - marker["x_pt"], 0.0, marker["x_pt"] - line["x1"])
    dy = max(line["top"] - marker["y_pt"], 0.0, marker["y_pt"] - line["bottom"])
    return max(math.hypot(dx, dy) - marker["size_pt"] / 2, 0.0)


def _reach(marker: dict, line: dict) -> tuple[float, float]:
    """How well a text line sits as a label of a marker (smaller is closer).

    Upstream places labels with matplotlib's anchors: centred over or under the point, or
    starting or ending beside it. So the horizontal term is the distance from the marker to
    the nearest of the box's left edge, centre and right edge, plus the vertical gap to the
    box; the distance to the box's centre breaks ties.
    """
    cx, cy = (line["x0"] + line["x1"]) / 2, (line["top"] + line["bottom"]) / 2
    dx = min(abs(marker["x_pt"] - a) for a in (line["x0"], cx, line["x1"]))
    dy = max(line["top"] - marker["y_pt"], 0.0, marker["y_pt"] - line["bottom"])
    return dx + dy, math.hypot(cx - marker["x_pt"], cy - marker["y_pt"])


def _attach_labels(markers: list[dict], labels: list[dict]) -> None:
    """Pair labels and markers one to one, closest pairs first (greedy matching).

    Closeness is `_reach` (anchor distance). Only pairs within reach
    count. Black labels name points of every series here, so only a coloured label is
    limited to markers of its colour. Markers at one spot (within _COINCIDENT) count as one:
    the label names the one drawn on top, the visible one.
    """
    pairs = []
    for li, label in enumerate(labels):
        reach = _LABEL_REACH * label["size"]
        near = [m for m in markers if _gap(m, label) <= reach]
        same = [m for m in near if m["colour"] == label["colour"] != "#000000"]
        for m in same or near:
            pairs.append((_reach(m, label), li, m["z"]))
    by_z = {m["z"]: m for m in markers}
    used_labels: set[int] = set()
    used_markers: set[int] = set()
    for _, li, z in sorted(pairs):
        if li in used_labels or z in used_markers:
            continue
        m = by_z[z]
        spot = [
            o
            for o in markers
            if math.hypot(o["x_pt"] - m["x_pt"], o["y_pt"] - m["y_pt"]) < _COINCIDENT
        ]
        top = max(spot, key=lambda o: o["z"])
        if top["z"] in used_markers:
            continue
        top["label"], top["label_gap_pt"] = labels[li]["text"], _gap(top, labels[li])
        used_labels.add(li)
        used_markers.update(o["z"] for o in spot)


def read_figure(path: Path, vintage: str, figure: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(points, claims) of every page of one figure PDF.

    Raises FigureAxesError (naming `path:page`) when a page has no readable axes.
    """
    points, claims = [], []
    with pdfplumber.open(path) as pdf:
        for index, page in enumerate(pdf.pages):
            where = f"{path}:{index + 1}"
            cal = calibrate(page, where)
            words = page.extract_words(extra_attrs=["size", "non_stroking_color", "upright"])
            lines = _text_lines([w for w in words if w["upright"]])
            rows = _legend_rows(lines)
            legend_ids = {id(r["line"]) for r in rows}
            legend = [r for r in rows if r["name"] is not None]
            series_of = {r["colour"]: r["name"] for r in legend}
            for r in legend:
                claims.append(
                    {
                        "vintage": vintage,
                        "figure": figure,
                        "series": r["name"],
                        "colour": r["colour"],
                        "legend_text": f"{r['name']}: {r['rate'].strip()}",
                    }
                    | parse_claim(r["rate"])
                )
            markers = [m for m in read_markers(path, index) if _inside(m, cal)]
            labels = [
                ln
                for ln in lines
                if id(ln) not in legend_ids
                and ln["x0"] > cal.plot_left
                and ln["bottom"] < cal.plot_bottom
            ]
            _attach_labels(markers, labels)
            for m in markers:
                points.append(_point_row(m, cal, vintage, figure, index + 1, series_of, markers))
    pts = (
        pl.DataFrame(points, schema=POINTS_SCHEMA, orient="row")
        if points
        else _empty(POINTS_SCHEMA)
    )
    cls = pl.DataFrame(claims, schema=CLAIMS_SCHEMA) if claims else _empty(CLAIMS_SCHEMA)
    return pts.sort("vintage", "figure", "page", "x_pt", "y_pt"), cls.sort(
        "vintage", "figure", "series"
    )


def _empty(schema: dict) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


def _inside(marker: dict, cal: Calibration) -> bool:
    return marker["x_pt"] > cal.plot_left and marker["y_pt"] < cal.plot_bottom


def _point_row(m, cal, vintage, figure, page, series_of, markers) -> dict:
    day = cal.x.to_value(m["x_pt"])
    coincident = any(
        o is not m and math.hypot(o["x_pt"] - m["x_pt"], o["y_pt"] - m["y_pt"]) < _COINCIDENT
        for o in markers
    )
    return {
        "vintage": vintage,
        "figure": figure,
        "series": series_of.get(m["colour"]),
        "colour": m["colour"],
        "date": dt.date.fromordinal(round(day)) if cal.x.scale == "date" else None,
        "year": ordinal_to_fractional_year(day) if cal.x.scale == "date" else day,
        "value": cal.y.to_value(m["y_pt"]),
        "value_unit": cal.y_title,
        "label": m.get("label"),
        "label_gap_pt": m.get("label_gap_pt"),
        "coincident": coincident,
        "page": page,
        "x_pt": round(m["x_pt"], 3),
        "y_pt": round(m["y_pt"], 3),
    }


def read_figures(
    files: list[tuple[Path, str, str]],
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(figure_points, figure_claims, rejects) of (path, vintage commit, figure name) triples.

    A figure with no readable axes (a bar chart with category labels) goes to rejects with
    the reason, never silently away.
    """
    from memwall.figure_axes import FigureAxesError

    points, claims, rejects = [], [], []
    for path, vintage, figure in sorted(files, key=lambda t: (t[1], t[2])):
        try:
            p, c = read_figure(path, vintage, figure)
        except FigureAxesError as err:  # reported with code figure-no-axes
            rejects.append(
                {
                    "vintage": vintage,
                    "figure": figure,
                    "code": codes.get("figure-no-axes").code,
                    "reason": str(err),
                }
            )
            continue
        points.append(p)
        claims.append(c)
    rej = pl.DataFrame(
        rejects, schema={k: pl.String for k in ("vintage", "figure", "code", "reason")}
    )
    return (
        pl.concat(points) if points else _empty(POINTS_SCHEMA),
        pl.concat(claims) if claims else _empty(CLAIMS_SCHEMA),
        rej,
    )
