"""Scenarios are validated before any run, and every message names the file, the place and the fix."""

from __future__ import annotations

import json

import pytest
import yaml
from builders import graph

from augur import ScenarioError, dump_scenario, load_scenario, parse_scenario, simulate
from augur.errors import GraphError

G = graph(
    {
        "acme-chips": "vendor",
        "port-la": "logistics",
        "feed": "data_source",
        "llm": ("ai_service", {"token_limit": 2000}),
        "ocr": "ai_service",
        "checkout": "process",
    },
    [("acme-chips", "port-la"), ("port-la", "checkout"), ("feed", "llm"), ("llm", "checkout")],
)


def scenario(*shocks, **fields):
    return {"name": "drill", "steps": 30, "shocks": list(shocks), **fields}


def error_of(data) -> str:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(data, graph=G, source="drill.yaml")
    return str(info.value)


def test_every_shock_kind_parses_with_its_defaults():
    """All five shock kinds parse, with the documented default strength filled in."""
    s = parse_scenario(
        scenario(
            {"kind": "vendor_failure", "target": "acme-chips", "start": 2},
            {"kind": "logistics_bottleneck", "target": ["port-la", "checkout"], "start": 2, "delay": 3},
            {"kind": "demand_spike", "target": "checkout", "start": 2},
            {"kind": "data_quality_drop", "target": ["feed"], "start": 2},
            {"kind": "rate_limit_cut", "target": "llm", "start": 2, "duration": 4},
        ),
        graph=G,
    )
    params = [dict(shock.params) for shock in s.shocks]
    assert params == [
        {"severity": 1.0},
        {"capacity": 1.0, "delay": 3},
        {"multiplier": 2.0},
        {"quality": 0.5},
        {"factor": 0.5},
    ]
    assert s.shocks[1].target == (("port-la", "checkout"),)
    assert s.shocks[4].end == 6


def test_unknown_target_names_the_shock_and_suggests_a_node():
    """An unknown target is reported at shocks[i].target with the closest node id."""
    message = error_of(
        scenario(
            {"kind": "vendor_failure", "target": "acme-chips", "start": 2},
            {"kind": "demand_spike", "target": "checkout", "start": 2},
            {"kind": "vendor_failure", "target": "acme-chip", "start": 2},
        )
    )
    assert message == "drill.yaml: shocks[2].target: unknown node 'acme-chip' (did you mean 'acme-chips'?)"


@pytest.mark.parametrize(
    ("shock", "place", "expected"),
    [
        ({"kind": "meteor", "target": "feed", "start": 2}, "shocks[0].kind", "expected one of vendor_failure"),
        ({"kind": "vendor_failure", "target": "feed", "start": 0}, "shocks[0].start", "step 0 is the"),
        ({"kind": "vendor_failure", "target": "feed", "start": 40}, "shocks[0].start", "from 1 to 29"),
        ({"kind": "vendor_failure", "target": "feed", "start": 2, "duration": 0}, "shocks[0].duration", ">= 1"),
        ({"kind": "vendor_failure", "target": "feed", "start": 2, "severity": 2}, "shocks[0].severity", "[0, 1]"),
        ({"kind": "vendor_failure", "start": 2}, "shocks[0]", "missing 'target'"),
        ({"kind": "vendor_failure", "target": "feed", "start": 2, "sevrity": 1}, "shocks[0].sevrity", "unknown field"),
        ({"kind": "rate_limit_cut", "target": "feed", "start": 2}, "shocks[0].target", "targets ai_service"),
        ({"kind": "rate_limit_cut", "target": "ocr", "start": 2}, "shocks[0].target", "no token_limit"),
        ({"kind": "logistics_bottleneck", "target": "feed", "start": 2, "capacity": 0.5}, "shocks[0].target", "not a logistics node"),
        ({"kind": "logistics_bottleneck", "target": ["feed", "checkout"], "start": 2, "capacity": 0.5}, "shocks[0].target", "no such edge"),
        ({"kind": "logistics_bottleneck", "target": "port-la", "start": 2}, "shocks[0]", "needs 'capacity'"),
        ({"kind": "demand_spike", "target": "checkout", "start": 2, "multiplier": 0}, "shocks[0].multiplier", "in (0, 1,000,000]"),
        ({"kind": "demand_spike", "target": ["feed", "feed"], "start": 2}, "shocks[0].target", "more than once"),
    ],
)  # fmt: skip
def test_bad_shock_is_reported_at_its_place(shock, place, expected):
    """Each malformed shock field is named by its path in the file, with what was expected."""
    message = error_of(scenario(shock))
    assert message.startswith(f"drill.yaml: {place}: ")
    assert expected in message


