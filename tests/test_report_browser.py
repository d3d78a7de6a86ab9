"""Review packs in a real browser and as images: the HTML opened in headless Chromium with the network
blocked, every figure drawn; each PNG decoded, the right size and not blank; the PDF printed.

Chromium is Debian's (/usr/bin/chromium): Playwright drives it for the pages, kaleido for the PNGs and
the command line for the PDFs. Expected figures come from the engine, never from the test.

Run: pytest -m browser tests/test_report_browser.py
"""

from __future__ import annotations

import datetime as dt
import os
import re
import struct
import threading
import zlib
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest
from builders import bundled

import augur
from augur.figures import VERDICT_COLOURS
from augur.generate import layered_supply_graph
from augur.graph import validate_graph
from augur.report import compare_png, main_report, review_pdf, review_png, weak_points_study, write_pack
from augur.report import export as report_export
from augur.report.export import CHROMIUM_FLAGS, chromium_path, figure_png
from augur.scenario import parse_scenario

pytestmark = pytest.mark.browser

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
BEFORE, AFTER = SCENARIOS / "retail-chip-outage.yaml", SCENARIOS / "retail-chip-outage-mitigated.yaml"
WHEN = dt.datetime(2025, 3, 14, 9, 30, tzinfo=dt.timezone.utc)


drill = bundled  # each bundled drill runs once a session


# -- PNG decoding, with zlib and numpy only --------------------------------------------------------------


def _unfilter(raw: bytes, width: int, height: int, bpp: int) -> np.ndarray:
    """Undo PNG's per-row filters (None, Sub, Up, Average, Paeth) for 8-bit, non-interlaced images."""
    stride = width * bpp
    rows = np.frombuffer(raw, dtype=np.uint8).reshape(height, stride + 1)
    out = np.zeros((height, stride), dtype=np.uint8)
    prior = np.zeros(stride, dtype=np.uint8)
    for y in range(height):
        kind, line = rows[y, 0], rows[y, 1:]
        if kind == 0:
            cur = line.copy()
        elif kind == 2:
            cur = line + prior
        elif kind == 1:
            cur = line.reshape(width, bpp).cumsum(axis=0, dtype=np.uint8).reshape(stride)
        else:
            cur = np.zeros(stride, dtype=np.int32)
            up = prior.astype(np.int32)
            for x in range(stride):
                left = cur[x - bpp] if x >= bpp else 0
                if kind == 3:
                    cur[x] = (int(line[x]) + (left + up[x]) // 2) & 0xFF
                else:
                    upper_left = up[x - bpp] if x >= bpp else 0
                    p = left + up[x] - upper_left
                    pa, pb, pc = abs(p - left), abs(p - up[x]), abs(p - upper_left)
                    pred = left if pa <= pb and pa <= pc else (up[x] if pb <= pc else upper_left)
                    cur[x] = (int(line[x]) + pred) & 0xFF
            cur = cur.astype(np.uint8)
        out[y] = cur
        prior = cur
    return out.reshape(height, width, bpp)


def decode_png(data: bytes) -> np.ndarray:
    """An 8-bit RGB or RGBA PNG as an array of shape (height, width, channels)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    return _unfilter(zlib.decompress(idat), width, height, 3 if colour == 2 else 4)


def colour_count(image: np.ndarray, hex_colour: str) -> int:
    rgb = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return int(np.all(image[:, :, :3] == rgb, axis=2).sum())


def assert_not_blank(image: np.ndarray) -> None:
    pixels = image[:, :, :3].reshape(-1, 3)
    distinct = np.unique(pixels[:: max(1, len(pixels) // 200_000)], axis=0)
    assert len(distinct) > 100, f"only {len(distinct)} colours: a blank or nearly blank image"
    white = np.all(pixels == 255, axis=1).mean()
    assert 0.2 < white < 0.97, f"{white:.0%} white"


def test_the_png_decoder_reads_every_filter():
    """The test's own decoder agrees with a PNG written with each of the five row filters."""
    rng = np.random.default_rng(3)
    image = rng.integers(0, 256, size=(5, 7, 3), dtype=np.uint8)
    rows = []  # row y written with filter y
    flat = image.reshape(5, -1).astype(np.int32)
    for y, kind in enumerate((0, 1, 2, 3, 4)):
        line, up = flat[y], flat[y - 1] if y else np.zeros_like(flat[0])
        left = np.concatenate([np.zeros(3, dtype=np.int32), line[:-3]])
        upper_left = np.concatenate([np.zeros(3, dtype=np.int32), up[:-3]])
        if kind == 0:
            pred = np.zeros_like(line)
        elif kind == 1:
            pred = left
        elif kind == 2:
            pred = up
        elif kind == 3:
            pred = (left + up) // 2
        else:
            p = left + up - upper_left
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - upper_left)
            pred = np.where((pa <= pb) & (pa <= pc), left, np.where(pb <= pc, up, upper_left))
        rows.append(bytes([kind]) + ((line - pred) & 0xFF).astype(np.uint8).tobytes())
    raw = b"".join(rows)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 7, 5, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    assert np.array_equal(decode_png(png), image)


