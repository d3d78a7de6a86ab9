"""One voice: the same shocks read the same in the CLI, the event log, the app and the review pack:
each says 'when: what' (augur.text.shock_text), and the pack adds the terse form of the file's fields.

The words are written out here by hand, so a surface that words a shock its own way fails, and so
does a change to the one wording in augur/text that was not meant.
"""

from __future__ import annotations

import html
import json
import re

import pytest
from builders import graph

from augur.app.components.compare import compare_panel
from augur.app.components.header import verdict_badge
from augur.cli import main
from augur.drill import simulate
from augur.io import write_graph
from augur.report import review_html
from augur.scenario import dump_scenario, parse_scenario, scenario_to_dict
from augur.text import kpi_cards

STEPS, UNIT = 40, "day"

# (the shock as a scenario file writes it, when, what, the event log's terse form)
SHOCKS = [
    (  # outlasts the 40-day horizon: said to last to the end, not 500 days
        {"kind": "vendor_failure", "target": "acme", "start": 5, "duration": 500},
        "day 5 to the end",
        "acme goes down completely",
        "vendor_failure on acme (severity 100%)",
    ),
    (  # two targets, half severity
        {"kind": "vendor_failure", "target": ["acme", "spare"], "start": 8, "duration": 3, "severity": 0.5},
        "day 8 to day 10 (3 days)",
        "acme and spare lose 50% of their capacity",
        "vendor_failure on acme, spare (severity 50%)",
    ),
    (  # an edge, for one step
        {
            "kind": "logistics_bottleneck",
            "target": ["port", "shop"],
            "start": 6,
            "duration": 1,
            "capacity": 0.5,
            "delay": 2,
        },
        "day 6 only",
        "port → shop: capacity cut to 50% and goods held 2 days longer",
        "logistics_bottleneck on port -> shop (capacity 50%, +2 days)",
    ),
    (
        {"kind": "demand_spike", "target": "shop", "start": 10, "duration": 5, "multiplier": 1.5},
        "day 10 to day 14 (5 days)",
        "demand on shop rises to 1.50× baseline",
        "demand_spike on shop (1.50×)",
    ),
    (  # no duration: to the end
        {"kind": "data_quality_drop", "target": "feed", "start": 12, "quality": 0.6},
        "day 12 to the end",
        "data from feed drops to 60% of its normal quality",
        "data_quality_drop on feed (quality 60%)",
    ),
    (
        {"kind": "rate_limit_cut", "target": "llm", "start": 15, "duration": 4, "factor": 0.5},
        "day 15 to day 18 (4 days)",
        "the token limit of llm is cut to 50%",
        "rate_limit_cut on llm (factor 50%)",
    ),
]


def _graph():
    """Every node named by its id, so the pack's names and the app's ids are the same words."""
    return graph(
        {
            "acme": "vendor",
            "spare": "vendor",
            "port": "logistics",
            "feed": "data_source",
            "llm": ("ai_service", {"token_limit": 2000}),
            "shop": "process",
        },
        [
            ("acme", "port", {"group": "chips"}),
            ("spare", "port", {"group": "chips"}),
            ("port", "shop"),
            ("feed", "llm"),
            ("llm", "shop"),
        ],
    )


@pytest.fixture(scope="module")
def drill():
    G = _graph()
    raw = {"name": "every shock", "steps": STEPS, "step_unit": UNIT, "shocks": [s[0] for s in SHOCKS]}
    scenario = parse_scenario(raw, graph=G)
    return simulate(G, scenario)


@pytest.mark.parametrize(("raw", "when", "what", "technical"), SHOCKS, ids=[s[0]["kind"] for s in SHOCKS])
def test_augur_run_says_each_shock_in_the_shared_words(drill, tmp_path, capsys, raw, when, what, technical):
    """`augur run` lists each shock as 'when: what' and logs its start in the same words."""
    path = tmp_path / "drill.yaml"
    path.write_text(dump_scenario(drill.scenario, inline_graph=True), encoding="utf-8")
    assert main(["run", str(path), "--all-events"]) == 0
    out = capsys.readouterr().out
    assert f"  {when}: {what}\n" in out
    assert f" shock, {when}: {what}\n" in out


@pytest.mark.parametrize(("raw", "when", "what", "technical"), SHOCKS, ids=[s[0]["kind"] for s in SHOCKS])
def test_the_event_log_logs_each_shock_in_the_shared_words(drill, raw, when, what, technical):
    """The event log's shock line at the shock's start, and its end where it ends in the horizon,
    each 'when: what' as the shock list says it, never the file's field names."""
    lines = [str(e) for e in drill.events]
    assert f"t={raw['start']} shock, {when}: {what}" in lines
    ends = raw["start"] + raw.get("duration", STEPS)
    assert (f"t={ends} shock ended, {when}: {what}" in lines) == (ends < STEPS)
    assert not any(technical in line for line in lines)


