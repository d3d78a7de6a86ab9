"""Weak points: single-failure criticality and Monte Carlo cascade frequency."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from builders import chip_plant

from augur import load_scenario, parse_scenario
from augur.sweep import criticality, monte_carlo, pairs

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def test_criticality_ranks_the_single_point_of_failure_above_redundant_suppliers():
    """The sole chip vendor hurts more than either of two substitute packaging vendors."""
    G = chip_plant()
    rows = criticality(G, parse_scenario({"name": "sweep", "steps": 40}, graph=G))
    rank = {row["target"]: i for i, row in enumerate(rows)}
    assert rank["chips"] < rank["box-a"] and rank["chips"] < rank["box-b"]
    by_target = {row["target"]: row for row in rows}
    assert by_target["chips"]["verdict"] == "cascade"
    assert by_target["box-a"]["verdict"] == "graceful"
    assert by_target["box-a"]["resilience_loss"] == 0.0
    losses = [row["resilience_loss"] for row in rows]
    assert losses == sorted(losses, reverse=True)


def test_monte_carlo_is_reproducible_from_its_seed():
    """The same seed draws the same shocks and verdicts; another seed draws others."""
    G = chip_plant()
    s = parse_scenario({"name": "mc", "steps": 40}, graph=G)
    first, again, other = (monte_carlo(G, s, runs=40, seed=k) for k in (3, 3, 4))
    assert first.drills == again.drills
    assert np.array_equal(first.resilience_loss, again.resilience_loss)
    assert first.drills != other.drills


def test_monte_carlo_interval_brackets_the_cascade_rate():
    """The 95% Wilson interval contains the observed cascade frequency and stays within [0, 1]."""
    G = chip_plant()
    mc = monte_carlo(G, parse_scenario({"name": "mc", "steps": 40}, graph=G), runs=60, seed=1)
    low, high = mc.cascade_interval
    assert 0.0 <= low <= mc.cascade_probability <= high <= 1.0
    assert mc.cascade_probability == mc.verdicts["cascade"] / 60
    from augur.text import monte_carlo_summary

    line = monte_carlo_summary(mc.runs, mc.seed, mc.verdicts, mc.intervals, mc.resilience_loss)
    assert "random drills (seed 1)" in line


def test_mitigation_takes_the_chip_vendor_off_the_top_of_the_weak_points():
    """Before mitigation the chip vendor's outage cascades; after it, the same outage is graceful."""
    before = load_scenario(SCENARIOS / "retail-chip-outage.yaml")
    after = load_scenario(SCENARIOS / "retail-chip-outage-mitigated.yaml")
    row_before = next(r for r in criticality(before.graph, before) if r["target"] == "acme-chips")
    row_after = next(r for r in criticality(after.graph, after) if r["target"] == "acme-chips")
    assert row_before["verdict"] == "cascade" and row_after["verdict"] == "graceful"
    assert row_after["resilience_loss"] < row_before["resilience_loss"]


def test_criticality_moves_the_drilled_outage_onto_each_node():
    """By default each node suffers the scenario's first shock's window: same start, same duration."""
    from augur.sweep import outage_window

    G = chip_plant()
    s = parse_scenario(
        {
            "name": "w",
            "steps": 40,
            "shocks": [{"kind": "vendor_failure", "target": "chips", "start": 6, "duration": 5}],
        },
        graph=G,
    )
    assert outage_window(s) == (6, 5)
    default = {r["target"]: r for r in criticality(G, s)}
    explicit = {r["target"]: r for r in criticality(G, s, start=6, duration=5)}
    assert default == explicit
    # without shocks: a tenth of the horizon in, for a quarter of it
    assert outage_window(parse_scenario({"name": "q", "steps": 40}, graph=G)) == (4, 10)


def _drills_of_one(monkeypatch):
    """Chunks of one drill each, so many are in flight at once on several threads."""
    import augur.sweep as sweep_module

    monkeypatch.setattr(sweep_module, "CHUNK_CELLS_MAX", 1)


def test_two_workers_rank_and_pair_exactly_as_one(monkeypatch):
    """Every node failed alone and every pair of the retail drill, in chunks of one drill on two
    threads, give the rows of one thread running one chunk of them all: every figure, in order."""
    s = load_scenario(SCENARIOS / "retail-chip-outage.yaml")
    G = s.graph
    one = pairs(G, s, top=5, workers=1)
    _drills_of_one(monkeypatch)
    two = pairs(G, s, top=5, workers=2)
    assert two.singles.rows == one.singles.rows and two.rows == one.rows and two.sets == one.sets
    assert len(one.rows) == 78  # 13 nodes: every pair is affordable, 13 x 12 / 2


def test_two_workers_give_the_bands_of_one(monkeypatch):
    """Random drills on the AI inbox (tokens, retries) in chunks of one drill on two threads: the
    bands, verdicts, distributions and every drill equal one thread's, exactly."""
    s = load_scenario(SCENARIOS / "inbox-autopilot-rate-limit.yaml")
    one = monte_carlo(s.graph, s, runs=40, workers=1)
    _drills_of_one(monkeypatch)
    two = monte_carlo(s.graph, s, runs=40, workers=2)
    assert two.service_level_bands == one.service_level_bands
    assert two.verdicts == one.verdicts and two.distributions == one.distributions
    assert two.drills == one.drills


