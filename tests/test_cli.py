"""The `augur` command: run, validate, check, convert; bad input exits 2 with one clear line."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from builders import graph

from augur import graphs_equal, load_graph, load_scenario, simulate, write_graph
from augur.cli import main

ROOT = Path(__file__).resolve().parents[1]

CONTRACT_KEYS = {
    "scenario", "seed", "steps", "verdict", "primary", "secondary_failures", "cascade_depth",
    "service_level_min", "time_to_survive", "time_to_recover", "resilience_loss",
    "peak_token_multiplier", "token_overrun", "token_overrun_cost", "ci_widening_peak", "hypothesis_held",
}  # fmt: skip

G = graph(
    {
        "chips": "vendor",
        "port": ("logistics", {"buffer": 2}),
        "feed": "data_source",
        "llm": ("ai_service", {"token_limit": 3000, "price_per_1k_tokens": 0.01}),
        "shop": "process",
    },
    [("chips", "port"), ("port", "shop"), ("feed", "llm"), ("llm", "shop", {"group": "ai"})],
)


@pytest.fixture
def drill_file(tmp_path):
    write_graph(G, tmp_path / "shop.json")
    path = tmp_path / "outage.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "name": "Chip outage",
                "description": "The chip vendor goes dark for a day.",
                "graph": "shop.json",
                "steps": 40,
                "seed": 5,
                "slo": 0.9,
                "hypothesis": "cascade",
                "shocks": [{"kind": "vendor_failure", "target": "chips", "start": 4, "duration": 10}],
            }
        )
    )
    return path


def test_run_json_prints_every_contract_key(drill_file, capsys):
    """`augur run --json` prints one JSON object with the keys docs/model.md promises ("Drill results"),
    each figure the drill's own to 12 significant digits."""
    assert main(["run", str(drill_file), "--json"]) == 0
    metrics = json.loads(capsys.readouterr().out)
    assert set(metrics) >= CONTRACT_KEYS
    scenario = load_scenario(drill_file)
    computed = json.loads(json.dumps(simulate(scenario.graph, scenario).metrics))
    assert metrics.keys() == computed.keys()
    for key, value in computed.items():
        if isinstance(value, float):
            assert metrics[key] == pytest.approx(value, rel=1e-12, abs=0), key
        else:
            assert metrics[key] == value, key


@pytest.fixture
def noisy_drill(tmp_path):
    """A shop of capacity 1 that loses 70% of it from step 2 for 8 steps of 20: it serves 1 x 0.3 =
    0.3 of its demand for 8 steps, so its loss is 8 x 0.7 = 5.6 steps; in floats the minimum is
    0.30000000000000004 (1 - 0.7)."""
    write_graph(graph({"shop": ("process", {"capacity": 1.0})}), tmp_path / "shop.json")
    path = tmp_path / "cut.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "name": "Capacity cut",
                "graph": "shop.json",
                "steps": 20,
                "shocks": [
                    {"kind": "vendor_failure", "target": "shop", "start": 2, "duration": 8, "severity": 0.7}
                ],
            }
        )
    )
    return path


def _floats(value):
    if isinstance(value, float):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _floats(item)
    elif isinstance(value, list):
        for item in value:
            yield from _floats(item)


def test_run_json_gives_figures_to_12_significant_digits_and_the_drill_keeps_its_own(noisy_drill, capsys):
    """`augur run --json` prints the service level minimum 0.3 and the loss 5.6, counted by hand in the
    fixture, where the float arithmetic made 0.30000000000000004; the drill's own figures stay as
    computed (rounding is the printout's, not the model's)."""
    assert main(["run", str(noisy_drill), "--json"]) == 0
    printed = capsys.readouterr().out
    metrics = json.loads(printed)
    assert (metrics["service_level_min"], metrics["resilience_loss"]) == (0.3, 5.6)
    assert '"service_level_min": 0.3,' in printed
    scenario = load_scenario(noisy_drill)
    computed = simulate(scenario.graph, scenario).metrics
    assert computed["service_level_min"] == 1 - 0.7 != 0.3  # the noise the printout rounds away


