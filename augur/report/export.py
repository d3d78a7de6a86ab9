"""Static export: plotly figures to PNG through kaleido, HTML pages to PDF through headless Chromium.

Kaleido drives a headless Chromium (on Debian, ``/usr/bin/chromium``; it finds it by itself). Starting
that browser costs about two seconds; rendering a figure in a warm one about a tenth of that. So the
first export in a process opens one kaleido browser and keeps it for the life of the process (closed at
exit), and every later export reuses it. One event loop on a background thread owns the
browser; each export is a future on that loop, so exports from several threads (a Dash server's) wait
their turn instead of mixing results, and an error in the browser comes back as an exception instead
of a hang. Should that thread die (a server that stops by raising SystemExit in every thread, as
dash_duo does), the next export closes the old browser and opens a new one rather than queueing work
on a loop that no longer runs.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

import plotly.graph_objects as go

from augur.errors import ReportError

__all__ = ["chromium_path", "figure_png", "figure_svg", "html_pdf", "stop_renderer", "warm_renderer"]

RENDER_TIMEOUT = 120.0  # seconds for one figure, the first one included (it starts the browser)
PDF_TIMEOUT = 120.0
VIRTUAL_TIME_MS = 5000
# Kaleido draws in a tab of its page, which defines kaleido_scopes; on a loaded machine a freshly
# opened (or reloaded, as after every figure) tab was asked to draw before that script ran, and the
# export failed with this ReferenceError. The figure is drawn again on the tab reloaded meanwhile.
PAGE_NOT_READY = "kaleido_scopes is not defined"
PAGE_TRIES = 4
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium_path() -> str | None:
    """The Chromium (or Chrome) to use: ``$BROWSER_PATH`` if set, else the first one on ``PATH``."""
    explicit = os.environ.get("BROWSER_PATH")
    if explicit and Path(explicit).is_file():
        return explicit
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


class _Renderer:
    """One kaleido browser on a background event loop, opened on first use and reopened when the
    loop's thread has died."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido = None
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        atexit.register(self.stop)

    def _running(self) -> bool:
        """Whether the loop is up: a future queued on a loop whose thread has ended never completes,
        so the export would only fail once RENDER_TIMEOUT had passed."""
        return (
            self._loop is not None
            and self._pid == os.getpid()
            and self._thread is not None
            and self._thread.is_alive()
            and self._loop.is_running()
        )

    def _start(self) -> None:
        import kaleido  # starts a browser of its own: loaded when the first PNG is drawn, not before

        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="augur-kaleido", daemon=True)
        thread.start()

        async def open_browser():
            k = kaleido.Kaleido(n=1, timeout=RENDER_TIMEOUT, mathjax=False)
            await k.__aenter__()
            return k

        try:
            self._kaleido = asyncio.run_coroutine_threadsafe(open_browser(), loop).result(RENDER_TIMEOUT)
        except BaseException:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(5)
            raise
        self._loop, self._thread, self._pid = loop, thread, os.getpid()
        self._close_at_process_exit()

    def _close_at_process_exit(self) -> None:
        """Close the browser when this process ends, also where it ends without running atexit: a
        process started by multiprocessing (a Dash background job's, where Export review draws its
        PNG) leaves by os._exit after its finalizers, and its Chromium, gone with the pipe, left its
        profile and kaleido's page folder in the temporary directory (2.3 MB an export)."""
        for name in ("multiprocessing.util", "multiprocess.util"):
            util = sys.modules.get(name)
            if util is not None:
                util.Finalize(None, self.stop, exitpriority=10)

    def _after_fork(self) -> None:
        """In a forked child: a lock that another thread of the parent held at the fork (an export
        under way in the server) would never be released here, and every export would wait on it."""
        self._lock = threading.Lock()

    def _open(self) -> None:
        """Open the browser unless it is running (call with the lock held)."""
        if not self._running():
            self._discard()
            self._start()

    def render(self, fig: dict, opts: dict) -> bytes:
        tries = PAGE_TRIES
        while True:
            tries -= 1
            with self._lock:
                self._open()
                loop, k = self._loop, self._kaleido
            future = asyncio.run_coroutine_threadsafe(k.calc_fig(fig, opts=opts), loop)
            try:
                return future.result(RENDER_TIMEOUT)
            except Exception as err:
                if not tries or PAGE_NOT_READY not in str(err):
                    raise

    def warm(self) -> None:
        """Open the browser if it is not open, as :meth:`render` does first."""
        with self._lock:
            self._open()

    def _discard(self) -> None:
        """Let go of a renderer that is not running (call with the lock held): close its browser on
        its own loop, run again on a thread of its own for the purpose."""
        loop, k, pid = self._loop, self._kaleido, self._pid
        self._loop = self._kaleido = self._thread = self._pid = None
        if loop is None or pid != os.getpid():
            # In a forked child the browser and the loop's selector are the parent's: leave them be.
            return
        if not loop.is_closed() and not loop.is_running():
            thread = threading.Thread(target=loop.run_forever, name="augur-kaleido-close", daemon=True)
            thread.start()
            _close(loop, thread, k)
        if k is not None and getattr(k, "subprocess", None) is not None and k.subprocess.poll() is None:
            with contextlib.suppress(OSError):
                k.subprocess.kill()

    def stop(self) -> None:
        with self._lock:
            if self._loop is None:
                return
            if not self._running():
                self._discard()
                return
            loop, k, thread = self._loop, self._kaleido, self._thread
            self._loop = self._kaleido = self._thread = self._pid = None
        _close(loop, thread, k)


