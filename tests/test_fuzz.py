"""Fuzzing: every reader, the scenario parser and the app's upload and run paths, on mutated bytes and
structures derived from the bundled files, give a graph, a scenario or an augur error, never another
exception, and each input within a few seconds. The engine keeps its invariants on random graphs with
cycles, AI services and extreme but valid attributes.

Bounded for CI (a few dozen examples per test). ``AUGUR_FUZZ=long`` runs many more:
``AUGUR_FUZZ=long python -m pytest tests/test_fuzz.py``.
"""

from __future__ import annotations

import base64
import copy
import json
import math
import os
from pathlib import Path

import networkx as nx
import numpy as np
import yaml
from bounded import deadline
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from augur.app.design import build_scenario, read_design_upload
from augur.drill import simulate
from augur.errors import AugurError
from augur.graph import build_graph
from augur.io import load_graph, parse_node_link, read_upload
from augur.io.excel import excel_bytes
from augur.scenario import Scenario, parse_scenario, parse_scenario_text

ROOT = Path(__file__).resolve().parents[1]
LONG = os.environ.get("AUGUR_FUZZ") == "long"
FUZZ = settings(
    max_examples=2_000 if LONG else 40,
    deadline=None,  # each example is guarded by a wall-clock bound instead: this machine is shared
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=not LONG,  # the CI run is the same every time; the long run explores
)
# The most one input may take, parse and validate included (a hang or a blow-up is minutes).
SECONDS = 5

SEED_FILES = sorted(
    p
    for folder in (ROOT / "scenarios" / "graphs", ROOT / "tests" / "data" / "graphs")
    for p in folder.iterdir()
    if p.is_file() and p.suffix in (".json", ".yaml", ".graphml", ".csv", ".xlsx")
)
SCENARIO_FILES = sorted((ROOT / "scenarios").glob("*.yaml"))


def _partner(path: Path) -> tuple[str, bytes] | None:
    """A CSV file's other half, uploaded beside it."""
    if path.suffix != ".csv":
        return None
    other = (
        path.name.replace("edges", "nodes") if "edges" in path.name else path.name.replace("nodes", "edges")
    )
    return other, (path.parent / other).read_bytes()


# (name, bytes, the partner uploaded with it): every bundled graph file, and a workbook made from one
# (no .xlsx is bundled)
GRAPH_SEEDS = [(p.name, p.read_bytes(), _partner(p)) for p in SEED_FILES] + [
    ("retail.xlsx", excel_bytes(load_graph(ROOT / "scenarios" / "graphs" / "retail.json")), None)
]
RETAIL = load_graph(ROOT / "scenarios" / "graphs" / "retail.json")
SCENARIO_SEEDS = [(p.name, p.read_bytes(), None) for p in SCENARIO_FILES]
HOSTILE_VALUES = [
    None, True, "", "x" * 300, "=HYPERLINK(\"x\")", -1, 0, 1e308, -1e308, 10**400, 1.5, "nan", "1e999",
    [], {}, [[[[[]]]]], {"a": {"b": {"c": [1]}}}, "\x00", "\ud7ff", "9" * 5000, 2**63, -(2**63) - 1,
]  # fmt: skip


# Bytes that reach the corners of each format: NUL, a byte-order mark, XML and YAML syntax, a number
# too long to read, deep nesting, a YAML tag, a float that overflows.
INSERTS = [
    b"\x00",
    b"\xff\xfe",
    b"&",
    b"<",
    b"]]",
    b"{",
    b"- ",
    b": ",
    b"\n",
    b"'",
    b'"',
    b"9" * 5000,
    b"[" * 200,
]
INSERTS += [b"!!timestamp ", b"!!set ", b"1e999", b"&a ", b"*a", b"<!ENTITY x 'y'>"]


def _outcome(fn, *args, **kwargs):
    """Run ``fn``: a graph, a scenario, ("graph"/"scenario", ...) or an AugurError are all answers."""
    with deadline(SECONDS):
        try:
            result = fn(*args, **kwargs)
        except AugurError as err:
            assert str(err).strip() and "\n" not in str(err).strip(), repr(str(err))
            return err
    return result


# --------------------------------------------------------------------------------------------------
# Mutated bytes


