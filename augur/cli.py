"""The ``augur`` command: thin wrappers over the public API.

Bad input prints one clear message on stderr and exits with status 2; ``augur check`` exits 1 when a
drill's verdict differs from its hypothesis, so drills can gate a CI pipeline.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from tqdm import tqdm

from augur._version import __version__
from augur.analysis.cheapest import cheapest_fixes
from augur.analysis.criticality import CRITICALITY_KEYS, PAIR_KEYS
from augur.analysis.mitigate import goal_verdict
from augur.analysis.tipping import STEPS_OF_MAX
from augur.drill import simulate
from augur.engine.budget import check_drill_size
from augur.errors import AugurError, ScenarioError
from augur.graph import graphs_equal
from augur.io import load_graph, table_files, write_graph
from augur.io._common import guard_cell, json_text, write_atomic
from augur.io.csv import csv_paths
from augur.scenario import (
    DEFAULT_GOAL,
    GOALS,
    MAX_RUNS,
    dump_scenario,
    file_looks_like_scenario,
    load_scenario,
)
from augur.sweep import criticality, mitigate, monte_carlo, one_cluster, outage_window, pairs, tipping
from augur.text import random_drill_description, shock_sentences, study_summary, summary_lines
from augur.text.console import (
    check_line,
    checks_failed_text,
    converted_text,
    graph_ok_text,
    run_lines,
    scenario_ok_text,
    wrote_text,
)
from augur.text.notes import graph_notes
from augur.text.studies import criticality_lines, fixes_lines, monte_carlo_lines, plan_lines, tipping_lines

__all__ = ["main", "summary_lines"]

EXIT_OK, EXIT_HYPOTHESIS_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def _at_least(low: int, high: int | None = None):
    """An argparse type: a whole number ``low`` or more, and at most ``high`` if given (argparse then
    exits 2 with the message)."""

    def whole(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"expected {low} or more, got {value}")
        if high is not None and value > high:
            raise argparse.ArgumentTypeError(f"expected at most {high:,}, got {value:,}")
        return value

    return whole


def _notes(G, path: str | Path) -> None:
    """What augur read from the graph without complaint that may not be what was meant, on stderr."""
    for note in graph_notes(G, *table_files(path)):
        print(f"augur: note: {note}", file=sys.stderr)


def _scenario_notes(scenario) -> None:
    """:func:`_notes` on a scenario's graph: the file it names, or the scenario where it is inline."""
    _notes(scenario.graph, Path(scenario.source).parent / (scenario.graph_ref or Path(scenario.source).name))


def _cmd_run(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario).with_overrides(steps=args.steps, seed=args.seed)
    _scenario_notes(scenario)
    result = simulate(scenario.graph, scenario)
    if args.out:
        written = write_run(result, Path(args.out))
        if not args.json:
            print(wrote_text(written), file=sys.stderr)
    if args.json:
        print(json_text(result.metrics, indent=2))
        return EXIT_OK
    lines = run_lines(
        scenario.name, result.metrics, shock_sentences(scenario), result.events, every_event=args.all_events
    )
    print("\n".join(lines))
    return EXIT_OK


def write_run(result, out: Path) -> list[Path]:
    """Write a drill's time series, metrics, events and scenario into ``out``; return the paths."""
    import pandas as pd  # a heavy import, made only by the commands that write files

    events = pd.DataFrame([e.to_dict() for e in result.events], columns=["t", "kind", "node", "message"])
    timeseries = result.to_frame()
    # node ids and the messages naming them are the user's text: guarded against spreadsheet formulas
    timeseries["node"] = timeseries["node"].map(lambda v: guard_cell(str(v)))
    for column in ("node", "message"):
        events[column] = events[column].map(lambda v: guard_cell(v) if isinstance(v, str) else v)
    files = {
        out / "timeseries.csv": timeseries.to_csv(index=False, float_format="%.10g"),
        out / "metrics.json": json_text(result.metrics, indent=2) + "\n",
        out / "events.csv": events.to_csv(index=False),
        out / "scenario.yaml": dump_scenario(result.scenario),
    }
    if out.exists() and not out.is_dir():
        raise AugurError("expected a folder to write the drill's files into, got a file", source=str(out))
    try:
        for path, text in files.items():
            write_atomic(path, text)
    except OSError as err:
        raise AugurError(f"cannot write the drill's files: {err.strerror or err}", source=str(out)) from err
    return list(files)


