"""What a graph read without complaint may still not mean: inputs averaged as second sources for want of a
`group`, and a column whose name is a typo of one augur reads. `augur validate`, `augur run` and the app's
upload say the same sentences (augur/text/notes.py), each naming the file it is about."""

from __future__ import annotations

import base64

import pytest
import yaml
from builders import graph
from test_app import NOT_LISTED, Session

from augur.app import create_app
from augur.app import ids as app_ids
from augur.cli import main
from augur.graph import misspelt_attributes, ungrouped_inputs
from augur.text.notes import graph_notes

# llm has three inputs: gpu-a and gpu-b share no group, so they and the ungrouped weights registry are
# averaged; desk's two inputs are grouped apart (both needed); shop has one input
NODES = "id,kind,bufer,capacity\ngpu-a,vendor,,\ngpu-b,vendor,,\nweights,vendor,24,\nllm,ai_service,,3\n"
NODES += "kb,data_source,,\ndesk,process,2,\nshop,process,,\n"
EDGES = "source,target,weight,group,lead_time\ngpu-a,llm,1,,\ngpu-b,llm,1,,\nweights,llm,,,\n"
EDGES += "llm,desk,,answers,\nkb,desk,,context,\ndesk,shop,,,\n"


@pytest.fixture
def pair(tmp_path):
    (tmp_path / "platform-nodes.csv").write_text(NODES)
    (tmp_path / "platform-edges.csv").write_text(EDGES)
    return tmp_path / "platform-edges.csv"


def test_nodes_with_two_or_more_ungrouped_inputs_are_counted():
    """llm: 3 inputs, none grouped; desk: 2 in two groups; mill: 2 ungrouped beside a grouped one."""
    llm = [("a", "llm"), ("b", "llm"), ("c", "llm")]
    desk = [("x", "desk", {"group": "g1"}), ("y", "desk", {"group": "g2"})]
    mill = [("p", "mill"), ("q", "mill"), ("r", "mill", {"group": "power"})]
    G = graph(
        dict.fromkeys(["a", "b", "c", "llm", "x", "y", "desk", "p", "q", "r", "mill"], "vendor"),
        llm + desk + mill,
    )
    assert ungrouped_inputs(G) == {"llm": 3, "mill": 2}


def test_an_own_attribute_close_to_one_augur_reads_is_named_with_it():
    G = graph(
        {"a": ("vendor", {"bufer": 2, "owner": "infra", "Capacity": 3, "region": "EU"}), "b": "process"},
        [("a", "b", {"leadtime": 2, "carrier": "dhl"})],
    )
    assert misspelt_attributes(G) == [
        ("nodes", "bufer", "buffer"),
        ("nodes", "Capacity", "capacity"),
        ("edges", "leadtime", "lead_time"),
    ]


def test_the_notes_name_the_file_each_is_about():
    G = graph(
        {"a": ("vendor", {"bufer": 2}), "b": "vendor", "c": "process"},
        [("a", "c"), ("b", "c", {"wieght": 2})],
    )
    assert graph_notes(G, "g-edges.csv", "g-nodes.csv") == [
        "g-edges.csv: c averages its 2 ungrouped inputs as second sources of each other; give inputs it "
        "needs each their own group",
        "g-nodes.csv: column 'bufer' is not an attribute augur reads; did you mean 'buffer'?",
        "g-edges.csv: column 'wieght' is not an attribute augur reads; did you mean 'weight'?",
    ]
    assert graph_notes(G, "g.yaml")[1:] == [
        "g.yaml: node attribute 'bufer' is not an attribute augur reads; did you mean 'buffer'?",
        "g.yaml: edge attribute 'wieght' is not an attribute augur reads; did you mean 'weight'?",
    ]
    assert graph_notes(G, "g.xlsx")[1] == (
        "g.xlsx: column 'bufer' of sheet 'nodes' is not an attribute augur reads; did you mean 'buffer'?"
    )


def test_a_graph_with_its_inputs_grouped_and_its_columns_right_gets_no_note():
    G = graph(
        {"a": ("vendor", {"buffer": 2, "owner": "infra"}), "b": "vendor", "c": "process"},
        [("a", "c", {"group": "chips"}), ("b", "c", {"group": "boxes"})],
    )
    assert graph_notes(G, "g.json") == []


EXPECTED = [
    "augur: note: {dir}/platform-edges.csv: llm averages its 3 ungrouped inputs as second sources of each "
    "other; give inputs it needs each their own group",
    "augur: note: {dir}/platform-nodes.csv: column 'bufer' is not an attribute augur reads; did you mean "
    "'buffer'?",
]


def test_validate_prints_the_notes_on_stderr_once(pair, capsys):
    assert main(["validate", str(pair)]) == 0
    out, err = capsys.readouterr()
    assert out == f"{pair}: ok, 7 nodes, 6 edges\n"
    assert err.splitlines() == [line.format(dir=pair.parent) for line in EXPECTED]


def test_run_and_validate_of_a_scenario_note_its_graph(pair, capsys):
    drill = pair.with_name("drill.yaml")
    shock = {"kind": "vendor_failure", "target": "gpu-a", "start": 2}
    drill.write_text(
        yaml.safe_dump({"name": "GPU outage", "graph": pair.name, "steps": 20, "shocks": [shock]})
    )
    for command in ("validate", "run"):
        assert main([command, str(drill)]) == 0
        assert capsys.readouterr().err.splitlines() == [line.format(dir=pair.parent) for line in EXPECTED]
    assert main(["run", str(drill), "--json"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("{") and err.count("augur: note: ") == 2


def test_the_apps_upload_says_the_same_notes_below_what_it_loaded(pair):
    app = create_app(None)
    contents = [
        "data:text/csv;base64," + base64.b64encode(p.read_bytes()).decode()
        for p in (pair.with_name("platform-nodes.csv"), pair)
    ]
    names = ["platform-nodes.csv", "platform-edges.csv"]
    message = _upload_message(app, contents, names)
    assert message["className"] == "message ok"
    text, *notes = message["children"]
    assert text.startswith("Loaded platform-nodes.csv, platform-edges.csv.")  # the counts: the line below
    assert [n["props"]["children"] for n in notes] == [
        line.format(dir=pair.parent).removeprefix(f"augur: note: {pair.parent}/") for line in EXPECTED
    ]


def _upload_message(app, contents, names):
    session = Session(app)
    response = session.call("upload", contents, names, session.stores[app_ids.SCENARIO], *NOT_LISTED)
    return response[app_ids.UPLOAD_MESSAGE]
