"""Reading and writing supply graphs in every format, and the messages bad files get."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import networkx as nx
import openpyxl
import pytest
import yaml

from augur.errors import GraphError
from augur.graph import NODE_ATTRIBUTES, build_graph, graphs_equal
from augur.io import (
    SUPPORTED_SUFFIXES,
    load_graph,
    parse_node_link,
    read_upload,
    to_node_link,
    write_graph,
)

DATA = Path(__file__).parent / "data" / "graphs"
INVALID = DATA / "invalid"
KINDS_LISTED = "expected one of vendor, logistics, data_source, ai_service, process"


@pytest.fixture
def rich() -> nx.DiGraph:
    """A graph that uses every attribute, groups, lead times, non-ASCII text and the user's columns."""
    every = {name: attr.default for name, attr in NODE_ATTRIBUTES.items()}
    every.update(capacity=1.5, quality=0.95, token_limit=4000, recovery=2, max_retries=5, ttr=12)
    nodes = [
        {"id": "007", "kind": "vendor", "label": "東京チップ", "region": "APAC", "x": 0.25},
        {"id": "port of la", "kind": "logistics", "label": "Port of Los Ángeles", "buffer": 2},
        {"id": "supplier feed", "kind": "data_source", "quality": 0.8, "region": "EU"},
        {"id": "llm-router", "kind": "ai_service", "label": "Routeur – Zürich", **every},
        {"id": "checkout", "kind": "process", "label": "=Order fulfilment", "owner": "ops"},
    ]
    edges = [
        {"source": "007", "target": "port of la", "lead_time": 3, "group": "chips", "mode": "sea"},
        {"source": "port of la", "target": "checkout", "weight": 0.1 + 0.2, "group": "goods"},
        {"source": "supplier feed", "target": "llm-router"},
        {"source": "llm-router", "target": "checkout", "weight": 2, "group": "advice"},
    ]
    return build_graph(
        [(f"nodes[{i}]", n) for i, n in enumerate(nodes)],
        [(f"edges[{i}]", e) for i, e in enumerate(edges)],
    )


def _graph(nodes: list[dict], edges: list[dict]) -> nx.DiGraph:
    return parse_node_link({"nodes": nodes, "edges": edges})


# --- round trips ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "supply.json",
        "supply.yaml",
        "supply.yml",
        "supply.graphml",
        "retail-edges.csv",
        "retail-nodes.csv",
        "retail.csv",
        "retail-folder",
        "supply.xlsx",
    ],
)
def test_every_format_reads_back_the_graph_it_wrote(rich, tmp_path, name):
    """Writing a graph and loading what was written gives the same nodes, edges and values."""
    H = load_graph(write_graph(rich, tmp_path / name))
    assert graphs_equal(rich, H)
    assert H.nodes["007"]["label"] == "東京チップ"


@pytest.mark.parametrize("name", ["supply.json", "supply.yaml", "g.graphml", "g.csv", "g.xlsx"])
def test_an_id_that_looks_like_a_number_stays_text(rich, tmp_path, name):
    """The vendor '007' is still '007' after a round trip, not the number 7."""
    H = load_graph(write_graph(rich, tmp_path / name))
    assert "007" in H
    assert H.edges["007", "port of la"]["lead_time"] == 3


def test_an_existing_folder_gets_nodes_csv_and_edges_csv(rich, tmp_path):
    """Writing to a folder that exists puts nodes.csv and edges.csv in it."""
    assert write_graph(rich, tmp_path) == tmp_path
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edges.csv", "nodes.csv"]
    assert graphs_equal(rich, load_graph(tmp_path))


def test_the_bundled_example_files_describe_the_same_graph():
    """retail.json, the retail CSV pair and retail.graphml are one graph in three formats."""
    G = load_graph(DATA / "retail.json")
    assert graphs_equal(G, load_graph(DATA / "retail-edges.csv"))
    assert graphs_equal(G, load_graph(DATA / "retail-nodes.csv"))
    assert graphs_equal(G, load_graph(DATA / "retail.graphml"))
    assert G.edges["acme-chips", "port la"] == {"weight": 3.0, "group": "chips", "lead_time": 4}


# --- what the writers write ------------------------------------------------------------------


def test_json_is_nodes_then_edges_with_id_and_kind_first_and_no_defaults(tmp_path):
    """The JSON writer writes only what the graph holds, under 'edges', indented by two."""
    G = _graph(
        [{"kind": "vendor", "capacity": 2, "id": "a"}, {"id": "b", "kind": "process"}],
        [{"target": "b", "source": "a"}],
    )
    text = write_graph(G, tmp_path / "g.json").read_text(encoding="utf-8")
    assert text.startswith('{\n  "nodes": [\n    {\n      "id": "a",\n      "kind": "vendor",')
    assert json.loads(text) == {
        "nodes": [{"id": "a", "kind": "vendor", "capacity": 2.0}, {"id": "b", "kind": "process"}],
        "edges": [{"source": "a", "target": "b"}],
    }


def test_csv_columns_are_id_kind_documented_then_the_users_own(rich, tmp_path):
    """Columns come in a stable order: id, kind, label, the documented attributes, then extras."""
    write_graph(rich, tmp_path / "g-edges.csv")
    nodes_header = (tmp_path / "g-nodes.csv").read_text(encoding="utf-8").splitlines()[0]
    assert nodes_header == ",".join(["id", "kind", "label", *NODE_ATTRIBUTES, "region", "x", "owner"])
    edges_header = (tmp_path / "g-edges.csv").read_text(encoding="utf-8").splitlines()[0]
    assert edges_header == "source,target,weight,group,lead_time,mode"


