"""The Random shocks view: its settings are the scenario's ``random:`` section, checked with the same
messages; a study runs in the background with progress; its band chart is augur.sweep.monte_carlo's
for the same seed; the worst drill is one click from the drill view and a scenario file away from
``augur run``.

Every expected figure comes from the public API (augur.sweep.monte_carlo), never from the test.
The browser tests take screenshots at 1280x800 into the download folder (docs/screenshots/ with
AUGUR_DOCS=1): random-shocks.png.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from browsing import choose, fresh_page

from augur import load_scenario, sweep
from augur.app import create_app, ids
from augur.app.components.random_shocks import (
    MAX_NODE_STEPS,
    _part,
    checked_study,
    form_values,
    random_section,
    study_store,
)
from augur.app.design import graph_store, scenario_store
from augur.errors import ScenarioError
from augur.scenario import RANDOM_KIND_CHANCES, RANDOM_STRENGTHS, RandomShocks, parse_scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
DEFAULT = SCENARIOS / "retail-chip-outage.yaml"
PLANT = SCENARIOS / "manufacturer-port-congestion.yaml"  # the bundled drill with a random: section
SHOTS = ROOT / "docs" / "screenshots"


def _form(**changes):
    """The view's settings as it opens, with ``changes``: the arguments of random_section."""
    values = {
        "runs": 200,
        "shocks_low": 1,
        "shocks_high": 3,
        "chances": dict(RANDOM_KIND_CHANCES),
        "lows": {k: v[0] for k, v in RANDOM_STRENGTHS.items()},
        "highs": {k: v[1] for k, v in RANDOM_STRENGTHS.items()},
        "start": (None, None),
        "duration": (None, None),
        "targets": [],
    }
    values.update(changes)
    return random_section(**values)


@pytest.fixture(scope="module")
def design():
    scenario = load_scenario(DEFAULT)
    return scenario.graph, graph_store(scenario.graph, "retail.json"), scenario_store(scenario)


def test_the_settings_as_they_open_are_the_scenario_default(design):
    """Untouched, the view draws what a scenario with no ``random:`` section draws."""
    G, _, scenario = design
    checked, seed = checked_study(G, scenario, _form(), None)
    assert checked.random == RandomShocks(runs=200) and seed == 7  # the drill's own seed


def _filled(section):
    """The arguments of random_section for the settings :func:`form_values` fills in."""
    v = form_values(section)
    return {
        "runs": v["runs"],
        "shocks_low": v["shocks"][0],
        "shocks_high": v["shocks"][1],
        "chances": v["chances"],
        "lows": v["lows"],
        "highs": v["highs"],
        "start": v["start"],
        "duration": v["duration"],
        "targets": v["targets"],
    }


def test_a_drill_without_a_random_section_fills_the_settings_the_page_opens_with():
    assert _filled(None) == {
        "runs": 200, "shocks_low": 1, "shocks_high": 3, "chances": dict(RANDOM_KIND_CHANCES),
        "lows": {k: v[0] for k, v in RANDOM_STRENGTHS.items()},
        "highs": {k: v[1] for k, v in RANDOM_STRENGTHS.items()},
        "start": (None, None), "duration": (None, None), "targets": [],
    }  # fmt: skip


def test_a_drill_s_own_random_section_fills_the_settings_and_the_study_is_the_file_s():
    """The pump maker's file says 300 drills of 1 or 2 shocks, starts on days 5 to 45, outages of 3 to
    28 days, no rate-limit cut, and four targets: the settings say the same, and checked they give
    the file's own section, so Run draws the drills `augur montecarlo` draws on the file."""
    drill = load_scenario(PLANT)
    store = scenario_store(drill)
    filled = _filled(store["random"])
    assert (filled["runs"], filled["shocks_low"], filled["shocks_high"]) == (300, 1, 2)
    assert filled["chances"] == {
        "vendor_failure": 0.3, "logistics_bottleneck": 0.4, "demand_spike": 0.15,
        "data_quality_drop": 0.15, "rate_limit_cut": 0.0,
    }  # fmt: skip
    assert filled["start"] == (5, 45) and filled["duration"] == (3, 28)
    assert (filled["lows"]["delay"], filled["highs"]["delay"]) == (0, 5)
    assert (filled["lows"]["factor"], filled["highs"]["factor"]) == RANDOM_STRENGTHS["factor"]  # not in it
    assert filled["targets"] == ["vendor", "logistics", "data_source", "customer-deliveries"]
    checked, seed = checked_study(drill.graph, store, random_section(**filled), None)
    assert checked.random == drill.random and seed == 3


