"""Tipping points: a lever against a shock's strength, with boundaries counted by hand."""

from __future__ import annotations

import json

import pytest
from builders import graph, two_substitutes

from augur import parse_scenario
from augur.cli import main
from augur.errors import ScenarioError
from augur.scenario import dump_scenario
from augur.sweep import tipping


def chain(buffer: float = 0.0):
    """a -> b -> shop, a down from step 2 (the duration is the grid's); ``buffer`` steps of stock at b."""
    b = ("vendor", {"buffer": buffer}) if buffer else "vendor"
    G = graph({"a": "vendor", "b": b, "shop": "process"}, [("a", "b"), ("b", "shop")])
    s = parse_scenario(
        {"name": "chain", "steps": 40, "shocks": [
            {"kind": "vendor_failure", "target": "a", "start": 2, "duration": 3}]},
        graph=G,
    )  # fmt: skip
    return G, s


def test_buffer_against_outage_duration_tips_where_the_hand_count_says():
    """With a down for D steps, b's supply is 0 for D steps (one step later), and each step of stock
    covers one: the least buffer on every vendor that keeps the chain graceful is exactly D (stock at
    a itself covers nothing of a's own outage). Below it, b runs dry and the chain cascades."""
    G, s = chain()
    grid = tipping(G, s, vary=("buffer", 0, 12), against=("duration", 1, 10))
    assert grid.nodes == ["a", "b"]
    assert [(b["shock_value"], b["lever_value"]) for b in grid.boundary] == [(d, d) for d in range(1, 11)]
    for cell in grid.cells:
        expected = "graceful" if cell["lever_value"] >= cell["shock_value"] else "cascade"
        assert cell["verdict"] == expected, cell
    # stock only at a: nothing holds
    only_a = tipping(G, s, vary=("buffer", 0, 12), against=("duration", 1, 3), nodes=["a"])
    assert [b["lever_value"] for b in only_a.boundary] == [None, None, None]


def test_the_least_between_two_grid_values_is_narrowed_to_the_exact_step():
    """The chain above needs exactly D steps of stock for an outage of D. On a grid of every third
    step (0, 3, 6, 9, 12) the grid's least is D rounded up to a multiple of 3; the boundary bisects
    the gap below it by re-runs and gives D itself, with D - 1 re-run and failing: durations 1, 3, 6,
    8, 10 take 1, 3, 6, 8, 10 steps (grid 3, 3, 6, 9, 12)."""
    G, s = chain()
    grid = tipping(G, s, vary=("buffer", 0, 12), against=("duration", 1, 10), steps_of=5)
    assert grid.lever_values == [0, 3, 6, 9, 12] and grid.shock_values == [1, 3, 6, 8, 10]
    assert [(b["lever_value"], b["grid_value"], b["short"]) for b in grid.boundary] == [
        (1, 3, 0),
        (3, 3, 2),
        (6, 6, 5),
        (8, 9, 7),
        (10, 12, 9),
    ]
    assert tipping(G, s, vary=("buffer", 0, 12), against=("duration", 8, 8)).boundary[0]["lever_value"] == 8


def test_headroom_against_severity_tips_at_the_surviving_share():
    """shop takes 3 parts in 4 from x and 1 from y (substitutes); y (capacity 1.0, so it delivers
    1 - s) at severity s leaves supply 1 - s/4: 1, 0.875 for s = 0, 0.5; at s = 1 y is down and
    supply is 0.75. shop runs at supply / min_supply (capped at 1) and holds the SLO of 99% while that
    is at least 0.99: min_supply <= 1, 0.875 / 0.99 = 0.8838 and 0.75 / 0.99 = 0.7576. On the grid
    0.5, 0.55, ... 1.0 the largest (least changed) value that holds is 1.0, 0.85 and 0.75; narrowed to
    the lever's unit of 0.01 it is 1.0, 0.88 (0.89 fails, re-run) and 0.75 (0.76 fails)."""
    G, s = two_substitutes(capacity=1.0)
    grid = tipping(G, s, vary=("min_supply", 0.5, 1.0), against=("severity", 0, 1), steps_of=11,
                   nodes=["shop"])  # fmt: skip
    by = {b["shock_value"]: (b["lever_value"], b["grid_value"], b["short"]) for b in grid.boundary}
    assert (by[0.0], by[0.5], by[1.0]) == ((1.0, 1.0, None), (0.88, 0.85, 0.89), (0.75, 0.75, 0.76))