def _cmd_validate(args: argparse.Namespace) -> int:
    for name in args.files:
        path = Path(name)
        if path.suffix.lower() in (".yaml", ".yml", ".json") and file_looks_like_scenario(path):
            scenario = load_scenario(path)
            print(scenario_ok_text(name, scenario.name, len(scenario.shocks)))
            _scenario_notes(scenario)
        else:
            G = load_graph(path)
            print(graph_ok_text(name, G.number_of_nodes(), G.number_of_edges()))
            _notes(G, path)
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    failed = 0
    for name in args.scenarios:
        scenario = load_scenario(name)
        metrics = simulate(scenario.graph, scenario).metrics
        print(check_line(name, metrics))
        failed += metrics["hypothesis_held"] is False
    if failed:
        print(checks_failed_text(failed, len(args.scenarios)), file=sys.stderr)
        return EXIT_HYPOTHESIS_FAILED
    return EXIT_OK


def _cmd_convert(args: argparse.Namespace) -> int:
    G = load_graph(args.input)
    out = Path(args.output)
    write_graph(G, out)
    # a CSV graph is two files (or a folder of two): name both
    two_files = out.suffix.lower() == ".csv" or out.is_dir()
    written = [str(p) for p in csv_paths(out)] if two_files else [str(out)]
    print(converted_text(args.input, written, G.number_of_nodes(), G.number_of_edges()))
    return EXIT_OK


def _progress_bar(quiet: bool):
    """A progress hook for the sweeps: a bar on stderr, or ``None`` when quiet or not a terminal.

    Each phase of a job (the single failures, then the pairs) gets its own bar: a hook call whose
    total differs from the bar's, or that counts down, starts the next one.
    """
    if quiet or not sys.stderr.isatty():
        return None
    bar = None

    def hook(done: int, total: int) -> None:
        nonlocal bar
        if bar is None or bar.total != total or done < bar.n:
            if bar is not None:
                bar.close()
            # an update comes per finished chunk, about a second of work: draw every one
            bar = tqdm(
                total=total, unit="drill", file=sys.stderr, leave=False, dynamic_ncols=True, mininterval=0
            )
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return hook


def _write_csv(path: Path, keys: Sequence[str], rows: Sequence[dict]) -> None:
    """Write ``rows`` as a CSV file: one column per key, lists joined with ';', None as empty."""

    def cell(value):
        if value is None:
            return ""
        if isinstance(value, (list, tuple)):
            return ";".join(str(v) for v in value)
        return value

    try:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(keys)
            writer.writerows([cell(row[k]) for k in keys] for row in rows)
    except OSError as err:
        raise AugurError(f"cannot write the CSV file ({err.strerror})", source=str(path)) from err


