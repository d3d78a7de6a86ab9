"""Random-shock drills: what "random" means, drawn from one child seed per drill, and summarised."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from builders import chip_plant, graph
from scipy.stats import binomtest

from augur import load_scenario, parse_scenario, simulate
from augur.analysis.random_shocks import draw_drills, drill_rng, summarise
from augur.cli import main
from augur.errors import ScenarioError
from augur.scenario import RandomShocks, dump_scenario, parse_scenario_text
from augur.sweep import monte_carlo, run_drills

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def scenario(G, **random):
    data = {"name": "mc", "steps": 40, "seed": 11}
    if random:
        data["random"] = random
    return parse_scenario(data, graph=G, source="mc.yaml")


@pytest.mark.parametrize(
    ("section", "place", "expected"),
    [
        ({"kinds": {"vendor_failure": 1.5}}, "random.kinds.vendor_failure", "expected a number in [0, 1]"),
        ({"kinds": {"meteor": 0.5}}, "random.kinds.meteor", "unknown shock kind"),
        ({"shocks": [3, 1]}, "random.shocks", "expected lo <= hi"),
        ({"start": [1, 40]}, "random.start", "expected an integer in [1, 39]"),
        ({"severity": [0.2, 1.4]}, "random.severity", "expected a number in [0, 1]"),
        ({"targets": ["chipz"]}, "random.targets[0]", "did you mean 'chips'"),
        ({"runs": 0}, "random.runs", "expected a whole number of drills >= 1"),
        ({"kinds": {"rate_limit_cut": 1}}, "random.kinds", "no shock kind with a chance above 0"),
        ({"storms": 3}, "random.storms", "unknown field"),
    ],
)
def test_random_section_errors_name_their_place(section, place, expected):
    """Every bad setting of the random: section is refused with its place and what was expected."""
    with pytest.raises(ScenarioError) as err:
        scenario(chip_plant(), **section)
    assert err.value.place == place
    assert expected in str(err.value)
    assert "mc.yaml" in str(err.value)


def test_random_section_round_trips_through_the_scenario_file():
    """What a file's random: section says survives writing the scenario out and reading it back."""
    G = chip_plant()
    s = scenario(G, runs=50, shocks=2, kinds={"vendor_failure": 1}, severity=[0.5, 1], targets=["vendor"])
    again = parse_scenario_text(dump_scenario(s))
    assert again.random == s.random
    assert again.random.shocks == (2, 2) and again.random.runs == 50