@pytest.mark.parametrize(
    "command",
    [
        ["run"],
        ["sweep"],
        ["montecarlo", "--runs", "12"],
        ["tipping", "--vary", "capacity=1:2", "--against", "severity=0.1:0.9", "--nodes", "shop"],
        ["mitigate"],
    ],
    ids=lambda c: c[0],
)
def test_every_json_command_gives_its_figures_to_12_significant_digits(noisy_drill, capsys, command):
    """The same rounding in each --json command: every float printed is its own 12-digit form, and
    the drill's noisy 0.30000000000000004 is printed nowhere."""
    assert main([command[0], str(noisy_drill), *command[1:], "--json"]) == 0
    printed = capsys.readouterr().out
    figures = list(_floats(json.loads(printed)))
    assert figures and all(float(f"{x:.12g}") == x for x in figures)
    assert "0.30000000000000004" not in printed


def test_run_prints_a_readable_summary_and_the_story(drill_file, capsys):
    """Plain `augur run` prints the verdict, the headline figures and the event log."""
    assert main(["run", str(drill_file)]) == 0
    out = capsys.readouterr().out
    assert "verdict             CASCADE  (hypothesis cascade: held)" in out
    assert "t=4 shock, hour 4 to hour 13 (10 hours): chips goes down completely" in out
    assert "time to recover" in out


def test_seed_and_steps_overrides_are_recorded(drill_file, capsys):
    """--seed and --steps change the drill and show in its metrics."""
    assert main(["run", str(drill_file), "--json", "--seed", "9", "--steps", "20"]) == 0
    metrics = json.loads(capsys.readouterr().out)
    assert (metrics["seed"], metrics["steps"]) == (9, 20)


def test_run_out_writes_a_reproducible_record(drill_file, tmp_path, capsys):
    """--out writes the time series, metrics, events and a scenario that re-runs to the same result."""
    out = tmp_path / "record"
    assert main(["run", str(drill_file), "--out", str(out)]) == 0
    capsys.readouterr()
    import pandas as pd

    series = pd.read_csv(out / "timeseries.csv")
    assert set(series.node) == set(G.nodes) and series.t.max() == 39
    events = pd.read_csv(out / "events.csv")
    assert events.message.iloc[0].startswith("shock, hour 4 to hour 13 (10 hours): chips goes down")
    assert main(["run", str(out / "scenario.yaml"), "--json"]) == 0
    rerun = json.loads(capsys.readouterr().out)
    assert rerun == json.loads((out / "metrics.json").read_text())


def test_check_exits_1_when_a_hypothesis_fails(drill_file, tmp_path, capsys):
    """`augur check` is a CI gate: 0 when every drill holds its hypothesis, 1 when one does not."""
    assert main(["check", str(drill_file)]) == 0
    wrong = tmp_path / "wrong.yaml"
    data = yaml.safe_load(drill_file.read_text())
    wrong.write_text(yaml.safe_dump({**data, "hypothesis": "graceful"}))
    assert main(["check", str(drill_file), str(wrong)]) == 1
    out = capsys.readouterr()
    assert "FAIL" in out.out and "1 of 2 drills" in out.err


def test_validate_accepts_graphs_and_scenarios(drill_file, capsys):
    """`augur validate` reports the size of a graph and the shocks of a scenario."""
    assert main(["validate", str(drill_file.parent / "shop.json"), str(drill_file)]) == 0
    out = capsys.readouterr().out
    assert "5 nodes, 4 edges" in out and "scenario 'Chip outage' with 1 shock\n" in out


def test_bad_graph_exits_2_naming_file_and_place(tmp_path, capsys):
    """A graph with an unknown kind exits 2 with the file, the place and the allowed kinds."""
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"nodes": [{"id": "a", "kind": "vendor"}, {"id": "b", "kind": "robot"}]}))
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"augur: error: {bad}: nodes[1]")
    assert "robot" in err and "vendor, logistics, data_source, ai_service, process" in err
    assert "Traceback" not in err


