"""A scenario from a mapping, text or a file, and back: the checks in order, places in every message."""

from __future__ import annotations

import copy
import json
import math
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import networkx as nx
import yaml

from augur.errors import GraphError, ScenarioError
from augur.graph import nesting_problem, shown_value
from augur.io import load_graph, parse_node_link, to_node_link
from augur.io._common import MAX_FILE_BYTES, read_regular
from augur.io._json import load_json
from augur.io._yaml import expands_beyond, load_yaml, yaml_budget, yaml_problem
from augur.io.nodelink import too_long_number
from augur.scenario._checks import _did_you_mean, _number
from augur.scenario._model import VERDICTS, Scenario, _check_steps, _Field
from augur.scenario._random import _parse_random
from augur.scenario._shocks import _parse_shock


def validate_shocks(scenario: Scenario, G: nx.DiGraph) -> None:
    """Check that every shock of ``scenario`` fits graph ``G`` (targets exist, kinds fit)."""
    raw = scenario_to_dict(scenario)
    for i, shock in enumerate(raw["shocks"]):
        _parse_shock(i, shock, G, scenario.steps, scenario.source)


def parse_scenario(
    data: Any,
    *,
    graph: nx.DiGraph | None = None,
    base_dir: Path | None = None,
    source: str | None = None,
) -> Scenario:
    """Validate a scenario mapping (as read from YAML or JSON) and return a :class:`Scenario`.

    ``graph`` is used when given; otherwise the mapping's ``graph`` (a path relative to ``base_dir``, or
    an inline node-link mapping) is loaded.

    >>> from augur.graph import build_graph
    >>> G = build_graph([("n", {"id": "acme", "kind": "vendor"})], [])
    >>> s = parse_scenario({"name": "outage", "shocks": [{"kind": "vendor_failure",
    ...                     "target": "acme", "start": 3}]}, graph=G)
    >>> s.shocks[0].params["severity"]
    1.0
    """
    _check_top(data, source)
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ScenarioError("expected a non-empty 'name'", source=source, place="name")
    graph_ref = None
    if graph is None:
        graph, graph_ref = _scenario_graph(data.get("graph"), base_dir, source)
    steps = data.get("steps", 96)
    _check_steps(steps, source, "steps")
    seed = data.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ScenarioError(f"expected an integer >= 0, got {seed!r}", source=source, place="seed")
    slo = _slo(data.get("slo", 0.9), source)
    budget = _token_budget(data.get("token_budget"), source)
    hypothesis = data.get("hypothesis")
    if hypothesis is not None and hypothesis not in VERDICTS:
        raise ScenarioError(
            f"expected one of {', '.join(VERDICTS)}, got {hypothesis!r}",
            source=source,
            place="hypothesis",
        )
    shocks_raw = data.get("shocks", [])
    if not isinstance(shocks_raw, list):
        raise ScenarioError("expected a list of shocks", source=source, place="shocks")
    shocks = tuple(_parse_shock(i, s, graph, steps, source) for i, s in enumerate(shocks_raw))
    random = None if data.get("random") is None else _parse_random(data["random"], graph, steps, source)
    return Scenario(
        name=name.strip(),
        description=str(data.get("description") or "").strip(),
        shocks=shocks,
        steps=steps,
        seed=seed,
        slo=slo,
        token_budget=budget,
        hypothesis=hypothesis,
        step_unit=str(data.get("step_unit") or "hour"),
        graph=graph,
        graph_ref=graph_ref,
        source=source,
        random=random,
    )


_TOP_FIELDS = {
    "name", "description", "graph", "steps", "seed", "slo", "token_budget", "hypothesis",
    "shocks", "step_unit", "random",
}  # fmt: skip


def _check_top(data: Any, source: str | None) -> None:
    """A mapping of known fields, none nested past what a scenario can hold."""
    if not isinstance(data, Mapping):
        raise ScenarioError("expected a mapping of scenario fields at the top", source=source)
    for key, value in data.items():
        problem = None if key == "graph" else nesting_problem(value)  # the graph checks its own
        if problem:
            raise ScenarioError(f"{problem}", source=source, place=str(key)[:40])
    for key in data:
        if key not in _TOP_FIELDS:
            raise ScenarioError(
                f"unknown field {key!r}{_did_you_mean(key, _TOP_FIELDS)}; "
                f"expected {', '.join(sorted(_TOP_FIELDS))}",
                source=source,
                place=key,
            )