@pytest.mark.parametrize(("raw", "when", "what", "technical"), SHOCKS, ids=[s[0]["kind"] for s in SHOCKS])
def test_the_review_pack_says_each_shock_in_the_shared_words(drill, raw, when, what, technical):
    """The pack's list of shocks: when, what, and the terse form beside it."""
    from augur.report import review_html

    page = html.unescape(re.sub(r"<[^>]+>", "", review_html(drill)))  # the words, without the markup
    assert f"{when}: {what} ({technical})" in page


@pytest.mark.parametrize(("raw", "when", "what", "technical"), SHOCKS, ids=[s[0]["kind"] for s in SHOCKS])
def test_the_apps_shock_list_says_each_shock_in_the_shared_words(drill, raw, when, what, technical):
    """The app's shock list, drawn from the scenario as the app stores it (ids, no graph)."""
    import plotly.utils

    from augur.app.components.shocks import shock_list

    store = scenario_to_dict(drill.scenario)
    text = json.dumps(shock_list(store), cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)
    assert f"{when}: {what}" in text


def test_a_failures_cause_reads_the_same_in_the_event_log_and_the_pack(drill):
    """Each secondary failure's cause: the event log's 'X failed (cause)' is the pack's 'Cause: cause.'"""
    from augur.report import review_html

    page = html.unescape(re.sub(r"<[^>]+>", "", review_html(drill)))
    told = 0
    for node in drill.metrics["secondary_failures"]:
        first = next(e for e in drill.events if e.kind == "failed" and e.node == node)
        cause = first.message.removeprefix(f"{node} failed (").removesuffix(")")
        assert f"Cause: {cause}." in page
        told += 1
    assert told >= 2  # the shop and the port at least, or the test shows nothing


def test_a_node_failed_by_its_own_shock_names_the_kind_as_the_apps_shock_list_does(drill):
    """acme goes down completely at day 5 (the first shock): the event log says it failed from its own
    vendor failure, the kind the app's shock list heads that shock with, never the file's
    vendor_failure."""
    import plotly.utils

    from augur.app.components.shocks import shock_list

    first = next(e for e in drill.events if e.kind == "failed" and e.node == "acme")
    assert (first.t, first.message) == (5, "acme failed (its own vendor failure)")
    listed = json.dumps(shock_list(scenario_to_dict(drill.scenario)), cls=plotly.utils.PlotlyJSONEncoder)
    assert '"Vendor failure"' in listed


@pytest.mark.parametrize(("raw", "when", "what", "technical"), SHOCKS, ids=[s[0]["kind"] for s in SHOCKS])
def test_a_shock_read_back_from_a_scenario_file_or_the_apps_store_is_worded_the_same(
    raw, when, what, technical
):
    """What the app keeps (the shock as a file writes it) gets the words of the parsed shock."""
    from augur.text import shock_technical, shock_what, shock_when

    assert (shock_when(raw, STEPS, UNIT), shock_what(raw, None, UNIT), shock_technical(raw, UNIT)) == (
        when,
        what,
        technical,
    )


def test_the_worst_random_drill_says_its_shocks_as_augur_run_says_them_replayed(tmp_path, capsys):
    """`augur montecarlo` lists the worst drill's shocks, one a line, in the words `augur run` of the
    saved drill lists them: the same lines, in the same order, names and the drill's unit included."""
    saved = tmp_path / "worst.yaml"
    args = ["montecarlo", "scenarios/retail-chip-outage.yaml", "--runs", "12", "--save-worst", str(saved)]
    assert main([*args, "--quiet"]) == 0
    out = capsys.readouterr().out.splitlines()
    worst = out.index(next(line for line in out if line.startswith("  worst drill #")))
    median = out.index(next(line for line in out if line.startswith("  median drill #")))
    told = [line.strip() for line in out[worst + 1 : median]]
    assert main(["run", str(saved)]) == 0
    run = capsys.readouterr().out.split("\n\n")
    listed = next(part for part in run if part.startswith("shocks:")).splitlines()[1:]
    assert told == [line.strip() for line in listed] and told  # at least one shock, or it shows nothing


