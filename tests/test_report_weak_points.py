"""The review pack's weak-points section (``augur report SCENARIO --weak-points``): its figures are the
ones the command line prints for the same scenario, on a graph small enough to count by hand.

Vendors a (weight 3) and b (weight 1) supply the shop, which runs at full output on half its supply. With
no shock in the scenario each node is down from step 2 for 5 steps. The shop down: loss 5. Vendor a
down: the shop gets a quarter of its supply, half of what it needs, and runs at 50% for 5 steps: loss
2.5. Vendor b down: three quarters are above the shop's min_supply: no loss. Both vendors down: the
shop gets nothing and fails, loss 5, which is 2.5 more than a and b lost apart.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from builders import graph

import augur
from augur.cli import main
from augur.io._common import json_figures
from augur.report import review_html, weak_points_study, write_pack
from augur.scenario import parse_scenario
from augur.sweep import criticality, mitigate, monte_carlo, pairs

ROOT = Path(__file__).resolve().parents[1]
RETAIL = ROOT / "scenarios" / "retail-chip-outage.yaml"


def shop_drill(shocks=()):
    G = graph(
        {"a": ("vendor", {"label": "Vendor A"}), "b": "vendor", "shop": ("process", {"min_supply": 0.5})},
        [("a", "shop", {"weight": 3}), ("b", "shop")],
    )
    scenario = parse_scenario({"name": "shop", "steps": 20, "slo": 0.9, "shocks": list(shocks)}, graph=G)
    return augur.simulate(G, scenario)


def run(argv: list[str]) -> int:
    """The exit status of ``augur ARGV``, argparse's own refusals (a SystemExit) included."""
    try:
        return main(argv)
    except SystemExit as exit_:
        return exit_.code


def pack_json(page: str) -> dict:
    block = re.search(r'<script type="application/json" id="augur-pack">(.*?)</script>', page, re.S).group(1)
    return json.loads(block)


def section(page: str) -> str:
    return re.search(r'<section id="weak-points">.*?</section>', page, re.S).group(0)


@pytest.fixture(scope="module")
def shop():
    result = shop_drill()
    study = weak_points_study(result, runs=20, top=3)
    return result, study, review_html(result, weak_points=study)


def test_the_ranking_is_the_hand_counted_one(shop):
    """The shop first (exposure 1.0), vendor A (0.5), vendor b (0): each row in the table in that order,
    named as the graph names it."""
    _result, study, page = shop
    assert [(r["target"], r["exposure_index"]) for r in study.criticality] == [
        ("shop", 1.0),
        ("a", 0.5),
        ("b", 0.0),
    ]
    ranking = re.search(r'<table class="ranking">.*?</table>', section(page), re.S).group(0)
    names = re.findall(r"<tr><td class=\"num\">\d+</td><td>(.*?)</td>", ranking)
    assert names == ["shop", "Vendor A", "b"]


def test_the_strongest_pair_is_the_two_vendors_worse_together_by_the_counted_amount(shop):
    """a and b together lose 5, 2.5 more than apart: the first pair, its interaction +2.5."""
    _result, study, page = shop
    first = study.pairs[0]
    assert (first["targets"], first["interaction"], first["verdict"]) == (["a", "b"], 2.5, "cascade")
    table = re.search(r'<table class="pairs">.*?</table>', section(page), re.S).group(0)
    assert re.search(r"<td>Vendor A \+ b</td><td>cascade</td><td class=\"num\">5 hours</td>"
                     r"<td class=\"num\">\+2\.5</td>", table)  # fmt: skip
    sets = re.search(r'<ul class="sets" id="weak-pair-sets">(.*?)</ul>', page, re.S).group(1)
    assert sets.count("<li>") == 3 and "every pair of nodes: 3 pairs, tried" in html.unescape(sets).lower()


def test_the_section_s_figures_are_the_sweeps_own(shop):
    """The page's JSON holds what augur.sweep gives for the same drill, call by call."""
    result, _study, page = shop
    G, scenario = result.graph, result.scenario
    weak = pack_json(page)["weak_points"]
    singles = criticality(G, scenario)
    assert weak["criticality"] == json.loads(json.dumps(singles.rows))
    assert weak["pairs"] == json.loads(json.dumps(pairs(G, scenario, top=3, singles=singles).rows))
    mc = monte_carlo(G, scenario, runs=20)
    assert weak["monte_carlo"]["verdicts"] == mc.verdicts
    assert weak["monte_carlo"]["service_level_bands"] == json.loads(json.dumps(mc.service_level_bands))


def test_the_quadrant_says_why_its_points_stand_in_one_column(shop):
    """No node of the shop states a ttr, so each was down the sweep's 5 steps: the HTML caption under
    the quadrant and the picture's strip say so in the same sentence."""
    from augur.text.weak_points import strip_lines

    result, study, page = shop
    said = (
        "No node states its time to recover (ttr): every outage lasts the sweep's 5 hours, so the points "
        "stand in one column."
    )
    caption = re.search(r'<p class="caption" id="weak-quadrant-caption">(.*?)</p>', page, re.S).group(1)
    assert html.unescape(caption).endswith(said)
    assert (said, False) in strip_lines(study, result)


