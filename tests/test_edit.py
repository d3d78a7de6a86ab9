"""Editing the graph on screen (augur.app.edit) and a node's story in words (augur.text.node_story_text):
an edit is checked as a file is, a refused one keeps the graph, the drill runs on the edited graph,
and the edited graph downloads in every format augur reads back to the same graph."""

from __future__ import annotations

import io
import zipfile

import pytest

from augur import load_scenario, simulate
from augur.app.components.detail import node_events
from augur.app.design import build_scenario, graph_of, graph_store, scenario_store
from augur.app.edit import (
    DOWNLOAD_FORMATS,
    add_edge,
    add_node,
    edge_fields,
    edit_edge,
    edit_node,
    graph_download,
    node_fields,
    remove_edge,
    remove_node,
    undo_record,
    undone,
)
from augur.engine import Status
from augur.errors import GraphError
from augur.graph import build_graph, graphs_equal
from augur.io import parse_node_link, read_upload
from augur.scenario import parse_scenario
from augur.text import node_story_text


def chain_store(**plant) -> dict:
    """chips -> plant -> shop, the plant with ``plant``'s attributes."""
    return graph_store(
        parse_node_link(
            {
                "nodes": [
                    {"id": "chips", "kind": "vendor", "label": "Chip vendor"},
                    {"id": "plant", "kind": "process", **plant},
                    {"id": "shop", "kind": "process"},
                ],
                "edges": [{"source": "chips", "target": "plant"}, {"source": "plant", "target": "shop"}],
            }
        ),
        "chain.json",
    )


OUTAGE = {
    "name": "outage",
    "steps": 12,
    "shocks": [{"kind": "vendor_failure", "target": "chips", "start": 2}],
}


def failure_step(store: dict, node: str, scenario: dict = OUTAGE) -> int | None:
    G = graph_of(store)
    result = simulate(G, build_scenario(G, scenario))
    col = result.trajectory.nodes.index(node)
    down = [t for t, s in enumerate(result.trajectory.status[:, col]) if s == Status.FAILED]
    return down[0] if down else None


def test_a_buffer_set_in_the_panel_delays_the_plants_failure_by_its_steps():
    """chips goes down at step 2; the plant reads it a step later and fails at step 3. Three steps of
    buffer set on the plant cover steps 3, 4 and 5, so it fails at step 6, and the shop a step after."""
    store = chain_store()
    assert failure_step(store, "plant") == 3
    edited = edit_node(store, "plant", {"buffer": 3}, OUTAGE)
    assert failure_step(edited, "plant") == 6
    assert failure_step(edited, "shop") == 7
    assert edited["rev"] != store["rev"] and edited["name"] == "chain.json (edited)"


def test_a_blank_field_means_the_default_and_the_attribute_goes():
    store = chain_store(buffer=2, capacity=1.5)
    G = graph_of(edit_node(store, "plant", {"buffer": None, "capacity": ""}))
    assert G.nodes["plant"] == {"kind": "process"}


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"buffer": -1}, "expected a number in [0, 1,000,000] for 'buffer', got -1"),
        ({"min_supply": 0}, "for 'min_supply', got 0"),
        ({"recovery": 2.5}, "expected an integer"),
        ({"kind": "factory"}, "unknown kind 'factory'"),
        ({"capacity": 0.2}, "capacity 0.2 is below fail_below 0.3"),
    ],
)
def test_a_refused_edit_names_its_field_says_what_was_expected_and_keeps_the_graph(changes, words):
    store = chain_store()
    before = graph_of(store)
    with pytest.raises(GraphError) as refused:
        edit_node(store, "plant", changes)
    assert refused.value.place == next(iter(changes))
    assert words in refused.value.message
    assert graphs_equal(graph_of(store), before)


def test_the_refusal_is_the_readers_own_message_for_the_same_value_in_a_file():
    """One voice: the panel's message is what the JSON reader says of the same value."""
    with pytest.raises(GraphError) as in_file:
        parse_node_link({"nodes": [{"id": "plant", "kind": "process", "buffer": -1}]})
    with pytest.raises(GraphError) as in_panel:
        edit_node(chain_store(), "plant", {"buffer": -1})
    assert in_panel.value.message == in_file.value.message


def test_edges_are_edited_added_and_removed():
    store = chain_store()
    store = edit_edge(store, "chips", "plant", {"weight": 2, "lead_time": 3, "group": "chips"})
    assert graph_of(store).edges["chips", "plant"] == {"weight": 2.0, "lead_time": 3, "group": "chips"}
    store = add_edge(store, "chips", "shop")
    assert graph_of(store).has_edge("chips", "shop")
    store = remove_edge(store, "plant", "shop")
    G = graph_of(store)
    assert set(G.edges) == {("chips", "plant"), ("chips", "shop")}