def _cmd_sweep(args: argparse.Namespace) -> int:
    loaded = load_scenario(args.scenario)
    # the sweep runs its own outages, not the drill's shocks: they are checked against --steps only where
    # the first one's start is the outage's (no --start); else they give at most its default duration
    scenario = loaded.with_overrides(
        steps=args.steps, seed=args.seed, shocks=None if args.start is None else ()
    )
    scenario = replace(scenario, shocks=loaded.shocks)
    check_drill_size(scenario.graph.number_of_nodes(), scenario.steps, source=args.scenario)
    start, duration = outage_window(scenario, args.start)
    duration = duration if args.duration is None else args.duration
    if not 1 <= start < scenario.steps or duration < 1:
        raise ScenarioError(
            f"expected --start from 1 to {scenario.steps - 1} and --duration >= 1, "
            f"got {start} and {duration}",
            source=args.scenario,
        )
    kinds = None if args.kinds is None else _names(args.kinds)
    G = scenario.graph
    with one_cluster(args.scheduler, args.workers) as client:
        # where the drills run, the same for every phase: one cluster for the pairs and random drills too
        where = {"scheduler": client, "workers": args.workers, "progress": _progress_bar(args.quiet)}
        singles = criticality(G, scenario, kinds=kinds, start=start, duration=args.duration, **where)
        duo = pairs(G, scenario, top=args.top, singles=singles, **where) if args.pairs else None
        # the random drills of augur montecarlo, the same drills and figures (--runs, the old spelling)
        mc = monte_carlo(G, scenario, runs=args.runs, source=args.scenario, **where) if args.runs else None
    if args.csv:
        if duo is not None:
            _write_csv(Path(args.csv), PAIR_KEYS, duo.rows)
        else:
            _write_csv(Path(args.csv), CRITICALITY_KEYS, singles.rows)
    if args.json:
        out: dict = {"scenario": scenario.name, "outage": singles.outage, "criticality": singles.rows}
        if duo is not None:
            out["pairs"] = duo.rows
            out["candidates"] = duo.sets
        if mc is not None:
            out["monte_carlo"] = mc.to_dict()
        print(json_text(out, indent=2))
        return EXIT_OK
    lines = criticality_lines(scenario.name, singles, duo, scenario.step_unit, args.top, asked=args.duration)
    print("\n".join(lines))
    if args.csv:
        print("\n" + wrote_text([args.csv]))
    if mc is not None:
        print("\n" + study_summary(mc, scenario.step_unit))
    return EXIT_OK


def _range(text: str) -> tuple[str, float, float]:
    """An argparse type: ``NAME=LO:HI`` (``buffer=0:30``) as ``(name, lo, hi)``."""
    name, eq, span = text.partition("=")
    lo, colon, hi = span.partition(":")
    try:
        if not (eq and colon and name):
            raise ValueError
        return name.strip(), float(lo), float(hi)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected NAME=LO:HI (such as buffer=0:30), got {text!r}") from None


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _cmd_montecarlo(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario).with_overrides(steps=args.steps, seed=args.seed, shocks=())
    mc = monte_carlo(
        scenario.graph,
        scenario,
        runs=args.runs,
        scheduler=args.scheduler,
        workers=args.workers,
        progress=_progress_bar(args.quiet),
        source=args.scenario,
    )
    for which, path in (("worst", args.save_worst), ("median", args.save_median)):
        if path:
            said = random_drill_description(which, mc.row(which), scenario.name, mc.runs, mc.seed)
            write_atomic(Path(path), dump_scenario(mc.scenario(which, description=said)))
            print(wrote_text([path], drill=which), file=sys.stderr)
    if args.json:
        print(json_text({"scenario": scenario.name, **mc.to_dict()}, indent=2))
        return EXIT_OK
    print("\n".join(monte_carlo_lines(scenario.name, mc, scenario.step_unit)))
    return EXIT_OK


def _check_goal(goal: str, scenario, path: str) -> None:
    """A goal of the drill's own hypothesis, on a drill that states none, is bad input at --goal."""
    try:
        goal_verdict(scenario, goal)
    except ValueError as err:
        raise ScenarioError(str(err), source=path, place="--goal") from err


def _cmd_tipping(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario).with_overrides(steps=args.steps)
    _check_goal(args.goal, scenario, args.scenario)
    nodes = None if args.nodes is None else _names(args.nodes)
    grid = tipping(
        scenario.graph,
        scenario,
        vary=args.vary,
        against=args.against,
        nodes=nodes,
        steps_of=args.steps_of,
        goal=args.goal,
        scheduler=args.scheduler,
        workers=args.workers,
        progress=_progress_bar(args.quiet),
    )
    if args.json:
        print(json_text({"scenario": scenario.name, **grid.to_dict()}, indent=2))
        return EXIT_OK
    print("\n".join(tipping_lines(scenario.name, grid, scenario.step_unit, scenario.graph)))
    return EXIT_OK