@pytest.mark.parametrize(
    ("fields", "place"),
    [
        ({"name": ""}, "name"),
        ({"steps": 1}, "steps"),
        ({"slo": 1.5}, "slo"),
        ({"seed": -1}, "seed"),
        ({"hypothesis": "fine"}, "hypothesis"),
        ({"token_budget": 0}, "token_budget"),
        ({"shocks": {"kind": "x"}}, "shocks"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_scenario_field_is_reported_at_its_place(fields, place):
    """Top-level fields are checked and named."""
    assert error_of({**scenario(), **fields}).startswith(f"drill.yaml: {place}: ")


@pytest.mark.parametrize(("slo", "expected"), [(95, "0.95"), (99.9, "0.999"), (100, "1")])
def test_an_slo_written_as_a_percent_is_refused_with_the_fraction_it_means(slo, expected):
    """`slo: 95` is a percent where a fraction goes: the message names the fraction it stands for."""
    assert error_of({**scenario(), "slo": slo}) == (
        f"drill.yaml: slo: expected a fraction 0..1, got {slo}; did you mean {expected}?"
    )


def test_an_slo_past_any_percent_is_refused_with_the_range():
    assert error_of({**scenario(), "slo": 150}) == "drill.yaml: slo: expected a number in [0, 1], got 150"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({**scenario(), "stpes": 72}, "drill.yaml: stpes: unknown field 'stpes' (did you mean 'steps'?); "),
        (
            scenario({"kind": "vendor_failure", "target": "feed", "start": 2, "duraton": 3}),
            "drill.yaml: shocks[0].duraton: unknown field 'duraton' for a vendor_failure (did you mean "
            "'duration'?); ",
        ),
        (
            scenario({"kind": "vendor_outage", "target": "feed", "start": 2}),
            "drill.yaml: shocks[0].kind: unknown shock kind 'vendor_outage' (did you mean 'vendor_failure'?); ",
        ),
        ({**scenario(), "colour": "red"}, "drill.yaml: colour: unknown field 'colour'; expected "),
    ],
)
def test_a_misspelt_field_or_kind_is_refused_with_the_name_it_is_close_to(data, expected):
    """A typo names the field it looks like; a name like none of them gets only the list."""
    assert error_of(data).startswith(expected)


def test_a_token_budget_below_the_baseline_is_refused_with_why():
    """A budget is peak tokens as a multiple of baseline: under 1, a drill without shocks breaks it."""
    message = error_of({**scenario(), "token_budget": 0.5})
    assert message.startswith("drill.yaml: token_budget: expected 1 or more")
    assert "below 1 even a drill without shocks is over budget" in message


def test_scenario_file_resolves_its_graph_relative_to_itself(tmp_path):
    """A scenario's graph path is relative to the scenario file, not the working directory."""
    from augur.io import write_graph

    (tmp_path / "graphs").mkdir()
    write_graph(G, tmp_path / "graphs" / "shop.json")
    path = tmp_path / "drills" / "outage.yaml"
    path.parent.mkdir()
    path.write_text(
        yaml.safe_dump(
            scenario(
                {"kind": "vendor_failure", "target": "acme-chips", "start": 2}, graph="../graphs/shop.json"
            )
        )
    )
    loaded = load_scenario(path)
    assert loaded.graph_ref == "../graphs/shop.json"
    assert set(loaded.graph.nodes) == set(G.nodes)


def test_missing_graph_file_names_the_scenario_and_the_path(tmp_path):
    """A graph path that does not exist is reported at 'graph' with the resolved path."""
    path = tmp_path / "outage.yaml"
    path.write_text(yaml.safe_dump(scenario(graph="nowhere.json")))
    with pytest.raises(ScenarioError, match=r"outage.yaml: graph: graph file not found: .*nowhere.json"):
        load_scenario(path)


def test_a_graph_path_that_is_no_graph_file_names_the_scenario_and_its_graph_key(tmp_path):
    """`graph: .` is a folder without nodes.csv and edges.csv, `graph: /dev/null` a file of no type
    augur reads: each is said at the scenario's `graph`, with the path as written, where the message
    named only the path. A bad row inside a graph file still names that file and its line."""
    path = tmp_path / "outage.yaml"
    folder = tmp_path / "data"
    folder.mkdir()
    path.write_text(yaml.safe_dump(scenario(graph="data")))
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert (err.value.source, err.value.place) == (str(path), "graph")
    assert err.value.message.startswith(f"'data' ({folder}): nodes.csv and edges.csv not found in the folder")
    path.write_text(yaml.safe_dump(scenario(graph="/dev/null")))
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert (err.value.place, err.value.message[:40]) == ("graph", "'/dev/null': unsupported file type '(no ")
    (folder / "nodes.csv").write_text("id,kind,buffer\na,vendor,-1\n")
    (folder / "edges.csv").write_text("source,target\n")
    path.write_text(yaml.safe_dump(scenario(graph="data")))
    with pytest.raises(GraphError) as err:
        load_scenario(path)
    assert (err.value.source, err.value.place) == (str(folder), "nodes.csv line 2")


def test_invalid_yaml_names_the_line(tmp_path):
    """A syntax error in the scenario file is reported with its line."""
    path = tmp_path / "broken.yaml"
    path.write_text("name: drill\nsteps: 30\nshocks: [\n  {kind: vendor_failure\n")
    with pytest.raises(ScenarioError, match=r"broken.yaml: line \d+: not valid YAML"):
        load_scenario(path)


def test_dumped_scenario_with_inline_graph_reproduces_the_same_drill(tmp_path):
    """dump_scenario writes the graph inline; loading it back runs to identical metrics."""
    original = parse_scenario(
        scenario(
            {"kind": "vendor_failure", "target": "acme-chips", "start": 2, "duration": 5},
            {"kind": "rate_limit_cut", "target": "llm", "start": 4, "factor": 0.4},
            seed=3,
            slo=0.8,
            hypothesis="cascade",
        ),
        graph=G,
    )
    path = tmp_path / "copy.yaml"
    path.write_text(dump_scenario(original))
    copy = load_scenario(path)
    assert copy.shocks == original.shocks
    assert json.dumps(simulate(copy.graph, copy).metrics) == json.dumps(simulate(G, original).metrics)


def test_steps_override_is_checked_against_shock_starts():
    """Shortening the horizon to 10 steps before a shock that starts at 20 is an error naming that
    shock (its kind, target and place) and both ways to fit: 21 steps or more, or a start before 10.
    With the shocks dropped (a random-shock study replaces them) the same horizon is taken."""
    s = parse_scenario(scenario({"kind": "vendor_failure", "target": "feed", "start": 20}), graph=G)
    assert s.with_overrides(steps=50).steps == 50
    with pytest.raises(ScenarioError) as err:
        s.with_overrides(steps=10)
    assert err.value.place == "shocks[0].start"
    assert err.value.message == (
        "the vendor_failure on feed starts at step 20, after the horizon of 10 steps: expected a horizon "
        "of 21 steps or more, or the shock to start before step 10"
    )
    assert s.with_overrides(steps=10, shocks=()).steps == 10


def test_scenario_for_one_graph_is_refused_on_another():
    """simulate checks the shocks against the graph it is given."""
    s = parse_scenario(scenario({"kind": "vendor_failure", "target": "acme-chips", "start": 2}), graph=G)
    other = graph({"x": "vendor", "y": "process"}, [("x", "y")])
    with pytest.raises(ScenarioError, match="unknown node 'acme-chips'"):
        simulate(other, s)


def test_a_shocks_note_survives_a_round_trip(tmp_path):
    """A shock's note, the author's reason for it, is kept when the scenario is written back out."""
    s = parse_scenario(
        scenario({"kind": "vendor_failure", "target": "feed", "start": 2, "note": "fab fire"}), graph=G
    )
    path = tmp_path / "again.yaml"
    path.write_text(dump_scenario(s))
    assert load_scenario(path).shocks[0].note == "fab fire"


def test_text_without_a_folder_must_carry_its_graph_inline():
    """Scenario text from an upload may not name a graph file: the server never opens a path it was sent."""
    from augur.scenario import parse_scenario_text

    with pytest.raises(ScenarioError, match=r"upload.yaml: graph: this scenario names its graph by path"):
        parse_scenario_text("name: x\ngraph: /etc/passwd\nshocks: []\n", source="upload.yaml")


def test_scenario_yaml_that_expands_without_limit_is_refused():
    """A 'billion laughs' scenario is refused before anything walks it."""
    from augur.scenario import parse_scenario_text

    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for level in "bcdefgh":
        prev = chr(ord(level) - 1)
        laughs += (
            f"{level}: &{level} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        )
    with pytest.raises(ScenarioError, match="expand to far more data"):
        parse_scenario_text(laughs + "name: x\nshocks: []\n", source="laughs.yaml")


def test_a_json_scenario_key_given_twice_is_refused_at_its_place():
    """json.loads would run 20 steps, the last 'steps', silently; the second stands at line 1,
    column 52, after `{"name": "j", ` (14 characters), `"steps": 10, ` (13) and
    `"graph": {"nodes": []}, ` (24)."""
    from augur.scenario import parse_scenario_text

    text = '{"name": "j", "steps": 10, "graph": {"nodes": []}, "steps": 20, "shocks": []}'
    assert text.index('"steps": 20') == 14 + 13 + 24
    with pytest.raises(ScenarioError) as err:
        parse_scenario_text(text, fmt="json", source="twice.json")
    assert (err.value.source, err.value.place) == ("twice.json", "line 1")
    assert err.value.message == "not valid JSON: key 'steps' given twice in one object (column 52)"


def test_a_scenario_key_given_twice_is_refused_with_its_line_as_a_graph_s_is():
    """Scenarios and graphs read YAML with the one loader: the second 'steps' would win silently."""
    from augur.scenario import parse_scenario_text

    text = "name: x\nsteps: 20\ngraph: {nodes: [{id: a, kind: vendor}]}\nsteps: 200\nshocks: []\n"
    with pytest.raises(ScenarioError) as err:
        parse_scenario_text(text, source="twice.yaml")
    assert (err.value.source, err.value.place) == ("twice.yaml", "line 4")
    assert err.value.message.startswith("not valid YAML: key 'steps' given twice in one mapping")


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("007", "unknown node 7: YAML reads an unquoted 007 as the number 7; write it in quotes: '007'"),
        # YAML 1.1 reads a leading 0 as octal: 010 is 8
        ("010", "unknown node 8: YAML reads an unquoted 010 as the number 8; write it in quotes: '010'"),
        ("yes", "unknown node true: YAML reads an unquoted yes as the value true; write it in quotes: 'yes'"),
        ("no", "unknown node false (YAML read it unquoted as the value false, not as text: write an id in "
               "quotes where YAML would read it otherwise)"),
    ],
)  # fmt: skip
def test_an_unquoted_id_yaml_reads_as_a_number_or_true_says_to_quote_it(written, message):
    """The nodes are '007', '010' and 'yes'; unquoted in a shock's target YAML reads 007 as 7, 010 as 8
    and yes as true, none of them an id; the message names the id meant. No node reads as false."""
    from augur.scenario import parse_scenario_text

    G = graph(
        {"007": "vendor", "010": "vendor", "yes": "vendor", "p": "process"},
        [("007", "p"), ("010", "p"), ("yes", "p")],
    )
    text = f"name: s\nsteps: 10\nshocks: [{{kind: vendor_failure, target: {written}, start: 2}}]\n"
    with pytest.raises(ScenarioError) as err:
        parse_scenario_text(text, graph=G, source="s.yaml")
    assert (err.value.place, err.value.message) == ("shocks[0].target", message)
    quoted = text.replace(f"target: {written}", f"target: '{written}'")
    if written != "no":
        assert parse_scenario_text(quoted, graph=G).shocks[0].target == (written,)