def test_bad_scenario_exits_2_naming_the_shock(drill_file, tmp_path, capsys):
    """A scenario with an unknown target exits 2 naming shocks[0].target."""
    data = yaml.safe_load(drill_file.read_text())
    data["shocks"][0]["target"] = "chipz"
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({**data, "graph": str(drill_file.parent / "shop.json")}))
    assert main(["run", str(bad)]) == 2
    assert "shocks[0].target: unknown node 'chipz' (did you mean 'chips'?)" in capsys.readouterr().err


def test_missing_file_exits_2(tmp_path, capsys):
    """A file that does not exist is a clear error, not a traceback."""
    assert main(["run", str(tmp_path / "nope.yaml")]) == 2
    assert "nope.yaml: file not found" in capsys.readouterr().err


@pytest.mark.parametrize("suffix", [".graphml", ".yaml", ".csv", ".xlsx"])
def test_convert_round_trips_through_every_writable_format(drill_file, tmp_path, suffix, capsys):
    """`augur convert` writes a graph that loads back equal to the original."""
    target = tmp_path / f"converted{suffix}"
    assert main(["convert", str(drill_file.parent / "shop.json"), str(target)]) == 0
    assert graphs_equal(load_graph(target), G)


@pytest.mark.skipif(shutil.which("augur") is None, reason="the console script is installed by pip")
def test_console_script_runs_a_drill(drill_file):
    """The installed `augur` command runs a drill and exits 0."""
    done = subprocess.run(["augur", "run", str(drill_file), "--json"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["verdict"] == "cascade"


def test_module_entry_point_reports_bad_input_with_status_2(tmp_path):
    """`python -m augur.cli` exits 2 on bad input and prints no traceback."""
    done = subprocess.run(
        [sys.executable, "-m", "augur.cli", "validate", str(tmp_path / "missing.csv")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "missing.csv" in done.stderr


def test_python_m_augur_is_the_augur_command(drill_file):
    """`python -m augur` runs the same command as `augur`: a drill's verdict, and exit 2 on bad input."""
    ran = subprocess.run(
        [sys.executable, "-m", "augur", "run", str(drill_file), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["verdict"] == "cascade"
    bad = subprocess.run(
        [sys.executable, "-m", "augur", "validate", str(drill_file.with_name("missing.csv"))],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert (bad.returncode, bad.stderr.startswith("augur: error: ")) == (2, True)


def test_sweep_ranks_single_failures_and_reports_random_shock_cascades(drill_file, capsys):
    """`augur sweep` lists the worst single failures first and a Monte Carlo cascade rate."""
    assert main(["sweep", str(drill_file), "--json", "--runs", "30"]) == 0
    out = json.loads(capsys.readouterr().out)
    losses = [row["resilience_loss"] for row in out["criticality"]]
    assert losses == sorted(losses, reverse=True)
    low, high = out["monte_carlo"]["intervals"]["cascade"]
    assert low <= out["monte_carlo"]["verdicts"]["cascade"] / 30 <= high


def test_sweep_runs_gives_the_random_drills_augur_montecarlo_gives(drill_file, capsys):
    """`augur sweep --runs N`, the old spelling kept, reports the same random drills as `augur
    montecarlo --runs N`, figure for figure: its JSON's monte_carlo is montecarlo's JSON, where it
    was a summary of its own (a cascade probability and interval, no bands, no worst drill)."""
    assert main(["montecarlo", str(drill_file), "--json", "--runs", "12", "--quiet"]) == 0
    alone = json.loads(capsys.readouterr().out)
    assert main(["sweep", str(drill_file), "--json", "--runs", "12", "--quiet"]) == 0
    swept = json.loads(capsys.readouterr().out)
    assert swept["scenario"] == alone.pop("scenario")
    assert swept["monte_carlo"] == alone
    assert sum(alone["verdicts"].values()) == alone["runs"] == 12


def test_report_writes_a_self_contained_page(drill_file, tmp_path, capsys):
    """`augur report --format html` writes one page naming the drill and embedding its scenario."""
    out = tmp_path / "pack"
    assert main(["report", str(drill_file), "--out", str(out), "--format", "html"]) == 0
    pages = list(out.glob("*.html"))
    assert len(pages) == 1
    text = pages[0].read_text(encoding="utf-8")
    assert "Chip outage" in text
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)=["']https?:""", text)


def test_report_refuses_three_scenarios_with_status_2(drill_file, capsys):
    """A review pack compares at most two drills; a third is a clear error."""
    assert main(["report", str(drill_file), str(drill_file), str(drill_file), "--format", "html"]) == 2
    assert "augur: error:" in capsys.readouterr().err


def test_report_refuses_a_before_and_after_counted_in_different_units(tmp_path, capsys):
    """Days against hours would set 25 days beside 2 hours as if they were steps of one clock."""
    days = ROOT / "scenarios" / "retail-chip-outage.yaml"
    hours = ROOT / "scenarios" / "kyc-retry-storm.yaml"
    assert main(["report", str(days), str(hours), "--out", str(tmp_path), "--format", "html"]) == 2
    err = capsys.readouterr().err
    assert "the before drill counts in days and the after drill in hours" in err
    assert not list(tmp_path.iterdir())  # no half-written pack


def test_report_refuses_a_before_and_after_over_different_horizons(tmp_path, capsys):
    """A 50-day run has lost less than a 120-day run of the same outage only because it stopped."""
    before = ROOT / "scenarios" / "retail-chip-outage.yaml"
    data = yaml.safe_load(before.read_text(encoding="utf-8"))
    data.update(steps=50, graph=str(ROOT / "scenarios" / data["graph"]))
    shorter = tmp_path / "shorter.yaml"
    shorter.write_text(yaml.safe_dump(data), encoding="utf-8")
    out = tmp_path / "pack"
    assert main(["report", str(before), str(shorter), "--out", str(out), "--format", "html"]) == 2
    assert "the before drill runs 120 days and the after drill 50" in capsys.readouterr().err
    assert not out.exists() or not list(out.iterdir())


@pytest.mark.parametrize(
    ("args", "expected"),
    [(["--runs", "-1"], "argument --runs: expected 0 or more, got -1"),
     (["--top", "0"], "argument --top: expected 1 or more, got 0"),
     (["--duration", "x"], "argument --duration: expected a whole number, got 'x'")],
)  # fmt: skip
def test_sweep_refuses_counts_it_cannot_use_with_status_2(drill_file, capsys, args, expected):
    with pytest.raises(SystemExit) as stop:
        main(["sweep", str(drill_file), *args])
    assert stop.value.code == 2
    assert expected in capsys.readouterr().err


def test_validate_reads_a_broken_scenario_as_a_scenario_not_as_a_graph(tmp_path, capsys):
    """A YAML slip in a scenario is reported with its line, without asking for 'nodes' and 'edges'."""
    path = tmp_path / "drill.yaml"
    path.write_text(
        "name: x\ngraph: g.json\nshocks:\n  - kind: vendor_failure\n   target: a\n", encoding="utf-8"
    )
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}: line 5: not valid YAML" in err and "node-link graph" not in err


def test_running_a_graph_file_says_it_is_a_graph_not_a_scenario(drill_file, capsys):
    """`augur run` on a graph explains the difference instead of complaining about fields."""
    assert main(["run", str(drill_file.parent / "shop.json")]) == 2
    assert "is a supply graph (it has 'nodes'), not a scenario" in capsys.readouterr().err


def test_converting_to_csv_names_both_files_written(drill_file, tmp_path, capsys):
    """A CSV graph is a pair of files; convert names both."""
    assert main(["convert", str(drill_file.parent / "shop.json"), str(tmp_path / "shop.csv")]) == 0
    out = capsys.readouterr().out
    assert "shop-nodes.csv and " in out and (tmp_path / "shop-nodes.csv").exists()
