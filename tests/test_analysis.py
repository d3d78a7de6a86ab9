"""The analysis layer: why nodes failed, as data, and the one sentence every reader gets for it."""

from __future__ import annotations

from builders import chain, drill, graph, outage

from augur.analysis.causes import failure_cause
from augur.text import cause_text, node_story_text


def _fab(**fab):
    """Siltron carries three quarters of the fab's wafers, Vexa one quarter, in one supply group."""
    return graph(
        {
            "siltron": ("vendor", {"label": "Siltron"}),
            "vexa": ("vendor", {"label": "Vexa"}),
            "fab": ("process", {"min_supply": 0.9, **fab}),
        },
        [("siltron", "fab", {"weight": 3}), ("vexa", "fab", {"weight": 1})],
    )


def test_a_failure_names_every_inputs_share_and_why_the_second_source_did_not_save_it():
    """With Siltron (weight 3 of 4) down and Vexa whole, the fab gets 0*3/4 + 1*1/4 = 25% of its
    supply; against min_supply 90% that is 0.25 / 0.9 = 28% headroom, under fail_below 30%: it fails
    the step after Siltron does, and the cause names both sources and the weight that left it short."""
    result = drill(_fab(), [{"kind": "vendor_failure", "target": "siltron", "start": 3}], steps=8)
    cause = failure_cause(result, "fab", 4)
    assert cause.reason == "supply"
    assert cause.supply == 0.25 and cause.min_supply == 0.9
    [group] = cause.groups
    assert [(s.supplier, s.delivered, s.weight) for s in group.inputs] == [
        ("siltron", 0.0, 3.0),
        ("vexa", 1.0, 1.0),
    ]
    assert group.total_weight == 4 and group.level == 0.25
    assert cause.weakest == "siltron"
    words = "supply 25%: Siltron 0%, Vexa 100% at weight 1 of 4, below min_supply 90%"
    assert cause_text(cause, result.graph) == words
    assert f"t=4 fab failed ({words})" in [str(e) for e in result.events]


def test_a_failure_blames_the_input_that_fell_short_not_the_second_source_that_held():
    """The assistant needs half its supply (min_supply 50%). North and South share its compute (one
    each), and its context comes from the reranker, which only North feeds. North goes down at step 3;
    the reranker sends nothing from step 4, so at step 5 the assistant's context is 0% while compute
    is (0 + 1) / 2 = 50%, exactly min_supply: the context fell short and compute held."""
    G = graph(
        {
            "north": ("vendor", {"label": "North"}),
            "south": ("vendor", {"label": "South"}),
            "reranker": ("ai_service", {"label": "Reranker"}),
            "assistant": ("ai_service", {"label": "Assistant", "min_supply": 0.5}),
        },
        [
            ("north", "reranker"),
            ("north", "assistant", {"group": "compute"}),
            ("south", "assistant", {"group": "compute"}),
            ("reranker", "assistant", {"group": "context"}),
        ],
    )
    result = drill(G, [{"kind": "vendor_failure", "target": "north", "start": 3}], steps=8)
    failed = {e.node: e.t for e in result.events if e.kind == "failed"}
    assert failed == {"north": 3, "reranker": 4, "assistant": 5}
    cause = failure_cause(result, "assistant", 5)
    assert [(g.name, g.level) for g in cause.groups] == [("context", 0.0), ("compute", 0.5)]
    assert cause_text(cause, G) == (
        "supply 0%: Reranker 0%, below min_supply 50%; its compute input held at 50%, enough: "
        "North 0%, South 100% at weight 1 of 2"
    )


def test_a_node_under_its_own_shock_fails_for_that_shock():
    """A vendor taken down by its own outage is said to fail for that shock, not for its supply."""
    result = drill(_fab(), [{"kind": "vendor_failure", "target": "siltron", "start": 3}], steps=8)
    cause = failure_cause(result, "siltron", 3)
    assert (cause.reason, cause.shock, cause.groups) == ("shock", "vendor_failure", ())
    assert "t=3 Siltron failed (its own vendor failure)" in [str(e) for e in result.events]


def test_an_input_read_across_a_lead_time_is_the_output_that_left_the_supplier_then():
    """Goods on a two-step lead time left the supplier three steps before they are missed: the cause
    reads the supplier's output then, not the step before."""
    G = graph({"v": "vendor", "shop": "process"}, [("v", "shop", {"lead_time": 2})])
    result = drill(G, [{"kind": "vendor_failure", "target": "v", "start": 3, "duration": 1}], steps=10)
    failed = [e for e in result.events if e.kind == "failed" and e.node == "shop"]
    assert [e.t for e in failed] == [6]  # left v at step 3, arrives at 3 + 1 + 2
    cause = failure_cause(result, "shop", 6)
    assert cause.groups[0].inputs[0].delivered == 0.0
    assert failed[0].message == "shop failed (supply from v at 0%)"