@st.composite
def mutated_bytes(draw, seeds=GRAPH_SEEDS):
    name, raw, partner = draw(st.sampled_from(seeds))
    data = bytearray(raw)
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        op = draw(st.sampled_from(["flip", "delete", "insert", "repeat", "truncate", "splice"]))
        if op == "flip":
            data[at] = draw(st.integers(0, 255))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif op == "insert":
            data[at:at] = draw(st.sampled_from(INSERTS))
        elif op == "repeat":
            span = bytes(data[at : at + draw(st.integers(1, 200))])
            data[at:at] = span * draw(st.integers(2, 50))
        elif op == "truncate":
            del data[at:]
        else:
            data[at:at] = draw(st.binary(max_size=40))
    return name, bytes(data), partner


@FUZZ
@given(mutated_bytes())
def test_every_reader_answers_mutated_bytes_with_a_graph_or_an_augur_error(sample):
    name, data, partner = sample
    files = {name: data, **dict([partner] if partner else [])}
    result = _outcome(read_upload, files)
    assert isinstance(result, (nx.DiGraph, AugurError))


@FUZZ
@given(mutated_bytes(SCENARIO_SEEDS))
def test_the_scenario_parser_answers_mutated_scenarios(sample):
    name, data, _ = sample
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("utf-8", "replace")
    result = _outcome(parse_scenario_text, text, fmt="yaml", source=name, base_dir=ROOT / "scenarios")
    assert isinstance(result, (Scenario, AugurError))


@FUZZ
@given(mutated_bytes(GRAPH_SEEDS + SCENARIO_SEEDS))
def test_the_app_upload_answers_anything_dropped_on_it(sample):
    name, data, partner = sample
    files = {name: data, **dict([partner] if partner else [])}
    urls = [
        "data:application/octet-stream;base64," + base64.b64encode(d).decode("ascii") for d in files.values()
    ]
    result = _outcome(read_design_upload, urls, list(files))
    assert isinstance(result, (tuple, AugurError))
    if isinstance(result, tuple):
        assert result[0] in ("graph", "scenario")


# --------------------------------------------------------------------------------------------------
# Mutated structures


def _graph_data(path: Path):
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


STRUCTURED = [p for p in SEED_FILES if p.suffix in (".json", ".yaml")]


def _paths(value, prefix=()):
    """Every (path, value) inside nested mappings and lists."""
    yield prefix, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


def _set(data, path, value):
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


@st.composite
def mutated_structure(draw, documents):
    data = copy.deepcopy(draw(st.sampled_from(documents)))
    places = [p for p, _ in _paths(data) if p]
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(places))
        try:
            _set(data, path, draw(st.sampled_from(HOSTILE_VALUES)))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed the place
    return data


GRAPH_DOCUMENTS = [_graph_data(p) for p in STRUCTURED]
SCENARIO_DOCUMENTS = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in SCENARIO_FILES]


@FUZZ
@given(mutated_structure(GRAPH_DOCUMENTS))
def test_node_link_data_with_hostile_values_gives_a_graph_or_an_augur_error(data):
    result = _outcome(parse_node_link, data, source="fuzzed.json")
    assert isinstance(result, (nx.DiGraph, AugurError))


@FUZZ
@given(mutated_structure(SCENARIO_DOCUMENTS), st.sampled_from(SCENARIO_FILES))
def test_scenarios_with_hostile_values_give_a_scenario_or_an_augur_error(data, path):
    result = _outcome(parse_scenario, data, base_dir=path.parent, source="fuzzed.yaml")
    assert isinstance(result, (Scenario, AugurError))


@FUZZ
@given(mutated_structure(SCENARIO_DOCUMENTS))
def test_the_app_run_path_answers_a_hostile_design(design):
    """The run callback builds the scenario from the stores with build_scenario, then simulates."""
    result = _outcome(build_scenario, RETAIL, design if isinstance(design, dict) else {"shocks": design})
    assert isinstance(result, (Scenario, AugurError))
    if isinstance(result, Scenario) and result.steps <= 200:
        drilled = _outcome(simulate, result.graph, result)
        assert not isinstance(drilled, AugurError) or "needs about" in str(drilled)


# --------------------------------------------------------------------------------------------------
# Engine invariants on random graphs with cycles, AI services and extreme but valid attributes

KINDS = ("vendor", "logistics", "data_source", "ai_service", "process")