@pytest.mark.parametrize("name", ["retail-chip-outage", "retail-chip-outage-mitigated", "kyc-retry-storm"])
def test_a_kpi_card_reads_the_same_in_the_app_and_the_review_pack(name):
    """Each card the app shows has the value and note of the pack's card for that figure, as each
    page draws it; the app's peak-tokens card says the pack's token overrun on its second line."""
    from pathlib import Path

    from augur import load_scenario
    from augur.app.components.kpis import kpi_cards
    from augur.report import review_html
    from augur.text import KPI_LABELS, compact_number_text, cost_text, number_text

    scenario = load_scenario(Path(__file__).resolve().parents[1] / "scenarios" / f"{name}.yaml")
    result = simulate(scenario.graph, scenario)
    card = re.compile(
        r'data-kpi="(\w+)"><div class="label">[^<]*</div>'
        r'<div class="value">([^<]*)</div><div class="note">([^<]*)</div>'
    )
    pack = {
        key: (html.unescape(value), html.unescape(note))
        for key, value, note in card.findall(review_html(result))
    }
    app = {}
    for div in kpi_cards(result.metrics):
        label, value, note = (part.children for part in div.children)
        app[label] = (value, note)
    keys = {label: key for key, label in KPI_LABELS.items()}
    shared = 0
    for label, (value, note) in app.items():
        key = keys[label]
        if key == "peak_token_multiplier":  # the pack's overrun card, said in a few characters
            overrun, cost = result.metrics["token_overrun"], result.metrics["token_overrun_cost"]
            assert value == pack[key][0]
            assert pack["token_overrun"][0] == number_text(overrun)
            assert note.startswith(f"+{compact_number_text(overrun)} ")
            if cost:
                assert (
                    note.endswith(f"cost {cost_text(cost)}") and cost_text(cost) in pack["token_overrun"][1]
                )
            continue
        assert (value, note) == pack[key], label
        shared += 1
    assert shared == 6


def _words(component) -> list[str]:
    """Every string in a Dash component tree, in order."""
    if isinstance(component, str):
        return [component]
    children = getattr(component, "children", component)
    if isinstance(children, (list, tuple)):
        return [w for child in children for w in _words(child)]
    return [] if children is None or children is component else _words(children)


@pytest.mark.parametrize(
    ("shocked", "hypothesis", "words", "mark"),
    [
        (True, "cascade", "hypothesis cascade: held", "✓"),
        (True, "degraded", "hypothesis degraded: NOT held", "✗"),
        (False, "degraded", "hypothesis degraded: better than expected", "▲"),
    ],
    ids=["held", "worse", "better"],
)
def test_the_hypothesis_reads_the_same_in_the_badge_the_compare_view_the_pack_and_the_cli(
    drill, tmp_path, capsys, shocked, hypothesis, words, mark
):
    """Every shock at once makes a cascade; with no shock nothing fails (graceful). Against each
    hypothesis the header's badge, both sides of the compare view, the verdict card, the pack's badge
    and `augur run` and `augur check` say the same words: held, NOT held, or better than expected
    where the drill ended milder than its hypothesis."""
    G = _graph()
    raw = {**scenario_to_dict(drill.scenario), "hypothesis": hypothesis}
    if not shocked:
        raw["shocks"] = []
    result = simulate(G, parse_scenario(raw, graph=G))
    assert result.metrics["verdict"] == ("cascade" if shocked else "graceful")
    badge, _ = verdict_badge(result.metrics)
    assert f"{mark} {words}" in _words(badge)
    panel = compare_panel(result, result, ("before", "after"))
    assert _words(panel).count(words) == 2  # the before side and the after side
    assert kpi_cards(result.metrics)[0]["note"].endswith(words)  # after "so far: ..." where it is
    assert f'<div class="note">{words}</div>' in review_html(result)
    path = tmp_path / "drill.yaml"
    path.write_text(dump_scenario(result.scenario, inline_graph=True), encoding="utf-8")
    main(["run", str(path)])
    assert f"verdict             {result.metrics['verdict'].upper()}  ({words})" in capsys.readouterr().out
    assert main(["check", str(path)]) == (0 if mark == "✓" else 1)
    assert f"({words})\n" in capsys.readouterr().out