# -- the HTML in headless Chromium, offline ------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_path(), args=list(CHROMIUM_FLAGS))
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def packs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("packs")
    single = write_pack(drill(BEFORE), folder, ["html"], generated=WHEN)[0]
    pair = write_pack((drill(BEFORE), drill(AFTER)), folder, ["html"], generated=WHEN)[0]
    return {"single": single, "pair": pair}


def open_offline(browser, path: Path):
    """Open ``path`` with every request that is not a local file refused; return the page, the
    refused URLs and the console errors."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    refused: list[str] = []
    errors: list[str] = []

    def route(request_route):
        url = request_route.request.url
        if url.startswith("file:"):
            request_route.continue_()
        else:
            refused.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri(), wait_until="load")
    # every figure drawn, each with all its scatter traces: waiting for the first one alone let a test
    # read the page while the later figures of a loaded machine were still being drawn
    page.wait_for_function(DRAWN, timeout=120_000)
    return page, refused, errors


DRAWN = """() => {
    const divs = Array.from(document.querySelectorAll('.plotly-graph-div'));
    return divs.length > 0 && divs.every(gd => gd._fullData && gd.querySelector('svg.main-svg')
        && gd.querySelectorAll('.scatterlayer .trace').length
           === gd._fullData.filter(t => t.type === 'scatter' && t.visible === true).length);
}"""


FIGURE_STATE = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(plot => ({
    id: plot.id,
    svgs: plot.querySelectorAll('svg.main-svg').length,
    width: plot.querySelector('svg.main-svg') ? plot.querySelector('svg.main-svg').getBoundingClientRect().width : 0,
    traces: plot.querySelectorAll('.scatterlayer .trace').length,
    paths: Array.from(plot.querySelectorAll('.scatterlayer .trace path.js-line'))
        .filter(p => (p.getAttribute('d') || '').length > 10).length,
    points: plot.querySelectorAll('.scatterlayer .point').length,
}))"""


def test_review_html_draws_every_figure_offline(browser, packs):
    """With the network blocked, the page asks for nothing, logs no error, and every figure is drawn:
    the network with one marker per node, each chart with its lines."""
    page, refused, errors = open_offline(browser, packs["single"])
    figures = {f["id"]: f for f in page.evaluate(FIGURE_STATE)}
    page.close()
    assert refused == [] and errors == []
    assert set(figures) == {"network-figure", "chart-service", "chart-tokens", "chart-quality", "chart-ci"}
    assert all(f["svgs"] >= 1 and f["width"] > 300 and f["traces"] >= 1 for f in figures.values())
    assert figures["network-figure"]["points"] == drill(BEFORE).graph.number_of_nodes()
    for key in ("chart-service", "chart-tokens", "chart-quality", "chart-ci"):
        assert figures[key]["paths"] >= 1, figures[key]