def test_a_minimal_graph_writes_minimal_tables(tmp_path):
    """No defaults are filled in: a graph of ids and kinds gives id,kind and source,target."""
    G = _graph(
        [{"id": "a", "kind": "vendor"}, {"id": "b", "kind": "process"}], [{"source": "a", "target": "b"}]
    )
    write_graph(G, tmp_path / "g")
    assert (tmp_path / "g" / "nodes.csv").read_text() == "id,kind\na,vendor\nb,process\n"
    assert (tmp_path / "g" / "edges.csv").read_text() == "source,target\na,b\n"


@pytest.mark.parametrize("suffix", [".yaml", ".csv", ".graphml"])
def test_whole_numbers_are_written_as_integers_and_read_back_the_same(tmp_path, suffix):
    """capacity 3, buffer 24, token_limit 600 and weight 1 are held as floats; a file says 3, not 3.0.
    A fraction stays as it is, and so does a float of the user's own (it would read back an int)."""
    G = _graph(
        [{"id": "a", "kind": "vendor", "capacity": 3, "buffer": 24, "quality": 0.95},
         {"id": "b", "kind": "ai_service", "token_limit": 600, "tokens_per_unit": 500, "share": 1.0}],
        [{"source": "a", "target": "b", "weight": 1, "lead_time": 2}],
    )  # fmt: skip
    assert G.nodes["a"]["capacity"] == 3.0 and isinstance(G.nodes["a"]["capacity"], float)
    path = write_graph(G, tmp_path / f"g{suffix}")
    written = "".join(p.read_text(encoding="utf-8") for p in sorted(tmp_path.iterdir()))
    for whole in ("3.0", "24.0", "600.0", "500.0"):
        assert whole not in written
    H = load_graph(path)
    assert graphs_equal(H, G)
    assert [H.nodes["a"][k] for k in ("capacity", "buffer", "quality")] == [3.0, 24.0, 0.95]
    assert type(H.nodes["b"]["token_limit"]) is float and type(H.edges["a", "b"]["weight"]) is float
    if suffix == ".yaml":
        assert "  capacity: 3\n" in written and "  share: 1.0\n" in written and "  weight: 1\n" in written
    if suffix == ".csv":
        assert "a,vendor,3,24,0.95,,,\nb,ai_service,,,,500,600,1.0\n" in written


def test_excel_keeps_a_label_starting_with_equals_as_text(rich, tmp_path):
    """A label like '=Order fulfilment' is written as text, not as a formula Excel would evaluate."""
    path = write_graph(rich, tmp_path / "g.xlsx")
    sheet = openpyxl.load_workbook(path)["nodes"]
    labels = [row[2] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in labels if c.value and c.value.startswith("=")] == ["=Order fulfilment"]
    assert all(c.data_type == "s" for c in labels if c.value)


def test_to_node_link_is_the_json_writers_data(rich, tmp_path):
    """to_node_link gives plain data, the same the JSON writer puts in the file."""
    data = to_node_link(rich)
    assert json.loads((write_graph(rich, tmp_path / "g.json")).read_text(encoding="utf-8")) == data
    assert list(data) == ["nodes", "edges"]
    assert graphs_equal(parse_node_link(data), rich)


def test_graphml_written_here_reads_in_networkx_with_its_types(rich, tmp_path):
    """Other tools reading our GraphML see numbers as numbers and text as text."""
    H = nx.read_graphml(write_graph(rich, tmp_path / "g.graphml"))
    assert H.nodes["llm-router"]["max_retries"] == 5
    assert H.nodes["007"]["x"] == 0.25
    assert H.edges["007", "port of la"]["group"] == "chips"


def test_an_unsupported_suffix_is_refused_when_writing(rich, tmp_path):
    """Writing to graph.txt says which suffixes can be written."""
    with pytest.raises(GraphError, match=r"unsupported file type '\.txt'.*\.json, \.yaml"):
        write_graph(rich, tmp_path / "graph.txt")


# --- other tools' files ----------------------------------------------------------------------


@pytest.mark.parametrize("edges_key", ["edges", "links"])
def test_networkx_node_link_data_loads_as_is(rich, tmp_path, edges_key):
    """What nx.node_link_data writes, with 'edges' or 'links', loads without changes."""
    data = nx.node_link_data(rich, edges=edges_key)
    assert set(data) == {"directed", "multigraph", "graph", "nodes", edges_key}
    assert graphs_equal(parse_node_link(data), rich)
    path = tmp_path / "nx.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert graphs_equal(load_graph(path), rich)


def test_an_undirected_node_link_graph_depends_both_ways():
    """An undirected link stands for two dependencies, one each way."""
    U = nx.Graph()
    U.add_node("a", kind="vendor")
    U.add_node("b", kind="vendor")
    U.add_edge("a", "b", weight=2)
    G = parse_node_link(nx.node_link_data(U, edges="links"))
    assert set(G.edges) == {("a", "b"), ("b", "a")}
    assert G.edges["b", "a"]["weight"] == 2.0