def test_an_added_edge_gives_the_shop_a_second_source_and_the_drill_changes():
    """The shop's only input is the plant, which fails at step 3, so the shop fails at step 4. A
    second vendor feeding the shop as a substitute (same ungrouped input) sends half its supply:
    0.5 at min_supply 0.5 is full output, and the shop never fails."""
    store = edit_node(chain_store(), "shop", {"min_supply": 0.5})
    assert failure_step(store, "shop") == 4
    store = add_node(store, "spare", "vendor")
    store = add_edge(store, "spare", "shop")
    assert failure_step(store, "shop") is None


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda s: add_edge(s, "chips", "plant"), "duplicate edge chips -> plant"),
        (lambda s: add_edge(s, "plant", "plant"), "self-loop on 'plant'"),
        (
            lambda s: add_edge(s, "chip", "shop"),
            "edge source 'chip' is not a node in this graph (did you mean",
        ),
        (lambda s: add_node(s, "plant", "vendor"), "duplicate node id 'plant'; ids must be unique"),
        (lambda s: add_node(s, "", "vendor"), "expected a non-empty node 'id'"),
        (lambda s: add_node(s, "dc", None), "missing 'kind'"),
        (lambda s: edit_edge(s, "chips", "plant", {"weight": 0}), "for 'weight', got 0"),
    ],
)
def test_a_refused_structural_edit_is_the_readers_message(edit, words):
    with pytest.raises(GraphError, match=None) as refused:
        edit(chain_store())
    assert words in refused.value.message


def test_a_node_a_shock_targets_cannot_go_while_the_shock_does():
    store = chain_store()
    with pytest.raises(GraphError) as refused:
        remove_node(store, "chips", OUTAGE)
    assert "unknown node 'chips'" in refused.value.message
    assert "remove or change that shock first" in refused.value.message
    G = graph_of(remove_node(store, "plant", OUTAGE))
    assert set(G.nodes) == {"chips", "shop"} and G.number_of_edges() == 0


def test_the_panels_show_each_fields_value_or_its_default():
    G = graph_of(chain_store(buffer=2))
    fields = node_fields(G, "plant")
    assert fields["buffer"] == {"value": 2.0, "default": 0.0}
    assert fields["capacity"] == {"value": None, "default": 1.2}
    assert fields["label"] == {"value": None, "default": "plant"}
    assert fields["kind"]["value"] == "process"
    assert edge_fields(G, "chips", "plant")["lead_time"] == {"value": None, "default": 0}


@pytest.mark.parametrize("fmt", [value for value, _, _ in DOWNLOAD_FORMATS])
def test_the_edited_graph_downloads_in_every_format_and_reads_back_equal(fmt):
    store = edit_edge(edit_node(chain_store(), "plant", {"buffer": 3, "label": "Plant"}), "chips", "plant",
                      {"group": "chips", "lead_time": 2})  # fmt: skip
    name, data = graph_download(store, fmt)
    assert name.startswith("chain-edited.")
    if fmt == "csv":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            files = {member: archive.read(member) for member in archive.namelist()}
        assert sorted(files) == ["chain-edited-edges.csv", "chain-edited-nodes.csv"]
        H = read_upload(files)
    else:
        H = read_upload({name: data})
    assert graphs_equal(H, graph_of(store))
    assert H.nodes["plant"]["buffer"] == 3


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("platform-nodes.csv, platform-edges.csv (edited)", "platform-edited"),
        ("platform-edges.csv, platform-nodes.csv", "platform"),
        ("nodes.csv, edges.csv (edited)", "graph-edited"),
        ("graphs/manufacturer-edges.csv", "manufacturer"),
        ("retail.json (edited)", "retail-edited"),
    ],
)
def test_a_csv_pair_downloads_under_the_name_its_two_files_share(name, stem):
    """An uploaded pair is named by what its files share, so its download is platform-edited-nodes.csv,
    not platform-nodes-edited-nodes.csv."""
    store = {**chain_store(), "name": name}
    assert graph_download(store, "json")[0] == f"{stem}.json"
    with zipfile.ZipFile(io.BytesIO(graph_download(store, "csv")[1])) as archive:
        assert sorted(archive.namelist()) == [f"{stem}-edges.csv", f"{stem}-nodes.csv"]


def test_a_bundled_drills_graph_edits_and_still_runs_its_drill():
    scenario = load_scenario("scenarios/retail-chip-outage.yaml")
    store = graph_store(scenario.graph, scenario.graph_ref)
    design = scenario_store(scenario)
    edited = edit_node(store, "boardworks", {"buffer": 30}, design)
    G = graph_of(edited)
    assert G.nodes["boardworks"]["buffer"] == 30
    # 26 days of stock at Boardworks is the least that makes the retail drill graceful (augur mitigate)
    assert simulate(G, build_scenario(G, design)).metrics["verdict"] == "graceful"
    assert graph_download(edited, "json")[0] == "retail-edited.json"


# -- a node's story ----------------------------------------------------------------------------------


def two_source_graph():
    return build_graph(
        [
            ("n", {"id": "siltron", "kind": "vendor", "label": "Siltron"}),
            ("n", {"id": "vexa", "kind": "vendor", "label": "Vexa"}),
            ("n", {"id": "fab", "kind": "process", "label": "Fab", "min_supply": 0.9, "buffer": 2}),
        ],
        [
            ("e", {"source": "siltron", "target": "fab", "weight": 3}),
            ("e", {"source": "vexa", "target": "fab", "weight": 1}),
        ],
    )