def test_the_design_keeps_the_drill_s_random_section_but_the_drill_never_checks_it():
    """A horizon of 30 days leaves the section's starts (to day 45) behind: the drill still builds
    and runs, and the view says so beside the timing, with the file's own message."""
    from augur.app.components.common import apply_settings
    from augur.app.design import build_scenario

    drill = load_scenario(PLANT)
    store = scenario_store(drill)
    shorter, problem = apply_settings(store, store["name"], 30, "day", 3, 90, 2.0, "degraded")
    assert problem == "" and shorter["random"] == store["random"]
    assert build_scenario(drill.graph, shorter).steps == 30
    with pytest.raises(ScenarioError) as late:
        checked_study(drill.graph, shorter, random_section(**_filled(shorter["random"])), None)
    assert _part(late.value.place) == "timing" and "45" in late.value.message


def test_a_setting_is_refused_with_the_scenario_file_s_message_beside_its_part(design):
    """A chance of 2 is refused as the same chance in a scenario file is, word for word."""
    G, _, scenario = design
    chances = {**RANDOM_KIND_CHANCES, "demand_spike": 2}
    with pytest.raises(ScenarioError) as view:
        checked_study(G, scenario, _form(chances=chances), None)
    with pytest.raises(ScenarioError) as file:
        parse_scenario({"name": "x", "steps": 120, "random": {"kinds": chances}}, graph=G)
    assert view.value.describe(source=False) == file.value.describe(source=False)
    assert _part(view.value.place) == "kinds"
    with pytest.raises(ScenarioError) as late:
        checked_study(G, scenario, _form(start=(100, 130)), None)
    assert _part(late.value.place) == "timing" and "130" in late.value.message


def test_one_blank_end_of_a_range_is_the_horizon_s_default_end(design):
    """Start 5 to blank on a 120-step drill draws starts 5 to 59 (the default end, steps // 2 - 1)."""
    G, _, scenario = design
    checked, _ = checked_study(G, scenario, _form(start=(5, None)), None)
    assert checked.random.start == (5, 59)