def _slo(value: Any, source: str | None) -> float:
    """The SLO, a fraction of full service; a percent written for it (``slo: 95``) is refused with the
    fraction it stands for."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 < value <= 100:
        raise ScenarioError(
            f"expected a fraction 0..1, got {shown_value(value)}; did you mean {value / 100:g}?",
            source=source,
            place="slo",
        )
    return _number(value, _Field("slo", 0.9, 0, 1), "slo", source)


def _token_budget(budget: Any, source: str | None) -> float | None:
    if budget is None:
        return None
    budget = _number(budget, _Field("token_budget", 1, 0, math.inf, True), "token_budget", source)
    if budget < 1:  # peak tokens as a multiple of baseline: the calm drill itself would be over
        raise ScenarioError(
            f"expected 1 or more (a multiple of baseline tokens; below 1 even a drill without "
            f"shocks is over budget), got {budget:g}",
            source=source,
            place="token_budget",
        )
    return budget


def _scenario_graph(ref: Any, base_dir: Path | None, source: str | None):
    if ref is None:
        raise ScenarioError(
            "missing 'graph': expected a path to a graph file or an inline {nodes, edges} mapping",
            source=source,
            place="graph",
        )
    if isinstance(ref, Mapping):
        try:
            return parse_node_link(ref, source=f"{source or 'scenario'} (inline graph)"), None
        except GraphError as err:
            raise ScenarioError(err.message, source=err.source, place=err.place) from err
    if not isinstance(ref, str):
        raise ScenarioError(f"expected a path or an inline graph, got {ref!r}", source=source, place="graph")
    path = (base_dir or Path.cwd()) / ref
    try:
        found = path.exists()
    except OSError as err:  # a name too long for the file system, say
        raise ScenarioError(
            f"cannot open the graph file ({err.strerror or err})", source=source, place="graph"
        ) from err
    if not found:
        raise ScenarioError(f"graph file not found: {path}", source=source, place="graph")
    try:
        return load_graph(path), ref
    except GraphError as err:
        if err.place is not None:  # a row or line of the graph file: that file is what to fix
            raise
        # the path itself is wrong (a folder without the CSVs, a device, a type augur does not read):
        # say it where the scenario names it
        where = f"{ref!r}" if err.source in (None, ref) else f"{ref!r} ({err.source})"
        raise ScenarioError(f"{where}: {err.message}", source=source, place="graph") from err


def parse_scenario_text(
    text: str,
    *,
    fmt: str = "yaml",
    source: str | None = None,
    base_dir: Path | None = None,
    graph: nx.DiGraph | None = None,
) -> Scenario:
    """Read and validate scenario text (YAML or JSON).

    With ``base_dir`` a graph named by path is loaded relative to it. Without one (an upload, text
    from a form), the graph must be inline or given as ``graph`` (the graph file uploaded with the
    scenario): text sent to a server never makes it open a path. YAML whose aliases expand far
    beyond the text is refused.

    >>> s = parse_scenario_text('''
    ... name: outage
    ... graph: {nodes: [{id: acme, kind: vendor}]}
    ... shocks: [{kind: vendor_failure, target: acme, start: 3}]
    ... ''')
    >>> s.shocks[0].target
    ('acme',)
    """
    try:
        data = load_json(text) if fmt == "json" else load_yaml(text)
    except json.JSONDecodeError as err:
        raise ScenarioError(
            f"not valid JSON: {err.msg} (column {err.colno})", source=source, place=f"line {err.lineno}"
        ) from err
    except yaml.YAMLError as err:
        problem, where = yaml_problem(err)
        raise ScenarioError(f"not valid YAML: {problem}", source=source, place=where) from err
    except RecursionError as err:
        raise ScenarioError("nested too deeply to be a scenario", source=source) from err
    except ValueError as err:  # JSON's: an integer past Python's digit limit
        raise ScenarioError(too_long_number(err), source=source) from err
    if expands_beyond(data, yaml_budget(text)):
        raise ScenarioError(
            "YAML aliases expand to far more data than the file holds; expected a plain scenario",
            source=source,
        )
    if isinstance(data, Mapping) and "nodes" in data and "shocks" not in data:
        raise ScenarioError(
            "this file is a supply graph (it has 'nodes'), not a scenario; a scenario names its graph "
            "('graph: my-graph.json') and lists the shocks (see scenarios/ for examples)",
            source=source,
        )
    named = isinstance(data, Mapping) and isinstance(data.get("graph"), str)
    if graph is not None:
        scenario = parse_scenario(data, graph=graph, source=source)
        return replace(scenario, graph_ref=data["graph"]) if named else scenario
    if base_dir is None and named:
        raise ScenarioError(
            f"this scenario names its graph by path ({data['graph']}); upload it together with that "
            "graph file, or a scenario with its graph inline (the app's 'Scenario file' writes one)",
            source=source,
            place="graph",
        )
    return parse_scenario(data, base_dir=base_dir, source=source)


def peek_text(text: str, fmt: str) -> Any:
    """What JSON (``fmt="json"``) or YAML text holds, parsed at C speed and unchecked; ``None`` when it
    does not parse. For telling scenarios from graphs by their top-level keys: a large graph is the
    common file, and PyYAML's pure-Python parser would take seconds over one.

    >>> peek_text("{shocks: [], graph: g.json}", "yaml"), peek_text("{", "json")
    ({'shocks': [], 'graph': 'g.json'}, None)
    """
    try:
        # an integer too long to read is still a number: it does not change what the file is
        return json.loads(text, parse_int=_peek_int) if fmt == "json" else load_yaml(text)
    except (ValueError, yaml.YAMLError, RecursionError):
        return None


def _peek_int(digits: str) -> int:
    return int(digits) if len(digits) <= 4300 else 0


def peek_file(path: str | Path, *, limit: int = MAX_FILE_BYTES) -> Any:
    """:func:`peek_text` of a file (JSON by its suffix, else YAML); ``None`` when it cannot be read.

    >>> peek_file("no-such-file.yaml") is None
    True
    """
    path = Path(path)
    try:
        text = read_regular(path, limit=limit).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    return peek_text(text, "json" if path.suffix.lower() == ".json" else "yaml")


def looks_like_scenario(data: Any) -> bool:
    """A mapping without ``nodes`` that names shocks or a graph: a scenario, not a graph file.

    >>> looks_like_scenario({"graph": "g.json"}), looks_like_scenario({"nodes": [], "shocks": []})
    (True, False)
    """
    return isinstance(data, Mapping) and "nodes" not in data and bool({"shocks", "graph"} & set(data))


def file_looks_like_scenario(path: str | Path) -> bool:
    """A YAML or JSON mapping without ``nodes`` at the top is a scenario; anything else a graph (how
    ``augur validate`` tells which reader a file needs).

    >>> file_looks_like_scenario("scenarios/retail-chip-outage.yaml")  # doctest: +SKIP
    True
    """
    data = peek_file(path)
    if data is None:  # not valid YAML or JSON: its top-level keys, as written, say which it meant
        try:
            # undecodable bytes still leave the keys readable: the scenario reader then says it is
            # not UTF-8, instead of the graph reader asking for a graph
            text = read_regular(path).decode("utf-8", "replace")
        except OSError:
            return False  # the graph reader gives its precise message
        keys = set(re.findall(r"""^["']?(\w+)["']?\s*:""", text, flags=re.M))
        keys |= set(re.findall(r"""^\s*\{?\s*"(\w+)"\s*:""", text, flags=re.M))
        return "nodes" not in keys and bool({"shocks", "graph"} & keys)
    return looks_like_scenario(data)


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a YAML or JSON scenario file, loading the graph it names.

    >>> s = load_scenario("scenarios/retail-chip-outage.yaml")  # doctest: +SKIP
    """
    path = Path(path)
    source = str(path)
    try:
        text = read_regular(path).decode("utf-8-sig")
    except FileNotFoundError as err:
        raise ScenarioError("file not found", source=source) from err
    except UnicodeDecodeError as err:
        raise ScenarioError(
            f"not UTF-8 text (byte {err.start} cannot be decoded); expected a YAML or JSON scenario saved "
            "as UTF-8",
            source=source,
        ) from err
    except OSError as err:
        raise ScenarioError(f"cannot read the file ({err.strerror or err})", source=source) from err
    suffix = path.suffix.lower()
    if suffix in (".csv", ".xlsx", ".graphml", ".xls"):
        raise ScenarioError(
            f"a {suffix} file is a supply graph, not a scenario; a scenario is a YAML or JSON file that "
            "names its graph and lists the shocks (see scenarios/ for examples)",
            source=source,
        )
    fmt = "json" if suffix == ".json" else "yaml"
    return parse_scenario_text(text, fmt=fmt, source=source, base_dir=path.parent)


def scenario_to_dict(scenario: Scenario, *, inline_graph: bool = False) -> dict:
    """The scenario as the mapping a file holds; with ``inline_graph`` it carries its graph inline."""
    out: dict[str, Any] = {"name": scenario.name}
    if scenario.description:
        out["description"] = scenario.description
    if inline_graph and scenario.graph is not None:
        out["graph"] = to_node_link(scenario.graph)
    elif scenario.graph_ref is not None:
        out["graph"] = scenario.graph_ref
    out.update(steps=scenario.steps, seed=scenario.seed, slo=scenario.slo)
    if scenario.step_unit != "hour":
        out["step_unit"] = scenario.step_unit
    if scenario.token_budget is not None:
        out["token_budget"] = scenario.token_budget
    if scenario.hypothesis is not None:
        out["hypothesis"] = scenario.hypothesis
    out["shocks"] = [s.to_dict() for s in scenario.shocks]
    if scenario.random is not None:
        out["random"] = scenario.random.to_dict()
    return copy.deepcopy(out)


def dump_scenario(scenario: Scenario, *, inline_graph: bool = True) -> str:
    """YAML text that :func:`load_scenario` reads back to the same drill."""
    return yaml.safe_dump(
        scenario_to_dict(scenario, inline_graph=inline_graph), sort_keys=False, allow_unicode=True
    )