def test_a_nodes_story_names_every_inputs_share_and_the_stock_it_spent():
    """Siltron (weight 3 of 4) goes down at step 2 and stays down; Vexa sends all it has (weight 1).
    The fab gets (0 x 3 + 1 x 1) / 4 = 25%, a fraction 0.25 / 0.9 = 0.28 of its need; stock covers the
    shortfall of 0.72 a step, so its two steps of stock last to 1.28, 0.56 and then cover step 5 in
    part (output 0.83, degraded). At step 6 the stock is spent and output 0.28 is below fail_below
    0.3: it fails, and is still down when the drill ends."""
    G = two_source_graph()
    s = parse_scenario(
        {"name": "s", "steps": 10, "step_unit": "day",
         "shocks": [{"kind": "vendor_failure", "target": "siltron", "start": 2}]},
        graph=G,
    )  # fmt: skip
    story = node_story_text(simulate(G, s), "fab")
    assert story[0].startswith("Fab failed at day 6: supply 25%: Siltron 0%, Vexa 100% at weight 1 of 4")
    assert "below min_supply 90%" in story[0] and story[0].endswith(", its 2 days of stock spent.")
    assert story[1:] == ["It was still down when the drill ended."]


def test_a_node_that_never_failed_says_how_low_its_output_went():
    """A one-step outage of Siltron: the fab's buffer covers it, so the fab never fails and keeps
    full output; the vendor itself is down for that step."""
    G = two_source_graph()
    s = parse_scenario(
        {"name": "s", "steps": 10,
         "shocks": [{"kind": "vendor_failure", "target": "siltron", "start": 2, "duration": 1}]},
        graph=G,
    )  # fmt: skip
    result = simulate(G, s)
    assert node_story_text(result, "fab") == ["Fab never failed: its output stayed at 100% throughout."]
    assert node_story_text(result, "siltron")[0] == "Siltron failed at hour 2: its own vendor failure."


def test_undo_brings_back_the_graph_with_its_own_revision_unless_a_shock_needs_the_edit():
    store = chain_store()
    added = add_node(store, "spare", "vendor", OUTAGE)
    record = undo_record(store, added, "node spare added")
    assert undone(record, OUTAGE) == store  # the same revision: results of that graph are current again
    on_spare = {
        **OUTAGE,
        "shocks": [*OUTAGE["shocks"], {"kind": "vendor_failure", "target": "spare", "start": 3}],
    }
    with pytest.raises(GraphError) as refused:
        undone(record, on_spare)
    assert "unknown node 'spare'" in refused.value.message


def test_a_nodes_events_are_its_own_lines_and_the_shocks_on_it():
    scenario = load_scenario("scenarios/retail-chip-outage.yaml")
    result = simulate(scenario.graph, scenario)
    assert [e["t"] for e in node_events(result, "acme-chips")] == [10, 10, 31, 31, 36]
    boardworks = node_events(result, "boardworks")
    assert [e["t"] for e in boardworks] == [13, 39, 42]
    assert boardworks[0]["message"].startswith("Boardworks Assembly (tier 1) failed")


def _fields(component) -> dict:
    """The editor's labelled fields by the name of their input: ``{name: (label, hint)}``."""
    found = {}

    def walk(c):
        children = getattr(c, "children", None)
        if type(c).__name__ == "Label" and isinstance(children, list) and len(children) == 2:
            inner = getattr(children[1], "id", None)
            if isinstance(inner, dict) and "name" in inner:
                found[inner["name"]] = (children[0].children, getattr(c, "title", ""))
        for child in children if isinstance(children, list) else [children]:
            if hasattr(child, "children"):
                walk(child)

    walk(component)
    return found


def test_the_editors_min_supply_says_the_range_a_refused_value_is_told():
    """The reader takes a min_supply from a millionth to 1: the field's label says [0.000001, 1] (it
    said (0..1], and 1e-7 was then refused), the hint says it as the refusal does, and so for
    fail_below, which takes 0 and 1 both (its label said (0..1))."""
    from augur.app.components.editor import editor

    fields = _fields(editor())
    assert fields["min_supply"] == (
        "Min supply [0.000001, 1]",
        "supply fraction for full output: a number in [0.000001, 1]",
    )
    assert fields["fail_below"][0] == "Fail below [0, 1]"
    assert fields["weight"] == ("Weight", "share of supply within its group: a number in [1e-300, 1,000,000]")
    with pytest.raises(GraphError) as refused:
        edit_node(chain_store(), "plant", {"min_supply": 1e-7})
    assert "expected a number in [0.000001, 1] for 'min_supply'" in str(refused.value)
    edited = edit_node(chain_store(), "plant", {"min_supply": 1e-6, "fail_below": 1})
    assert graph_of(edited).nodes["plant"]["min_supply"] == 1e-6
