"""The drill being designed, as the plain data the browser keeps, and the library calls on it.

A session's design lives in two ``dcc.Store`` components: the *graph store* (the supply graph as
node-link data, its name and a revision) and the *scenario store* (name, horizon, seed, SLO, token
budget, hypothesis and shocks: a scenario file's fields without the graph). Every function here is a
plain function of those dicts; the callbacks only wire them to components. Nothing is kept on the
server between requests.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import stat
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import networkx as nx

from augur.app.stores import checked_graph_store, checked_scenario_store
from augur.errors import AugurError, GraphError, ScenarioError
from augur.io import parse_node_link, read_upload, to_node_link, upload_table_files
from augur.scenario import (
    SHOCK_KINDS,
    Scenario,
    dump_scenario,
    load_scenario,
    looks_like_scenario,
    parse_scenario,
    parse_scenario_text,
    peek_file,
    peek_text,
    scenario_to_dict,
)
from augur.text.notes import graph_notes

__all__ = [
    "SHOCK_HELP",
    "Catalogue",
    "build_scenario",
    "decode_upload",
    "graph_meta",
    "graph_of",
    "graph_store",
    "new_revision",
    "read_design_upload",
    "scenario_file",
    "scenario_store",
    "settled_revision",
    "shock_form_fields",
    "upload_notes",
    "with_settings",
    "with_shock",
    "with_shocks",
    "without_shock",
]


SCENARIO_FIELDS = (
    "name",
    "description",
    "steps",
    "seed",
    "slo",
    "token_budget",
    "hypothesis",
    "step_unit",
    "shocks",
)

# What the strength field of each shock kind means, for the designer's label.
SHOCK_HELP = {
    "vendor_failure": ("severity", "Severity (1 = down)", 1.0),
    "logistics_bottleneck": ("capacity", "Capacity left (0..1)", 0.5),
    "demand_spike": ("multiplier", "Demand multiplier", 2.0),
    "data_quality_drop": ("quality", "Quality left (0..1)", 0.5),
    "rate_limit_cut": ("factor", "Token limit left (0..1)", 0.5),
}


def new_revision() -> str:
    """A fresh revision tag: results remember the revision of the design they were run on."""
    return uuid.uuid4().hex[:12]


def settled_revision(previous: str | None, store: Mapping) -> str:
    """The revision of ``store`` made from the one tagged ``previous``: the same edit of the same
    design gives the same tag, any other a new one.

    >>> settled_revision("a1", {"name": "x"}) == settled_revision("a1", {"name": "x", "rev": "z"})
    True
    """
    content = {key: value for key, value in store.items() if key != "rev"}
    text = json.dumps([previous, content], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def graph_store(G: nx.DiGraph, name: str) -> dict:
    """The graph store for ``G``: node-link data, a display name, counts and a new revision."""
    return {
        "rev": new_revision(),
        "name": name,
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "data": to_node_link(G),
    }


def graph_meta(store: Mapping | None) -> dict | None:
    """The graph store without its data: what the header and the staleness check need."""
    if not store:
        return None
    return {key: value for key, value in store.items() if key != "data"}


def graph_of(store: Mapping) -> nx.DiGraph:
    """The validated graph held by a graph store (refused with a :class:`GraphError` when the store
    is not what the app wrote)."""
    store = checked_graph_store(store)
    return parse_node_link(store["data"], source=store.get("name") or "graph")


def scenario_store(scenario: Scenario | Mapping) -> dict:
    """The scenario store for ``scenario``: its file fields without the graph, and a new revision.

    A file's ``random:`` section is kept beside them as ``random``, as the file wrote it: the Random
    shocks view opens with it and checks it there, against the graph and horizon of the day. The drill
    itself never reads it, so an edit that leaves it behind (a shorter horizon, a node removed) never
    stops a run.
    """
    data = scenario_to_dict(scenario) if isinstance(scenario, Scenario) else dict(scenario)
    out = {key: data[key] for key in (*SCENARIO_FIELDS, "random") if key in data}
    out.setdefault("shocks", [])
    out["rev"] = new_revision()
    return out


def _scenario_fields(store: Mapping) -> dict:
    return {key: store[key] for key in SCENARIO_FIELDS if key in store and store[key] is not None}


def build_scenario(graph: Mapping | nx.DiGraph, scenario: Mapping) -> Scenario:
    """Validate the design and return the :class:`Scenario`, its graph attached.

    Raises :class:`ScenarioError` naming the field (``shocks[1].start``) when the design does not hold.
    """
    scenario = checked_scenario_store(scenario)
    G = graph if isinstance(graph, nx.DiGraph) else graph_of(graph)
    # a design on screen was read from no file: its errors name the field alone
    return parse_scenario(_scenario_fields(scenario), graph=G)


def with_shock(scenario: Mapping, shock: Mapping, G: nx.DiGraph) -> dict:
    """The scenario store with ``shock`` appended, checked against ``G`` first. The same shock twice
    is refused: it would double the shock's effect on the run while the list seems to show a typo."""
    existing = scenario.get("shocks", [])
    if dict(shock) in existing:
        number = existing.index(dict(shock)) + 1
        raise ScenarioError(f"this shock is already in the list (shock {number})", place="shock")
    shocks = [*existing, dict(shock)]
    candidate = {**_without_story(scenario), "shocks": shocks}
    build_scenario(G, candidate)
    return {**candidate, "rev": new_revision()}