def test_graphml_written_by_networkx_loads(rich, tmp_path):
    """A graph saved with nx.write_graphml loads with the same attributes."""
    path = tmp_path / "nx.graphml"
    nx.write_graphml(rich, path)
    assert graphs_equal(load_graph(path), rich)


def test_graphml_key_defaults_apply_and_undirected_edges_go_both_ways():
    """A <key> default fills nodes without that data; edgedefault=undirected gives two edges."""
    G = read_upload(
        {
            "ring.graphml": b"""<?xml version="1.0"?>
            <graphml xmlns="http://graphml.graphdrawing.org/xmlns">
              <key id="k" for="node" attr.name="kind"><default>vendor</default></key>
              <key id="c" for="node" attr.name="capacity" attr.type="double"/>
              <key id="r" for="node" attr.name="region" attr.type="string"/>
              <key id="g" for="node" yfiles.type="nodegraphics"/>
              <graph edgedefault="undirected">
                <node id="a"><data key="c">2.5</data><data key="g"><shape/></data></node>
                <node id="b"><data key="k">logistics</data></node>
                <edge source="a" target="b"/>
              </graph>
            </graphml>"""
        }
    )
    assert dict(G.nodes(data=True)) == {"a": {"kind": "vendor", "capacity": 2.5}, "b": {"kind": "logistics"}}
    assert set(G.edges) == {("a", "b"), ("b", "a")}


# --- CSV and Excel details ---------------------------------------------------------------------


def test_csv_blank_cells_mean_the_default(tmp_path):
    """A blank capacity cell leaves capacity unset, so the documented default applies."""
    (tmp_path / "nodes.csv").write_text("id,kind,capacity,region\na,vendor,,\nb,process,2,EU\n")
    (tmp_path / "edges.csv").write_text("source,target,weight,group,lead_time\na,b,,,\n")
    G = load_graph(tmp_path)
    assert G.nodes["a"] == {"kind": "vendor"}
    assert G.nodes["b"] == {"kind": "process", "capacity": 2.0, "region": "EU"}
    assert G.edges["a", "b"] == {}


def test_csv_line_numbers_count_blank_lines_and_cells_that_span_lines():
    """The unknown kind on the sixth line is reported on line 6 of the nodes file, named alone
    though the edges file was the one given (it said 'typo-edges.csv: typo-nodes.csv line 6')."""
    with pytest.raises(GraphError) as caught:
        load_graph(INVALID / "typo-edges.csv")
    assert (
        str(caught.value) == f"{INVALID / 'typo-nodes.csv'}: line 6: unknown kind 'proces'; " + KINDS_LISTED
    )


def test_csv_from_a_spreadsheet_with_a_byte_order_mark_and_semicolons_loads(tmp_path):
    """Excel's 'CSV UTF-8' (with a BOM) and semicolon-separated CSV both read."""
    (tmp_path / "nodes.csv").write_bytes("\ufeffid;kind;label\na;vendor;Société\nb;process;\n".encode())
    (tmp_path / "edges.csv").write_bytes(b"\xef\xbb\xbfsource;target\na;b\n")
    G = load_graph(tmp_path)
    assert G.nodes["a"]["label"] == "Société"
    assert list(G.edges) == [("a", "b")]


def test_the_nodes_file_that_shares_the_edges_files_prefix_is_chosen(tmp_path):
    """Beside retail-edges-v2.csv, retail-nodes.csv is preferred over other-nodes.csv."""
    (tmp_path / "retail-nodes.csv").write_text("id,kind\na,vendor\nb,process\n")
    (tmp_path / "other-nodes.csv").write_text("id,kind\nx,vendor\n")
    (tmp_path / "retail-edges-v2.csv").write_text("source,target\na,b\n")
    assert list(load_graph(tmp_path / "retail-edges-v2.csv").edges) == [("a", "b")]


def test_two_equally_likely_nodes_files_are_named_rather_than_guessed(tmp_path):
    """When no nodes file matches better than another, the message lists them."""
    (tmp_path / "a-nodes.csv").write_text("id,kind\na,vendor\n")
    (tmp_path / "b-nodes.csv").write_text("id,kind\nb,vendor\n")
    (tmp_path / "links.csv").write_text("source,target\n")
    with pytest.raises(
        GraphError, match=r"several nodes files beside links\.csv \(a-nodes\.csv, b-nodes\.csv\)"
    ):
        load_graph(tmp_path / "links.csv")


def test_excel_row_numbers_are_the_spreadsheets_and_sheet_names_ignore_case(tmp_path):
    """A bad capacity on spreadsheet row 4, after a blank row, is reported as row 4."""
    workbook = openpyxl.Workbook()
    nodes = workbook.active
    nodes.title = "Nodes"
    for row in (["id", "kind", "capacity"], ["a", "vendor", 1.5], [], ["b", "process", -1]):
        nodes.append(row)
    workbook.create_sheet("EDGES").append(["source", "target"])
    path = tmp_path / "g.xlsx"
    workbook.save(path)
    with pytest.raises(GraphError) as caught:
        load_graph(path)
    assert str(caught.value) == (
        f"{path}: sheet 'Nodes' row 4: expected a number in (0, 1,000,000] for 'capacity', got -1"
    )