def test_two_workers_run_two_chunks_at_once_and_report_progress_from_the_caller(monkeypatch):
    """Six nodes failed alone in chunks of one drill: the first runs alone, the next two at the same
    time on two threads; progress is called from the calling thread once per chunk: 1, 2, ... 6."""
    import threading

    import augur.sweep as sweep_module

    _drills_of_one(monkeypatch)
    met = threading.Barrier(2, timeout=20)  # broken (an error) unless two chunks meet there
    calls, lock = [], threading.Lock()
    evaluate = sweep_module._evaluate_chunk

    def meeting(*args):
        with lock:
            calls.append(threading.current_thread().name)
            k = len(calls)
        if k in (2, 3):
            met.wait()
        return evaluate(*args)

    monkeypatch.setattr(sweep_module, "_evaluate_chunk", meeting)
    G = chip_plant()
    s = parse_scenario({"name": "sweep", "steps": 20}, graph=G)
    seen = []
    caller = threading.current_thread()

    def hook(done, total):
        assert threading.current_thread() is caller
        seen.append((done, total))

    rows = criticality(G, s, workers=2, progress=hook).rows
    assert len(rows) == 6 and len(calls) == 6 and len(set(calls[1:3])) == 2
    assert [done for done, _ in seen] == [1, 2, 3, 4, 5, 6] and {t for _, t in seen} == {6}


def test_the_first_chunk_is_a_few_drills_so_progress_moves_on_a_small_graph():
    """200 random drills on a 6-node graph fit in one chunk of a second; the first chunk is still
    four drills (it measures the rate), so the progress moves before the study ends."""
    G = chip_plant()
    s = parse_scenario({"name": "mc", "steps": 40}, graph=G)
    seen = []
    monte_carlo(G, s, runs=200, workers=1, progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (4, 200) and seen[-1] == (200, 200)
    assert [done for done, _ in seen] == sorted({done for done, _ in seen})


def test_workers_must_be_a_count_of_threads_and_not_beside_a_scheduler():
    from augur.errors import AugurError

    G = chip_plant()
    s = parse_scenario({"name": "sweep", "steps": 20}, graph=G)
    for bad in (0, 1.5, True):
        with pytest.raises(AugurError, match="expected a whole number of threads") as err:
            criticality(G, s, workers=bad)
        assert err.value.place == "--workers"
    with pytest.raises(AugurError, match="with --scheduler the cluster's workers run the drills"):
        monte_carlo(G, s, runs=4, workers=2, scheduler="local:2")


def test_cli_workers_flag_runs_the_study_and_is_refused_beside_a_scheduler(capsys):
    """--workers 1 and --workers 2 print the same study; beside --scheduler, exit 2 naming the flag."""
    from augur.cli import main

    drill = str(SCENARIOS / "retail-chip-outage.yaml")
    outputs = []
    for workers in ("1", "2"):
        assert main(["montecarlo", drill, "--runs", "30", "--json", "--workers", workers]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    assert main(["sweep", drill, "--workers", "2", "--scheduler", "local:2"]) == 2
    assert "--workers: --workers 2 counts the threads of this process" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        main(["tipping", drill, "--vary", "buffer=0:4", "--against", "duration=1:3", "--workers", "0"])
    assert stop.value.code == 2


def test_a_sweep_with_pairs_and_random_drills_starts_one_cluster(monkeypatch, capsys):
    """augur sweep --pairs --runs on a scheduler runs all three phases on one cluster, started once;
    --workers beside --scheduler is refused before any cluster starts."""
    pytest.importorskip("distributed")
    import contextlib

    import augur.sweep as sweep_module
    from augur.cli import main

    started = []
    dask_client = sweep_module._dask_client

    @contextlib.contextmanager
    def counted(scheduler):
        if isinstance(scheduler, str):
            started.append(scheduler)
        with dask_client(scheduler) as client:
            yield client

    monkeypatch.setattr(sweep_module, "_dask_client", counted)
    drill = str(SCENARIOS / "retail-chip-outage.yaml")
    assert main(["sweep", drill, "--pairs", "--runs", "8", "--scheduler", "local:1:threads", "--quiet"]) == 0
    assert started == ["local:1:threads"] and "8 random drills" in capsys.readouterr().out
    assert main(["sweep", drill, "--workers", "2", "--scheduler", "local:1:threads"]) == 2
    assert started == ["local:1:threads"]


def test_chunks_are_sized_from_the_work_a_chunk_took_not_the_wait(monkeypatch):
    """A chunk whose thread spent a millisecond of CPU on it is a millisecond of work, however long the
    wall clock says it took: after the first four drills, the other 196 of 200 fit one chunk of a
    second (6 nodes x 40 steps a drill: 4 x 240 node-steps in 1 ms is 960,000 a second)."""
    import itertools

    import augur.sweep as sweep_module

    ticks = itertools.count()
    monkeypatch.setattr(sweep_module, "_work_clock", lambda: next(ticks) * 1e-3)
    G = chip_plant()
    s = parse_scenario({"name": "mc", "steps": 40}, graph=G)
    seen = []
    monte_carlo(G, s, runs=200, workers=1, progress=lambda done, total: seen.append(done))
    assert seen == [4, 200]