def with_shocks(scenario: Mapping, shocks: Sequence[Mapping], G: nx.DiGraph) -> dict:
    """The scenario store with its shocks replaced by ``shocks``, checked against ``G``: a view's
    "drill this" (a node of the ranking failed alone, a random drill) is the same design under other
    shocks.

    >>> G = nx.DiGraph([("a", "shop")])
    >>> nx.set_node_attributes(G, {"a": "vendor", "shop": "process"}, "kind")
    >>> store = {"name": "s", "steps": 20, "description": "a fire at b", "shocks": []}
    >>> new = with_shocks(store, [{"kind": "vendor_failure", "target": "a", "start": 2}], G)
    >>> new["shocks"], "description" in new
    ([{'kind': 'vendor_failure', 'target': 'a', 'start': 2}], False)
    """
    candidate = {**_without_story(scenario), "shocks": [dict(shock) for shock in shocks]}
    build_scenario(G, candidate)
    return {**candidate, "rev": new_revision()}


def without_shock(scenario: Mapping, index: int) -> dict:
    """The scenario store without its ``index``-th shock."""
    shocks = [s for i, s in enumerate(scenario.get("shocks", [])) if i != index]
    return {**_without_story(scenario), "shocks": shocks, "rev": new_revision()}


def _without_story(scenario: Mapping) -> dict:
    """A bundled drill's description tells the story of its own shocks: once they change it would
    describe a drill that is no longer there (in the scenario file and the review pack), so it goes.
    The hypothesis stays: it is on screen to edit."""
    return {k: v for k, v in scenario.items() if k != "description"}


def with_settings(scenario: Mapping, **settings: Any) -> dict:
    """The scenario store with new settings (name, steps, seed, slo, token_budget, hypothesis).

    ``None`` for ``token_budget`` or ``hypothesis`` removes it; other ``None`` values keep the
    current setting. Unchanged settings give the same store back (same revision). The settings are
    checked without the graph, so a change never ships the graph to the server; a horizon that
    cuts a shock is refused.

    >>> store = {"name": "outage", "steps": 20, "shocks": [{"kind": "vendor_failure", "target": "a",
    ...                                                     "start": 12}]}
    >>> with_settings(store, steps=30, slo=0.95)["slo"]
    0.95
    >>> with_settings(store, steps=10)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    augur.errors.ScenarioError: steps: shock 1 starts at step 12, after a horizon of 10 steps; ...
    """
    candidate = dict(scenario)
    for key, value in settings.items():
        if key in ("token_budget", "hypothesis"):
            if value in (None, ""):
                candidate.pop(key, None)
            else:
                candidate[key] = value
        elif value not in (None, ""):
            candidate[key] = value.strip() if isinstance(value, str) else value
    if all(candidate.get(k) == scenario.get(k) for k in SCENARIO_FIELDS):
        return dict(scenario)
    # the settings do not depend on the graph (a one-node stand-in will do); the shocks are checked apart
    stand_in = nx.DiGraph()
    stand_in.add_node("settings", kind="process")
    parse_scenario({**_scenario_fields(candidate), "shocks": []}, graph=stand_in)
    steps = candidate.get("steps", 96)
    for i, shock in enumerate(candidate.get("shocks", [])):
        if shock.get("start", 0) >= steps:
            raise ScenarioError(
                f"shock {i + 1} starts at step {shock['start']}, after a horizon of {steps} steps; "
                "remove the shock or keep the horizon longer",
                place="steps",
            )
    # the revision follows from the store and the settings: Run and the settings callback, which
    # both apply a field left for the Run button, then write the same store, not two revisions of it
    return {**candidate, "rev": settled_revision(scenario.get("rev"), candidate)}


