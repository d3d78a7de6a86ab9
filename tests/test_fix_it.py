"""The Fix it panel without a browser: the least fixes of the drill on screen are augur.sweep.mitigate's
(and the review pack's), a hand-counted chain gives the hand count, and "Apply and re-run" pins the run,
changes one attribute of the graph, asks for a run and opens the compare view once it is in."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from test_app import Session, _run

from augur import load_scenario, simulate
from augur.app import create_app, ids
from augur.app.components import fix_it
from augur.app.design import graph_of, graph_store, scenario_store
from augur.cli import main
from augur.errors import GraphError
from augur.graph import build_graph
from augur.report import review_html
from augur.scenario import dump_scenario, parse_scenario, scenario_to_dict
from augur.sweep import mitigate
from augur.text import lever_text

ROOT = Path(__file__).resolve().parents[1]
RETAIL = ROOT / "scenarios" / "retail-chip-outage.yaml"


def _chain(duration: int = 5):
    """a -> b -> shop; a down ``duration`` steps from step 2."""
    G = build_graph(
        [
            ("n", {"id": "a", "kind": "vendor"}),
            ("n", {"id": "b", "kind": "vendor"}),
            ("n", {"id": "shop", "kind": "process"}),
        ],
        [("e", {"source": "a", "target": "b"}), ("e", {"source": "b", "target": "shop"})],
    )
    s = parse_scenario(
        {
            "name": "chain",
            "steps": 20,
            "shocks": [{"kind": "vendor_failure", "target": "a", "start": 2, "duration": duration}],
        },
        graph=G,
    )
    return G, s


def _raw(scenario) -> dict:
    """The scenario as its file says it, graph left out."""
    return {k: v for k, v in scenario_to_dict(scenario).items() if k != "graph"}


def _on_screen(G, scenario, name="graph"):
    store = graph_store(G, name)
    return store, {"graph_rev": store["rev"], "scenario": scenario_store(scenario)}


def test_the_least_stock_on_a_chain_is_the_hand_count():
    """a is down for steps 2-6; b gets nothing from step 3 to step 7 (a's output reaches it a step
    late, both ways): five steps bare, so five steps of stock at b cover them and four leave one."""
    G, s = _chain()
    graph, design = _on_screen(G, s, "chain")
    found = fix_it.fixes_for(graph, design)
    stock = [f for f in found["fixes"] if f["lever"] == "buffer"]
    assert [(f["node"], f["to"]) for f in stock] == [("b", 5.0)]
    assert stock[0]["text"] == "5 hours of stock at b, against 0 hours today, makes this drill GRACEFUL."
    assert stock[0]["check"] == "Confirmed by a re-run; 4 hours does not do it."
    # and by hand: 4 steps leaves the drill worse than graceful, 5 does not
    for value, graceful in ((4.0, False), (5.0, True)):
        H = G.copy()
        H.nodes["b"]["buffer"] = value
        assert (simulate(H, s).metrics["verdict"] == "graceful") is graceful
    # the intuitive fix, stock at the vendor that fails, is said not to work, and where it would
    own = [c for c in found["cannot_help"] if c["node"] == "a" and c["lever"] == "buffer"]
    assert own and own[0]["reason"] == "fails_itself"
    assert own[0]["why"] == "Stock at a cannot cover its own outage; stock at its dependents can (b)."


def test_the_panel_names_what_augur_sweep_mitigate_names():
    """One source: each fix the panel lists is mitigate's, in its words, in its order."""
    drill = load_scenario(RETAIL)
    graph, design = _on_screen(drill.graph, drill, "retail")
    found = fix_it.fixes_for(graph, design)
    expected = mitigate(graph_of(graph), drill)
    assert [(f["lever"], f["node"], f["to"], f["text"]) for f in found["fixes"]] == [
        (f["lever"], f["node"], f["to"], f["text"]) for f in expected.fixes
    ]
    assert [c["why"] for c in found["cannot_help"]] == [c["why"] for c in expected.cannot_help]
    assert found["verdict"] == "cascade" and found["goal"] == "graceful"
    assert found["intro"].startswith('"Tier-2 chip outage at a smart-home retailer" on retail ends CASCADE')


