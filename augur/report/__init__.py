"""The resilience-review pack: a page and a picture of a drill that stand on their own in front of a
review board. What was drilled, what happened, how bad, and what the model shows would fix it.

- :func:`review_html` one self-contained HTML page (opens offline; prints cleanly; embeds the exact
  scenario file so the drill re-runs with ``augur run``), :func:`review_png` a 1600 x 1000 dashboard
  image, :func:`review_pdf` the page printed to PDF by headless Chromium;
- :func:`compare_html`, :func:`compare_png`, :func:`compare_pdf`: a drill before and after a change,
  side by side, with the better side of each figure marked;
- :func:`pack_files` / :func:`write_pack` / :func:`pack_zip`: any of those formats at once, named
  after the scenario files; :func:`main_report` is ``augur report SCENARIO [AFTER] --out DIR --format ...``;
- :func:`weak_points_study`: the sweeps behind the pack's weak-points section (``--weak-points``);
- :func:`graph_hash`: the graph's content hash each pack records with the augur version, scenario
  and seed.

>>> import augur
>>> from augur.report import review_html
>>> scenario = augur.load_scenario("scenarios/retail-chip-outage.yaml")  # doctest: +SKIP
>>> page = review_html(augur.simulate(scenario.graph, scenario))         # doctest: +SKIP
>>> "CASCADE" in page                                                     # doctest: +SKIP
True
"""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from augur.analysis import worst_step
from augur.drill import DrillResult, simulate
from augur.errors import ReportError
from augur.io._common import write_atomic
from augur.provenance import graph_hash, provenance
from augur.report.weak_points import DEFAULT_TOP, WeakPoints, weak_points_study
from augur.scenario import load_scenario
from augur.text.compare import compare_facts
from augur.text.review import findings

__all__ = [
    "FORMATS",
    "ReportError",
    "WeakPoints",
    "compare_facts",
    "compare_html",
    "compare_pdf",
    "compare_png",
    "findings",
    "graph_hash",
    "main_report",
    "pack_filename",
    "pack_files",
    "pack_zip",
    "provenance",
    "review_html",
    "review_pdf",
    "review_png",
    "weak_points_study",
    "worst_step",
    "write_pack",
]

FORMATS = ("html", "png", "pdf")


def _check_result(value, name: str) -> DrillResult:
    if not isinstance(value, DrillResult):
        raise ReportError(
            f"expected a drill result (augur.simulate(...)) for '{name}', got {type(value).__name__}"
        )
    return value


def review_html(
    result: DrillResult,
    *,
    compare: DrillResult | None = None,
    generated: dt.datetime | None = None,
    weak_points: WeakPoints | None = None,
) -> str:
    """The review of one drill as a self-contained HTML page (a string, about 5 MB: plotly.js inlined).

    With ``compare``, the page sets that drill (*before*) beside ``result`` (*after*): the same as
    ``compare_html(compare, result)``. ``generated`` fixes the date the pack records (default: now).
    ``weak_points`` (:func:`weak_points_study` of ``result``) adds the weak-points section.
    """
    from augur.report.page import review_page

    _check_result(result, "result")
    if compare is not None:
        return compare_html(compare, result, generated=generated)
    weak = _check_study(weak_points, result)
    return review_page(result, prov=provenance(result, generated=generated), weak_points=weak)


def compare_html(before: DrillResult, after: DrillResult, *, generated: dt.datetime | None = None) -> str:
    """Two drills side by side as a self-contained HTML page: verdicts, KPI deltas with the better side
    marked, both service-level curves on one chart, the shocks once (or both, flagged, when they
    differ), what changed in the graph, and each drill's findings, events and scenario file."""
    from augur.report.page import compare_page

    _check_result(before, "before")
    _check_result(after, "after")
    when = generated or dt.datetime.now(dt.timezone.utc)
    return compare_page(
        before, after, provs=(provenance(before, generated=when), provenance(after, generated=when))
    )