def formula_workbook(path, saved=None):
    """Sheet 'nodes' with b's buffer the formula =2+3 in cell C3, as a script writes it (no saved
    value), or with ``saved`` as the value Excel stores beside the formula when it saves."""
    workbook = openpyxl.Workbook()
    nodes = workbook.active
    nodes.title = "nodes"
    for row in (["id", "kind", "buffer"], ["a", "vendor", None], ["b", "process", "=2+3"]):
        nodes.append(row)
    workbook.create_sheet("edges").append(["source", "target"])
    workbook["edges"].append(["a", "b"])
    workbook.save(path)
    if saved is not None:
        with zipfile.ZipFile(path) as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
        sheet = "xl/worksheets/sheet1.xml"
        assert b"<f>2+3</f><v></v>" in parts[sheet]
        parts[sheet] = parts[sheet].replace(b"<f>2+3</f><v></v>", f"<f>2+3</f><v>{saved}</v>".encode())
        with zipfile.ZipFile(path, "w") as archive:
            for name, body in parts.items():
                archive.writestr(name, body)
    return path


def test_an_excel_formula_without_a_saved_value_is_refused_at_its_cell(tmp_path):
    """Read for values, the script-written =2+3 is blank and b's buffer was the default 0; it is
    refused at sheet 'nodes' cell C3, saying what to do. Saved with its value 5, it reads 5."""
    path = formula_workbook(tmp_path / "g.xlsx")
    with pytest.raises(GraphError) as caught:
        load_graph(path)
    assert str(caught.value) == (
        f"{path}: sheet 'nodes' cell C3: a formula without a saved value (=2+3): open and save it in "
        "Excel, or write the value"
    )
    assert load_graph(formula_workbook(tmp_path / "saved.xlsx", saved=5)).nodes["b"]["buffer"] == 5


# --- validation errors, in every format ----------------------------------------------------------


