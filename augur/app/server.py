"""Serving the drill app to a team: waitress, and the guards a shared internal tool needs.

``augur serve`` runs the app under waitress, not Dash's development server. waitress reads every
request in full on one event loop before a worker thread sees it, so a client that sends half a request
holds a socket, not a thread; a request body above the size limit is refused from its headers, before it
is read. :class:`Guard` wraps the app's WSGI callable and adds what waitress leaves to the application:

- a Host check (only the names the server was bound to, the loopback names and ``--allow-host``), so a
  page on another site cannot reach the app through DNS rebinding;
- an optional access token, handed out once as a link (``/?token=...``) and kept as a cookie;
- security headers: a Content-Security-Policy that lets Dash's own scripts run and nothing else,
  ``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``, ``nosniff``, ``Referrer-Policy: no-referrer``.

>>> host_of("[::1]:8050"), host_of("Example.org:80"), host_of("localhost")
('::1', 'example.org', 'localhost')
>>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
(True, True, False)
"""

from __future__ import annotations

import hmac
import ipaddress
import math
import secrets
import socket
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qsl, urlencode

from augur.errors import AugurError

__all__ = [
    "DEFAULT_MAX_UPLOAD_MB",
    "Guard",
    "ServeOptions",
    "allowed_hosts",
    "content_security_policy",
    "host_of",
    "is_loopback",
    "run",
]

DEFAULT_MAX_UPLOAD_MB = 20
TOKEN_COOKIE = "augur_token"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})