def test_review_html_toolbars_have_no_cloud_button(browser, packs):
    """The charts' toolbars keep the PNG download and offer no 'Share chart...' to Plotly's cloud."""
    page, _, _ = open_offline(browser, packs["single"])
    titles = page.evaluate(
        "() => Array.from(document.querySelectorAll('.modebar-btn')).map(b => b.getAttribute('data-title'))"
    )
    page.close()
    assert any("download plot as a png" in (t or "").lower() for t in titles), titles
    assert not [t for t in titles if t and ("cloud" in t.lower() or "share" in t.lower())], titles


def test_compare_html_draws_both_drills_offline(browser, packs):
    """The before/after page draws both curves on one chart and both networks, offline."""
    page, refused, errors = open_offline(browser, packs["pair"])
    figures = {f["id"]: f for f in page.evaluate(FIGURE_STATE)}
    overall = page.get_attribute("[data-overall]", "data-overall")
    page.close()
    assert refused == [] and errors == []
    assert set(figures) == {"compare-service", "compare-tokens", "network-before", "network-after"}
    assert figures["compare-service"]["paths"] == 2  # the before curve and the after curve
    assert figures["network-before"]["points"] == drill(BEFORE).graph.number_of_nodes()
    assert figures["network-after"]["points"] == drill(AFTER).graph.number_of_nodes()
    assert overall == "better"


def test_printing_the_review_puts_the_summary_first_and_hides_the_controls(browser, packs):
    """In print media the chart toolbars are hidden, the network follows the figures on page one, and
    the detail (what was drilled, events) comes after the charts."""
    page, _, _ = open_offline(browser, packs["single"])
    page.emulate_media(media="print")
    layout = page.evaluate(
        """() => {
        const top = sel => document.querySelector(sel).getBoundingClientRect().top;
        const bars = Array.from(document.querySelectorAll('.modebar-container'));
        return {summary: top('#summary'), network: top('#network'), charts: top('#charts'),
                drilled: top('#drilled'), events: top('#events'),
                toolbars: bars.filter(b => getComputedStyle(b).display !== 'none').length};
    }"""
    )
    page.close()
    assert layout["toolbars"] == 0
    assert layout["summary"] < layout["network"] < layout["charts"] < layout["drilled"] < layout["events"]


# -- PNGs ---------------------------------------------------------------------------------------------


def test_review_png_is_a_legible_dashboard_not_a_blank():
    """The dashboard PNG decodes to 1600 x 1000, has many colours, and shows the verdict badge."""
    image = decode_png(review_png(drill(BEFORE), generated=WHEN))
    assert image.shape[:2] == (1000, 1600)
    assert_not_blank(image)
    assert colour_count(image, VERDICT_COLOURS["cascade"]) > 10_000  # the badge, and failed nodes


def test_compare_png_shows_both_verdicts():
    """The before/after PNG carries both verdict badges: cascade before, graceful after."""
    image = decode_png(compare_png(drill(BEFORE), drill(AFTER), generated=WHEN))
    assert image.shape[:2] == (1000, 1600)
    assert_not_blank(image)
    assert colour_count(image, VERDICT_COLOURS["cascade"]) > 8_000
    assert colour_count(image, VERDICT_COLOURS["graceful"]) > 8_000


def test_png_of_a_large_drill_is_drawn():
    """A 1,000-node drill's dashboard renders: the network is not left out."""
    G = validate_graph(layered_supply_graph(1000, 4000, seed=11))
    vendors = [v for v, kind in G.nodes(data="kind") if kind == "vendor"][:6]
    scenario = parse_scenario(
        {"name": "six vendors down", "steps": 60,
         "shocks": [{"kind": "vendor_failure", "target": vendors, "start": 5, "duration": 20}]},
        graph=G,
    )  # fmt: skip
    image = decode_png(review_png(augur.simulate(G, scenario)))
    assert image.shape[:2] == (1000, 1600)
    assert_not_blank(image)
    network = image[300:900, 40:1000, :3].reshape(-1, 3)
    assert len(np.unique(network[::7], axis=0)) > 50, "the network area is empty"