def _write_raw(fmt: str, folder: Path, nodes: list[dict], edges: list[dict]) -> Path:
    """Write records as a file of format ``fmt`` without any checks, as a user's tool might."""
    node_columns = list(dict.fromkeys(["id", "kind", *(k for n in nodes for k in n)]))
    edge_columns = list(dict.fromkeys(["source", "target", *(k for e in edges for k in e)]))
    if fmt in ("json", "yaml"):
        path = folder / f"supply.{fmt}"
        data = {"nodes": nodes, "edges": edges}
        path.write_text(json.dumps(data) if fmt == "json" else yaml.safe_dump(data), encoding="utf-8")
    elif fmt == "csv":
        path = folder / "supply-edges.csv"
        for name, columns, rows in (
            ("supply-nodes.csv", node_columns, nodes),
            (path.name, edge_columns, edges),
        ):
            lines = [",".join(columns)] + [",".join(str(r.get(c, "")) for c in columns) for r in rows]
            (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif fmt == "xlsx":
        path = folder / "supply.xlsx"
        workbook = openpyxl.Workbook()
        workbook.remove(workbook.active)
        for title, columns, rows in (("nodes", node_columns, nodes), ("edges", edge_columns, edges)):
            sheet = workbook.create_sheet(title)
            sheet.append(columns)
            for row in rows:
                sheet.append([row.get(c) for c in columns])
        workbook.save(path)
    else:
        path = folder / "supply.graphml"
        keys = [(f"n{i}", "node", c) for i, c in enumerate(node_columns[1:])]
        keys += [(f"e{i}", "edge", c) for i, c in enumerate(edge_columns[2:])]
        ids = {(domain, name): key for key, domain, name in keys}
        xml = ['<graphml xmlns="http://graphml.graphdrawing.org/xmlns">']
        xml += [f'<key id="{k}" for="{d}" attr.name="{n}"/>' for k, d, n in keys]
        xml.append('<graph edgedefault="directed">')
        for node in nodes:
            data = "".join(f'<data key="{ids["node", k]}">{v}</data>' for k, v in node.items() if k != "id")
            xml.append(f'<node id="{node["id"]}">{data}</node>')
        for edge in edges:
            data = "".join(
                f'<data key="{ids["edge", k]}">{v}</data>'
                for k, v in edge.items()
                if k not in ("source", "target")
            )
            xml.append(f'<edge source="{edge["source"]}" target="{edge["target"]}">{data}</edge>')
        xml.append("</graph></graphml>")
        path.write_text("\n".join(xml), encoding="utf-8")
    return path


def _place(fmt: str, table: str, index: int, record: dict) -> str:
    if fmt in ("json", "yaml"):  # a node's id beside its 0-based index, where it has one
        return f"{table}[{index}]" + (
            f" (id {record['id']!r})" if table == "nodes" and record.get("id") else ""
        )
    if fmt == "csv":  # the line of the file at fault, which the message names alone
        return f"line {index + 2}"
    if fmt == "xlsx":
        return f"sheet '{table}' row {index + 2}"
    if table == "nodes":
        return f"node '{record['id']}'"
    return f"edge {record['source']} -> {record['target']}"


A = {"id": "a", "kind": "vendor"}
B = {"id": "b", "kind": "process"}
AB = {"source": "a", "target": "b"}

# Each case: nodes, edges, the bad record as (table, index) or None, and what the message must say.
BAD_GRAPHS = [
    pytest.param(
        [A, {"id": "b", "kind": "factory"}],
        [AB],
        ("nodes", 1),
        "unknown kind 'factory'; " + KINDS_LISTED,
        id="unknown kind",
    ),
    pytest.param(
        [A, {**B, "fail_below": 1.5}],
        [AB],
        ("nodes", 1),
        "expected a number in [0, 1] for 'fail_below', got",
        id="out of range",
    ),
    pytest.param(
        [A, {**B, "capacity": "lots"}],
        [AB],
        ("nodes", 1),
        "expected a number in (0, 1,000,000] for 'capacity', got 'lots'",
        id="not a number",
    ),
    pytest.param(
        [A, B],
        [AB, {"source": "b", "target": "ghost"}],
        ("edges", 1),
        "edge target 'ghost' is not a node in this graph",
        id="edge to unknown node",
    ),
    pytest.param(
        [A, B, {"id": "a", "kind": "process"}], [AB], ("nodes", 2), "duplicate node id 'a'", id="duplicate id"
    ),
    pytest.param(
        [A, B],
        [AB, {"source": "b", "target": "b"}],
        ("edges", 1),
        "self-loop on 'b': a node cannot depend on itself",
        id="self-loop",
    ),
    pytest.param(
        [A, B], [AB, {**AB, "weight": 2}], ("edges", 1), "duplicate edge a -> b", id="duplicate edge"
    ),
    pytest.param(
        [A, B],
        [{**AB, "lead_time": -1}],
        ("edges", 0),
        "expected an integer in [0, 1,000,000] for 'lead_time'",
        id="negative lead time",
    ),
    pytest.param([], [], None, "the graph has no nodes; expected at least one node", id="empty graph"),
]


@pytest.mark.parametrize("fmt", ["json", "yaml", "csv", "xlsx", "graphml"])
@pytest.mark.parametrize(("nodes", "edges", "bad", "expected"), BAD_GRAPHS)
def test_an_invalid_graph_is_refused_naming_file_place_and_expectation(
    tmp_path, fmt, nodes, edges, bad, expected
):
    """Each validation error names the file, the record's place in it and what was expected."""
    path = _write_raw(fmt, tmp_path, nodes, edges)
    with pytest.raises(GraphError) as caught:
        load_graph(path)
    message = str(caught.value)
    at_fault = path.with_name(f"supply-{bad[0]}.csv") if fmt == "csv" and bad is not None else path
    assert message.startswith(f"{at_fault}: ")
    assert expected in message
    if bad is not None:
        table, index = bad
        records = nodes if table == "nodes" else edges
        assert f": {_place(fmt, table, index, records[index])}: " in message


def test_an_inline_graph_error_names_the_place_without_a_file():
    """parse_node_link on data from a scenario names the record, and the source when given."""
    with pytest.raises(
        GraphError, match=r"^drill\.yaml \(inline graph\): nodes\[0\] \(id 'a'\): unknown kind 'chip'"
    ):
        parse_node_link({"nodes": [{"id": "a", "kind": "chip"}]}, source="drill.yaml (inline graph)")
    with pytest.raises(GraphError, match=r"^nodes\[0\] \(id 'a'\): missing 'kind'"):
        parse_node_link({"nodes": [{"id": "a"}]})
    with pytest.raises(GraphError, match=r"^nodes\[1\]: expected a non-empty node 'id'"):  # no id to name
        parse_node_link({"nodes": [{"id": "a", "kind": "vendor"}, {"kind": "vendor"}]})


# --- files that are not graphs -------------------------------------------------------------------


def test_a_missing_file_is_named(tmp_path):
    """Loading a path that does not exist says so, naming it."""
    with pytest.raises(GraphError, match=r"nope\.json: file not found$"):
        load_graph(tmp_path / "nope.json")


@pytest.mark.parametrize("suffix", [".txt", ".xls", ""])
def test_an_unsupported_file_type_lists_the_supported_ones(tmp_path, suffix):
    """graph.txt is refused with the list of suffixes augur reads."""
    path = tmp_path / f"graph{suffix}"
    path.write_text("id,kind\n")
    with pytest.raises(GraphError) as caught:
        load_graph(path)
    assert str(caught.value).startswith(f"{path}: unsupported file type")
    assert ", ".join(SUPPORTED_SUFFIXES) in str(caught.value)
    if suffix == ".xls":
        assert "save it as .xlsx" in str(caught.value)


def test_bad_json_names_the_line():
    """A missing comma on line 7 is reported on line 7, with the parser's reason kept as the cause."""
    path = INVALID / "missing-comma.json"
    with pytest.raises(GraphError) as caught:
        load_graph(path)
    assert str(caught.value).startswith(f"{path}: line 7: not valid JSON: Expecting ',' delimiter")
    assert isinstance(caught.value.__cause__, json.JSONDecodeError)


def test_bad_yaml_names_the_line():
    """A mis-indented key on line 5 is reported on line 5."""
    path = INVALID / "bad-indent.yaml"
    with pytest.raises(GraphError, match=r"bad-indent\.yaml: line 5: not valid YAML"):
        load_graph(path)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            [{"id": "a"}],
            "expected a node-link graph: a mapping with 'nodes' and 'edges' lists at the top, got a list",
        ),
        ({"edges": []}, "missing 'nodes'; expected a node-link graph"),
        ({"Nodes": [A]}, "missing 'nodes' (found 'Nodes': did you mean 'nodes'?)"),
        ({"nodes": [A], "edge": [AB]}, "missing 'edges' (found 'edge': did you mean 'edges'?)"),
        ({"nodes": [A], "edges": [], "links": []}, "both 'edges' and 'links' are given"),
        ({"nodes": {"a": A}}, "nodes: expected a list of nodes, got a mapping"),
        ({"nodes": [A, "b"]}, "nodes[1]: expected a node mapping with 'id' and 'kind', got text 'b'"),
        ({"nodes": [A], "directed": "yes"}, "directed: expected true or false for 'directed'"),
    ],
)
def test_a_node_link_file_of_the_wrong_shape_says_what_was_expected(tmp_path, data, expected):
    """Structural mistakes name the file and the expected shape."""
    path = tmp_path / "g.json"
    path.write_text(json.dumps(data))
    with pytest.raises(GraphError) as caught:
        load_graph(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert expected in str(caught.value)


@pytest.mark.parametrize("suffix", SUPPORTED_SUFFIXES)
def test_binary_garbage_is_refused_with_the_file_named(tmp_path, suffix):
    """Random bytes under a graph suffix give a GraphError, not a parser's exception."""
    garbage = bytes(range(256)) * 4
    path = tmp_path / f"junk-edges{suffix}"
    path.write_bytes(garbage)
    (tmp_path / "junk-nodes.csv").write_bytes(garbage)
    with pytest.raises(GraphError) as caught:
        load_graph(path)
    at_fault = tmp_path / "junk-nodes.csv" if suffix == ".csv" else path  # a CSV's nodes file is read first
    assert str(caught.value).startswith(f"{at_fault}: ")


@pytest.mark.parametrize("suffix", SUPPORTED_SUFFIXES)
def test_an_empty_file_is_refused_as_empty(tmp_path, suffix):
    """A zero-byte file says it is empty and what it should hold."""
    path = tmp_path / f"empty-edges{suffix}"
    path.write_bytes(b"")
    (tmp_path / "empty-nodes.csv").write_bytes(b"")
    with pytest.raises(GraphError, match=r"the file is empty; expected"):
        load_graph(path)


def test_csv_without_source_and_target_columns_is_refused(tmp_path):
    """An edges file headed from,to names the columns it needs and the ones it found."""
    (tmp_path / "g-nodes.csv").write_text("id,kind\na,vendor\n")
    (tmp_path / "g-edges.csv").write_text("from,to\na,a\n")
    with pytest.raises(GraphError) as caught:
        load_graph(tmp_path / "g-edges.csv")
    assert str(caught.value) == (
        f"{tmp_path / 'g-edges.csv'}: line 1: missing columns 'source' and 'target'; "
        "expected a header with source,target, found from,to"
    )


def test_a_nodes_csv_without_kind_is_refused(tmp_path):
    """A nodes file without a kind column says so."""
    (tmp_path / "nodes.csv").write_text("id,label\na,A\n")
    (tmp_path / "edges.csv").write_text("source,target\n")
    with pytest.raises(GraphError, match=r"nodes\.csv line 1: missing column 'kind'"):
        load_graph(tmp_path)


def test_a_misspelt_required_column_is_named_with_the_whole_header(tmp_path):
    """A nodes header with `knd` for `kind` says which name looks like the typo, and quotes every
    column of the header, however many there are."""
    header = "id,knd,label,buffer,capacity,min_supply,recovery,quality,tokens_per_unit,token_limit,owner"
    (tmp_path / "nodes.csv").write_text(f"{header}\na,vendor,,,,,,,,,\n")
    (tmp_path / "edges.csv").write_text("source,target\n")
    with pytest.raises(GraphError) as caught:
        load_graph(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path}: nodes.csv line 1: missing column 'kind' (the header's 'knd' looks like a typo "
        f"for 'kind'); expected a header with id,kind, found {header}"
    )


def test_a_header_in_another_case_is_pointed_at(tmp_path):
    (tmp_path / "nodes.csv").write_text("id,kind\na,vendor\n")
    (tmp_path / "edges.csv").write_text("Source,Target\n")
    with pytest.raises(GraphError) as caught:
        load_graph(tmp_path)
    assert "(the header's 'Source' looks like a typo for 'source' and 'Target' looks like a typo for " in (
        str(caught.value)
    )


def test_a_value_under_no_header_is_refused(tmp_path):
    """A row with more cells than the header has names is pointed at, not silently cut."""
    (tmp_path / "nodes.csv").write_text("id,kind\na,vendor\nb,process,oops\n")
    (tmp_path / "edges.csv").write_text("source,target\n")
    with pytest.raises(
        GraphError, match=r"nodes\.csv line 3: a value \('oops'\) in column 3, which has no header"
    ):
        load_graph(tmp_path)


def test_an_edges_csv_without_its_nodes_file_says_which_file_to_add(tmp_path):
    """retail-edges.csv alone asks for retail-nodes.csv beside it."""
    path = tmp_path / "retail-edges.csv"
    path.write_text("source,target\na,b\n")
    with pytest.raises(
        GraphError,
        match=r"no nodes file beside retail-edges\.csv; expected a CSV named like retail-nodes\.csv",
    ):
        load_graph(path)


def test_a_folder_without_edges_csv_says_what_it_needs(tmp_path):
    """A folder with only nodes.csv names the missing edges.csv."""
    (tmp_path / "nodes.csv").write_text("id,kind\na,vendor\n")
    with pytest.raises(
        GraphError,
        match=r"edges\.csv not found in the folder; expected a folder holding nodes\.csv and edges\.csv",
    ):
        load_graph(tmp_path)


def test_a_workbook_without_the_sheets_lists_the_sheets_it_has(tmp_path):
    """An .xlsx with only Sheet1 says it needs 'nodes' and 'edges'."""
    path = tmp_path / "g.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(
        GraphError, match=r"no sheet named 'nodes'; expected an Excel .* found sheets 'Sheet'"
    ):
        load_graph(path)