@pytest.mark.parametrize(
    ("vary", "against", "message"),
    [
        (("bufer", 0, 3), ("duration", 1, 3), "unknown lever 'bufer'"),
        (("buffer", 0, 3), ("durration", 1, 3), "unknown shock field 'durration'"),
        (("buffer", 0, 3), ("multiplier", 1, 3), "no shock of this scenario has it"),
        (("buffer", 3, 0), ("duration", 1, 3), "expected LO <= HI"),
        (("buffer", -2, 3), ("duration", 1, 3), "--vary buffer"),
        (("buffer", 0, 3), ("severity", 0, 2), "outside [0, 1]"),
        (("buffer", 0, 3), ("start", 1, 80), "expected steps from 1 to 39"),
    ],
)
def test_bad_lever_or_field_names_what_was_expected(vary, against, message):
    """Unknown or out-of-range levers and shock fields are refused with a clear message."""
    G, s = chain()
    with pytest.raises(ScenarioError) as err:
        tipping(G, s, vary=vary, against=against)
    assert message in str(err.value)


def test_tipping_cli_json_and_text(tmp_path, capsys):
    """`augur tipping --json` gives the grid and the boundary; the text draws the grid."""
    _, s = chain()
    path = tmp_path / "chain.yaml"
    path.write_text(dump_scenario(s), encoding="utf-8")
    args = ["tipping", str(path), "--vary", "buffer=0:6", "--against", "duration=1:4"]
    assert main([*args, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["lever"] == "buffer" and out["shock_field"] == "duration"
    assert len(out["cells"]) == 7 * 4
    assert [b["lever_value"] for b in out["boundary"]] == [1, 2, 3, 4]
    assert main([*args, "--nodes", "b"]) == 0
    text = capsys.readouterr().out
    assert "buffer set to each value (not added to what a node has) at b, against" in text
    assert "duration 3: 3 hours of stock at b\n" in text
    with pytest.raises(SystemExit) as done:  # argparse refuses the form itself
        main(["tipping", str(path), "--vary", "buffer=0-6", "--against", "duration=1:4"])
    assert done.value.code == 2
    assert "expected NAME=LO:HI" in capsys.readouterr().err
    assert main([*args[:-1], "sevverity=0:1"]) == 2
    assert "unknown shock field" in capsys.readouterr().err


def test_tipping_text_folds_a_run_of_shock_values_nothing_holds(tmp_path, capsys):
    """Stock at a alone covers nothing of a's own outage (test above): no duration of 1 to 6 holds on
    the grid. The text lists the first three and folds the other three into one line."""
    _, s = chain()
    path = tmp_path / "chain.yaml"
    path.write_text(dump_scenario(s), encoding="utf-8")
    assert (
        main(["tipping", str(path), "--vary", "buffer=0:6", "--against", "duration=1:6", "--nodes", "a"]) == 0
    )
    lines = capsys.readouterr().out.splitlines()
    least = lines.index("  least buffer that makes it GRACEFUL:")
    assert lines[least + 1 :] == [
        "    duration 1: none on this grid",
        "    duration 2: none on this grid",
        "    duration 3: none on this grid",
        "    ... 3 more values, to duration 6: none on this grid either",
    ]


def test_tipping_to_the_drills_hypothesis_names_it_and_needs_one(tmp_path, capsys):
    """A goal of the hypothesis: on the chain stating degraded, the grid holds DEGRADED or better and
    says so; b is short D steps either way, and D - 1 steps of stock leave it a step bare, so it
    fails beyond a's outage (a cascade): the least is D, as for graceful. Without a hypothesis the
    command refuses the goal with exit 2, at --goal."""
    _, s = chain()
    path = tmp_path / "chain.yaml"
    path.write_text(
        dump_scenario(s).replace("steps: 40", "steps: 40\nhypothesis: degraded"), encoding="utf-8"
    )
    args = ["tipping", str(path), "--vary", "buffer=0:6", "--against", "duration=1:4", "--goal", "hypothesis"]
    assert main([*args, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["goal"], out["hypothesis"]) == ("degraded", True)
    assert [b["lever_value"] for b in out["boundary"]] == [1, 2, 3, 4]
    assert main(args) == 0
    assert (
        "  least buffer that makes it meet its hypothesis (DEGRADED or better):\n" in capsys.readouterr().out
    )
    path.write_text(dump_scenario(s), encoding="utf-8")
    assert main(args) == 2
    assert "--goal: the scenario states no hypothesis to meet" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("vary", "against", "place", "message"),
    [
        (
            ("buffer", 0, float("inf")),
            ("duration", 1, 5),
            "--vary",
            "expected finite numbers LO:HI, got 0:inf",
        ),
        (("buffer", 0, float("nan")), ("duration", 1, 5), "--vary", "got 0:nan"),
        (("buffer", 0, 3), ("duration", 1, float("inf")), "--against", "got 1:inf"),
        (("buffer", float("inf"), float("inf")), ("duration", 1, 5), "--vary", "got inf:inf"),
        (("buffer", 0.2, 0.8), ("duration", 1, 5), "--vary", "0.2:0.8 holds no whole number"),
        # whole-number axes took 0.5:3 as 1, 2, 3, and 0 was never tried
        (
            ("recovery", 0.5, 3),
            ("duration", 1, 5),
            "--vary",
            "0.5:3 does not end on whole numbers, and "
            "this axis takes whole numbers only: expected whole ends such as 1:3",
        ),
        (("buffer", 0, 3), ("start", 2, 4.5), "--against", "2:4.5 does not end on whole numbers"),
    ],
)
def test_an_axis_with_no_value_or_no_finite_end_is_refused(vary, against, place, message):
    """An end that is not a finite number, or a whole-number axis with no whole number in its range,
    is refused by the Python API at the flag that gave it."""
    G, s = chain()
    with pytest.raises(ScenarioError) as err:
        tipping(G, s, vary=vary, against=against)
    assert err.value.place == place and message in err.value.message


def test_a_repeated_axis_value_is_one_column():
    """LO equal to HI on a fractional axis is one value, not eleven copies of it."""
    G = graph({"a": "vendor", "shop": "process"}, [("a", "shop")])
    s = parse_scenario(
        {"name": "sev", "steps": 20, "shocks": [
            {"kind": "vendor_failure", "target": "a", "start": 2, "duration": 3, "severity": 0.5}]},
        graph=G,
    )  # fmt: skip
    grid = tipping(G, s, vary=("buffer", 0, 3), against=("severity", 0.5, 0.5))
    assert grid.shock_values == [0.5] and len(grid.cells) == 4


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--vary", "buffer=0:inf", "--against", "duration=1:5"], "--vary: expected finite numbers"),
        (["--vary", "buffer=0:nan", "--against", "duration=1:5"], "--vary: expected finite numbers"),
        (["--vary", "buffer=0:5", "--against", "duration=1:inf"], "--against: expected finite numbers"),
        (["--vary", "buffer=1e400:1e400", "--against", "duration=1:5"], "--vary: expected finite numbers"),
        (["--vary", "buffer=0.2:0.8", "--against", "duration=1:5"], "holds no whole number"),
        (["--vary", "recovery=0.5:3", "--against", "duration=1:5"], "--vary: 0.5:3 does not end on whole"),
        # --nodes '' meant every vendor, where --nodes , was refused
        (
            ["--vary", "buffer=0:3", "--against", "duration=1:5", "--nodes", ""],
            "--nodes: expected at least one node id, label or kind to set buffer on",
        ),
    ],
)
def test_tipping_cli_refuses_a_bad_axis_in_one_line(tmp_path, capsys, flags, message):
    _, s = chain()
    path = tmp_path / "chain.yaml"
    path.write_text(dump_scenario(s), encoding="utf-8")
    assert main(["tipping", str(path), *flags]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_steps_of_is_bounded(tmp_path, capsys):
    _, s = chain()
    path = tmp_path / "chain.yaml"
    path.write_text(dump_scenario(s), encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        main(
            ["tipping", str(path), "--vary", "buffer=0:3", "--against", "duration=1:4", "--steps-of", "5000"]
        )
    assert done.value.code == 2
    assert "--steps-of: expected at most 1,000, got 5,000" in capsys.readouterr().err
    G, s = chain()
    with pytest.raises(ScenarioError) as err:
        tipping(G, s, vary=("buffer", 0, 3), against=("duration", 1, 4), steps_of=5000)
    assert err.value.place == "--steps-of"


def test_tipping_nodes_take_ids_labels_and_kinds_and_a_near_miss_is_named():
    """--nodes reads 'Packaging Y' as the node labelled so (y), 'vendor' as every vendor (x, y) and
    'x' as x; 'packaging' is a word of y's label, so its refusal names y."""
    from augur.analysis.tipping import lever_nodes

    G = graph(
        {"x": "vendor", "y": ("vendor", {"label": "Packaging Y"}), "shop": "process"},
        [("x", "shop"), ("y", "shop")],
    )
    assert lever_nodes(G, "buffer", ["packaging y"]) == ["y"]
    assert lever_nodes(G, "buffer", ["vendor"]) == ["x", "y"]
    assert lever_nodes(G, "buffer", ["x", "shop"]) == ["x", "shop"]
    with pytest.raises(
        ScenarioError, match=r"unknown node or kind 'packaging' \(did you mean 'y', Packaging Y\?\)"
    ):
        lever_nodes(G, "buffer", ["packaging"])


@pytest.mark.parametrize(
    ("vary", "against", "message"),
    [
        # 0.5:1.5 over 11 values is 0.5, 0.6, ..., 1.5: the first past 1 on the grid is 1.1, which the
        # user never wrote; the refusal quotes the end they gave
        (("buffer", 0, 3), ("severity", 0.5, 1.5), "--against severity: 1.5 is outside [0, 1]"),
        (("buffer", 0, 3), ("severity", -0.3, 1), "--against severity: -0.3 is outside [0, 1]"),
        # 1:1.5e6 over 21 values passes 1e6 first at 1,050,000.95; the end given is 1,500,000
        (("capacity", 1, 1.5e6), ("duration", 1, 3), "got 1500000.0"),
    ],
)
def test_an_axis_out_of_range_is_refused_quoting_the_end_given_not_a_grid_value(vary, against, message):
    G, s = chain()
    with pytest.raises(ScenarioError) as err:
        tipping(G, s, vary=vary, against=against)
    assert message in str(err.value)


def test_a_multiplier_axis_from_zero_says_the_range_is_open_at_zero():
    """A demand spike's multiplier is in (0, 1,000,000]: 0 is outside, and the range says so."""
    G = graph({"a": "vendor", "shop": "process"}, [("a", "shop")])
    s = parse_scenario(
        {"name": "spike", "steps": 20, "shocks": [{"kind": "demand_spike", "target": "shop", "start": 2}]},
        graph=G,
    )
    with pytest.raises(ScenarioError, match=r"--against multiplier: 0 is outside \(0, 1,000,000\]"):
        tipping(G, s, vary=("buffer", 0, 3), against=("multiplier", 0, 3))


def test_a_grid_of_starts_on_shocks_that_start_apart_is_refused(tmp_path, capsys):
    """A grid of starts sets every shock's start to each value: shocks at steps 2 and 9 would strike
    together at every cell, a drill the file never described, so it is refused saying so; shocks
    that start together (both at 2) move together, as the drill means, and the grid runs."""
    G = graph({"a": "vendor", "b": "vendor", "shop": "process"}, [("a", "b"), ("b", "shop")])
    apart = parse_scenario(
        {"name": "apart", "steps": 40, "shocks": [
            {"kind": "vendor_failure", "target": "a", "start": 2, "duration": 3},
            {"kind": "vendor_failure", "target": "b", "start": 9, "duration": 3}]},
        graph=G,
    )  # fmt: skip
    with pytest.raises(ScenarioError) as err:
        tipping(G, apart, vary=("buffer", 0, 3), against=("start", 2, 6))
    assert err.value.message.startswith(
        "--against start: a grid of starts moves every shock to each start, and this drill's 2 shocks "
        "start at steps 2 and 9: they would strike together"
    )
    together = parse_scenario(
        {"name": "together", "steps": 40, "shocks": [
            {"kind": "vendor_failure", "target": "a", "start": 2, "duration": 3},
            {"kind": "vendor_failure", "target": "b", "start": 2, "duration": 3}]},
        graph=G,
    )  # fmt: skip
    assert tipping(G, together, vary=("buffer", 0, 3), against=("start", 2, 6)).shock_values == [
        2,
        3,
        4,
        5,
        6,
    ]
    path = tmp_path / "apart.yaml"
    path.write_text(dump_scenario(apart), encoding="utf-8")
    assert main(["tipping", str(path), "--vary", "buffer=0:3", "--against", "start=2:6", "--quiet"]) == 2
    assert "they would strike together" in capsys.readouterr().err


def test_a_grid_whose_lowest_value_holds_is_searched_below_it_to_the_exact_least(tmp_path, capsys):
    """The chain needs exactly D steps of stock at b for an outage of D. On a grid of 5 to 10 every
    value holds for D = 2, 3, 4: the least is not the grid's 5 but D itself, found below the grid and
    re-run, with D - 1 failing."""
    G, s = chain()
    grid = tipping(G, s, vary=("buffer", 5, 10), against=("duration", 2, 4), nodes=["b"])
    assert [(b["lever_value"], b["grid_value"], b["short"], b["at_bound"]) for b in grid.boundary] == [
        (2, 5, 1, False),
        (3, 5, 2, False),
        (4, 5, 3, False),
    ]
    path = tmp_path / "chain.yaml"
    path.write_text(dump_scenario(s), encoding="utf-8")
    assert (
        main(["tipping", str(path), "--vary", "buffer=5:10", "--against", "duration=2:4", "--nodes", "b"])
        == 0
    )
    text = capsys.readouterr().out
    assert "duration 2: 2 hours of stock at b\n" in text and "duration 4: 4 hours of stock at b\n" in text


def test_a_lever_where_less_helps_is_searched_past_the_grid_to_the_horizon():
    """a down from step 2 for D steps and then recovering r more: b gets nothing for D + r steps and
    its 30 steps of stock cover 30 of them, so the most recovery at a that stays graceful is 30 - D
    (28, 27, 26 for D = 2, 3, 4; one more runs b dry at its 31st step, step 33 of 40). Every value of
    the grid 0 to 4 holds: the least mitigation is not the grid's 4 but 30 - D, searched up to the
    horizon."""
    G, s = chain(30)
    grid = tipping(G, s, vary=("recovery", 0, 4), against=("duration", 2, 4), nodes=["a"])
    assert [(b["lever_value"], b["grid_value"], b["short"], b["at_bound"]) for b in grid.boundary] == [
        (28, 4, 29, False),
        (27, 4, 28, False),
        (26, 4, 27, False),
    ]


def test_where_every_value_of_the_lever_holds_the_least_says_so(tmp_path, capsys):
    """With 40 steps of stock at b, a recovery as long as the drill (a down from 2 to the end, b short
    37 steps from 3 to 39) still holds: every recovery does, and the text says so rather than name the
    grid's 4 or the horizon's 40 as the least."""
    G, s = chain(40)
    grid = tipping(G, s, vary=("recovery", 0, 4), against=("duration", 2, 4), nodes=["a"])
    assert [(b["lever_value"], b["short"], b["at_bound"]) for b in grid.boundary] == [(40, None, True)] * 3
    path = tmp_path / "chain.yaml"
    path.write_text(dump_scenario(s), encoding="utf-8")
    assert (
        main(["tipping", str(path), "--vary", "recovery=0:4", "--against", "duration=2:4", "--nodes", "a"])
        == 0
    )
    text = capsys.readouterr().out
    assert "duration 2: any recovery at a: it holds even with a back only after the end of the drill" in text
    assert "a back 4 hours" not in text and "a back 40 hours" not in text