def _close(loop: asyncio.AbstractEventLoop, thread: threading.Thread, k) -> None:
    """Close kaleido's browser on ``loop`` (running on ``thread``), then stop the loop."""
    # Closing: a browser already gone is not worth a traceback, and choreographer logs the pipe's
    # farewell ("{bye}") as a JSON error while it shuts down; neither means anything went wrong.
    quiet = logging.getLogger("choreographer")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        if k is not None:
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(k.__aexit__(None, None, None), loop).result(30)
    finally:
        quiet.setLevel(level)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)


_RENDERER = _Renderer()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_RENDERER._after_fork)


def warm_renderer() -> threading.Thread:
    """Open the kaleido browser on a thread of its own and return at once, so that a PNG drawn later
    in this process need not wait for it: a process that has just started (a background job's)
    opens it while it builds the rest. An error is left for that PNG to meet and report."""

    def warm():
        with contextlib.suppress(Exception):
            _RENDERER.warm()

    thread = threading.Thread(target=warm, name="augur-kaleido-warm", daemon=True)
    thread.start()
    return thread


def stop_renderer() -> None:
    """Close the kaleido browser now rather than at exit (it reopens on the next export)."""
    _RENDERER.stop()


def figure_png(
    fig: go.Figure | dict, *, width: int | None = None, height: int | None = None, scale: float = 1.0
) -> bytes:
    """Render a plotly figure to PNG bytes with kaleido (the browser started once per process).

    ``width`` and ``height`` default to the figure's own layout size, else 1000 x 600.

    >>> import plotly.graph_objects as go
    >>> png = figure_png(go.Figure(go.Scatter(y=[1, 3, 2])), width=300, height=200)  # doctest: +SKIP
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"  # doctest: +SKIP
    True
    """
    return _render(fig, "png", width, height, scale)


def figure_svg(fig: go.Figure | dict, *, width: int | None = None, height: int | None = None) -> str:
    """The same picture as :func:`figure_png`, as SVG text: where plotly placed every legend, label and
    marker once it had measured the text, for a test of the layout that reads positions, not pixels."""
    data = _render(fig, "svg", width, height, 1.0)
    return data.decode("utf-8") if isinstance(data, bytes) else data


def _render(fig: go.Figure | dict, fmt: str, width: int | None, height: int | None, scale: float):
    spec = fig.to_plotly_json() if isinstance(fig, go.Figure) else fig
    layout = spec.get("layout", {})
    opts = {
        "format": fmt,
        "width": int(width or layout.get("width") or 1000),
        "height": int(height or layout.get("height") or 600),
        "scale": scale,
    }
    try:
        return _RENDERER.render({"data": spec.get("data", []), "layout": layout}, opts)
    except FutureTimeout as err:
        raise ReportError(
            f"rendering a {fmt.upper()} took longer than {RENDER_TIMEOUT:.0f} s; is Chromium working?"
        ) from err
    except ReportError:
        raise
    except Exception as err:  # kaleido's and choreographer's own errors (no Chrome, a crashed tab)
        name = type(err).__name__
        if "Chrome" in name or "Browser" in name:
            raise ReportError(
                "PNG export needs Chromium or Chrome: install it (Debian: apt-get install chromium) or set "
                f"BROWSER_PATH to its executable ({name})"
            ) from err
        raise ReportError(f"{fmt.upper()} export failed: {name}: {err}") from err


@contextlib.contextmanager
def _scratch_folder(prefix: str, *, tries: int = 5, wait: float = 0.2):
    """A temporary folder for Chromium, removed afterwards even while the browser's last helper
    processes still write into its profile: a removal that finds the folder refilled ("Directory not
    empty") waits and tries again, and a folder it still cannot remove is left for the system's
    temporary-file cleanup, never raised after the pack has been written."""
    folder = tempfile.mkdtemp(prefix=prefix)
    try:
        yield folder
    finally:
        for attempt in range(tries):
            try:
                shutil.rmtree(folder)
                break
            except FileNotFoundError:
                break
            except OSError:
                if attempt < tries - 1:
                    time.sleep(wait)
        else:
            logging.getLogger(__name__).debug("left %s for the system to remove", folder)


def html_pdf(html: str, *, timeout: float = PDF_TIMEOUT) -> bytes:
    """Print an HTML page to PDF with headless Chromium, A4, with the page's own print stylesheet.

    Raises :class:`ReportError` with what to install when no Chromium is found.
    """
    browser = chromium_path()
    if browser is None:
        raise ReportError(
            "PDF export needs Chromium or Chrome on PATH (Debian: apt-get install chromium), or BROWSER_PATH "
            "set to one; HTML and PNG packs do not need it"
        )
    with _scratch_folder("augur-pdf-") as folder:
        page = Path(folder) / "review.html"
        out = Path(folder) / "review.pdf"
        page.write_text(html, encoding="utf-8")
        command = [
            browser,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={Path(folder) / 'profile'}",
            "--no-pdf-header-footer",
            f"--virtual-time-budget={VIRTUAL_TIME_MS}",  # let the charts draw before the page is printed
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as err:
            raise ReportError(f"printing the PDF took longer than {timeout:.0f} s") from err
        except OSError as err:
            raise ReportError(f"cannot start {browser} to print the PDF: {err}") from err
        if not out.exists() or out.stat().st_size == 0:
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            raise ReportError(f"{browser} did not print the PDF (exit {done.returncode}): {' '.join(tail)}")
        return out.read_bytes()