def _cmd_mitigate(args: argparse.Namespace) -> int:
    scenarios = [load_scenario(p).with_overrides(steps=args.steps) for p in args.scenarios]
    G = scenarios[0].graph
    for path, other in zip(args.scenarios[1:], scenarios[1:]):
        if not graphs_equal(G, other.graph):
            raise ScenarioError(
                f"drills its graph differently from {args.scenarios[0]}; the drills fixed together must "
                "share one graph",
                source=path,
                place="graph",
            )
    options = {
        "goal": args.goal,
        "levers": None if args.levers is None else _names(args.levers),
        "nodes": None if args.nodes is None else _names(args.nodes),
        "scheduler": args.scheduler,
        "workers": args.workers,
        "progress": _progress_bar(args.quiet),
    }
    results = []
    for path, scenario in zip(args.scenarios, scenarios):
        _check_goal(args.goal, scenario, path)
        results.append(mitigate(G, scenario, **options))
    plan = (
        cheapest_fixes(G, scenarios, results, goal=args.goal, method=args.method)
        if len(results) > 1
        else None
    )
    if args.json:
        out = [{"scenario": s.name, **r.to_dict()} for s, r in zip(scenarios, results)]
        if plan is None:
            print(json_text(out[0], indent=2))
        else:
            print(json_text({"drills": out, "together": plan.to_dict()}, indent=2))
        return EXIT_OK
    for scenario, result in zip(scenarios, results):
        print("\n".join(fixes_lines(scenario.name, result, G, scenario.step_unit)))
    if plan is not None:
        print("\n".join(plan_lines(plan, G, scenarios[0].step_unit)))
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from augur.report import main_report  # plotly and kaleido load for the packs alone

    written = main_report(
        args.scenarios,
        args.out,
        args.format,
        seed=args.seed,
        steps=args.steps,
        weak_points=args.weak_points,
        runs=args.runs,
        top=args.top,
        scheduler=args.scheduler,
        workers=args.workers,
        progress=_progress_bar(args.quiet) if args.weak_points else None,
    )
    for path in written:
        print(wrote_text([path]))
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    from augur.app import serve  # Dash loads for the app alone

    serve(
        args.target,
        host=args.host,
        port=args.port,
        threads=args.threads,
        max_upload_mb=args.max_upload_mb,
        timeout=args.timeout,
        allow_hosts=tuple(args.allow_host),
        token=args.token,
        debug=args.debug,
    )
    return EXIT_OK


def _token(text: str) -> str:
    """An argparse type: an access token that fits in a link and a cookie as it is."""
    if not re.fullmatch(r"[A-Za-z0-9._~-]{12,}", text):
        raise argparse.ArgumentTypeError(
            "expected 12 or more letters, digits or . _ ~ - (a token goes into a link and a cookie as is)"
        )
    return text


def _megabytes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of megabytes, got {text!r}") from None
    if not 0 < value <= 4096:
        raise argparse.ArgumentTypeError(f"expected more than 0 and at most 4096 MB, got {text}")
    return value


def _where_flags(p: argparse.ArgumentParser, lead: str = "") -> None:
    """Where a study's drills run and how quietly: --scheduler, --workers, --quiet (``lead`` before
    the scheduler's help: when it applies)."""
    where = "run the drills on Dask: local:N (N worker processes), local:N:threads, or tcp://HOST:PORT"
    p.add_argument("--scheduler", metavar="WHERE", help=lead + where)
    threads = "threads running the drills in this process (default: one per core it may use; 1: one)"
    p.add_argument("--workers", type=_at_least(1), metavar="N", help=threads)
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def _long_job(p: argparse.ArgumentParser) -> None:
    """The options of a study that runs many drills: where, how quietly, how long, as JSON."""
    _where_flags(p)
    p.add_argument("--steps", type=int, help="override the scenario's horizon")
    p.add_argument("--json", action="store_true", help="print the result as one JSON object")


def _add_run(sub) -> None:
    run = sub.add_parser("run", help="run a drill and print its verdict and story")
    run.add_argument("scenario", help="scenario file (YAML or JSON)")
    run.add_argument("--json", action="store_true", help="print the metrics as one JSON object")
    run.add_argument("--seed", type=_at_least(0), help="override the scenario's seed")
    run.add_argument("--steps", type=int, help="override the scenario's horizon")
    run.add_argument("--out", metavar="DIR", help="write time series, metrics, events, scenario")
    run.add_argument("--all-events", action="store_true", help="print every event")
    run.set_defaults(func=_cmd_run)


def _add_validate(sub) -> None:
    validate = sub.add_parser("validate", help="check graph or scenario files")
    validate.add_argument("files", nargs="+", metavar="FILE", help="graph or scenario files, any format")
    validate.set_defaults(func=_cmd_validate)


