"""Test helpers: run ``augur serve`` in its own process on a free loopback port, and stop it."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, process: subprocess.Popen, timeout: float = 60.0) -> None:
    """Wait until ``url`` answers (any status), or fail with what the server printed."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode}: {process.output()}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"the server did not answer on {url} within {timeout:.0f} s")


@contextlib.contextmanager
def augur_serve(
    args: Sequence[str] = (),
    *,
    port: int | None = None,
    command: Sequence[str] | None = None,
    cwd: Path = ROOT,
    env: dict | None = None,
) -> Iterator[tuple[str, subprocess.Popen]]:
    """``augur serve ARGS --port PORT`` on 127.0.0.1 until the block ends; yields its URL and process.

    ``command`` replaces ``python -m augur.cli`` (an installed ``augur`` script, say). The server's
    stderr goes to a file (a pipe nobody reads would fill and stall it under load); ``process.output()``
    reads it.
    """
    port = port or free_port()
    command = list(command or [sys.executable, "-m", "augur.cli"])
    url = f"http://127.0.0.1:{port}/"
    with tempfile.TemporaryDirectory(prefix="augur-serve-") as folder:
        log_path = Path(folder) / "serve.log"
        with open(log_path, "w") as log:
            process = subprocess.Popen(
                [*command, "serve", *args, "--port", str(port)],
                cwd=cwd,
                env=env if env is not None else {**os.environ, "PYTHONPATH": str(ROOT)},
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        process.output = log_path.read_text
        try:
            wait_for_http(url, process)
            yield url, process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
