"""The production server (augur.app.server): headers, Host check, token, size limit, slow clients.

The middleware is checked through Flask's test client; the limits waitress enforces are checked on a
real ``augur serve`` in its own process on a loopback port.
"""

from __future__ import annotations

import contextlib
import io
import re
import socket
import time
import urllib.request
from http.client import HTTPConnection

import psutil
import pytest
from serving import ROOT, augur_serve

from augur.app import create_app
from augur.app.server import TOKEN_COOKIE, Guard, ServeOptions, allowed_hosts, content_security_policy, run
from augur.cli import main

SCENARIOS = ROOT / "scenarios"
pytestmark = pytest.mark.filterwarnings(
    r"ignore:\s*The dash_table.DataTable will be removed:DeprecationWarning"
)


@pytest.fixture(scope="module")
def dash_app():
    return create_app(SCENARIOS)


@contextlib.contextmanager
def guarded(app, token=None, hosts=("127.0.0.1",)):
    """A test client of ``app`` behind the guard, the way ``run`` wraps it."""
    original = app.server.wsgi_app
    app.server.wsgi_app = Guard(
        original,
        allowed_hosts=allowed_hosts(hosts[0], hosts[1:]),
        csp=content_security_policy(app),
        token=token,
    )
    try:
        yield app.server.test_client()
    finally:
        app.server.wsgi_app = original


@pytest.fixture
def client(dash_app):
    with guarded(dash_app) as client:
        yield client


@pytest.fixture
def token_client(dash_app):
    with guarded(dash_app, token="s3cret-token-for-tests") as client:
        yield client


def test_the_page_carries_the_security_headers_and_no_server_banner(client):
    page = client.get("/", headers={"Host": "127.0.0.1:8050"})
    assert page.status_code == 200
    csp = page.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    # Dash's inline start-up script runs by its hash, and no other inline script may
    renderer = re.search(
        r'<script id="_dash-renderer"[^>]*>(.*?)</script>', page.get_data(as_text=True)
    ).group(1)
    assert renderer == "var renderer = new DashRenderer();"
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert "'sha256-" in csp
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "Server" not in page.headers
    script = client.get("/assets/augur.js", headers={"Host": "localhost"})
    assert script.status_code == 200 and script.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example:8050", "", "[::2]:8050"])
def test_a_host_the_server_was_not_started_for_is_refused_with_what_to_do(client, host):
    """A page on another site that rebinds its name to 127.0.0.1 still sends its own name as Host."""
    response = client.get("/", headers={"Host": host})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "--allow-host" in text and "127.0.0.1" in text
    assert "<" not in text and response.headers["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize("host", ["127.0.0.1:8050", "localhost:8050", "LOCALHOST", "[::1]:8050"])
def test_the_loopback_names_are_always_answered(client, host):
    assert client.get("/", headers={"Host": host}).status_code == 200


def test_allow_host_adds_a_name(dash_app):
    with guarded(dash_app, hosts=("127.0.0.1", "drills.example.org")) as client:
        assert client.get("/", headers={"Host": "drills.example.org"}).status_code == 200
        assert client.get("/", headers={"Host": "other.example.org"}).status_code == 400


def test_the_token_link_sets_a_cookie_and_leaves_the_address_bar(token_client):
    host = {"Host": "127.0.0.1"}
    bare = token_client.get("/", headers=host)
    assert bare.status_code == 403 and "access link" in bare.get_data(as_text=True)
    wrong = token_client.get("/?token=guess", headers=host)
    assert wrong.status_code == 403 and "not (or no longer) valid" in wrong.get_data(as_text=True)
    assert "Set-Cookie" not in wrong.headers

    link = token_client.get("/?token=s3cret-token-for-tests&x=1", headers=host)
    assert link.status_code == 303
    assert link.headers["Location"] == "/?x=1"
    cookie = link.headers["Set-Cookie"]
    assert cookie.startswith(f"{TOKEN_COOKIE}=s3cret-token-for-tests;")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # the test client keeps the cookie, as a browser would: every later request gets through
    assert token_client.get("/", headers=host).status_code == 200
    assert token_client.get("/assets/augur.js", headers=host).status_code == 200


def test_a_forged_or_broken_cookie_is_refused(dash_app):
    with guarded(dash_app, token="s3cret-token-for-tests") as client:
        for cookie in (f"{TOKEN_COOKIE}=s3cret-token-for-test", f'{TOKEN_COOKIE}="; bad', "x"):
            response = client.get("/", headers={"Host": "127.0.0.1", "Cookie": cookie})
            assert response.status_code == 403


class FakeWaitress:
    """Stands in for waitress's server: records what it was asked, returns at once."""

    map: dict = {}  # noqa: RUF012 (read only)

    def __init__(self, app, **adjustments):
        self.app, self.adjustments = app, adjustments

    def run(self):
        FakeWaitress.last = self

    def close(self):
        pass


def test_off_loopback_the_server_warns_makes_a_token_and_prints_its_link_once(monkeypatch):
    monkeypatch.setattr("waitress.create_server", FakeWaitress)
    app, out = create_app(SCENARIOS), io.StringIO()
    run(app, ServeOptions(host="0.0.0.0", port=8123), out=out)
    printed = out.getvalue()
    assert "WARNING" in printed and "0.0.0.0:8123" in printed and "--allow-host" in printed
    token = re.search(r"\?token=([A-Za-z0-9_-]+)", printed).group(1)
    assert len(token) >= 20 and printed.count(token) == 1
    guard = app.server.wsgi_app
    assert isinstance(guard, Guard) and guard.token == token
    adjustments = FakeWaitress.last.adjustments
    assert adjustments["ident"] == "" and adjustments["max_request_body_size"] == 20 * 1024 * 1024 + 1
    assert adjustments["host"] == "0.0.0.0" and adjustments["port"] == 8123


def test_on_loopback_there_is_no_warning_and_no_token_unless_given(monkeypatch):
    monkeypatch.setattr("waitress.create_server", FakeWaitress)
    app, out = create_app(SCENARIOS), io.StringIO()
    run(app, ServeOptions(threads=3, max_upload_mb=1.5, timeout=7), out=out)
    assert "WARNING" not in out.getvalue() and "token" not in out.getvalue()
    assert app.server.wsgi_app.token is None
    adjustments = FakeWaitress.last.adjustments
    assert (adjustments["threads"], adjustments["channel_timeout"]) == (3, 7)
    assert adjustments["max_request_body_size"] == int(1.5 * 1024 * 1024) + 1
    app = create_app(SCENARIOS)
    run(app, ServeOptions(token="given-token-123"), out=io.StringIO())
    assert app.server.wsgi_app.token == "given-token-123"


def test_debug_off_loopback_is_refused_with_exit_2(capsys):
    assert main(["serve", str(SCENARIOS), "--host", "0.0.0.0", "--debug"]) == 2
    err = capsys.readouterr().err
    assert "--debug" in err and "0.0.0.0" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "flags",
    [["--token", "short"], ["--token", "has;semicolon-in-it"], ["--max-upload-mb", "0"], ["--threads", "0"]],
)
def test_bad_serve_flags_exit_2(flags, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["serve", *flags])
    assert exit_.value.code == 2
    assert "expected" in capsys.readouterr().err