def _add_check(sub) -> None:
    check = sub.add_parser("check", help="run drills; exit 1 if a verdict differs from its hypothesis")
    check.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="scenario files with a hypothesis")
    check.set_defaults(func=_cmd_check)


def _add_convert(sub) -> None:
    convert = sub.add_parser("convert", help="convert a graph between formats (by file suffix)")
    convert.add_argument(
        "input", metavar="IN", help="graph file: .json .yaml .graphml .csv .xlsx, or a CSV folder"
    )
    convert.add_argument("output", metavar="OUT", help="file to write: .json .yaml .graphml .csv .xlsx")
    convert.set_defaults(func=_cmd_convert)


def _add_sweep(sub) -> None:
    sweep = sub.add_parser(
        "sweep", help="find the weak points: single and paired failures ranked, random shocks"
    )
    sweep.add_argument("scenario", help="scenario whose graph, horizon and SLO to use")
    sweep.add_argument(
        "--top",
        type=_at_least(1),
        default=10,
        help="how many of the worst to show; with --pairs, how many worst singles to pair (default 10)",
    )
    sweep.add_argument("--kinds", help="comma-separated node kinds to fail (default: every node)")
    sweep.add_argument(
        "--start", type=_at_least(1), help="step each node fails at (default: the scenario's first shock's)"
    )
    sweep.add_argument(
        "--duration",
        type=_at_least(1),
        help="steps each node stays down (default: its ttr, else the first shock's duration)",
    )
    sweep.add_argument("--pairs", action="store_true", help="also fail pairs of nodes together")
    sweep.add_argument(
        "--runs",
        type=_at_least(0, MAX_RUNS),
        default=0,
        help="Monte Carlo drills of random shocks (default 0: none)",
    )
    sweep.add_argument("--seed", type=_at_least(0), help="override the scenario's seed")
    sweep.add_argument("--steps", type=int, help="override the scenario's horizon")
    sweep.add_argument(
        "--csv", metavar="FILE", help="write every row (the pairs' with --pairs) to a CSV file"
    )
    sweep.add_argument("--json", action="store_true", help="print the sweep, every row, as one JSON object")
    _where_flags(sweep)
    sweep.set_defaults(func=_cmd_sweep)


def _add_montecarlo(sub) -> None:
    montecarlo = sub.add_parser("montecarlo", help="random-shock drills: verdict odds, service bands")
    montecarlo.add_argument("scenario", help="scenario whose graph, horizon, SLO and random: section to use")
    montecarlo.add_argument(
        "--runs", type=_at_least(1, MAX_RUNS), help="drills to draw (default: random.runs, or 200)"
    )
    montecarlo.add_argument("--seed", type=_at_least(0), help="override the scenario's seed")
    montecarlo.add_argument("--save-worst", metavar="FILE", help="write the worst drill as a scenario")
    montecarlo.add_argument("--save-median", metavar="FILE", help="write the median drill as a scenario")
    _long_job(montecarlo)
    montecarlo.set_defaults(func=_cmd_montecarlo)


def _add_tipping(sub) -> None:
    tip = sub.add_parser("tipping", help="a lever against a shock's strength: where the drill tips")
    tip.add_argument("scenario", help="scenario whose shocks to vary")
    tip.add_argument(
        "--vary",
        type=_range,
        required=True,
        metavar="LEVER=LO:HI",
        help="buffer, min_supply, capacity, token_limit or recovery, e.g. buffer=0:30",
    )
    tip.add_argument(
        "--against",
        type=_range,
        required=True,
        metavar="FIELD=LO:HI",
        help="start, duration or a strength field of the shocks, e.g. duration=1:60",
    )
    tip.add_argument("--steps-of", type=_at_least(2, STEPS_OF_MAX), metavar="N", help="values per axis")
    tip.add_argument("--nodes", help="comma-separated node ids, labels or kinds (default: every vendor)")
    tip.add_argument(
        "--goal", choices=GOALS, default=DEFAULT_GOAL, help=f"the verdict to hold (default {DEFAULT_GOAL})"
    )
    _long_job(tip)
    tip.set_defaults(func=_cmd_tipping)