def test_random_counts_are_reproduced_from_the_seed_drill_by_drill():
    """Drill i is drawn from child i of SeedSequence(seed): redrawing it by hand from that child gives
    the same shocks, and the verdict counts are the counts of those drills run one by one."""
    G = chip_plant()
    s = scenario(G, runs=30, shocks=1, kinds={"vendor_failure": 1}, severity=[1, 1], duration=[5, 5])
    mc = monte_carlo(G, s)
    assert mc.runs == 30 and mc.seed == 11
    vendors = [v for v in G.nodes]  # every node is a target: the section names none
    counts = {"graceful": 0, "degraded": 0, "cascade": 0}
    for i, row in enumerate(mc.drills):
        rng = np.random.default_rng(np.random.SeedSequence(11).spawn(30)[i])
        assert int(rng.integers(1, 2)) == 1  # one shock
        assert int(rng.choice(1, p=[1.0])) == 0  # the only kind with a chance
        target = vendors[int(rng.integers(len(vendors)))]
        start = int(rng.integers(1, 40 // 2 - 1 + 1))
        shock = row["shocks"][0]
        assert (shock["target"], shock["start"], shock["duration"]) == (target, start, 5)
        one = parse_scenario({"name": "one", "steps": 40, "shocks": row["shocks"]}, graph=G)
        counts[simulate(G, one).verdict] += 1
    assert mc.verdicts == counts


def test_a_drill_is_the_same_whatever_the_chunk_it_is_drawn_in():
    """draw_drills for one index equals the same index of a longer draw, and of another start."""
    G = chip_plant()
    spec = RandomShocks(shocks=(1, 3))
    whole = draw_drills(G, spec, 40, 5, range(12))
    assert draw_drills(G, spec, 40, 5, range(7, 12)) == whole[7:]
    assert draw_drills(G, spec, 40, 5, [3]) == whole[3:4]
    assert drill_rng(5, 3).random() == np.random.default_rng(np.random.SeedSequence(5).spawn(4)[3]).random()


def test_bands_are_identical_across_chunkings():
    """Drawn and run in chunks of 1, 5 or 7 drills (each chunk drawn on its own, as a worker would),
    the study's bands, counts and distributions are those of one chunk of all 24."""
    G = chip_plant()
    s = scenario(G, runs=24)
    plain = replace(s, shocks=())
    drills = draw_drills(G, s.random, s.steps, s.seed, range(24))
    whole = summarise(s, s.seed, drills, run_drills(G, plain, drills, series=True))
    for size in (1, 5, 7):
        chunks = [range(i, min(i + size, 24)) for i in range(0, 24, size)]
        drawn = [draw_drills(G, s.random, s.steps, s.seed, chunk) for chunk in chunks]
        metrics = [m for part in drawn for m in run_drills(G, plain, part, series=True)]
        parts = summarise(s, s.seed, [d for part in drawn for d in part], metrics)
        assert parts.service_level_bands == whole.service_level_bands
        assert parts.verdicts == whole.verdicts and parts.distributions == whole.distributions
        assert parts.worst == whole.worst and parts.median == whole.median


def test_intervals_are_scipys_wilson_intervals():
    """Each verdict's 95% interval is SciPy's Wilson interval for its count."""
    G = chip_plant()
    mc = monte_carlo(G, scenario(G, runs=40))
    for verdict, k in mc.verdicts.items():
        ci = binomtest(k, 40).proportion_ci(confidence_level=0.95, method="wilson")
        assert mc.intervals[verdict] == (ci.low, ci.high)
        assert ci.low <= k / 40 <= ci.high


def test_bands_hold_the_per_step_percentiles_of_the_drills():
    """p5 <= p50 <= p95 at every step; before any shock can start (step 0) every band is at 100%."""
    G = chip_plant()
    mc = monte_carlo(G, scenario(G, runs=40))
    p5, p50, p95 = (np.array(mc.service_level_bands[k]) for k in ("p5", "p50", "p95"))
    assert len(p5) == 40
    assert (p5 <= p50).all() and (p50 <= p95).all()
    assert p5[0] == p50[0] == p95[0] == 1.0
    loss = mc.distributions["resilience_loss"]
    assert loss["values"] == [row["resilience_loss"] for row in mc.drills]
    assert sum(loss["histogram"]["counts"]) == 40
    assert mc.distributions["peak_token_multiplier"] is None  # no AI service in the graph


def test_bands_are_the_percentiles_of_single_runs_of_the_same_drills():
    """Each band is exactly NumPy's 5th, 50th and 95th percentile, step by step, of the service levels
    of single augur.simulate runs of the study's own drills."""
    base = load_scenario(SCENARIOS / "retail-chip-outage.yaml")
    mc = monte_carlo(base.graph, base, runs=24, seed=3)
    levels = np.array([simulate(base.graph, mc.scenario(i)).service_level for i in range(mc.runs)])
    assert levels.shape == (24, base.steps)
    for key, q in (("p5", 5), ("p50", 50), ("p95", 95)):
        assert mc.service_level_bands[key] == np.percentile(levels, q, axis=0).tolist()


def test_runs_are_bounded(capsys):
    """More drills than a study may keep in memory are refused with one line, by the CLI and the API."""
    path = str(SCENARIOS / "retail-chip-outage.yaml")
    with pytest.raises(SystemExit) as exit_:
        main(["montecarlo", path, "--runs", "100000000"])
    assert exit_.value.code == 2
    assert "--runs: expected at most 1,000,000, got 100,000,000" in capsys.readouterr().err
    base = load_scenario(path)
    with pytest.raises(ScenarioError, match="expected 1 to 1,000,000 drills") as err:
        monte_carlo(base.graph, base, runs=1_000_001)
    assert err.value.place == "--runs"


def test_worst_and_median_drills_reproduce_with_augur_run(tmp_path, capsys):
    """The saved worst and median drills, run with `augur run --json`, give the study's verdict and loss."""
    path = tmp_path / "mc.yaml"
    G = chip_plant()
    base = scenario(G, runs=40)
    path.write_text(dump_scenario(base), encoding="utf-8")
    worst, median = tmp_path / "worst.yaml", tmp_path / "median.yaml"
    args = ["montecarlo", str(path), "--json", "--save-worst", str(worst), "--save-median", str(median)]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["runs"] == 40 and sum(out["verdicts"].values()) == 40
    for saved, row in ((worst, out["worst"]), (median, out["median"])):
        assert main(["run", str(saved), "--json"]) == 0
        run = json.loads(capsys.readouterr().out)
        assert run["verdict"] == row["verdict"]
        assert run["resilience_loss"] == row["resilience_loss"]
    losses = sorted(r for r in out["distributions"]["resilience_loss"]["values"])
    assert out["worst"]["resilience_loss"] == losses[-1]
    assert out["median"]["resilience_loss"] == losses[(40 - 1) // 2]


def test_the_saved_worst_and_median_drills_describe_themselves_not_the_drill_they_came_from(tmp_path, capsys):
    """The retail drill's description is of Acme Chips' three-week outage; its worst and median of 12
    random drills are other drills: each file says which drill of the study it is, its seed (7, the
    drill's) and how many shocks it drew, and nothing of the original story."""
    worst, median = tmp_path / "worst.yaml", tmp_path / "median.yaml"
    args = ["montecarlo", "scenarios/retail-chip-outage.yaml", "--runs", "12", "--json", "--quiet"]
    assert main([*args, "--save-worst", str(worst), "--save-median", str(median)]) == 0
    out = json.loads(capsys.readouterr().out)
    base = load_scenario("scenarios/retail-chip-outage.yaml")
    for which, path in (("worst", worst), ("median", median)):
        row, said = out[which], load_scenario(path).description
        shocks = f"{len(row['shocks'])} shock" + ("s" if len(row["shocks"]) != 1 else "")
        assert said == (
            f"The {which} of 12 random drills of “{base.name}” (seed 7), by resilience loss: random drill "
            f"#{row['drill']}, its {shocks} drawn at random in place of the drill’s own."
        )
        assert "Acme" not in said


def test_montecarlo_text_output_and_bundled_drill(capsys):
    """On a bundled drill the text names the verdict shares and the worst drill's shocks."""
    s = load_scenario("scenarios/retail-chip-outage.yaml")
    assert main(["montecarlo", "scenarios/retail-chip-outage.yaml", "--runs", "20"]) == 0
    text = capsys.readouterr().out
    assert text.startswith(f"{s.name}: random shocks")
    assert "20 random drills (seed 7)" in text and "worst drill #" in text


def test_the_headline_names_its_percentiles_apart_from_the_median_drill_in_the_drill_s_unit(tmp_path, capsys):
    """v -> d -> p, every random drill fails p alone at step 29 for 1 step (of 30): service is 0 there
    and whole elsewhere, so each drill loses exactly 1 hour. The headline says 'p50 1 hour, p95 1
    hour', where it said 'median 1, 95th percentile 1 hours', and names the 50th percentile p50, so
    the median drill a line below is the only median of the loss."""
    G = graph({"v": "vendor", "d": "logistics", "p": "process"}, [("v", "d"), ("d", "p")])
    random = {"kinds": {"vendor_failure": 1}, "targets": ["p"], "severity": [1, 1], "start": [29, 29],
              "duration": [1, 1], "shocks": [1, 1], "runs": 6}  # fmt: skip
    path = tmp_path / "r.yaml"
    data = {"name": "r", "steps": 30, "seed": 1, "step_unit": "hour", "random": random}
    path.write_text(dump_scenario(parse_scenario(data, graph=G)), encoding="utf-8")
    assert main(["montecarlo", str(path), "--quiet"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].endswith("resilience loss p50 1 hour, p95 1 hour")
    assert [line for line in lines if "median" in line] == [
        "  lowest service level: p5 band 0%, median band 0%",
        "  median drill #2: degraded, 1 hour of service lost",  # six tied: the lower middle, #2
    ]


def test_sweep_runs_still_reports_the_cascade_rate(tmp_path, capsys):
    """`augur sweep --runs N` keeps its Monte Carlo figures, now from the random-shock study."""
    path = tmp_path / "mc.yaml"
    path.write_text(dump_scenario(scenario(chip_plant())), encoding="utf-8")
    assert main(["sweep", str(path), "--runs", "10"]) == 0
    assert "10 random drills (seed 11)" in capsys.readouterr().out


@pytest.mark.parametrize("scheduler", ["local:2:threads", "local:2"])
def test_bands_are_the_same_on_one_worker_and_on_two(scheduler):
    """On a Dask LocalCluster of two workers (threads, then processes) the study's every figure equals
    the one run here: one child seed per drill, whatever worker draws its chunk."""
    pytest.importorskip("distributed")
    G = chip_plant()
    s = scenario(G, runs=16)
    here = monte_carlo(G, s)
    there = monte_carlo(G, s, scheduler=scheduler)
    assert there.service_level_bands == here.service_level_bands
    assert there.verdicts == here.verdicts and there.drills == here.drills


def test_a_shorter_horizon_than_the_random_starts_is_refused_with_the_place():
    """--steps below the random: section's latest start names random.start, not a traceback."""
    G = chip_plant()
    s = scenario(G, start=[5, 30])
    with pytest.raises(ScenarioError) as err:
        s.with_overrides(steps=20)
    assert err.value.place == "random.start" and "after the horizon of 20 steps" in str(err.value)


def test_a_study_too_large_to_keep_is_refused_saying_what_fits(capsys):
    """Each drill keeps its service level at every step three times over (24 bytes a step) and about
    8 kB of figures until the bands are drawn. 1,000 drills over 100,000 steps: 1,000 x (8,000 +
    24 x 100,000) = 2.4 GB, over the 1 GB limit. At 100,000 steps 1e9 // 2,408,000 = 415 drills
    fit; at 1,000 drills (1e9 / 1,000 - 8,000) // 24 = 41,333 steps. Refused before any drill runs,
    by the API and by the CLI with status 2; 415 drills over 100,000 steps are within it."""
    from augur.engine.budget import check_study_size

    path = str(SCENARIOS / "retail-chip-outage.yaml")
    base = load_scenario(path).with_overrides(steps=100_000)
    with pytest.raises(ScenarioError) as err:
        monte_carlo(base.graph, base, runs=1_000)
    assert err.value.place == "--runs"
    assert err.value.message == (
        "1,000 random drills over 100,000 steps keep about 2.4 GB of service levels and figures; the limit "
        "is 1 GB: use at most 415 runs (--runs), or at most 41,333 steps (--steps)"
    )
    check_study_size(415, base.graph.number_of_nodes(), 100_000)
    with pytest.raises(ScenarioError):
        check_study_size(416, base.graph.number_of_nodes(), 100_000)
    assert main(["montecarlo", path, "--runs", "1000", "--steps", "100000", "--quiet"]) == 2
    assert "use at most 415 runs (--runs), or at most 41,333 steps (--steps)" in capsys.readouterr().err


def test_a_study_of_a_graph_too_large_for_one_drill_is_refused_as_augur_run_refuses_it():
    """The worst and median drills re-run whole: 200 nodes x 100,000 steps x 90 bytes = 1.8 GB for
    one drill, over 1 GB, is refused with the most steps that fit (1e9 // (90 x 200) = 55,555)."""
    from augur.engine.budget import check_study_size

    with pytest.raises(ScenarioError, match="use at most 55,555 steps") as err:
        check_study_size(10, 200, 100_000)
    assert err.value.place == "steps"


def test_montecarlo_takes_a_horizon_shorter_than_the_drills_own_shocks_it_replaces(capsys):
    """The bundled chip outage's one shock starts at day 10. Its random drills replace that shock,
    so --steps 8 runs them (the random starts default to 1..8 // 2 - 1 = 3, inside 8 steps), where
    it was refused for a shock that never runs; augur run, which runs it, still refuses 8 steps,
    naming the shock and the horizon that would fit (11)."""
    path = str(SCENARIOS / "retail-chip-outage.yaml")
    assert main(["montecarlo", path, "--steps", "8", "--runs", "5", "--quiet", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["runs"] == 5 and len(out["service_level_bands"]["p50"]) == 8
    assert main(["run", path, "--steps", "8"]) == 2
    assert (
        "shocks[0].start: the vendor_failure on acme-chips starts at step 10, after the horizon of 8 steps: "
        "expected a horizon of 11 steps or more" in capsys.readouterr().err
    )


def test_a_random_drill_lists_its_shocks_in_the_order_they_start():
    """Shocks are drawn in any order (a drill of the AI platform listed its hour-10 demand spike
    before its hour-2 outage); each drill's row, which its card, `augur montecarlo`, the pack and the
    saved file list from, has the drawn shocks in the order they start, and some drill here was drawn
    out of order, so the order is the row's doing."""
    G = chip_plant()
    base = scenario(G, runs=40, shocks=[2, 3])
    mc = monte_carlo(G, base)
    drawn = draw_drills(G, base.random, base.steps, base.seed, range(40))
    assert any([s.start for s in d.shocks] != sorted(s.start for s in d.shocks) for d in drawn)
    for row, d in zip(mc.drills, drawn):
        starts = [s["start"] for s in row["shocks"]]
        assert starts == sorted(starts)
        key = lambda s: json.dumps(s, sort_keys=True)  # noqa: E731
        assert sorted(map(key, row["shocks"])) == sorted(key(s.to_dict()) for s in d.shocks)
    saved = mc.scenario("worst")
    assert [s.start for s in saved.shocks] == sorted(s.start for s in saved.shocks)