def shock_form_fields(
    kind: str,
    target: Any,
    start: Any,
    duration: Any,
    strength: Any,
    delay: Any = None,
) -> dict:
    """A shock mapping, as a scenario file holds it, from the designer's fields; an empty duration
    means a shock that lasts to the end.

    >>> shock_form_fields("logistics_bottleneck", ["port", "plant"], 5, None, 0.3, 2)
    {'kind': 'logistics_bottleneck', 'target': ['port', 'plant'], 'start': 5, 'capacity': 0.3, 'delay': 2}
    """
    if kind not in SHOCK_KINDS:
        raise ScenarioError(f"choose a shock kind: one of {', '.join(SHOCK_KINDS)}", place="shock")
    if target in (None, "", []):
        raise ScenarioError("click a node or an edge in the network to choose the target", place="shock")
    if start in (None, ""):
        raise ScenarioError("enter the step the shock starts at (1 or later)", place="start")
    if duration is not None and duration != "" and not (isinstance(duration, (int, float)) and duration >= 1):
        raise ScenarioError(
            f"expected a whole number of steps, 1 or more (empty: to the end), got {duration!r}",
            place="duration",
        )
    shock: dict[str, Any] = {"kind": kind, "target": target, "start": start}
    if duration not in (None, ""):
        shock["duration"] = duration
    field_name = SHOCK_HELP[kind][0]
    if strength not in (None, ""):
        shock[field_name] = strength
    if kind == "logistics_bottleneck" and delay not in (None, "", 0):
        shock["delay"] = delay
    if kind == "logistics_bottleneck" and "capacity" not in shock and "delay" not in shock:
        shock["capacity"] = SHOCK_HELP[kind][2]
    return shock