@pytest.mark.parametrize("name", ["billion-laughs.graphml", "external-entity.graphml"])
def test_graphml_with_entities_is_refused_quickly(name):
    """Entity expansion and external entities are refused before anything expands or is read."""
    started = time.perf_counter()
    with pytest.raises(GraphError, match=r"declares an entity .* refused"):
        load_graph(INVALID / name)
    assert time.perf_counter() - started < 5.0  # a hang guard: expanding would take minutes and gigabytes


def test_yaml_aliases_that_explode_are_refused_quickly():
    """A YAML 'billion laughs' made of aliases is refused, not walked."""
    started = time.perf_counter()
    with pytest.raises(GraphError, match=r"YAML aliases expand to far more data than the file holds"):
        load_graph(INVALID / "billion-laughs.yaml")
    assert time.perf_counter() - started < 5.0  # a hang guard: expanding would take minutes and gigabytes


UNDECLARED_KEY = b"<graphml><graph><node id='a'><data key='k'>x</data></node></graph></graphml>"
MISTYPED_DATA = b"""<graphml><key id='r' for='node' attr.name='rank' attr.type='int'/>
<graph><node id='a'><data key='r'>high</data></node></graph></graphml>"""


@pytest.mark.parametrize(
    ("xml", "expected"),
    [
        (b"<graphml><graph><node id='a'>", "line 1: not valid XML: no element found"),
        (b"<graph><node id='a'/></graph>", "expected a GraphML document"),
        (UNDECLARED_KEY, "node 'a': <data key='k'> refers to no declared <key>"),
        (MISTYPED_DATA, "node 'a': expected an integer for 'rank'"),
    ],
)
def test_graphml_that_is_not_a_graph_says_where(xml, expected):
    """Broken XML names the line; GraphML with undeclared or mistyped data names the node."""
    with pytest.raises(GraphError) as caught:
        read_upload({"g.graphml": xml})
    assert str(caught.value).startswith("g.graphml: ")
    assert expected in str(caught.value)