def test_the_pack_names_the_same_least_change_as_the_panel():
    """The review pack's "what would fix it" and the panel name the same least stock: 26 days at
    Boardworks, the least (25 is not enough, which the panel's check says)."""
    drill = load_scenario(RETAIL)
    graph, design = _on_screen(drill.graph, drill, "retail")
    least = fix_it.fixes_for(graph, design)["fixes"][0]
    assert (least["lever"], least["node"], least["to"]) == ("buffer", "boardworks", 26.0)
    assert least["check"] == "Confirmed by a re-run; 25 days does not do it."
    page = html.unescape(review_html(simulate(drill.graph, drill)))
    G = drill.graph
    assert f"with {lever_text('buffer', 'boardworks', 26.0, G, 'day')}, this drill ends GRACEFUL" in page
    assert lever_text("buffer", "boardworks", 25.0, G, "day") not in page


def test_a_goal_of_the_hypothesis_needs_one():
    G, s = _chain()
    graph, design = _on_screen(G, s)
    found = fix_it.fixes_for(graph, design, "hypothesis")
    assert "states no hypothesis" in found["error"] and found["fixes"] == []


def test_augur_mitigate_says_the_hypothesis_goal_and_each_check_as_the_panel_does(tmp_path, capsys):
    """The chain with a hypothesis of degraded ends CASCADE (b and the shop fail beyond a's outage).
    Asked to meet its hypothesis, `augur mitigate` names that goal as the panel does, DEGRADED or
    better, and under the one fix (5 hours of stock at b, counted by hand above: 4 leaves b a step
    bare, and it fails) prints the panel's check: 4 hours does not do it."""
    G, s = _chain()
    s = parse_scenario({**_raw(s), "hypothesis": "degraded"}, graph=G)
    path = tmp_path / "chain.yaml"
    path.write_text(dump_scenario(s, inline_graph=True), encoding="utf-8")
    assert main(["mitigate", str(path), "--goal", "hypothesis", "--levers", "buffer"]) == 0
    lines = capsys.readouterr().out.splitlines()
    heading = "The least single changes that make it meet its hypothesis (DEGRADED or better), each confirmed by a re-run:"
    assert lines[:4] == [
        "chain ends CASCADE.",
        f"  {heading}",
        "  - 5 hours of stock at b, against 0 hours today, makes this drill GRACEFUL.",
        "    Confirmed by a re-run; 4 hours does not do it.",
    ]
    graph, design = _on_screen(G, s, "chain")
    found = fix_it.fixes_for(graph, design, "hypothesis")
    assert found["intro"].endswith(f" {heading}")
    stock = next(f for f in found["fixes"] if f["lever"] == "buffer")
    assert stock["check"] == lines[3].strip()


def test_a_drill_already_at_its_goal_has_nothing_to_fix():
    G, s = _chain()
    G.nodes["b"]["buffer"] = 9.0
    graph, design = _on_screen(G, s)
    found = fix_it.fixes_for(graph, design)
    assert found["verdict"] == "graceful" and found["fixes"] == [] and found["cannot_help"] == []


def test_applying_a_fix_changes_one_attribute_and_is_validated_as_a_file_is():
    G, s = _chain()
    graph, _ = _on_screen(G, s)
    H, after = fix_it.applied(graph, {"lever": "buffer", "node": "b", "to": 5.0})
    assert H.nodes["b"]["buffer"] == 5.0 and after["rev"] != graph["rev"]
    changed = [
        n
        for n in after["data"]["nodes"]
        if n != next(m for m in graph["data"]["nodes"] if m["id"] == n["id"])
    ]
    assert changed == [{**next(m for m in graph["data"]["nodes"] if m["id"] == "b"), "buffer": 5.0}]
    with pytest.raises(GraphError, match="buffer"):
        fix_it.applied(graph, {"lever": "buffer", "node": "b", "to": -1.0})


# -- the callbacks, through the app's endpoint --------------------------------------------------------


@pytest.fixture(scope="module")
def app():
    return create_app(ROOT / "scenarios")


def _found(session):
    """Run the retail drill on screen and find its fixes, as the background job does."""
    design = _run(session)[ids.RUN_DESIGN]["data"]
    session.stores[ids.RUN_DESIGN] = design
    return design, fix_it.fixes_for(session.stores[ids.GRAPH], design)