# What a user or an administrator reads from the server, in one place.
HOST_REFUSED = (
    "augur: this server does not answer to the name {host!r}. Open it by an address it was started "
    "for ({allowed}), or restart it with --allow-host {host}."
)
TOKEN_NEEDED = (
    "augur: this server needs its access link, the address with ?token=... that 'augur serve' printed "
    "when it started. Ask whoever runs it for the link."
)
TOKEN_WRONG = (
    "augur: this access link is not (or no longer) valid: the server may have been restarted with a new "
    "token. Ask whoever runs it for the current link."
)
UPLOAD_TOO_LARGE = (
    "augur: this request is {size}; the server accepts up to {limit} MB. Use a smaller file, or restart "
    "the server with --max-upload-mb {suggest}."
)
OFF_LOOPBACK_WARNING = """\
augur: WARNING: listening on {host}:{port}, which other machines can reach.
augur: WARNING: anyone with the access link below can upload graphs and run drills on this machine.
augur: WARNING: traffic is plain HTTP; put a TLS proxy in front of it for anything beyond a trusted network.
augur: answering to: {allowed} (add names with --allow-host)"""
DEBUG_OFF_LOOPBACK = (
    "--debug runs Dash's development server, whose error pages show the code and run it; it only "
    "listens on this machine (--host 127.0.0.1 or localhost), not on {host}"
)


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (a loopback address, or ``localhost``)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_of(header: str) -> str:
    """The host name in a ``Host`` header, without its port, in lower case."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header
    if header.count(":") == 1:
        header = header.split(":", 1)[0]
    return header.rstrip(".")


def allowed_hosts(host: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """The names the server answers to: the one it is bound to, the loopback names and ``extra``.

    Bound to every interface (``0.0.0.0`` or ``::``), it also answers to this machine's own names and
    addresses, which is how colleagues reach it.

    >>> sorted(allowed_hosts("127.0.0.1", ["drills.example.org"]))
    ['127.0.0.1', '::1', 'drills.example.org', 'localhost']
    """
    names = set(LOOPBACK_NAMES) | {host_of(name) for name in extra}
    if host in WILDCARD_HOSTS:
        names |= _machine_names()
    else:
        names.add(host_of(host) if not host.startswith("[") else host.strip("[]").lower())
    return frozenset(names)


def _machine_names() -> set[str]:
    names = {socket.gethostname().lower(), socket.getfqdn().lower()}
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None)
    except OSError:  # a machine whose own name does not resolve: its names are still allowed
        infos = []
    names |= {str(info[4][0]).lower() for info in infos}
    return names


def content_security_policy(app) -> str:
    """A Content-Security-Policy for ``app`` (a :class:`dash.Dash`) that lets only Dash's scripts run.

    Scripts come from the app itself, plus Dash's inline renderer start-up by its hash (computed after
    every callback is registered). Plotly builds some functions at run time and both Plotly and
    Cytoscape set inline styles, hence ``'unsafe-eval'`` and ``'unsafe-inline'`` for styles; images may
    be ``data:`` or ``blob:`` URLs (Plotly's downloads, the review's PNG).
    """
    scripts = " ".join(["'self'", "'unsafe-eval'", *app.csp_hashes()])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


@dataclass
class Guard:
    """WSGI middleware: the Host check, the access token and the security headers around ``app``.

    Refusals are plain-text responses that say what to do (400 for a Host the server does not answer
    to, 403 without the token). A request whose query carries the right ``token`` is answered with a
    redirect to the same page without it, setting the token as an ``HttpOnly`` cookie, so the token
    does not stay in the address bar, the history or a shared screenshot.
    """

    app: Callable
    allowed_hosts: frozenset[str] | set[str]
    csp: str
    token: str | None = None
    headers: list[tuple[str, str]] = field(init=False)

    def __post_init__(self):
        self.allowed_hosts = frozenset(self.allowed_hosts)
        self.headers = [
            ("Content-Security-Policy", self.csp),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "no-referrer"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
        ]

    def __call__(self, environ, start_response):
        host = host_of(environ.get("HTTP_HOST", ""))[:200]
        if host not in self.allowed_hosts:
            allowed = ", ".join(sorted(self.allowed_hosts))
            return self._plain(
                start_response, "400 Bad Request", HOST_REFUSED.format(host=host, allowed=allowed)
            )
        if self.token is not None:
            refusal = self._check_token(environ, start_response)
            if refusal is not None:
                return refusal

        def start_with_headers(status, headers, exc_info=None):
            kept = [(k, v) for k, v in headers if k.lower() not in {"server", "x-powered-by"}]
            return start_response(status, kept + self.headers, exc_info)

        return self.app(environ, start_with_headers)

    def _check_token(self, environ, start_response):
        query = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        given = [value for key, value in query if key == "token"]
        if given:
            if not self._valid(given[-1]):
                return self._plain(start_response, "403 Forbidden", TOKEN_WRONG)
            rest = urlencode([(key, value) for key, value in query if key != "token"])
            location = (
                environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "/") + ("?" + rest if rest else "")
            )
            cookie = f"{TOKEN_COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Lax"
            start_response("303 See Other", [("Location", location), ("Set-Cookie", cookie), *self.headers])
            return [b""]
        cookies = SimpleCookie()
        try:
            cookies.load(environ.get("HTTP_COOKIE", ""))
        except CookieError:  # a malformed Cookie header carries no token
            cookies = SimpleCookie()
        morsel = cookies.get(TOKEN_COOKIE)
        if morsel is None or not self._valid(morsel.value):
            return self._plain(start_response, "403 Forbidden", TOKEN_NEEDED)
        return None

    def _valid(self, candidate: str) -> bool:
        return hmac.compare_digest(candidate.encode(), self.token.encode())

    def _plain(self, start_response, status: str, text: str):
        body = (text + "\n").encode()
        headers = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
        start_response(status, headers + self.headers)
        return [body]


@dataclass(frozen=True)
class ServeOptions:
    """How ``augur serve`` listens: address, thread pool, limits, names and token."""

    host: str = "127.0.0.1"
    port: int = 8050
    threads: int = 8
    max_upload_mb: float = DEFAULT_MAX_UPLOAD_MB
    timeout: int = 60
    allow_hosts: tuple[str, ...] = ()
    token: str | None = None
    debug: bool = False
    # Enough for a few hundred slow clients beside the real ones; waitress stops accepting beyond it.
    connection_limit: int = 1000

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)


def _too_large_parser():
    """waitress's request parser, with a 413 that says what the limit is and how to raise it."""
    from waitress.parser import HTTPRequestParser
    from waitress.utilities import RequestEntityTooLarge

    class UploadTooLarge(RequestEntityTooLarge):
        def __init__(self, size: int | None, limit: int):
            super().__init__("")
            self.size, self.limit = size, limit

        def to_response(self, ident=None):
            limit_mb = self.limit / (1024 * 1024)
            size = f"{self.size / (1024 * 1024):.1f} MB" if self.size else f"more than {limit_mb:g} MB"
            suggest = math.ceil(self.size / (1024 * 1024) / 10) * 10 if self.size else 2 * limit_mb
            text = UPLOAD_TOO_LARGE.format(size=size, limit=f"{limit_mb:g}", suggest=f"{suggest:g}") + "\n"
            return (
                f"{self.code} {self.reason}",
                [("Content-Type", "text/plain; charset=utf-8")],
                text.encode(),
            )

    class Parser(HTTPRequestParser):
        def received(self, data):
            consumed = super().received(data)
            if type(self.error) is RequestEntityTooLarge:
                # waitress refuses at max_request_body_size, which is one byte above the limit
                self.error = UploadTooLarge(self.content_length or None, self.adj.max_request_body_size - 1)
            return consumed

    return Parser