def test_concurrent_png_exports_each_get_their_own_image():
    """Exports from several threads (a Dash server's) share one browser and never swap results."""
    sizes = [(320 + 40 * i, 200 + 20 * i) for i in range(4)]
    results: dict[int, bytes] = {}

    def export(i: int) -> None:
        fig = go.Figure(go.Scatter(y=[1, 3, 2, i]))
        results[i] = figure_png(fig, width=sizes[i][0], height=sizes[i][1])

    threads = [threading.Thread(target=export, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    for i, (width, height) in enumerate(sizes):
        assert decode_png(results[i]).shape[:2] == (height, width)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")  # the SystemExit below
@pytest.mark.parametrize("how", ["SystemExit in its thread", "its loop stopped"])
def test_an_export_after_the_renderers_event_loop_died_reopens_it(how, monkeypatch):
    """When the renderer's event-loop thread has died (dash_duo stops a server by raising SystemExit in
    every thread), the next export starts a new loop and browser and closes the old browser, instead
    of queueing its figure on the dead loop until RENDER_TIMEOUT."""
    figure_png(go.Figure(), width=10, height=10)  # the renderer is up
    renderer = report_export._RENDERER
    loop, thread, old_browser = renderer._loop, renderer._thread, renderer._kaleido.subprocess

    def exit_thread():
        raise SystemExit

    loop.call_soon_threadsafe(exit_thread if how.startswith("SystemExit") else loop.stop)
    thread.join(10)
    assert not thread.is_alive()

    monkeypatch.setattr(report_export, "RENDER_TIMEOUT", 30.0)  # a hang guard, not a speed test
    png = figure_png(go.Figure(go.Scatter(y=[1, 3, 2])), width=320, height=200)
    image = decode_png(png)
    assert image.shape[:2] == (200, 320)
    assert len(np.unique(image[:, :, :3].reshape(-1, 3), axis=0)) > 2  # a drawn chart, not a blank
    assert renderer._thread is not thread and renderer._thread.is_alive()
    assert old_browser.poll() is not None, "the dead loop's browser was left running"


def test_a_warmed_renderer_is_the_one_the_next_export_draws_with():
    """warm_renderer opens the browser on a thread of its own; the
    export after it draws with that browser rather than opening another (the app's export job warms
    it while it builds the page)."""
    report_export.stop_renderer()
    renderer = report_export._RENDERER
    assert renderer._kaleido is None
    warming = report_export.warm_renderer()
    warming.join(120)
    browser = renderer._kaleido.subprocess
    assert browser.poll() is None  # open and running
    png = figure_png(go.Figure(go.Scatter(y=[1, 3, 2])), width=320, height=200)
    assert decode_png(png).shape[:2] == (200, 320)
    assert renderer._kaleido.subprocess is browser


def _export_in_a_job_process(folder: str) -> None:
    """What Export review does in its Dash background job: a forked process draws a PNG and ends."""
    import tempfile

    tempfile.tempdir = folder  # kaleido's page folder and Chromium's profile go here
    png = figure_png(go.Figure(go.Scatter(y=[1, 3, 2])), width=320, height=200)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def _job_process(folder):
    from multiprocess import Process  # Dash's DiskcacheManager starts its jobs with it

    return Process(target=_export_in_a_job_process, args=(str(folder),))


def test_an_export_in_a_background_job_s_process_leaves_no_chromium_profile_behind(tmp_path):
    """A job's process ends by os._exit, without atexit: its Chromium went with it, and its profile
    and kaleido's page folder (2.3 MB) were left in the temporary directory at every export."""
    job = _job_process(tmp_path)
    job.start()
    job.join(180)
    assert job.exitcode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_job_forked_while_the_server_exports_draws_its_own_png(tmp_path):
    """A process forked while another thread of the server held the renderer's lock (an export under
    way) got the lock held, with no thread to release it: its export waited for ever."""
    figure_png(go.Figure(), width=10, height=10)  # the server's own renderer is up
    with report_export._RENDERER._lock:
        job = _job_process(tmp_path)
        job.start()
    job.join(180)
    if job.exitcode is None:
        job.kill()
        job.join()
    assert job.exitcode == 0, "the job's export never ran"


def test_a_figure_asked_of_a_kaleido_page_not_yet_loaded_is_drawn_again(monkeypatch):
    """On a loaded machine kaleido's tab was asked to draw before its page's script had run
    ('ReferenceError: kaleido_scopes is not defined') and the export failed: it is drawn again."""
    figure_png(go.Figure(), width=10, height=10)
    k = report_export._RENDERER._kaleido
    real, calls = k.calc_fig, []

    async def not_loaded_twice(fig, opts=None):
        calls.append(fig)
        if len(calls) <= 2:
            raise RuntimeError("ReferenceError: kaleido_scopes is not defined\n    at <anonymous>:1:26")
        return await real(fig, opts=opts)

    monkeypatch.setattr(k, "calc_fig", not_loaded_twice)
    png = figure_png(go.Figure(go.Scatter(y=[1, 3, 2])), width=320, height=200)
    assert decode_png(png).shape[:2] == (200, 320) and len(calls) == 3

    async def never_loaded(fig, opts=None):
        calls.append(fig)
        raise RuntimeError("ReferenceError: kaleido_scopes is not defined")

    calls.clear()
    monkeypatch.setattr(k, "calc_fig", never_loaded)
    with pytest.raises(augur.errors.ReportError, match="kaleido_scopes"):
        figure_png(go.Figure(), width=10, height=10)
    assert len(calls) == report_export.PAGE_TRIES


# -- PDFs and the command-line entry point -------------------------------------------------------------


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def test_review_pdf_prints_the_page():
    """The PDF is a real, multi-page document holding the review."""
    data = review_pdf(drill(BEFORE), generated=WHEN)
    assert data[:5] == b"%PDF-"
    assert pdf_pages(data) >= 2
    assert len(data) > 50_000


def test_main_report_writes_every_format_for_a_pair(tmp_path):
    """`augur report BEFORE AFTER --format html,png,pdf` writes the three files of the pair's pack."""
    written = main_report([str(BEFORE), str(AFTER)], tmp_path, "html,png,pdf")
    names = sorted(p.name for p in written)
    stem = "retail-chip-outage-vs-retail-chip-outage-mitigated"
    assert names == [f"{stem}.html", f"{stem}.pdf", f"{stem}.png"]
    assert decode_png((tmp_path / f"{stem}.png").read_bytes()).shape[:2] == (1000, 1600)
    assert pdf_pages((tmp_path / f"{stem}.pdf").read_bytes()) >= 2


# -- the examples in docs/ -------------------------------------------------------------------------------

DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.mark.skipif(
    not os.environ.get("AUGUR_DOCS"), reason="set AUGUR_DOCS=1 to re-render the docs examples"
)
def test_render_the_docs_examples(browser, tmp_path):
    """Re-render the review-pack examples the README shows (AUGUR_DOCS=1 pytest -k docs_examples):
    docs/review-pack-cascade.png, docs/review-pack-before-after.png, the cascade pack with its weak
    points (docs/review-pack-weak-points.png), the cascade pack as PDF, and screenshots of both HTML
    pages' first screen in docs/screenshots/."""
    before, after = drill(BEFORE), drill(AFTER)
    (DOCS / "review-pack-cascade.png").write_bytes(review_png(before))
    study = weak_points_study(before)
    (DOCS / "review-pack-weak-points.png").write_bytes(review_png(before, weak_points=study))
    (DOCS / "review-pack-before-after.png").write_bytes(compare_png(before, after))
    (DOCS / "review-pack-cascade.pdf").write_bytes(review_pdf(before))
    single = write_pack(before, tmp_path, ["html"])[0]
    pair = write_pack((before, after), tmp_path, ["html"])[0]
    for path, name in ((single, "report-cascade.png"), (pair, "report-before-after.png")):
        page, refused, errors = open_offline(browser, path)
        page.set_viewport_size({"width": 1280, "height": 1400})
        page.screenshot(path=str(DOCS / "screenshots" / name))
        page.close()
        assert refused == [] and errors == []
    for name in ("review-pack-cascade.png", "review-pack-before-after.png", "review-pack-weak-points.png"):
        assert_not_blank(decode_png((DOCS / name).read_bytes()))