def test_a_node_overloaded_past_its_own_capacity_says_so_with_that_capacity():
    """The capacity named is the node's own (2.0 here), not the default of 1.2."""
    G = graph({"feed": ("data_source", {"capacity": 2.0}), "desk": "process"}, [("feed", "desk")])
    spike = {"kind": "demand_spike", "target": "desk", "start": 3, "duration": 4, "multiplier": 8}
    result = drill(G, [spike], steps=12)
    t = next(e.t for e in result.events if e.kind == "failed" and e.node == "feed")
    cause = failure_cause(result, "feed", t)
    assert cause.reason == "overload" and cause.capacity == 2.0 and cause.load == 8.0
    assert cause_text(cause) == "demand of 8.00× baseline against a capacity of 2×"


def test_a_shocks_terse_words_are_made_in_text_and_nowhere_on_the_shock():
    """The event log's terse form of a shock comes from augur.text.shock_technical alone: the old
    Shock.describe that forwarded there is gone, so the scenario imports nothing from the words."""
    from augur.scenario import Shock
    from augur.text import shock_technical

    shock = Shock("vendor_failure", ("acme",), 3, 2, {"severity": 0.5})
    assert shock_technical(shock, "day") == "vendor_failure on acme (severity 50%)"
    assert not hasattr(shock, "describe")


def test_a_drill_writes_its_scenario_file_once_and_keeps_it_with_itself():
    """The pack's page, picture and hash read one text per drill: kept on the result, not in a
    memo keyed by object identity that a later drill at the same address could pick up."""
    from augur.provenance import scenario_text

    G = _fab()
    shocks = [{"kind": "vendor_failure", "target": "siltron", "start": 3}]
    first, second = drill(G, shocks, seed=1), drill(G, shocks, seed=2)
    assert scenario_text(first) is first.scenario_text is first.scenario_text
    assert "seed: 1" in first.scenario_text and "seed: 2" in second.scenario_text


def test_the_old_facts_module_still_answers_for_one_release_and_says_where_things_went():
    """augur.report.facts re-exports the moved names and warns on import."""
    import importlib
    import sys

    import pytest

    import augur.text.review

    sys.modules.pop("augur.report.facts", None)
    with pytest.warns(DeprecationWarning, match="augur.text.review"):
        facts = importlib.import_module("augur.report.facts")
    assert facts.findings is augur.text.review.findings
    result = drill(_fab(), [{"kind": "vendor_failure", "target": "siltron", "start": 3}], steps=8)
    assert facts.kpi_cards(result)[0] == {
        "key": "verdict",
        "label": "Verdict",
        "value": "CASCADE",
        "note": "so far: consequences still to come; no hypothesis",  # the outage outlasts the drill
        "tone": "bad",
    }


def test_a_second_failure_after_a_part_refill_says_the_stock_it_had_not_the_buffer():
    """b holds 4 days of stock behind a, which is down at days 2-7 and again from day 9. b's supply
    lags a day: it draws 1 a day at days 3-6 (stock 3, 2, 1, 0) and fails at day 7 with its buffer of
    4 used up; a's one good day (8) reaches b at day 9, which refills restock 0.5; at day 10 that 0.5
    covers half (degraded to 50%) and b fails again at day 11 having drawn 0.5, not 4."""
    result = drill(chain(buffer=4), [outage("a", 2, 6), outage("a", 9)], steps=14, step_unit="day")
    failed = [e for e in result.events if e.kind == "failed" and e.node == "b"]
    assert [(e.t, e.message) for e in failed] == [
        (7, "b failed (supply from a at 0%, buffer 4 used up)"),
        (11, "b failed (supply from a at 0%, stock 0.5 of buffer 4 used up)"),
    ]
    assert node_story_text(result, "b")[:2] == [
        "b failed at day 7: supply from a at 0%, its 4 days of stock spent.",
        "b failed at day 11: supply from a at 0%, its 0.5 days of stock spent (a part refill of its "
        "4-day buffer).",
    ]


def test_a_failure_after_the_stock_ran_out_says_the_buffer_was_used_up():
    """With two steps of stock the fab covers the 72% shortfall (1 - 0.25 / 0.9) at steps 4 and 5,
    has 0.56 left for step 6 (degraded to 83%) and fails at step 7: the cause adds that the buffer
    of 2 was used up, the other reason the second source did not save it."""
    result = drill(_fab(buffer=2), [{"kind": "vendor_failure", "target": "siltron", "start": 3}], steps=10)
    [failed] = [e for e in result.events if e.kind == "failed" and e.node == "fab"]
    assert failed.t == 7
    words = "supply 25%: Siltron 0%, Vexa 100% at weight 1 of 4, below min_supply 90%, buffer 2 used up"
    assert failed.message == f"fab failed ({words})"