# --- the app's upload ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["g.json", "g.yaml", "g.yml", "g.graphml", "g.xlsx"])
def test_an_upload_of_one_file_reads_from_memory(rich, tmp_path, name):
    """Any single-file format uploaded as bytes gives the graph back."""
    data = write_graph(rich, tmp_path / name).read_bytes()
    assert graphs_equal(read_upload({name: data}), rich)


def test_an_upload_of_a_nodes_and_an_edges_csv(rich, tmp_path):
    """A CSV pair uploaded together is read as one graph, whatever order it comes in."""
    write_graph(rich, tmp_path / "shop-edges.csv")
    files = {name: (tmp_path / name).read_bytes() for name in ("shop-edges.csv", "shop-nodes.csv")}
    assert graphs_equal(read_upload(files), rich)


def test_an_uploaded_csv_pair_reports_errors_with_the_file_names():
    """A typo in an uploaded nodes file names that file and its line."""
    files = {"shop-nodes.csv": b"id,kind\na,vendor\nb,proces\n", "shop-edges.csv": b"source,target\na,b\n"}
    with pytest.raises(GraphError, match=r"^shop-edges\.csv: shop-nodes\.csv line 3: unknown kind 'proces'"):
        read_upload(files)


def test_an_uploaded_pair_with_swapped_contents_says_what_it_looks_like():
    """Node rows in the edges file are recognised as such in the message."""
    files = {"g-nodes.csv": b"source,target\na,b\n", "g-edges.csv": b"id,kind\na,vendor\n"}
    with pytest.raises(
        GraphError, match=r"g-nodes\.csv line 1: missing columns 'id' and 'kind'.*looks like the edges"
    ):
        read_upload(files)


def test_a_lone_edges_csv_upload_asks_for_its_nodes_file():
    """Uploading only the edges file says to upload the nodes file with it."""
    with pytest.raises(
        GraphError, match=r"^shop-edges\.csv: an edges CSV needs its nodes file; upload the nodes file"
    ):
        read_upload({"shop-edges.csv": b"source,target\na,b\n"})


@pytest.mark.parametrize(
    ("data", "found"), [(b"hello,world\n1,2\n", "its header is 'hello,world'"), (b"", "it is empty")]
)
def test_a_lone_csv_that_is_no_edges_file_says_what_its_header_is(data, found):
    """A CSV without source and target columns is not asked for a nodes file: it is no graph file."""
    with pytest.raises(GraphError) as err:
        read_upload({"notes.csv": data})
    assert str(err.value) == (
        f"notes.csv: line 1: not a graph CSV: {found}; expected an edges file with columns source,target, "
        "uploaded together with its nodes file (columns id,kind)"
    )