def test_apply_pins_the_run_changes_the_graph_asks_for_a_run_and_then_compares(app):
    session = Session(app)
    design, found = _found(session)
    graph = session.stores[ids.GRAPH]
    n = len(found["fixes"])
    response = session.call("apply", [0] * n, found, graph, design)
    assert response == {}  # the buttons drawn, none clicked
    response = session.call("apply", [1] + [0] * (n - 1), found, graph, design)
    pinned = response[ids.PINNED]["data"]
    assert pinned["graph"]["rev"] == graph["rev"] and pinned["verdict"] == "cascade"
    assert pinned["scenario"] == design["scenario"]
    after = response[ids.GRAPH]["data"]
    assert after["rev"] != graph["rev"]
    assert graph_of(after).nodes["boardworks"]["buffer"] == 26.0
    assert "buffer" not in graph_of(graph).nodes["boardworks"]  # the pinned graph as it was
    assert response[ids.SCENARIO]["data"] == design["scenario"]
    assert response[ids.RUN_REQUEST]["data"]
    assert response[ids.VIEW_TABS]["value"] == "drill"
    assert response[ids.FIX_APPLIED]["data"] == after["rev"]
    assert "Applied 26 days of stock at Boardworks" in response[ids.FIX_MESSAGE]["children"]
    # the run of the changed graph comes in: the compare view opens, once
    session.stores[ids.GRAPH] = after
    new_design = _run(session)[ids.RUN_DESIGN]["data"]
    assert new_design["graph_rev"] == after["rev"]
    opened = session.call("compare_when_run", new_design, after["rev"], 2)
    assert opened[ids.COMPARE_OPEN]["n_clicks"] == 3 and opened[ids.FIX_APPLIED]["data"] is None
    assert session.call("compare_when_run", new_design, None, 3) == {}


def test_apply_refuses_fixes_found_for_another_graph(app):
    session = Session(app)
    design, found = _found(session)
    other = {**session.stores[ids.GRAPH], "rev": "elsewhere"}
    response = session.call("apply", [1] * len(found["fixes"]), found, other, design)
    assert "find them again" in response[ids.FIX_MESSAGE]["children"]
    assert ids.GRAPH not in response and ids.PINNED not in response


def test_the_panel_says_what_to_do_before_a_run_and_before_a_search(app):
    session = Session(app)
    meta = {"rev": session.stores[ids.GRAPH]["rev"]}
    shown = session.call("show", None, None, meta, "graceful")
    assert shown[ids.FIX_INTRO]["children"].startswith("Run the drill first")
    design, found = _found(session)
    shown = session.call("show", None, design, meta, "graceful")
    assert shown[ids.FIX_INTRO]["children"] == (
        'Not searched yet. Find fixes re-runs "Tier-2 chip outage at a smart-home retailer" as last run '
        "with one lever at one node changed at a time, and lists the least single changes that make it "
        "GRACEFUL, each confirmed by a re-run."
    )
    assert shown[ids.FIX_BODY]["children"] == []
    shown = session.call("show", found, design, meta, "graceful")
    assert shown[ids.FIX_INTRO]["children"] == found["intro"]
    # another goal is another search, and the line says which
    shown = session.call("show", found, design, meta, "degraded")
    assert shown[ids.FIX_INTRO]["children"].startswith("Not searched yet.")
    assert "make it DEGRADED or better," in shown[ids.FIX_INTRO]["children"]
    # the retail drill states a hypothesis of cascade: its own goal is said as its own
    shown = session.call("show", None, design, meta, "hypothesis")
    assert "make it meet its hypothesis (CASCADE or better)," in shown[ids.FIX_INTRO]["children"]


def test_fixes_found_for_another_run_do_not_show_as_the_run_on_screens(app):
    """A search kept from the drill before (another scenario revision) or from the graph before an
    edit (another graph revision) is not shown as this drill's: the panel says it is not searched."""
    session = Session(app)
    meta = {"rev": session.stores[ids.GRAPH]["rev"]}
    design, found = _found(session)
    for key in (
        {**found["key"], "scenario_rev": "the drill before"},
        {**found["key"], "graph_rev": "before"},
    ):
        shown = session.call("show", {**found, "key": key}, design, meta, "graceful")
        assert shown[ids.FIX_INTRO]["children"].startswith("Not searched yet.")
        assert shown[ids.FIX_BODY]["children"] == []