@st.composite
def extreme_graphs(draw, *, full_capacity: bool):
    n = draw(st.integers(2, 8))
    nodes = []
    for i in range(n):
        kind = draw(st.sampled_from(KINDS))
        fail_below = draw(st.sampled_from([0.0, 0.3, 0.99, 1.0]))
        low = 1.0 if full_capacity else max(fail_below, 1e-6)
        attrs = {
            "id": f"n{i}",
            "kind": kind,
            "fail_below": fail_below,
            "capacity": draw(st.sampled_from([low, max(low, 1.0), 1e6])),
            "quality": draw(st.sampled_from([0.0, 1e-9, 0.5, 0.999999, 1.0])),
            "buffer": draw(st.sampled_from([0.0, 1e6])),
            "min_supply": draw(st.sampled_from([1e-6, 0.5, 1.0])),  # its least allowed
            "recovery": draw(st.sampled_from([0, 1_000_000])),
        }
        if kind == "ai_service":
            per_unit = draw(st.sampled_from([1e-6, 1000.0, 1e9]))  # its least allowed
            attrs |= {
                "tokens_per_unit": per_unit,
                "token_limit": draw(st.sampled_from([None, per_unit, 1e12])),
                "retry_sensitivity": draw(st.sampled_from([0.0, 2.0, 1e3])),
                "max_retries": draw(st.sampled_from([0, 3, 1000])),
                "ci_base": draw(st.sampled_from([1e-9, 0.05, 1e3])),
            }
        nodes.append((f"nodes[{i}]", {k: v for k, v in attrs.items() if v is not None}))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1]),
            max_size=3 * n,
            unique=True,
        )
    )
    edges = [
        (
            f"edges[{k}]",
            {
                "source": f"n{u}",
                "target": f"n{v}",
                "weight": draw(st.sampled_from([1e-300, 1.0, 1e6])),
                "lead_time": draw(st.sampled_from([0, 3, 1_000_000])),
                "group": draw(st.sampled_from(["", "a"])),
            },
        )
        for k, (u, v) in enumerate(pairs)
    ]
    return build_graph(nodes, edges)


STEPS = 12


@FUZZ
@given(extreme_graphs(full_capacity=True))
def test_a_drill_without_shocks_is_its_baseline_at_every_step(G):
    """Cycles, AI services, extreme weights and qualities: nothing moves when nothing happens."""
    with deadline(SECONDS):
        result = simulate(G, parse_scenario({"name": "calm", "steps": STEPS, "shocks": []}, graph=G))
    traj = result.trajectory
    for field in ("output", "supply", "quality", "attempts", "tokens", "load", "stock"):
        values = getattr(traj, field)
        assert np.allclose(values, values[0], rtol=1e-9, atol=0, equal_nan=True), field
    assert (traj.status == 0).all()
    assert result.metrics["verdict"] == "graceful"


@FUZZ
@given(extreme_graphs(full_capacity=False), st.data())
def test_outputs_supply_and_quality_stay_in_range_and_tokens_finite(G, data):
    nodes = list(G.nodes)
    shocks = [
        {"kind": "vendor_failure", "target": data.draw(st.sampled_from(nodes)), "start": data.draw(st.integers(1, STEPS - 1)), "severity": data.draw(st.sampled_from([0.5, 1.0]))},
        {"kind": "demand_spike", "target": data.draw(st.sampled_from(nodes)), "start": data.draw(st.integers(1, STEPS - 1)), "multiplier": data.draw(st.sampled_from([1e-6, 3.0, 1e6]))},
        {"kind": "data_quality_drop", "target": data.draw(st.sampled_from(nodes)), "start": 2, "quality": data.draw(st.sampled_from([0.0, 0.5]))},
    ]  # fmt: skip
    scenario = parse_scenario({"name": "hit", "steps": STEPS, "shocks": shocks}, graph=G)
    with deadline(SECONDS):
        result = simulate(G, scenario)
    traj = result.trajectory
    for field in ("output", "supply", "quality"):
        values = getattr(traj, field)
        assert np.isfinite(values).all() and (values >= 0).all() and (values <= 1).all(), field
    assert np.isfinite(traj.tokens).all() and (traj.tokens >= 0).all()
    for key, value in result.metrics.items():
        if isinstance(value, float):
            assert math.isfinite(value), key


def test_the_fuzz_seeds_cover_every_format():
    """The mutations start from every reader's format, so no reader escapes the fuzzing."""
    suffixes = {Path(name).suffix for name, _, _ in GRAPH_SEEDS}
    assert suffixes == {".json", ".yaml", ".graphml", ".csv", ".xlsx"}