def _slug(name: str, limit: int = 60) -> str:
    """A file name's stem for ``name``, of whole words, at most ``limit`` characters. A longer name
    keeps its first words and its last: what tells one drill from another is often at the end, as
    "random drill 103 of 200 (seed 7)" after the drill's own name.

    >>> _slug("Weak point: NorthGPU Cloud (primary compute) fails alone: random drill 103 of 200 (seed 7)")
    'weak-point-northgpu-cloud-random-drill-103-of-200-seed-7'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if len(slug) <= limit:
        return slug or "drill"
    words = slug.split("-")
    tail: list[str] = []
    while words and len("-".join([words[-1], *tail])) <= limit // 2:
        tail.insert(0, words.pop())
    head: list[str] = []
    for word in words:
        if len("-".join([*head, word, *tail])) > limit:
            break
        head.append(word)
    return "-".join([*head, *tail]) if head or tail else slug[:limit]


def scenario_file(graph: Mapping, scenario: Mapping, *, problems: list[str] | None = None) -> tuple[str, str]:
    """The design as a scenario file that ``augur run`` reproduces: ``(file name, YAML text)``.

    The graph is written inline, so the one file is the whole drill; the ``random:`` section the
    design was opened with goes with it, so ``augur montecarlo`` of the file draws what the app drew.
    A section an edit has left behind (a node it names removed, a horizon it outlasts) is left out:
    a file holding it would be refused whole, its drill with it. Why is appended to ``problems``
    when given, for the page to say.
    """
    built = build_scenario(graph, scenario)
    section = scenario.get("random")
    if section is not None:
        try:
            built = parse_scenario({**_scenario_fields(scenario), "random": section}, graph=built.graph)
        except ScenarioError as err:  # the drill alone, which build_scenario has checked
            if problems is not None:
                problems.append(err.describe(source=False))
    return f"{_slug(built.name)}.yaml", dump_scenario(built, inline_graph=True)


def decode_upload(contents: str, filename: str) -> bytes:
    """The bytes of one ``dcc.Upload`` item (a ``data:...;base64,...`` URL)."""
    try:
        _, encoded = contents.split(",", 1)
        return base64.b64decode(encoded, validate=False)
    except (ValueError, binascii.Error) as err:
        raise GraphError("the browser sent the file in a form that cannot be read", source=filename) from err


def _scenario_text(name: str, raw: bytes) -> tuple[str, str, Mapping] | None:
    """``(text, format, data)`` of an uploaded YAML or JSON file that holds a scenario, or None when
    the file is a graph (or unreadable: the graph reader then gives the precise message).

    The file is read once at C speed to tell a scenario from a graph (a large graph is the common
    upload); a scenario then goes through :func:`parse_scenario_text`, which refuses YAML that
    expands without limit and a graph named by path (an upload never makes the server open a path).
    """
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    fmt = "json" if suffix == ".json" else "yaml"
    data = peek_text(text, fmt)
    return (text, fmt, data) if looks_like_scenario(data) else None


def _scenario_with_graph(name: str, found: tuple[str, str, Mapping], graph_files: Mapping[str, bytes]):
    """The scenario ``name`` read with the graph uploaded beside it (one file, or a CSV pair)."""
    text, fmt, data = found
    ref = data.get("graph")
    if not isinstance(ref, str):
        raise ScenarioError(
            f"this scenario has its graph inline, yet {', '.join(graph_files)} came with it; "
            "upload the scenario alone, or the graph alone",
            source=name,
            place="graph",
        )
    wanted = PurePosixPath(ref.replace("\\", "/")).name
    if len(graph_files) == 1 and wanted not in graph_files:
        raise ScenarioError(
            f"this scenario names its graph {ref}, but the file uploaded with it is "
            f"{next(iter(graph_files))}; expected {wanted}",
            source=name,
            place="graph",
        )
    return parse_scenario_text(text, fmt=fmt, source=name, graph=read_upload(graph_files))


def read_design_upload(contents: Sequence[str], filenames: Sequence[str]) -> tuple[str, Any]:
    """Read what was dropped on the upload: a graph (any format of docs/model.md's "File formats", or a
    CSV pair), a scenario file with its graph inline, or a scenario together with the graph file(s) it
    names.

    Returns ``("graph", G)`` or ``("scenario", Scenario)``; raises :class:`AugurError` with one clear
    message naming the file, the place and what was expected.
    """
    files = {name: decode_upload(data, name) for name, data in zip(filenames, contents)}
    found = {name: parsed for name, raw in files.items() if (parsed := _scenario_text(name, raw))}
    if len(found) > 1:
        raise ScenarioError(
            f"{len(found)} scenarios uploaded ({', '.join(found)}); expected one scenario, "
            "with the graph file it names if the graph is not inline"
        )
    if found:
        ((name, parsed),) = found.items()
        others = {other: raw for other, raw in files.items() if other != name}
        if others:
            return "scenario", _scenario_with_graph(name, parsed, others)
        text, fmt, _ = parsed
        return "scenario", parse_scenario_text(text, fmt=fmt, source=name)
    return "graph", read_upload(files)


def upload_notes(G: nx.DiGraph, filenames: Sequence[str], scenario: Scenario | None = None) -> list[str]:
    """:func:`~augur.text.notes.graph_notes` on an uploaded graph, naming the uploaded file each is
    about; a scenario's graph is in the files uploaded beside it, or in the scenario itself."""
    names = list(filenames)
    if scenario is not None:
        names = [name for name in names if name != scenario.source] or [str(scenario.source)]
    return graph_notes(G, *upload_table_files(names))