def test_only_find_fixes_starts_the_search(app):
    """Opening the tab, a run coming in or another goal chosen never searches (the tab showed a
    search's answer before Find fixes was pressed): the finder's one trigger is the button."""
    finders = [
        spec for spec in app.callback_map.values() if getattr(spec.get("callback"), "__name__", "") == "find"
    ]
    assert [[i["id"] for i in spec["inputs"]] for spec in finders] == [[ids.FIX_RUN]]
    assert not any(
        getattr(spec.get("callback"), "__name__", "") == "ask" for spec in app.callback_map.values()
    )


def test_open_the_before_puts_the_pinned_run_back_on_screen_and_runs_it(app):
    session = Session(app)
    design, _ = _found(session)
    pinned = {
        "graph": session.stores[ids.GRAPH],
        "scenario": design["scenario"],
        "name": "x",
        "verdict": "cascade",
    }
    assert session.call("offer_the_before", "@pinned", pinned)[ids.COMPARE_UNDO_NOTE]["hidden"] is False
    bundled = session.call("offer_the_before", "retail-chip-outage-mitigated.yaml", pinned)
    assert bundled[ids.COMPARE_UNDO_NOTE]["hidden"] is True
    response = session.call("open_the_before", 1, pinned)
    assert response[ids.GRAPH]["data"] == pinned["graph"]
    assert response[ids.SCENARIO]["data"] == design["scenario"]
    assert response[ids.RUN_REQUEST]["data"] and response[ids.COMPARE]["hidden"] is True


def test_where_the_graph_prices_its_levers_each_fix_says_its_cost_and_the_cheapest():
    """The port congestion: nine days of stock at the barge, priced at 0.5 a day, costs 4.50 and beats
    every other fix at the default price (one a day of stock, 100 a point of headroom)."""
    drill = load_scenario(ROOT / "scenarios" / "manufacturer-port-congestion.yaml")
    G = drill.graph
    G.nodes["rhine-barge"]["buffer_cost"] = 0.5
    graph, design = _on_screen(G, drill, "manufacturer")
    fixes = {(f["lever"], f["node"]): f for f in fix_it.fixes_for(graph, design)["fixes"]}
    barge = fixes[("buffer", "rhine-barge")]
    assert (barge["from"], barge["to"]) == (0.0, 9.0)
    assert barge["cost"] == "Cost 4.50 (the cheapest)"
    port = fixes[("buffer", "port-rotterdam")]
    assert port["cost"] == f"Cost {port['to'] - port['from']:.2f}"  # one a day: not the cheapest
    assert [f["cost"] for f in fixes.values()].count("Cost 4.50 (the cheapest)") == 1