def test_the_fixes_found_are_the_mitigation_finder_s_sentences():
    """Vendor a down for 5 steps leaves the shop at 50%: the section lists augur mitigate's least
    fixes, word for word, and says stock at a cannot cover its own outage."""
    result = shop_drill([{"kind": "vendor_failure", "target": "a", "start": 2, "duration": 5}])
    study = weak_points_study(result, runs=10, top=3)
    page = html.unescape(section(review_html(result, weak_points=study)))
    found = mitigate(result.graph, result.scenario)
    assert found.fixes
    for fix in found.fixes:
        assert fix["text"] in page
    assert "Stock at Vendor A cannot cover its own outage" in page


def test_a_graceful_drill_needs_no_fix():
    """Without a shock the drill is graceful, and the section says no fix is needed."""
    result = shop_drill()
    study = weak_points_study(result, runs=5)
    assert "None needed: the drill already ends GRACEFUL." in section(review_html(result, weak_points=study))


def test_the_ranking_s_top_node_is_augur_sweep_s_first_row(tmp_path, capsys):
    """On a bundled drill the section's first row is the first row ``augur sweep --json`` prints, and
    the pack written by ``augur report --weak-points`` holds the same rows (as computed, where the
    command prints each figure to 12 significant digits)."""
    assert main(["sweep", str(RETAIL), "--json", "--quiet"]) == 0
    printed = json.loads(capsys.readouterr().out)["criticality"]
    capsys.readouterr()
    code = main(["report", str(RETAIL), "--weak-points", "--runs", "20", "--top", "4", "--out", str(tmp_path),
                 "--format", "html"])  # fmt: skip
    assert code == 0
    page = (tmp_path / "retail-chip-outage-review.html").read_text(encoding="utf-8")
    weak = pack_json(page)["weak_points"]
    assert json_figures(weak["criticality"][0]) == printed[0]
    assert json_figures(weak["criticality"]) == printed
    assert weak["monte_carlo"]["runs"] == 20
    ranking = re.search(r'<table class="ranking">.*?</table>', page, re.S).group(0)
    assert ranking.count("<tr><td") == 4
    G = augur.load_scenario(RETAIL).graph
    assert f"<td>{html.escape(G.nodes[printed[0]['target']]['label'])}</td>" in ranking


def test_without_the_flag_the_pack_stays_as_it_was(tmp_path):
    """``augur report`` alone writes no weak-points section and runs no sweep."""
    assert main(["report", str(RETAIL), "--out", str(tmp_path), "--format", "html"]) == 0
    page = (tmp_path / "retail-chip-outage-review.html").read_text(encoding="utf-8")
    assert 'id="weak-points"' not in page and "weak_points" not in pack_json(page)


@pytest.mark.parametrize(
    ("flags", "says"),
    [
        (["--weak-points", "--runs", "0"], "--runs"),
        (["--weak-points", "--top", "0"], "--top"),
        (["--runs", "20"], "--runs"),
        (["--top", "3"], "--top"),
        (["--scheduler", "local:2"], "--scheduler"),
        (["--weak-points", "--scheduler", "nowhere"], "--scheduler"),
        (["--workers", "2"], "--workers"),
        (["--weak-points", "--workers", "2", "--scheduler", "local:2"], "--workers"),
    ],
)
def test_bad_weak_point_flags_exit_2_naming_the_flag(flags, says, tmp_path, capsys):
    """A flag out of range, a weak-point flag without --weak-points, or an unknown scheduler: exit 2, a
    message naming the flag, and no pack written."""
    assert run(["report", str(RETAIL), "--out", str(tmp_path), "--format", "html", *flags]) == 2
    assert says in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_weak_points_of_a_before_after_pair_are_refused(tmp_path, capsys):
    """The weak points belong to one drill: with two scenarios the flag is refused with exit 2."""
    after = ROOT / "scenarios" / "retail-chip-outage-mitigated.yaml"
    code = main(["report", str(RETAIL), str(after), "--weak-points", "--out", str(tmp_path)])
    assert code == 2
    assert "--weak-points" in capsys.readouterr().err


def test_a_study_handed_to_the_pack_must_be_one(tmp_path):
    """write_pack refuses something that is not a weak-points study, naming what it got."""
    result = shop_drill()
    with pytest.raises(augur.errors.ReportError, match="expected the weak points of a drill"):
        write_pack(result, tmp_path, "html", weak_points={"criticality": []})


def test_the_levers_that_cannot_help_show_three_and_fold_the_rest():
    """The chip outage has ten levers that cannot help: the section lists the first three and folds
    the other seven under one line, every one of them still on the page."""
    scenario = augur.load_scenario(
        Path(__file__).resolve().parents[1] / "scenarios" / "retail-chip-outage.yaml"
    )
    result = augur.simulate(scenario.graph, scenario)
    study = weak_points_study(result, runs=5)
    page = html.unescape(section(review_html(result, weak_points=study)))
    cannot = study.fixes.cannot_help
    assert len(cannot) == 10
    assert "<summary>7 more levers that cannot help</summary>" in page
    assert all(row["why"] in page for row in cannot)