@dataclass(frozen=True)
class Catalogue:
    """The drills the app offers: scenario files found in the served folder, by file name."""

    folder: Path | None
    entries: tuple[tuple[str, str], ...]  # (file name, scenario name)
    default: str | None

    @classmethod
    def scan(cls, target: str | Path | None) -> Catalogue:
        """The scenarios beside ``target`` (a scenario file, opened first) or in it (a folder)."""
        if target is None:
            return cls(None, (), None)
        target = Path(target)
        folder = target if target.is_dir() else target.parent
        entries = []
        for path in sorted(folder.glob("*.y*ml")) + sorted(folder.glob("*.json")):
            if not _servable(path, folder):
                continue
            label = _scenario_label(path)
            if label is not None:
                entries.append((path.name, label))
        shared = {label for _, label in entries if sum(other == label for _, other in entries) > 1}
        entries = [(name, f"{label} ({name})" if label in shared else label) for name, label in entries]
        names = [name for name, _ in entries]
        if target.is_file():
            default = target.name
            if default not in names:
                entries.insert(0, (target.name, target.stem))
        else:
            default = _default_entry(folder, names)
        return cls(folder, tuple(entries), default)

    def path(self, name: str) -> Path:
        """The file of a listed drill; a name that is not listed is refused (no path from the browser
        is ever opened)."""
        if self.folder is None or name not in {n for n, _ in self.entries}:
            raise ScenarioError(f"no bundled drill named {name!r}")
        return self.folder / name

    def load(self, name: str) -> Scenario:
        """The listed drill ``name``, read; a refusal names its file as the folder's listing does
        (``bad.yaml``, ``graphs/g.yaml``), never by the server's path."""
        path = self.path(name)
        try:
            return load_scenario(path)
        except AugurError as err:
            raise _named_in(err, self.folder) from None


def _named_in(err: AugurError, folder: Path) -> AugurError:
    """``err`` with every path inside ``folder`` written as the path from it.

    >>> str(_named_in(ScenarioError("no node 'x'", source="/srv/drills/a.yaml"), Path("/srv/drills")))
    "a.yaml: no node 'x'"
    """
    prefix = str(folder.resolve() if folder.is_dir() else folder).rstrip("/") + "/"
    plain = str(folder).rstrip("/") + "/"

    def local(text: str | None) -> str | None:
        return text and text.replace(prefix, "").replace(plain, "")

    return type(err)(local(err.message), source=local(err.source), place=local(err.place))


# The largest scenario file the served folder lists (one with its graph inline can be large).
MAX_SERVED_BYTES = 20 * 2**20


def _servable(path: Path, folder: Path) -> bool:
    """A regular file of at most :data:`MAX_SERVED_BYTES`, inside ``folder`` once links are followed:
    a link to ``/dev/zero``, a FIFO or a file outside the folder is never opened."""
    try:
        real = path.resolve(strict=True)
        inside = real.is_relative_to(folder.resolve(strict=True))
        info = real.stat()
    except (OSError, RuntimeError):  # a broken link, a loop of links
        return False
    return inside and stat.S_ISREG(info.st_mode) and info.st_size <= MAX_SERVED_BYTES


def _scenario_label(path: Path) -> str | None:
    data = peek_file(path, limit=MAX_SERVED_BYTES)
    if not isinstance(data, Mapping) or "nodes" in data or "shocks" not in data:
        return None
    return str(data.get("name") or path.stem)


def _default_entry(folder: Path, names: list[str]) -> str | None:
    """Open on the cascading retail drill where there is one: the story most people recognise."""
    for preferred in ("retail-chip-outage.yaml", "retail-chip-outage.yml"):
        if preferred in names:
            return preferred
    for name in names:
        data = peek_file(folder / name, limit=MAX_SERVED_BYTES)
        if isinstance(data, Mapping) and data.get("hypothesis") == "cascade":
            return name
    return names[0] if names else None