# ------------------------------------------------------------------------ a real server in a process


@pytest.fixture(scope="module")
def server():
    with augur_serve([str(SCENARIOS), "--max-upload-mb", "1", "--threads", "4", "--timeout", "5"]) as running:
        yield running


def raw_request(port: int, head: bytes, body: bytes = b"", timeout: float = 10.0) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(head + body)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def test_waitress_serves_the_app_without_a_version_banner(server):
    url, _ = server
    with urllib.request.urlopen(url) as response:
        assert response.status == 200
        assert response.headers["Server"] is None
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "_dash-config" in response.read().decode()


def test_a_request_above_the_limit_is_refused_from_its_headers_before_the_body_is_read(server):
    url, _ = server
    port = int(url.rsplit(":", 1)[1].strip("/"))
    head = (
        b"POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: 3145728\r\n\r\n"
    )
    # not one byte of the 3 MB body is sent: the answer comes from the headers alone
    answer = raw_request(port, head).decode()
    assert answer.startswith("HTTP/1.1 413")
    assert "3.0 MB" in answer and "up to 1 MB" in answer and "--max-upload-mb 10" in answer
    # a body within the limit reaches the app (which then says what it thinks of it)
    small = b"{}"
    ok = raw_request(port, head.replace(b"3145728", str(len(small)).encode()), small).decode()
    assert not ok.startswith("HTTP/1.1 413")


def test_300_half_sent_requests_hold_sockets_not_threads_and_others_are_still_served(server):
    """waitress reads each request in full before a thread sees it: 300 clients that stop halfway
    through their headers leave the four threads free."""
    url, process = server
    port = int(url.rsplit(":", 1)[1].strip("/"))
    threads_before = psutil.Process(process.pid).num_threads()
    slow = []
    try:
        for _ in range(300):
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            slow.append(sock)
        time.sleep(0.5)
        connection = HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/assets/augur.js")
        assert connection.getresponse().status == 200
        connection.close()
        assert psutil.Process(process.pid).num_threads() <= threads_before + 1
        assert len(psutil.Process(process.pid).net_connections()) >= 300
    finally:
        for sock in slow:
            sock.close()


def test_an_idle_half_sent_request_is_closed_after_the_timeout(server):
    url, _ = server
    port = int(url.rsplit(":", 1)[1].strip("/"))
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        started = time.monotonic()
        assert sock.recv(1024) == b""  # closed by the server, with nothing said
        # --timeout 5, checked every 2 s: closed well before the 30 s this client would wait
        assert time.monotonic() - started < 25