def test_augur_check_validate_and_convert_count_in_the_shared_words(drill, tmp_path, capsys):
    """`augur check` says the verdict against what was expected, and `validate` and `convert` count the
    graph's 6 nodes and 5 edges as every other place counts them."""
    verdict = drill.metrics["verdict"]
    expected = next(v for v in ("graceful", "degraded", "cascade") if v != verdict)
    path = tmp_path / "drill.yaml"
    raw = {**scenario_to_dict(drill.scenario, inline_graph=True), "hypothesis": expected}
    path.write_text(dump_scenario(parse_scenario(raw)), encoding="utf-8")
    assert main(["check", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == f"FAIL {path}: {verdict} (hypothesis {expected}: NOT held)\n"
    assert err == "1 of 1 drills did not hold their hypothesis\n"
    graph_file, converted = tmp_path / "graph.json", tmp_path / "graph.graphml"
    write_graph(drill.scenario.graph, graph_file)
    assert main(["validate", str(graph_file)]) == 0
    assert capsys.readouterr().out == f"{graph_file}: ok, 6 nodes, 5 edges\n"
    assert main(["convert", str(graph_file), str(converted)]) == 0
    assert capsys.readouterr().out == f"{graph_file} -> {converted}: 6 nodes, 5 edges\n"


def _chain(**c):
    """vendor a -> logistics b -> logistics c -> process p."""
    return graph(
        {"a": "vendor", "b": "logistics", "c": ("logistics", c), "p": "process"},
        [("a", "b"), ("b", "c"), ("c", "p")],
    )


def test_a_drill_cut_short_by_its_horizon_says_consequences_are_still_to_come(tmp_path, capsys):
    """An outage from step 3 that outlasts a 10-step drill, with eight steps of stock at b: service
    is 100% throughout and nothing else fails in time, so the drill is graceful only so far. The
    CLI, the cards (the app's and the pack's) and the pack's sentence say the consequences are still
    to come and the time to recover is unknown, never "below 99% at the end"."""
    from augur.app.components.kpis import kpi_cards as app_cards
    from augur.text import kpi_cards, verdict_sentence

    G = graph({"a": "vendor", "b": ("logistics", {"buffer": 8}), "p": "process"}, [("a", "b"), ("b", "p")])
    spec = {
        "name": "cut short",
        "steps": 10,
        "shocks": [{"kind": "vendor_failure", "target": "a", "start": 3}],
    }
    result = simulate(G, parse_scenario(spec, graph=G))
    assert result.verdict == "graceful"
    assert verdict_sentence(result) == (
        "Graceful so far: service stayed at 100% (SLO 90%); the drill ends while a shock still acts: "
        "its consequences are still to come, and the time to recover is unknown."
    )
    cards = {c["key"]: c for c in kpi_cards(result.metrics)}
    assert (cards["time_to_recover"]["value"], cards["time_to_recover"]["note"]) == (
        "unknown",
        "a shock lasts to the end of the drill",
    )
    assert cards["verdict"]["note"].startswith("so far: consequences still to come")
    shown = " ".join(str(card.children[2].children) for card in app_cards(result.metrics))
    assert "a shock lasts to the end of the drill" in shown and "below 99%" not in shown

    path = tmp_path / "cut.yaml"
    path.write_text(dump_scenario(result.scenario))
    assert main(["run", str(path)]) == 0
    out = capsys.readouterr().out
    assert "The drill ends while a shock still acts: its consequences are still to come." in out
    assert "time to recover     unknown: a shock lasts to the end of the drill" in out


def test_a_cascade_that_cost_no_service_is_said_to_be_contained_and_where():
    """a is down at steps 3 and 4; b, with no stock, fails at 4 and 5 (a secondary failure, so the
    verdict is cascade); c's six steps of stock cover its two empty steps, so p never misses a
    unit. The sentence and the cards say the cascade was contained, name b, and call it no
    disaster: the secondary-failures card warns instead of alarming."""
    from augur.text import kpi_cards, summary_lines, verdict_sentence

    outage = {"kind": "vendor_failure", "target": "a", "start": 3, "duration": 2}
    G = _chain(buffer=6)
    result = simulate(G, parse_scenario({"name": "held", "steps": 20, "shocks": [outage]}, graph=G))
    m = result.metrics
    assert (m["verdict"], m["secondary_failures"], m["cascade_depth"], m["service_level_min"]) == (
        "cascade",
        ["b"],
        1,
        1.0,
    )
    assert verdict_sentence(result) == (
        "Cascade, contained: b failed beyond the shocked nodes, up to 1 hop away, and no further; "
        "service stayed at 100% (SLO 90%)."
    )
    cards = {c["key"]: c for c in kpi_cards(m)}
    assert cards["secondary_failures"]["note"] == "contained: 1 hop deep, no service lost"
    assert cards["secondary_failures"]["tone"] == "warn"
    assert cards["verdict"]["note"].startswith("contained: no service lost")
    assert "  verdict             CASCADE, contained: no service lost" in summary_lines(m)
    # without the stock at c the same outage reaches p: a cascade that cost service is not contained
    hurt = simulate(
        _chain(), parse_scenario({"name": "hurt", "steps": 20, "shocks": [outage]}, graph=_chain())
    )
    assert hurt.metrics["service_level_min"] < 0.99
    assert verdict_sentence(hurt).startswith("Cascade: 3 nodes failed beyond the shocked ones, up to 3 hops")