def review_png(
    result: DrillResult,
    *,
    generated: dt.datetime | None = None,
    scale: float = 1.0,
    weak_points: WeakPoints | None = None,
) -> bytes:
    """The drill as one 1600 x 1000 dashboard PNG (``scale=2`` for 3200 x 2000): header with scenario,
    date, seed and verdict; KPI cards; the network at the worst step; service level, tokens and data
    quality over time. With ``weak_points`` a strip of them below (1600 x 1474 on the chip outage, a
    row taller for each line long names wrap): the ranking, the quadrant, the random-shock bands and
    chances, the fixes found. Rendered by kaleido; needs Chromium, not a Dash server."""
    from augur.report.dashboard import review_figure
    from augur.report.export import figure_png

    _check_result(result, "result")
    weak = _check_study(weak_points, result)
    fig = review_figure(result, prov=provenance(result, generated=generated), weak_points=weak)
    return figure_png(fig, scale=scale)


def compare_png(
    before: DrillResult, after: DrillResult, *, generated: dt.datetime | None = None, scale: float = 1.0
) -> bytes:
    """Before and after as one 1600 x 1000 PNG: both verdicts, KPI deltas, what changed, both
    service-level curves on one chart, and the two networks at the before drill's worst step."""
    from augur.report.dashboard import compare_figure
    from augur.report.export import figure_png

    _check_result(before, "before")
    _check_result(after, "after")
    when = generated or dt.datetime.now(dt.timezone.utc)
    provs = (provenance(before, generated=when), provenance(after, generated=when))
    return figure_png(compare_figure(before, after, prov=provs), scale=scale)


def review_pdf(result: DrillResult, *, generated: dt.datetime | None = None) -> bytes:
    """The HTML review printed to an A4 PDF by headless Chromium (raises :class:`ReportError` saying what
    to install when there is none)."""
    from augur.report.export import html_pdf

    return html_pdf(review_html(result, generated=generated))


def compare_pdf(before: DrillResult, after: DrillResult, *, generated: dt.datetime | None = None) -> bytes:
    """The before/after page printed to an A4 PDF by headless Chromium."""
    from augur.report.export import html_pdf

    return html_pdf(compare_html(before, after, generated=generated))


def _check_study(study, result: DrillResult) -> WeakPoints | None:
    if study is None:
        return None
    if not isinstance(study, WeakPoints):
        raise ReportError(
            f"expected the weak points of a drill (weak_points_study(...)), got {type(study).__name__}"
        )
    return study


def _pair(result_or_pair) -> tuple[DrillResult, DrillResult | None]:
    if isinstance(result_or_pair, DrillResult):
        return result_or_pair, None
    if isinstance(result_or_pair, (tuple, list)) and len(result_or_pair) == 2:
        return _check_result(result_or_pair[0], "before"), _check_result(result_or_pair[1], "after")
    raise ReportError(
        "expected a drill result, or a (before, after) pair of them, got "
        f"{type(result_or_pair).__name__}"
        + (f" of {len(result_or_pair)}" if isinstance(result_or_pair, (tuple, list)) else "")
    )


def _formats(formats: Iterable[str] | str) -> list[str]:
    if isinstance(formats, str):
        formats = formats.split(",")
    chosen = [f.strip().lower().lstrip(".") for f in formats if f and f.strip()]
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        got = ", ".join(unknown) if unknown else "nothing"
        raise ReportError(
            f"unknown format {got}; expected one or more of {', '.join(FORMATS)}", place="--format"
        )
    return list(dict.fromkeys(chosen))


def pack_filename(result_or_pair, ext: str) -> str:
    """The file name a pack's ``ext`` file gets: ``retail-chip-outage-review.png``, or for a pair
    ``retail-chip-outage-vs-retail-chip-outage-mitigated.png``."""
    from augur.report.page import scenario_filename

    before, after = _pair(result_or_pair)
    if after is None:
        return f"{scenario_filename(before)}-review.{ext}"
    return f"{scenario_filename(before)}-vs-{scenario_filename(after)}.{ext}"


def pack_files(
    result_or_pair,
    formats: Iterable[str] | str = ("html", "png"),
    *,
    generated: dt.datetime | None = None,
    weak_points: WeakPoints | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, bytes]:
    """The pack in memory: ``{file name: bytes}`` for each of ``formats`` (html, png, pdf), all
    recording the same generation time. What the app's export button and :func:`write_pack` share.
    ``weak_points`` (of a single drill) adds the weak-points section to the page and the picture.
    ``progress(done, total)`` is called as each file is made (the app's export moves its bar so)."""
    before, after = _pair(result_or_pair)
    chosen = _formats(formats)
    if weak_points is not None and after is not None:
        raise ReportError(
            "expected one drill for the weak points, got a before/after pair", place="--weak-points"
        )
    when = generated or dt.datetime.now(dt.timezone.utc)
    tell = progress or (lambda done, total: None)
    tell(0, len(chosen))
    files: dict[str, bytes] = {}
    page = None
    if "html" in chosen or "pdf" in chosen:
        page = (
            review_html(before, generated=when, weak_points=weak_points)
            if after is None
            else compare_html(before, after, generated=when)
        )
    for done, fmt in enumerate(chosen, 1):
        name = pack_filename(result_or_pair, fmt)
        if fmt == "html":
            files[name] = page.encode("utf-8")
        elif fmt == "png":
            files[name] = (
                review_png(before, generated=when, weak_points=weak_points)
                if after is None
                else compare_png(before, after, generated=when)
            )
        else:
            from augur.report.export import html_pdf

            files[name] = html_pdf(page)
        tell(done, len(chosen))
    return files


