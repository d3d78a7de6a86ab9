"""Hostile files: each one refused with one line naming the file, the place and what was expected (exit 2),
or handled, within a stated time and memory.

Each case is one found by probing augur as a security-minded reviewer would (issue 11). The bounds are
about ten times what each case takes here, so a shared machine does not make them flake.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from bounded import bounded
from builders import drill, graph

from augur import load_graph, load_scenario
from augur.cli import main
from augur.errors import AugurError, GraphError, ScenarioError
from augur.io._common import json_text, write_atomic

NODES = [{"id": "acme", "kind": "vendor"}, {"id": "shop", "kind": "process"}]


def node_link(nodes=None, edges=None) -> str:
    return json.dumps({"nodes": nodes or NODES, "edges": edges or [{"source": "acme", "target": "shop"}]})


def refusal(capsys, *argv: str) -> str:
    """Run the CLI, expect exit 2 with one line on stderr and nothing on stdout; return that line."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert status == 2, (status, out, err)
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("augur: error: ")
    return lines[0]


# --------------------------------------------------------------------------------------------------
# Numbers whose magnitude makes the arithmetic meaningless


@pytest.mark.parametrize(
    ("nodes", "edges", "place", "expected"),
    [
        pytest.param(
            [*NODES, {"id": "spare", "kind": "vendor"}],
            [
                {"source": "acme", "target": "shop", "weight": 1e308},
                {"source": "spare", "target": "shop", "weight": 1e308},
            ],
            "edges[0]",
            "expected a number in [1e-300, 1,000,000] for 'weight', got 1e+308",
            id="two weights of 1e308 (their sum was infinite: NaN supply)",
        ),
        pytest.param(
            [{"id": "llm", "kind": "ai_service", "tokens_per_unit": 1e308}, NODES[1]],
            [{"source": "llm", "target": "shop"}],
            "nodes[0] (id 'llm')",
            "expected a number in [0.000001, 1,000,000,000] for 'tokens_per_unit'",
            id="tokens_per_unit 1e308 (printed Infinity)",
        ),
        pytest.param(
            None,
            [{"source": "acme", "target": "shop", "lead_time": 1e30}],
            "edges[0]",
            "expected an integer in [0, 1,000,000] for 'lead_time', got 1e+30",
            id="lead_time 1e30 (OverflowError)",
        ),
        pytest.param(
            [{"id": "acme", "kind": "vendor", "capacity": 0.2}, NODES[1]],
            None,
            "nodes[0] (id 'acme')",
            "capacity 0.2 is below fail_below 0.3: the node would fail before any shock",
            id="capacity below fail_below",
        ),
        pytest.param(
            [{"id": "acme", "kind": "vendor", "max_retries": 10**100}, NODES[1]],
            None,
            "nodes[0] (id 'acme')",
            "expected an integer in [0, 1,000] for 'max_retries'",
            id="a googol of retries",
        ),
    ],
)
def test_magnitudes_that_break_the_arithmetic_are_refused_with_the_range(tmp_path, capsys, nodes, edges, place, expected):  # fmt: skip
    path = tmp_path / "graph.json"
    path.write_text(node_link(nodes, edges), encoding="utf-8")
    line = refusal(capsys, "validate", str(path))
    assert line.startswith(f"augur: error: {path}: {place}: ")
    assert expected in line


def test_an_unshocked_drill_that_ends_below_full_service_has_no_time_to_recover():
    """A shop that can serve only half its demand never recovered: null, not 0 steps."""
    half = drill(graph({"acme": "vendor", "shop": ("process", {"capacity": 0.5})}, [("acme", "shop")]), [])
    assert half.metrics["service_level_min"] == 0.5
    assert half.metrics["time_to_recover"] is None
    calm = drill(graph({"acme": "vendor", "shop": "process"}, [("acme", "shop")]), [])
    assert calm.metrics["time_to_recover"] == 0