def _werkzeug_handler():
    """Werkzeug's request handler without its version banner (``Server: Werkzeug/x Python/y``)."""
    from werkzeug.serving import WSGIRequestHandler

    class QuietHandler(WSGIRequestHandler):
        def version_string(self) -> str:
            return "augur"

    return QuietHandler


def run(app, options: ServeOptions, *, out=None) -> None:
    """Serve the Dash ``app`` as ``options`` say, until interrupted.

    Off loopback the server warns loudly and requires a token (``options.token``, or one made here and
    printed once). ``--debug`` runs Dash's development server instead, and only on loopback.
    """
    out = out or sys.stderr
    loopback = is_loopback(options.host)
    if options.debug and not loopback:
        raise AugurError(DEBUG_OFF_LOOPBACK.format(host=options.host))
    token = options.token or (None if loopback else secrets.token_urlsafe(18))
    hosts = allowed_hosts(options.host, options.allow_hosts)
    app.server.wsgi_app = Guard(
        app.server.wsgi_app, allowed_hosts=hosts, csp=content_security_policy(app), token=token
    )
    shown = socket.gethostname() if options.host in WILDCARD_HOSTS else options.host
    shown = f"[{shown}]" if ":" in shown else shown
    link = f"http://{shown}:{options.port}/" + (f"?token={token}" if token else "")
    if not loopback:
        print(
            OFF_LOOPBACK_WARNING.format(
                host=options.host, port=options.port, allowed=", ".join(sorted(hosts))
            ),
            file=out,
        )
    if options.debug:
        print(f"augur: Dash's development server (debug) on {link}", file=out, flush=True)
        app.run(host=options.host, port=options.port, debug=True, request_handler=_werkzeug_handler())
        return
    from waitress import create_server

    server = create_server(
        app.server,
        host=options.host,
        port=options.port,
        threads=options.threads,
        ident="",
        max_request_body_size=options.max_upload_bytes + 1,
        channel_timeout=options.timeout,
        cleanup_interval=max(1, min(30, options.timeout // 2)),
        connection_limit=options.connection_limit,
        # poll, not select: select() cannot watch descriptors past 1024
        asyncore_use_poll=True,
        expose_tracebacks=False,
    )
    parser = _too_large_parser()
    for listener in _listeners(server):
        listener.channel_class = type("Channel", (listener.channel_class,), {"parser_class": parser})
    print(
        f"augur: the drill app is on {link}  (waitress, {options.threads} threads; Ctrl+C stops it)",
        file=out,
        flush=True,
    )
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def _listeners(server):
    """The listening servers inside what ``waitress.create_server`` returned (one, or one per address)."""
    from waitress.server import BaseWSGIServer

    if isinstance(server, BaseWSGIServer):
        return [server]
    return [s for s in server.map.values() if isinstance(s, BaseWSGIServer)]