def pack_zip(result_or_pair, formats: Iterable[str] | str = ("html", "png"), **options) -> bytes:
    """The pack as one zip archive (for a single download button); ``options`` are
    :func:`pack_files`'."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in pack_files(result_or_pair, formats, **options).items():
            # dated now and readable by all (rw-r--r--) once unzipped, as written files are; zipfile's
            # own default would unzip as owner-only
            entry = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data)
    return buffer.getvalue()


def write_pack(
    result_or_pair,
    out_dir: str | Path,
    formats: Iterable[str] | str = ("html", "png"),
    *,
    generated: dt.datetime | None = None,
    weak_points: WeakPoints | None = None,
) -> list[Path]:
    """Write the pack for a drill, or a ``(before, after)`` pair, into ``out_dir``; return the paths."""
    out = Path(out_dir)
    files = pack_files(result_or_pair, formats, generated=generated, weak_points=weak_points)
    if out.exists() and not out.is_dir():
        raise ReportError("expected a folder to write the pack into, got a file", source=str(out))
    try:
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name, data in files.items():
            path = out / name
            write_atomic(path, data)
            written.append(path)
    except OSError as err:
        raise ReportError(f"cannot write the pack: {err.strerror or err}", source=str(out)) from err
    return written


def main_report(
    paths: Sequence[str | Path],
    out: str | Path = ".",
    formats: Iterable[str] | str = ("html", "png"),
    *,
    seed: int | None = None,
    steps: int | None = None,
    weak_points: bool = False,
    runs: int | None = None,
    top: int | None = None,
    scheduler=None,
    workers: int | None = None,
    progress=None,
) -> list[Path]:
    """``augur report SCENARIO [AFTER] [--out DIR] [--format html,png,pdf] [--weak-points [--runs N]
    [--top K] [--scheduler WHERE | --workers N]]``: run one drill, or two (before and after), and
    write the pack; return the paths written. ``seed`` and ``steps`` override the scenarios' own, as
    ``augur run --seed/--steps`` do. ``weak_points`` runs :func:`weak_points_study` on the one drill
    (``runs`` random drills, ``top`` rows, on ``scheduler`` or ``workers`` threads) and adds its
    section.

    Bad input raises an :class:`~augur.errors.AugurError` naming the file and place (a missing file,
    a scenario that does not validate, an unknown format), which the CLI prints with exit status 2.
    """
    if not 1 <= len(paths) <= 2:
        raise ReportError(f"expected one scenario, or two (before and after), got {len(paths)}")
    chosen = _formats(formats)  # before running anything: a typo in --format costs no drill
    if weak_points and len(paths) != 1:
        raise ReportError(
            "expected one scenario with --weak-points (the weak points of a drill), got two",
            place="--weak-points",
        )
    flags = (("--runs", runs), ("--top", top), ("--scheduler", scheduler), ("--workers", workers))
    given = [f for f, v in flags if v is not None]
    if not weak_points and given:
        flag = given[0]
        raise ReportError(
            f"{flag} sets how the weak points are found; expected it with --weak-points", place=flag
        )
    results = []
    for path in paths:
        scenario = load_scenario(path).with_overrides(steps=steps, seed=seed)
        results.append(simulate(scenario.graph, scenario))
    subject = results[0] if len(results) == 1 else (results[0], results[1])
    study = (
        weak_points_study(
            results[0],
            runs=runs,
            top=DEFAULT_TOP if top is None else top,
            scheduler=scheduler,
            workers=workers,
            progress=progress,
        )
        if weak_points
        else None
    )
    return write_pack(subject, out, chosen, weak_points=study)