def test_a_lone_nodes_csv_upload_asks_for_its_edges_file():
    """Uploading only the nodes file says to upload the edges file with it."""
    with pytest.raises(GraphError, match=r"^shop-nodes\.csv: a nodes CSV needs its edges file"):
        read_upload({"shop-nodes.csv": b"id,kind\na,vendor\n"})


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"broken.json": b'{"nodes": [\n'}, r"^broken\.json: line 2: not valid JSON"),
        ({"graph.txt": b"a b"}, r"^graph\.txt: unsupported file type '\.txt'; .*two CSV files"),
        ({}, r"^no file uploaded"),
        ({"a.csv": b"", "b.csv": b"", "c.csv": b""}, r"^3 files uploaded"),
        ({"a.csv": b"", "b.csv": b""}, r"cannot tell which of a\.csv and b\.csv is the nodes file"),
        ({"photo.json": b"\x89PNG\r\n\x1a\n\x00\x00"}, r"^photo\.json: this is a binary file"),
    ],
)
def test_a_bad_upload_names_the_uploaded_file(files, expected):
    """Each bad upload gets one message that names what was uploaded."""
    with pytest.raises(GraphError, match=expected):
        read_upload(files)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [("nan.json", '{"nodes": [{"id": "a", "kind": "vendor", "capacity": NaN}]}',
      "nan.json: nodes[0] (id 'a'): 'capacity' is NaN; expected a number (leave 'capacity' out for its default)"),
     ("nan.yaml", "nodes:\n- {id: a, kind: vendor}\n- {id: b, kind: process}\nedges:\n"
      "- {source: a, target: b, weight: .nan}\n",
      "nan.yaml: edges[0]: 'weight' is NaN; expected a number (leave 'weight' out for its default)")],
)  # fmt: skip
def test_a_nan_written_in_a_node_link_file_is_refused_not_read_as_the_default(tmp_path, name, text, expected):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GraphError) as err:
        load_graph(path)
    assert str(err.value).endswith(expected)


def test_an_empty_edges_file_named_on_the_command_line_is_named_once(tmp_path):
    (tmp_path / "shop-nodes.csv").write_text("id,kind\na,vendor\n", encoding="utf-8")
    edges = tmp_path / "shop-edges.csv"
    edges.write_text("", encoding="utf-8")
    with pytest.raises(GraphError) as err:
        load_graph(edges)
    assert (
        str(err.value)
        == f"{edges}: the file is empty; expected an edges CSV with a header line source,target"
    )


def test_a_json_key_given_twice_is_refused_at_its_line_and_column(tmp_path):
    """json.loads keeps the last of two 'buffer' keys (10 then 0) silently; refused as YAML's twin is,
    at the second one: line 3, where `  {"id": "p", ` (14 characters), `"kind": "process", ` (19) and
    `"buffer": 10, ` (14) stand before it, so column 48. A key repeated in two different objects is fine."""
    path = tmp_path / "dup.json"
    path.write_text(
        '{"nodes": [\n  {"id": "a", "kind": "vendor", "buffer": 1},\n'
        '  {"id": "p", "kind": "process", "buffer": 10, "buffer": 0}],\n "edges": [{"source": "a", "target": "p"}]}'
    )
    with pytest.raises(GraphError) as err:
        load_graph(path)
    assert str(err.value).startswith(
        f"{path}: line 3: not valid JSON: key 'buffer' given twice in one object (column 48); expected"
    )
    path.write_text(path.read_text().replace('"buffer": 10, ', ""))
    assert load_graph(path).nodes["p"]["buffer"] == 0


def test_a_yaml_key_given_twice_is_refused_with_its_line(tmp_path):
    """PyYAML would keep the last of two 'capacity' keys silently; YAML forbids the repeat."""
    path = tmp_path / "dup.yaml"
    path.write_text("nodes:\n- {id: a, kind: vendor}\n- {id: b, kind: process, capacity: 2, capacity: -3}\n")
    with pytest.raises(GraphError) as err:
        load_graph(path)
    assert str(err.value).startswith(
        f"{path}: line 3: not valid YAML: key 'capacity' given twice in one mapping"
    )


def test_a_fault_in_either_file_of_a_csv_pair_names_that_file_alone(tmp_path):
    """Given g-edges.csv, a bad capacity on line 3 of g-nodes.csv is at g-nodes.csv line 3, the
    only file named (it said 'g-edges.csv: g-nodes.csv line 3'); given g-nodes.csv, an edge to a
    missing node on line 2 of g-edges.csv is at g-edges.csv line 2. Read from a folder, the folder
    and the file in it are named, as before."""
    (tmp_path / "g-nodes.csv").write_text("id,kind,capacity\na,vendor,\nb,process,3;5\n")
    (tmp_path / "g-edges.csv").write_text("source,target\na,b\n")
    with pytest.raises(GraphError) as caught:
        load_graph(tmp_path / "g-edges.csv")
    assert str(caught.value) == (
        f"{tmp_path / 'g-nodes.csv'}: line 3: expected a number in (0, 1,000,000] for 'capacity', got '3;5'"
    )
    (tmp_path / "g-nodes.csv").write_text("id,kind\na,vendor\nb,process\n")
    (tmp_path / "g-edges.csv").write_text("source,target\na,ghost\n")
    with pytest.raises(GraphError) as caught:
        load_graph(tmp_path / "g-nodes.csv")
    assert str(caught.value).startswith(f"{tmp_path / 'g-edges.csv'}: line 2: ")
    assert "g-nodes.csv" not in str(caught.value)
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "nodes.csv").write_text("id,kind,capacity\na,vendor,x\n")
    (folder / "edges.csv").write_text("source,target\n")
    with pytest.raises(GraphError) as caught:
        load_graph(folder)
    assert str(caught.value).startswith(f"{folder}: nodes.csv line 2: expected a number")