def test_the_packs_weak_points_list_the_panels_fixes():
    """augur report --weak-points: the pack's "fixes found" are the panel's, sentence for sentence."""
    import re

    from augur.report.weak_points import weak_points_study

    drill = load_scenario(RETAIL)
    result = simulate(drill.graph, drill)
    page = review_html(result, weak_points=weak_points_study(result, runs=20, top=3))
    listed = re.search(r'<ul[^>]*id="weak-fixes">(.*?)</ul>', page, flags=re.S).group(1)
    items = [html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", listed, flags=re.S)]
    graph, design = _on_screen(drill.graph, drill, "retail")
    assert items == [f["text"] for f in fix_it.fixes_for(graph, design)["fixes"]]
    assert items[0].startswith("26 days of stock at Boardworks Assembly (tier 1)")


def test_the_levers_that_cannot_help_fold_alike_in_the_terminal_the_panel_and_the_pack(capsys):
    """The chip outage has ten levers that cannot help (stock at Acme Chips, which fails itself, and
    nine tried in vain): augur mitigate and the panel both list the first three and fold the other
    seven under the one line "7 more levers that cannot help", where the terminal listed eight and
    the panel one; the pack, given four, lists all four (a fold would hide only one)."""
    from types import SimpleNamespace

    from dash import html as dash_html

    from augur.report.sections.weak_points import _fixes

    drill = load_scenario(RETAIL)
    expected = [c["why"] for c in mitigate(drill.graph, drill).cannot_help]
    assert len(expected) == 10
    assert main(["mitigate", str(RETAIL)]) == 0
    out = capsys.readouterr().out.splitlines()
    tail = out[out.index("cannot help:") + 1 :]
    assert tail == [f"  - {why}" for why in expected[:3]] + [
        "  ... 7 more levers that cannot help (--json lists them all)"
    ]

    graph, design = _on_screen(drill.graph, drill, "retail")
    parts = fix_it.body(fix_it.fixes_for(graph, design))
    listed = next(p for p in parts if isinstance(p, dash_html.Ul))
    folded = next(p for p in parts if isinstance(p, dash_html.Details))
    assert [li.children for li in listed.children] == expected[:3]
    summary, rest = folded.children
    assert summary.children == "7 more levers that cannot help"
    assert [li.children for li in rest.children] == expected[3:]

    four = SimpleNamespace(
        verdict="cascade",
        goal="graceful",
        hypothesis=False,
        fixes=[],
        cannot_help=[{"why": w} for w in "abcd"],
    )
    section = _fixes(SimpleNamespace(fixes=four), SimpleNamespace(metrics={"verdict": "cascade"}))
    assert "<li>a</li><li>b</li><li>c</li><li>d</li></ul>" in section and "<details>" not in section


def _layout_value(app, component_id):
    """The value the page opens with of the component ``component_id``."""
    stack = [app.layout() if callable(app.layout) else app.layout]
    while stack:
        node = stack.pop()
        if getattr(node, "id", None) == component_id:
            return node.value
        children = getattr(node, "children", None)
        stack += children if isinstance(children, list) else [children] if children is not None else []
    raise LookupError(component_id)


def test_the_panels_goal_opens_at_augur_mitigates_default_on_a_drill_with_a_hypothesis(app, tmp_path, capsys):
    """One rule for the goal nobody chose: on the chain whose hypothesis is DEGRADED, `augur mitigate`
    without --goal searches for GRACEFUL (whatever the drill's hypothesis), and the Fix it panel's
    "Make it" and the Tipping points view's open at the same goal, as `augur tipping`'s default."""
    from augur.cli import build_parser

    G, s = _chain()
    s = parse_scenario({**_raw(s), "hypothesis": "degraded"}, graph=G)
    path = tmp_path / "chain.yaml"
    path.write_text(dump_scenario(s, inline_graph=True), encoding="utf-8")
    assert main(["mitigate", str(path), "--levers", "buffer", "--json", "--quiet"]) == 0
    cli_goal = json.loads(capsys.readouterr().out)["goal"]
    assert cli_goal == "graceful"
    assert _layout_value(app, ids.FIX_GOAL) == cli_goal
    tip = build_parser().parse_args(
        ["tipping", str(path), "--vary", "buffer=0:5", "--against", "duration=1:5"]
    )
    assert _layout_value(app, ids.TIPPING_GOAL) == tip.goal == cli_goal
    graph, design = _on_screen(G, s, "chain")
    assert fix_it.fixes_for(graph, design)["goal"] == cli_goal


def test_where_no_single_change_is_enough_the_panel_and_augur_mitigate_say_what_to_try_next(capsys):
    """The quoting drill ends DEGRADED and no single lever makes it GRACEFUL: every lever tried leaves
    no node failing, and 72 hours of manual workaround at Configure-price-quote keeps service highest
    (92%, against 83% for capacity at the deal desk or the quote LLM's token limit), so that is the
    change that came closest. `augur mitigate` prints the next step under its headline, and the panel
    shows the same sentence under its own."""
    path = ROOT / "scenarios" / "quoting-demand-spike.yaml"
    assert main(["mitigate", str(path), "--quiet"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].strip().startswith("No single change of one lever at one node makes it GRACEFUL")
    step = lines[2].strip()
    assert step.startswith(
        "Next: make the change that came closest, a manual workaround that keeps Configure-price-quote "
        "going for 72 hours (it ends DEGRADED), and search again on the graph with it for a second change"
    )
    assert "Tipping points (augur tipping)" in step
    drill = load_scenario(path)
    graph, design = _on_screen(drill.graph, drill, "quoting")
    found = fix_it.fixes_for(graph, design)
    assert found["fixes"] == [] and found["next"] == step
    shown = [p.children for p in fix_it.body(found) if getattr(p, "className", "") == "fix-next"]
    assert shown == [step]
    # where a fix is found, or none is needed, there is no next step to say
    retail = load_scenario(RETAIL)
    assert fix_it.fixes_for(*_on_screen(retail.graph, retail))["next"] is None