def _add_mitigate(sub) -> None:
    mit = sub.add_parser("mitigate", help="the least single changes that make a drill graceful")
    mit.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="the drill(s) to fix, on one graph")
    mit.add_argument(
        "--method",
        choices=("milp", "greedy"),
        default="milp",
        help="how several drills' cheapest set of changes is chosen (default milp: exact)",
    )
    mit.add_argument(
        "--goal",
        choices=GOALS,
        default=DEFAULT_GOAL,
        help=f"the verdict to reach (default {DEFAULT_GOAL}, whatever the drill's hypothesis)",
    )
    mit.add_argument("--levers", help="comma-separated: buffer, min_supply, capacity, token_limit, recovery")
    mit.add_argument(
        "--nodes", help="comma-separated node ids or labels to try (default: every node the drill touched)"
    )
    _long_job(mit)
    mit.set_defaults(func=_cmd_mitigate)


def _add_report(sub) -> None:
    report = sub.add_parser("report", help="write a review pack: HTML page, dashboard PNG, PDF")
    report.add_argument(
        "scenarios", nargs="+", metavar="SCENARIO", help="one drill, or two: before and after"
    )
    report.add_argument("--out", default=".", metavar="DIR", help="where to write the pack (default: here)")
    report.add_argument(
        "--format", default="html,png", help="comma-separated: html, png, pdf (default: html,png)"
    )
    report.add_argument("--seed", type=_at_least(0), help="override the scenario's seed")
    report.add_argument("--steps", type=int, help="override the scenario's horizon")
    report.add_argument(
        "--weak-points",
        action="store_true",
        help="add the weak points: every node failed alone, pairs, random shocks and the fixes found",
    )
    report.add_argument(
        "--runs",
        type=_at_least(1, MAX_RUNS),
        help="with --weak-points: random-shock drills (default: the scenario's random.runs, or 200)",
    )
    report.add_argument(
        "--top",
        type=_at_least(1),
        help="with --weak-points: rows of the ranking and the pairs shown, worst singles paired (default 10)",
    )
    _where_flags(report, lead="with --weak-points: ")
    report.set_defaults(func=_cmd_report)


def _add_serve(sub) -> None:
    serve = sub.add_parser("serve", help="open the drill app in the browser")
    serve.add_argument("target", nargs="?", help="a scenario file or a folder of scenarios")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=_at_least(1), default=8050, help="port to listen on (default 8050)")
    serve.add_argument(
        "--threads", type=_at_least(1), default=8, help="threads answering requests (default 8)"
    )
    serve.add_argument(
        "--max-upload-mb",
        type=_megabytes,
        default=20,
        metavar="MB",
        help="largest request accepted, an upload included (default 20; a file grows by a third on upload)",
    )
    serve.add_argument(
        "--timeout",
        type=_at_least(1),
        default=60,
        metavar="SECONDS",
        help="close a connection idle this long, a half-sent request included (default 60)",
    )
    serve.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="another name the server answers to (a DNS name or address); repeatable",
    )
    serve.add_argument(
        "--token",
        type=_token,
        help="access token: the app opens only from the link with ?token=...; made for you off loopback",
    )
    serve.add_argument(
        "--debug",
        action="store_true",
        help="Dash's development server with its debugger, reloading on code changes; loopback only",
    )
    serve.set_defaults(func=_cmd_serve)


_COMMANDS = (
    _add_run,
    _add_validate,
    _add_check,
    _add_convert,
    _add_sweep,
    _add_montecarlo,
    _add_tipping,
    _add_mitigate,
    _add_report,
    _add_serve,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="augur", description="Supply-chain disruption drills for AI-dependent operations."
    )
    parser.add_argument("--version", action="version", version=f"augur {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in _COMMANDS:  # in the order `augur --help` lists them
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``augur`` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except AugurError as err:
        given = getattr(args, "scenario", None) or next(iter(getattr(args, "scenarios", None) or ()), None)
        if given and (err.place or "").startswith("--"):  # a flag's bad value names the drill it was for
            err = err.with_source(str(given))
        print(f"augur: error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `augur run ... | head`: the reader left; not an error worth a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