def test_json_output_is_strict_with_null_for_what_is_not_finite():
    """JSON has no NaN or Infinity: augur writes null there, and a strict parser reads every output."""

    def strict(text):
        return json.loads(text, parse_constant=lambda name: pytest.fail(f"non-JSON constant {name}"))

    data = {"peak": math.inf, "ci": [0.05, math.nan], "nested": {"low": -math.inf}, "steps": 3}
    assert strict(json_text(data)) == {"peak": None, "ci": [0.05, None], "nested": {"low": None}, "steps": 3}


def test_run_json_is_strict_json(tmp_path, capsys):
    (tmp_path / "g.json").write_text(node_link(), encoding="utf-8")
    (tmp_path / "s.yaml").write_text("name: calm\ngraph: g.json\nsteps: 5\nshocks: []\n", encoding="utf-8")
    assert main(["run", str(tmp_path / "s.yaml"), "--json", "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    for text in (printed, (tmp_path / "out" / "metrics.json").read_text(encoding="utf-8")):
        metrics = json.loads(text, parse_constant=lambda name: pytest.fail(name))
        assert metrics["verdict"] == "graceful"
        assert metrics["peak_token_multiplier"] is None  # no AI service: null, not NaN


# --------------------------------------------------------------------------------------------------
# Tracebacks that are now messages


def test_an_attribute_nested_500_deep_is_refused_in_json_and_yaml(tmp_path, capsys):
    deep_json = tmp_path / "deep.json"
    deep_json.write_text(
        node_link([{**NODES[0], "region": "[" * 500 + "1" + "]" * 500}, NODES[1]]), encoding="utf-8"
    )
    deep_json.write_text(deep_json.read_text().replace('"[[', "[[").replace(']]"', "]]"), encoding="utf-8")
    deep_yaml = tmp_path / "deep.yaml"
    deep_yaml.write_text(
        "nodes:\n- {id: acme, kind: vendor, region: " + "[" * 500 + "1" + "]" * 500 + "}\n"
        "- {id: shop, kind: process}\nedges: [{source: acme, target: shop}]\n",
        encoding="utf-8",
    )
    for path in (deep_json, deep_yaml):
        with bounded(seconds=5, megabytes=50):
            line = refusal(capsys, "validate", str(path))
        assert line.startswith(f"augur: error: {path}: nodes[0] (id 'acme'): ")
        assert (
            "attribute 'region' holds lists or mappings nested more than 32 deep; expected at most 32" in line
        )
    # the same depth in a scenario field
    scenario = tmp_path / "deep-scenario.yaml"
    scenario.write_text(
        "name: x\ngraph: deep.yaml\nshocks: [{kind: vendor_failure, target: "
        + "[" * 500
        + "]" * 500
        + ", start: 2}]\n",
        encoding="utf-8",
    )
    assert "shocks: lists or mappings nested" in refusal(capsys, "run", str(scenario))


@pytest.mark.parametrize("where", ["graph.json", "graph.yaml", "scenario.json", "scenario.yaml"])
def test_an_integer_of_5000_digits_is_refused(tmp_path, capsys, where):
    """Python will not read an integer of more than 4,300 digits: the reader says so, not a ValueError."""
    big = "9" * 5000
    (tmp_path / "g.json").write_text(node_link(), encoding="utf-8")
    texts = {
        "graph.json": node_link([{**NODES[0], "capacity": 0}, NODES[1]]).replace('"capacity": 0', f'"capacity": {big}'),
        "graph.yaml": f"nodes:\n- {{id: acme, kind: vendor, capacity: {big}}}\n- {{id: shop, kind: process}}\n",
        "scenario.json": f'{{"name": "x", "graph": "g.json", "seed": {big}}}',
        "scenario.yaml": f"name: x\ngraph: g.json\nseed: {big}\nshocks: []\n",
    }  # fmt: skip
    path = tmp_path / where
    path.write_text(texts[where], encoding="utf-8")
    command = "validate" if where.startswith("graph") else "run"
    line = refusal(capsys, command, str(path))
    assert line.startswith(f"augur: error: {path}: ")
    assert "a number of 5,000 digits, longer than the 4,300 digits a number may have" in line


@pytest.mark.parametrize(
    ("value", "what"),
    [
        ("!!timestamp 2001-12-14t21:59:43.10-05:00", "a date or time"),
        ("2026-12-01", "a date or time"),
        ("!!set {a, b}", "a set"),
        ("!!binary aGVsbG8=", "binary data"),
        ("!!omap [a: 1]", "a omap"),
    ],
)
def test_yaml_types_json_does_not_have_are_refused_at_their_line(tmp_path, capsys, value, what):
    path = tmp_path / "graph.yaml"
    path.write_text(
        f"nodes:\n- id: acme\n  kind: vendor\n  owner: {value}\n- {{id: shop, kind: process}}\n",
        encoding="utf-8",
    )
    line = refusal(capsys, "validate", str(path))
    assert line.startswith(f"augur: error: {path}: line 4: ")
    assert f"{what} (tag:yaml.org,2002:" in line
    assert "expected text (quote it)" in line
    path.write_text(path.read_text(encoding="utf-8").replace(f"owner: {value}", "owner: '2026-12-01'"))
    assert load_graph(path).nodes["acme"]["owner"] == "2026-12-01"  # quoted, it is text


@pytest.mark.parametrize(
    ("shocks", "place", "expected"),
    [
        ("[{kind: [vendor_failure], target: acme, start: 2}]", "shocks[0].kind", "unknown shock kind a list"),
        ("[{kind: {a: 1}, target: acme, start: 2}]", "shocks[0].kind", "unknown shock kind a dict"),
        ('"x"', "shocks", "expected a list of shocks"),
        ("[{kind: logistics_bottleneck, target: [acme, shop], start: 2, delay: 1e30}]", "shocks[0].delay", "in [0, 1,000,000]"),
        ("[{kind: logistics_bottleneck, target: [acme, shop], start: 2, delay: " + "9" * 400 + "}]", "shocks[0].delay", "an integer of about 400 digits"),
        ("[{kind: demand_spike, target: acme, start: 2, multiplier: .inf}]", "shocks[0].multiplier", "got inf"),
    ],
)  # fmt: skip
def test_malformed_shocks_are_refused_at_their_place(tmp_path, capsys, shocks, place, expected):
    (tmp_path / "g.json").write_text(node_link(), encoding="utf-8")
    path = tmp_path / "drill.yaml"
    path.write_text(f"name: x\ngraph: g.json\nsteps: 10\nshocks: {shocks}\n", encoding="utf-8")
    line = refusal(capsys, "run", str(path))
    assert line.startswith(f"augur: error: {path}: {place}: ")
    assert expected in line


def test_a_path_longer_than_the_system_allows_is_a_message(tmp_path, capsys):
    long = tmp_path / ("a" * 300 + ".json")
    for argv in (
        ["validate", str(long)],
        ["run", str(long)],
        ["convert", str(tmp_path / "g.json"), str(long)],
    ):
        (tmp_path / "g.json").write_text(node_link(), encoding="utf-8")
        line = refusal(capsys, *argv)
        assert line.startswith(f"augur: error: {long}: ")
        assert "too long" in line.lower()


def test_validate_names_a_scenario_that_is_not_utf8_as_such(tmp_path, capsys):
    """A scenario saved in Latin-1 is a scenario that is not UTF-8, not a file that should be a graph."""
    path = tmp_path / "drill.yaml"
    path.write_bytes("name: Café outage\ngraph: g.json\nshocks: []\n".encode("latin-1"))
    line = refusal(capsys, "validate", str(path))
    assert line == (
        f"augur: error: {path}: not UTF-8 text (byte 9 cannot be decoded); expected a YAML or JSON "
        "scenario saved as UTF-8"
    )


# --------------------------------------------------------------------------------------------------
# Files augur writes


def test_an_interrupted_write_leaves_the_old_file_and_no_debris(tmp_path, monkeypatch):
    """A write that fails half-way (a full disk, a kill) keeps the previous file whole."""
    target = tmp_path / "metrics.json"
    write_atomic(target, "old\n")
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", full_disk)
    with pytest.raises(OSError):
        write_atomic(target, "new and longer\n")
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["metrics.json"]


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_failed_convert_is_a_message_and_keeps_what_was_there(tmp_path, capsys, monkeypatch):
    (tmp_path / "g.json").write_text(node_link(), encoding="utf-8")
    out = tmp_path / "copy.yaml"
    out.write_text("previous\n", encoding="utf-8")
    monkeypatch.setattr(
        "os.replace", lambda *a: (_ for _ in ()).throw(PermissionError(13, "Permission denied"))
    )
    line = refusal(capsys, "convert", str(tmp_path / "g.json"), str(out))
    assert line == f"augur: error: {out}: cannot write the file (Permission denied)"
    assert out.read_text(encoding="utf-8") == "previous\n"


def test_errors_stay_augur_errors():
    """The refusals above are the library's own errors too, not only the CLI's."""
    with pytest.raises(GraphError):
        load_graph(Path("/nonexistent") / ("a" * 300 + ".json"))
    with pytest.raises(ScenarioError):
        load_scenario(Path("/nonexistent") / ("a" * 300 + ".yaml"))
    assert issubclass(GraphError, AugurError)


# --------------------------------------------------------------------------------------------------
# Bounded work: readers cost what the data holds, not what it claims


def _xlsx_with_empty_rows(path: Path, rows: int) -> None:
    """A workbook whose nodes sheet declares A1:XFD1048576 and holds ``rows`` empty <row> elements:
    each one read against the declared dimension was 16,384 cells."""
    import io
    import re
    import zipfile

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "nodes"
    for row in (["id", "kind"], ["acme", "vendor"], ["shop", "process"]):
        ws.append(row)
    edges = wb.create_sheet("edges")
    edges.append(["source", "target"])
    edges.append(["acme", "shop"])
    buffer = io.BytesIO()
    wb.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', data)
                empty = b"".join(b'<row r="%d"/>' % i for i in range(4, 4 + rows))
                data = data.replace(b"</sheetData>", empty + b"</sheetData>")
            out.writestr(info.filename, data)


def test_a_spreadsheet_declaring_every_cell_is_read_by_what_it_holds(tmp_path):
    """50,000 empty rows under a declared A1:XFD1048576: 800 million cells read before, none now."""
    path = tmp_path / "declared.xlsx"
    _xlsx_with_empty_rows(path, 50_000)
    with bounded(seconds=20, megabytes=200):
        G = load_graph(path)
    assert list(G.edges) == [("acme", "shop")]


def test_graphml_key_defaults_are_read_once_and_capped(tmp_path):
    """4,000 keys with defaults: over 1,000 nodes refused (4 million values), over 50 nodes read."""

    def graphml(keys: int, nodes: int) -> str:
        parts = ['<graphml><key id="k" for="node" attr.name="kind"/>']
        parts += [
            f'<key id="d{i}" for="node" attr.name="a{i}" attr.type="string"><default>x</default></key>'
            for i in range(keys)
        ]
        parts.append('<graph edgedefault="directed">')
        parts += [f'<node id="n{j}"><data key="k">vendor</data></node>' for j in range(nodes)]
        return "".join(parts) + "</graph></graphml>"

    path = tmp_path / "keys.graphml"
    path.write_text(graphml(4000, 1000), encoding="utf-8")
    with bounded(seconds=20, megabytes=300), pytest.raises(GraphError) as caught:
        load_graph(path)
    assert str(caught.value) == (
        f"{path}: 4,000 <key> defaults for 1,000 nodes would add 4,000,000 values; expected at most "
        "500,000 (give defaults only to the attributes that need one)"
    )
    path.write_text(graphml(4000, 50), encoding="utf-8")
    with bounded(seconds=20, megabytes=300):
        G = load_graph(path)
    assert G.nodes["n49"]["a3999"] == "x"


def test_a_csv_line_of_a_million_commas_costs_its_size(tmp_path):
    (tmp_path / "nodes.csv").write_text("id,kind\nacme,vendor\nshop,process\n" + "," * 1_000_000 + "x\n")
    (tmp_path / "edges.csv").write_text("source,target\nacme,shop\n")
    with bounded(seconds=20, megabytes=400), pytest.raises(GraphError, match="which has no header"):
        load_graph(tmp_path)


def test_a_drill_too_large_for_memory_is_refused_before_it_runs(tmp_path, capsys):
    """The message says what it would take and how to fit; simulate takes a larger budget on request."""
    from augur import simulate
    from augur.engine.budget import check_drill_size
    from augur.scenario import parse_scenario

    G = graph({"acme": "vendor", "shop": "process"}, [("acme", "shop")])
    scenario = parse_scenario({"name": "long", "steps": 10_000, "shocks": []}, graph=G)
    with pytest.raises(ScenarioError, match="needs about 2 MB; the limit is 1 MB: use at most 5,555 steps"):
        simulate(G, scenario, memory_budget=1_000_000)
    assert simulate(G, scenario).trajectory.steps == 10_000  # 2 MB is within the default budget
    with pytest.raises(ScenarioError) as caught:
        check_drill_size(2_500, 100_000)
    assert caught.value.place == "steps"
    assert caught.value.message == (
        "a 2,500-node graph over 100,000 steps needs about 22.5 GB; the limit is 1 GB: use at most 4,444 steps"
    )
    big = {"nodes": [{"id": f"n{i}", "kind": "vendor"} for i in range(2_500)], "edges": []}
    (tmp_path / "big.json").write_text(json.dumps(big), encoding="utf-8")
    (tmp_path / "s.yaml").write_text("name: big\ngraph: big.json\nshocks: []\n", encoding="utf-8")
    with bounded(seconds=30, megabytes=300):
        line = refusal(capsys, "run", str(tmp_path / "s.yaml"), "--steps", "100000")
    assert line.endswith("steps: a 2,500-node graph over 100,000 steps needs about 22.5 GB; the limit is 1 GB: use at most 4,444 steps")  # fmt: skip


def test_a_pipe_or_a_device_is_never_read(tmp_path, capsys):
    """A FIFO would block the reader and /dev/zero would fill memory: both refused before a read."""
    import os

    fifo = tmp_path / "graph.json"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.yaml"
    zero.symlink_to("/dev/zero")
    for path in (fifo, zero):
        with bounded(seconds=10, megabytes=50):
            line = refusal(capsys, "validate", str(path))
        assert line.startswith(f"augur: error: {path}: ")
        assert "not a regular file" in line


def test_the_served_folder_lists_regular_files_inside_it_only(tmp_path):
    import os

    from augur.app.design import Catalogue

    (tmp_path / "g.json").write_text(node_link(), encoding="utf-8")
    (tmp_path / "drill.yaml").write_text("name: real drill\ngraph: g.json\nshocks: []\n", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.yaml"
    outside.write_text("name: not served\ngraph: g.json\nshocks: []\n", encoding="utf-8")
    (tmp_path / "escape.yaml").symlink_to(outside)
    (tmp_path / "inside.yaml").symlink_to(tmp_path / "drill.yaml")  # a link within the folder is fine
    with bounded(seconds=10, megabytes=50):
        catalogue = Catalogue.scan(tmp_path)
    assert dict(catalogue.entries) == {"drill.yaml": "real drill (drill.yaml)", "inside.yaml": "real drill (inside.yaml)"}  # fmt: skip
    with pytest.raises(ScenarioError):
        catalogue.path("escape.yaml")


def test_a_token_peak_of_5000x_draws_its_figures(tmp_path):
    """The token chart's axis had steps up to 1,000x only: a peak near 5,000x ran out of them."""
    from augur.report import pack_files

    G = graph(
        {"feed": "data_source", "llm": ("ai_service", {"capacity": 1e6}), "desk": "process"},
        [("feed", "llm"), ("llm", "desk")],
    )
    result = drill(
        G, [{"kind": "demand_spike", "target": "llm", "start": 2, "multiplier": 5000}], token_budget=4000
    )
    assert result.metrics["peak_token_multiplier"] == pytest.approx(5000)
    files = pack_files(result, ["html"])
    assert any(name.endswith(".html") for name in files)


def test_convert_to_csv_guards_formulas_and_reads_them_back(tmp_path, capsys):
    """Cells a spreadsheet would run (=, +, -, @, tab, CR) are written as text and read back unchanged."""
    from augur import graphs_equal

    hostile = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "'=already quoted"]
    nodes = [{"id": "acme", "kind": "vendor", "label": text} for text in hostile[:1]]
    nodes += [
        {"id": f"n{i}", "kind": "vendor", "label": text, "note": text} for i, text in enumerate(hostile)
    ]
    nodes.append({"id": "=cmd|' /C calc'!A0", "kind": "process", "x": -1.5})
    (tmp_path / "g.json").write_text(json.dumps({"nodes": nodes, "edges": []}), encoding="utf-8")
    assert main(["convert", str(tmp_path / "g.json"), str(tmp_path / "out.csv")]) == 0
    text = (tmp_path / "out-nodes.csv").read_text(encoding="utf-8")
    import csv as csv_module
    import io

    for row in csv_module.reader(io.StringIO(text, newline="")):
        for cell in row:
            assert not cell or (cell[0] not in "=+@\t\r" and not (cell[0] == "-" and not _number(cell))), cell
    assert graphs_equal(load_graph(tmp_path / "out.csv"), load_graph(tmp_path / "g.json"))
    capsys.readouterr()


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# --------------------------------------------------------------------------------------------------
# Found by the fuzzing (tests/test_fuzz.py): messages that ran over several lines


def test_a_control_character_in_yaml_is_one_line(tmp_path, capsys):
    path = tmp_path / "drill.yaml"
    path.write_text("\x00name: x\nshocks: []\n", encoding="utf-8")
    line = refusal(capsys, "run", str(path))
    assert line == (
        f"augur: error: {path}: not valid YAML: control characters are not allowed (character 1 of the text)"
    )


def test_an_unclosed_quote_in_a_csv_header_is_one_short_line(tmp_path, capsys):
    (tmp_path / "nodes.csv").write_text("id,kind\nacme,vendor\nshop,process\n", encoding="utf-8")
    (tmp_path / "edges.csv").write_text('"source,target\nacme,shop\n' + "acme,shop\n" * 100, encoding="utf-8")
    line = refusal(capsys, "validate", str(tmp_path))
    assert "missing columns 'source' and 'target'" in line
    assert len(line) < 400


def test_a_weight_too_small_for_its_arithmetic_is_refused_with_its_file_and_place(tmp_path, capsys):
    """Weights of 5e-324 and 1e-323 were read, and with one supplier at half a node's supply stayed
    whole (their weighted mean lost its digits below the float's least normal, 2.2e-308): a weight
    below 1e-300 is refused as any bad number is, its file, line and range named, exit 2. At 1e-300
    and 2e-300 the drill is the drill of weights 1 and 2 (only a group's ratios matter)."""
    from augur import parse_scenario, simulate
    from augur.io import parse_node_link

    (tmp_path / "nodes.csv").write_text("id,kind\na,vendor\nb,vendor\np,process\n", encoding="utf-8")
    (tmp_path / "edges.csv").write_text("source,target,weight\na,p,5e-324\nb,p,1e-323\n", encoding="utf-8")
    assert refusal(capsys, "validate", str(tmp_path)) == (
        f"augur: error: {tmp_path}: edges.csv line 2: expected a number in [1e-300, 1,000,000] for "
        "'weight', got '5e-324'"
    )

    def two_suppliers(wa, wb):
        nodes = [{"id": "a", "kind": "vendor"}, {"id": "b", "kind": "vendor"}]
        nodes.append({"id": "p", "kind": "process", "min_supply": 0.95})
        edges = [{"source": "a", "target": "p", "weight": wa}, {"source": "b", "target": "p", "weight": wb}]
        return parse_node_link({"nodes": nodes, "edges": edges})

    with pytest.raises(GraphError) as err:
        two_suppliers(1.0, 5e-324)
    assert (err.value.place, err.value.message) == (
        "edges[1]",
        "expected a number in [1e-300, 1,000,000] for 'weight', got 5e-324",
    )
    half = [{"kind": "vendor_failure", "target": "a", "start": 2, "duration": 3, "severity": 0.5}]
    supply = []
    for G in (two_suppliers(1e-300, 2e-300), two_suppliers(1, 2)):
        result = simulate(G, parse_scenario({"name": "s", "steps": 10, "shocks": half}, graph=G))
        supply.append(result.trajectory.supply[:, 2])
    assert supply[0] == pytest.approx(supply[1], rel=1e-15)
    assert supply[1].min() < 0.95  # b's two thirds do not cover a's half: the weights counted


def test_the_divisors_are_bounded_so_no_numpy_warning_reaches_a_user():
    """A min_supply of 5e-324 made a / min_supply overflow at every step and NumPy warned on every
    drill; a tokens_per_unit and limit of 5e-324 under a cut of 0.5 left a limit of 0 to divide by.
    Each is refused below a millionth; at a millionth each (a limit of 1e-6 x 1e-6 = 1e-12 under the
    least cut) the drill runs with warnings as errors."""
    import warnings

    from augur import parse_scenario, simulate
    from augur.io import parse_node_link

    def nodes(min_supply, tokens):
        return [
            {"id": "a", "kind": "vendor", "min_supply": min_supply},
            {"id": "llm", "kind": "ai_service", "tokens_per_unit": tokens, "token_limit": tokens},
            {"id": "p", "kind": "process"},
        ]

    edges = [{"source": "a", "target": "llm"}, {"source": "llm", "target": "p"}]
    for wrong, place, what in (
        (nodes(5e-324, 1), "nodes[0] (id 'a')", "min_supply"),
        (nodes(1, 5e-324), "nodes[1] (id 'llm')", "tokens_per_unit"),
    ):
        with pytest.raises(GraphError) as err:
            parse_node_link({"nodes": wrong, "edges": edges})
        assert err.value.place == place
        assert err.value.message.startswith("expected a number in [0.000001, 1")
        assert err.value.message.endswith(f"for '{what}', got 5e-324")
    G = parse_node_link({"nodes": nodes(1e-6, 1e-6), "edges": edges})
    shocks = [
        {"kind": "vendor_failure", "target": "a", "start": 2, "duration": 3, "severity": 0.5},
        {"kind": "rate_limit_cut", "target": "llm", "start": 2, "factor": 1e-6},
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        simulate(G, parse_scenario({"name": "s", "steps": 10, "shocks": shocks}, graph=G))
    with pytest.raises(ScenarioError, match=r"expected a number in \[0\.000001, 1\], got 5e-324"):
        parse_scenario({"name": "s", "steps": 10, "shocks": [{**shocks[1], "factor": 5e-324}]}, graph=G)
