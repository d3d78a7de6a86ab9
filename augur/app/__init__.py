"""The drill app: pick or load a supply graph, design shocks, run the drill, replay it step by step.

>>> from augur.app import create_app
>>> app = create_app("scenarios/")        # doctest: +SKIP
>>> app.run(port=8050)                    # doctest: +SKIP

Every session's design and results live in its own browser (``dcc.Store``); the server keeps nothing
between requests, so two people drilling different graphs never see each other's work, and the app
can run behind several workers.
"""

from __future__ import annotations

import getpass
import logging
import os
import tempfile
from pathlib import Path

import diskcache
from dash import Dash, DiskcacheManager

from augur.app import ids
from augur.app.components import register_callbacks
from augur.app.design import Catalogue, graph_of, graph_store, scenario_store
from augur.app.layout import build_layout
from augur.app.network import network_view
from augur.app.server import DEFAULT_MAX_UPLOAD_MB, ServeOptions
from augur.app.server import run as run_server
from augur.errors import AugurError

__all__ = ["background_manager", "create_app", "default_target", "serve"]

log = logging.getLogger(__name__)

_REPO = Path(__file__).resolve().parents[2]
# an installed wheel carries copies of the repository's assets/ and scenarios/ here (see setup.py)
_BUNDLED = Path(__file__).resolve().parents[1] / "_bundled"


def default_target() -> Path | None:
    """The bundled ``scenarios/`` folder: the repository's in a clone (``pip install -e .``), the
    package's copy in an installed wheel, else a ``scenarios`` folder in the current directory."""
    for candidate in (_REPO / "scenarios", _BUNDLED / "scenarios", Path.cwd() / "scenarios"):
        if candidate.is_dir():
            return candidate
    return None


def _assets_folder() -> str:
    """The app's ``assets/`` (CSS and the timeline's clientside code): ``AUGUR_ASSETS`` when set, the
    repository's in a clone, the package's copy in an installed wheel, else ``assets`` here.

    Without any of them the page still opens but the timeline does not replay, so it says so.
    """
    override = os.environ.get("AUGUR_ASSETS")
    candidates = (
        Path(override) if override else None,
        _REPO / "assets",
        _BUNDLED / "assets",
        Path.cwd() / "assets",
    )
    for candidate in candidates:
        if candidate is not None and (candidate / "augur.js").is_file():
            return str(candidate)
    log.warning(
        "augur: the app's assets folder (augur.js, augur.css) was not found; set AUGUR_ASSETS to the "
        "repository's assets/ folder. The timeline will not replay without it."
    )
    return str(_REPO / "assets")


def _initial_design(catalogue: Catalogue) -> tuple[str | None, dict | None, dict | None, str]:
    """The drill the page opens on, its file name, graph and scenario stores: the catalogue's
    default drill, else the first that loads; and what failed to load before it."""
    names = [catalogue.default] + [n for n, _ in catalogue.entries if n != catalogue.default]
    problems = []
    for name in filter(None, names):
        try:
            scenario = catalogue.load(name)
        except AugurError as err:
            problems.append(str(err))
            continue
        graph = graph_store(scenario.graph, scenario.graph_ref or name)
        return name, graph, scenario_store(scenario), "; ".join(problems)
    return None, None, None, "; ".join(problems)


def background_manager():
    """Where the app's long jobs (sweeps, random-shock drills) run: a Dash background manager.

    Locally a :class:`dash.DiskcacheManager` on a cache in ``AUGUR_JOBS_DIR`` (by default a folder of
    this user's in the temporary directory), so each job runs in a process of its own and every
    worker of one server finds its results. A deployment hands :func:`create_app` a Celery manager
    instead; the views' code is the same.
    """
    folder = os.environ.get("AUGUR_JOBS_DIR") or str(Path(tempfile.gettempdir()) / f"augur-jobs-{_user()}")
    return DiskcacheManager(diskcache.Cache(folder))


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container, say)
        return str(os.getuid())


def create_app(
    target: str | Path | None = None, *, jobs=None, max_upload_mb: float = DEFAULT_MAX_UPLOAD_MB
) -> Dash:
    """The Dash app, serving the drills in ``target`` (a scenario file or a folder of them).

    Without ``target`` it serves the bundled ``scenarios/`` folder and opens on the cascading retail
    drill. The page opens with the drill loaded and ready to run. ``jobs`` is the background manager
    the views' long jobs run on (:func:`background_manager` when not given). ``max_upload_mb`` is the
    request limit of the server in front of it (``augur serve --max-upload-mb``): the page refuses
    larger uploads itself, with a message beside the upload.
    """
    if target is not None and not Path(target).exists():
        raise AugurError("no such scenario file or folder", source=str(target))
    catalogue = Catalogue.scan(target if target is not None else default_target())
    app = Dash(
        __name__,
        title="augur · disruption drills",
        assets_folder=_assets_folder(),
        update_title=None,
        background_callback_manager=jobs if jobs is not None else background_manager(),
    )
    on_screen, graph, scenario, message = _initial_design(catalogue)
    view = network_view(graph_of(graph)) if graph is not None else None
    app.layout = build_layout(
        catalogue,
        graph=graph,
        scenario=scenario,
        view=view,
        message=message,
        max_upload_mb=max_upload_mb,
        on_screen=on_screen,
    )
    register_callbacks(app, catalogue)
    return app


def serve(target: str | Path | None = None, **options) -> None:
    """Run the app until interrupted (``augur serve``); ``options`` are those of
    :class:`augur.app.server.ServeOptions` (host, port, threads, max_upload_mb, timeout, allow_hosts,
    token, debug)."""
    settings = ServeOptions(**options)
    run_server(create_app(target, max_upload_mb=settings.max_upload_mb), settings)


# The ids module is part of the app's interface for tests and the clientside code.
__all__ += ["ids"]