def test_the_study_the_view_keeps_is_the_api_s_and_its_worst_drill_reproduces(design, tmp_path):
    """The stored figures are monte_carlo's; the worst drill's scenario file, run by `augur run`,
    gives the worst drill's loss and verdict."""
    G, graph, scenario = design
    checked, seed = checked_study(G, scenario, _form(runs=60), 11)
    result = sweep.monte_carlo(G, checked, runs=60, seed=seed, spec=checked.random)
    store = study_store(result, graph, scenario)
    assert store["bands"] == result.service_level_bands and store["verdicts"] == result.verdicts
    assert "values" not in store["distributions"]["resilience_loss"]  # the browser gets the histogram
    from augur.app.design import scenario_file

    name, text = scenario_file(graph, store["scenarios"]["worst"])
    path = tmp_path / name
    path.write_text(text)
    out = subprocess.run(
        [sys.executable, "-m", "augur.cli", "run", str(path), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    metrics = json.loads(out.stdout)
    worst = store["drills"]["worst"]
    assert metrics["verdict"] == worst["verdict"]
    assert metrics["resilience_loss"] == pytest.approx(worst["resilience_loss"])


def test_the_summary_says_the_percentiles_the_loss_histogram_marks_in_the_drill_s_unit(design):
    """The headline's p50 and p95 are the two lines the loss histogram draws, read
    the same and in days (the retail drill's unit), never a 90th percentile in "steps"; the worst
    drill's card counts its loss in days, and its file keeps its number and the seed."""
    from augur.app.components.random_shocks import _drill_body, _figures
    from augur.app.design import scenario_file

    G, graph, scenario = design
    checked, seed = checked_study(G, scenario, _form(runs=60), 11)
    result = sweep.monte_carlo(G, checked, runs=60, seed=seed, spec=checked.random)
    store = study_store(result, graph, scenario)
    loss = next(f for f in _figures(store) if f.layout.title.text == "Resilience loss")
    marks = [a.text for a in loss.layout.annotations]
    p50, p95 = (m.split(" ", 1)[1] for m in marks)
    assert marks == [f"p50 {p50}", f"p95 {p95}"]
    assert f"resilience loss p50 {p50} days, p95 {p95} days" in store["summary"]
    assert "steps" not in store["summary"] and "90th" not in store["summary"]
    assert loss.layout.xaxis.title.text == "days of service lost"
    worst = store["drills"]["worst"]
    headline = _drill_body(store, "worst")[0].children[1]
    assert headline == (
        f" drill {worst['drill']} of 60: resilience loss {round(worst['resilience_loss'], 1):g} days, "
        f"{worst['secondary_failures']} secondary failures"
    )
    name, _ = scenario_file(graph, store["scenarios"]["worst"])
    assert name.endswith(f"-random-drill-{worst['drill']}-of-60-seed-{seed}.yaml") and len(name) <= 65


def test_the_drill_cards_name_the_shocked_nodes_by_label_and_counts_take_their_comma(design):
    """The worst and median cards say "Acme Chips (tier 2)", as the drill view and the pack do, not
    the id "acme-chips"; every node of the retail graph has a label other than its id, so no id may
    show. A study of 3,000 drills reads "3,000 random drills" in its headline."""
    from augur.app.components.random_shocks import _drill_body
    from augur.text import monte_carlo_summary

    G, graph, scenario = design
    checked, seed = checked_study(G, scenario, _form(runs=40), 11)
    result = sweep.monte_carlo(G, checked, runs=40, seed=seed, spec=checked.random)
    store = json.loads(json.dumps(study_store(result, graph, scenario)))  # as the browser keeps it
    for which in ("worst", "median"):
        lines = [item.children for item in _drill_body(store, which)[1].children]
        for line, shock in zip(lines, store["drills"][which]["shocks"], strict=True):
            assert G.nodes[shock["target"]]["label"] in line and f" {shock['target']} " not in f" {line} "
    summary = monte_carlo_summary(3000, 7, {"cascade": 300}, {"cascade": (0.09, 0.11)}, [1.0, 2.0], "day")
    assert summary.startswith("3,000 random drills (seed 7): cascade in 10%")


def test_the_study_figures_keep_their_titles_clear_of_the_mode_bar(design):
    """ "Service level of the random drills: p5, median, p95" runs the width of its card, under the
    mode bar at the top right: every study figure's title starts under the bar's 26 px strip, and
    its plot under the title's 12 px line (38 px at least), and each chart is 26 px taller for it."""
    from augur.app.components.charts import MODEBAR_BAND
    from augur.app.components.random_shocks import _figures, _graph

    G, graph, scenario = design
    checked, seed = checked_study(G, scenario, _form(runs=20), 11)
    store = study_store(
        sweep.monte_carlo(G, checked, runs=20, seed=seed, spec=checked.random), graph, scenario
    )
    for fig in _figures(store):
        title = fig.layout.title
        assert (title.yref, title.y, title.yanchor, title.pad.t) == ("container", 1, "top", MODEBAR_BAND)
        assert fig.layout.margin.t >= MODEBAR_BAND + 12
    assert _graph("chart", 200).style == {"height": "226px"}


def test_a_random_drill_s_drawn_strengths_read_as_every_figure_is_rounded(design):
    """A drawn multiplier of 1.53775 reads 1.54× and a severity of 0.43127 reads 43%, as the KPIs
    and the shock list round them: never the generator's five decimals."""
    from augur.app.components.random_shocks import _drill_body

    shocks = [
        {"kind": "demand_spike", "target": "shop", "start": 3, "duration": 4, "multiplier": 1.53775},
        {"kind": "vendor_failure", "target": "acme-chips", "start": 2, "duration": 5, "severity": 0.43127},
    ]
    row = {
        "drill": 4,
        "verdict": "degraded",
        "resilience_loss": 1.25,
        "secondary_failures": 0,
        "shocks": shocks,
    }
    store = {"drills": {"worst": row}, "steps": 120, "unit": "day", "runs": 10}
    lines = [item.children for item in _drill_body(store, "worst")[1].children]
    assert lines == [
        "day 3 to day 6 (4 days): demand on shop rises to 1.54× baseline",
        "day 2 to day 6 (5 days): acme-chips loses 43% of its capacity",
    ]


def test_a_study_above_the_bound_is_refused_with_what_to_do(design):
    from augur.app.components.random_shocks import _bound_problem

    G, _, _ = design
    nodes, steps = G.number_of_nodes(), 120
    runs = MAX_NODE_STEPS // (nodes * steps) + 1
    assert _bound_problem(runs - 1, nodes, steps) is None
    problem = _bound_problem(runs, nodes, steps)
    assert f"{runs:,} × {nodes} × {steps}" in problem and "fewer drills" in problem


# -------------------------------------------------------------------------------------- the browser


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.fixture(scope="module")
def app_duo(module_dash_duo, tmp_path_factory, monkeypatch_module):
    monkeypatch_module.setenv("AUGUR_JOBS_DIR", str(tmp_path_factory.mktemp("jobs")))
    module_dash_duo.start_server(create_app(SCENARIOS), navigate=False)
    return module_dash_duo


def _wait(predicate, timeout=60.0, message="condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {message}")


def _visible(duo, element_id: str) -> bool:
    return duo.driver.execute_script(
        "var el = document.getElementById(arguments[0]); return !!el && el.offsetParent !== null;", element_id
    )


def open_view(duo, label: str, page: str) -> None:
    tab = next(t for t in duo.find_elements(f"#{ids.VIEW_TABS} .view-tab") if t.text == label)
    tab.click()
    _wait(lambda: _visible(duo, page), message=f"the {label} view")


def set_number(duo, component: str, value) -> None:
    field = duo.find_element(f"#{component}")
    field.clear()
    field.send_keys(str(value))
    field.send_keys("\t")  # debounced: the value goes on leaving the field


def traces(duo, graph_id: str) -> dict:
    """The figure's traces as the browser drew them, by name."""
    data = duo.driver.execute_script(
        "var el = document.getElementById(arguments[0]).querySelector('.js-plotly-plot');"
        "return el && el.data ? el.data.map(function (t) { return {name: t.name, y: t.y}; }) : null;",
        graph_id,
    )
    return {t["name"]: t["y"] for t in data or []}


def screenshot(duo, name: str) -> Path:
    folder = SHOTS if os.environ.get("AUGUR_DOCS") else Path(duo.download_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    duo.driver.save_screenshot(str(path))
    return path


@pytest.mark.browser
@pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning")
def test_random_shocks_run_with_progress_draw_the_api_s_bands_and_drill_the_worst(app_duo):
    duo = app_duo
    fresh_page(duo, width=1280, height=800)
    duo.wait_for_element(f"#{ids.VIEW_TABS}")
    open_view(duo, "Random shocks", ids.RANDOM_PAGE)
    _wait(lambda: "Tier-2 chip outage" in duo.find_element(f"#{ids.RANDOM_INTRO}").text, message="the intro")
    runs, seed = 3000, 5
    set_number(duo, ids.RANDOM_RUNS, runs)
    set_number(duo, ids.RANDOM_SEED, seed)
    _wait(lambda: f"{runs:,} drills ×" in duo.find_element(f"#{ids.RANDOM_BOUND}").text, message="the bound")
    duo.find_element(f"#{ids.RANDOM_RUN}").click()
    status = _wait(lambda: duo.find_element(f"#{ids.RANDOM_STATUS}").text, message="progress")
    assert status.endswith(f"of {runs:,} drills")
    assert _visible(duo, ids.RANDOM_PROGRESS)
    _wait(lambda: _visible(duo, ids.RANDOM_BANDS), timeout=120, message="the band chart")

    scenario = load_scenario(DEFAULT)
    expected = sweep.monte_carlo(scenario.graph, scenario, runs=runs, seed=seed)
    drawn = _wait(lambda: traces(duo, ids.RANDOM_BANDS) or None, message="the bands drawn")
    bands = expected.service_level_bands
    assert drawn["median"] == pytest.approx(bands["p50"])
    assert drawn["p5 to p95"] == pytest.approx(bands["p5"])
    assert drawn["p95"] == pytest.approx(bands["p95"])
    summary = duo.find_element(f"#{ids.RANDOM_SUMMARY}").text
    assert f"random drills (seed {seed})" in summary and "Tier-2 chip outage" in summary
    screenshot(duo, "random-shocks.png")

    worst = expected.worst
    button = json.dumps({"type": ids.RANDOM_DRILL, "which": "worst"}, separators=(",", ":"), sort_keys=True)
    duo.driver.execute_script("document.getElementById(arguments[0]).click()", button)
    _wait(lambda: not _visible(duo, ids.RANDOM_PAGE), message="the drill in front")
    _wait(
        lambda: worst["verdict"].upper() in duo.find_element(f"#{ids.VERDICT_BADGE}").text,
        message="the worst drill's verdict",
    )
    assert f"random drill {worst['drill']} of {runs} (seed {seed})" in duo.find_element(f"#{ids.TITLE}").text
    # the run is of the design on screen: the panel's settings followed the drill, nothing is stale
    assert not _visible(duo, ids.STALE_NOTE)
    assert duo.find_element(f"#{ids.NAME}").get_attribute("value") == duo.find_element(f"#{ids.TITLE}").text
    assert duo.get_logs() == []


@pytest.mark.browser
@pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning")
def test_a_drill_with_a_random_section_opens_the_settings_at_it_and_runs_the_file_s_study(app_duo):
    """Opening the pump maker's drill fills the settings from its random: section (300 drills, outages
    of 3 to 28 days, four targets); Run then draws the bands `augur montecarlo` draws on the file.
    Opening the retail drill, which has none, puts the defaults back."""
    duo = app_duo
    fresh_page(duo, width=1280, height=800)
    duo.wait_for_element(f"#{ids.VIEW_TABS}")
    plant = load_scenario(PLANT)
    choose(duo, f"#{ids.PICKER}", plant.name)
    open_view(duo, "Random shocks", ids.RANDOM_PAGE)
    _wait(lambda: plant.name in duo.find_element(f"#{ids.RANDOM_INTRO}").text, message="the plant's intro")

    def value(component):
        return duo.find_element(f"#{component}").get_attribute("value")

    _wait(lambda: value(ids.RANDOM_RUNS) == "300", message="the file's 300 drills")
    assert (value(ids.RANDOM_DURATION_LOW), value(ids.RANDOM_DURATION_HIGH)) == ("3", "28")
    assert (value(ids.RANDOM_START_LOW), value(ids.RANDOM_START_HIGH)) == ("5", "45")
    targets = duo.find_element(f"#{ids.RANDOM_TARGETS}").text
    assert "every vendor" in targets and "every data source" in targets and "4 selected" in targets
    duo.find_element(f"#{ids.RANDOM_RUN}").click()
    _wait(lambda: _visible(duo, ids.RANDOM_BANDS), timeout=120, message="the band chart")
    expected = sweep.monte_carlo(plant.graph, plant).service_level_bands  # the file's own section
    drawn = _wait(lambda: traces(duo, ids.RANDOM_BANDS) or None, message="the bands drawn")
    assert drawn["median"] == pytest.approx(expected["p50"])
    assert "300 random drills (seed 3)" in duo.find_element(f"#{ids.RANDOM_SUMMARY}").text
    duo.driver.save_screenshot(str(Path(duo.download_path) / "random-shocks-own-section.png"))  # looked at

    choose(duo, f"#{ids.PICKER}", load_scenario(DEFAULT).name)
    _wait(lambda: value(ids.RANDOM_RUNS) == "200", message="the defaults back")
    assert (value(ids.RANDOM_DURATION_LOW), value(ids.RANDOM_DURATION_HIGH)) == ("", "")
    assert duo.get_logs() == []


def test_the_app_s_worst_drill_describes_itself_as_augur_montecarlo_s_saved_file_does(design):
    """The worst drill the view drills or downloads says which random drill of the study it is, in
    the words `augur montecarlo --save-worst` writes, not the description of the drill it came from."""
    from augur.text.studies import random_drill_description

    G, graph, scenario = design
    checked, seed = checked_study(G, scenario, _form(runs=30), 11)
    result = sweep.monte_carlo(G, checked, runs=30, seed=seed, spec=checked.random)
    store = study_store(result, graph, scenario)
    worst = result.worst
    said = random_drill_description("worst", worst, result.base.name, 30, result.seed)
    assert store["scenarios"]["worst"]["description"] == said
    assert f"#{worst['drill']}" in said or str(worst["drill"]) in said
    assert said != result.base.description
