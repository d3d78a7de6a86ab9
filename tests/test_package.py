"""The package as a user meets it: what ``import augur`` offers, its version, and its errors' parts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import builders
import pytest
import tomllib

import augur
from augur import sweep
from augur._version import __version__
from augur.app.compare import _run as run_compared
from augur.app.design import build_scenario, with_settings
from augur.errors import AugurError, GraphError, ScenarioError

ROOT = Path(__file__).resolve().parents[1]


def test_star_import_gives_every_name_in_all():
    namespace: dict = {}
    exec("from augur import *", namespace)
    assert set(augur.__all__) <= set(namespace)
    assert namespace["criticality"] is sweep.criticality
    assert namespace["monte_carlo"] is sweep.monte_carlo


def test_the_sweeps_are_reached_from_the_package():
    assert augur.criticality is sweep.criticality
    assert augur.monte_carlo is sweep.monte_carlo


def test_the_version_has_one_home_that_the_build_reads():
    assert augur.__version__ == __version__
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" in project["project"]["dynamic"]
    assert "version" not in project["project"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "augur._version.__version__"}


def test_any_module_can_be_imported_first():
    """Without the cycle through the package root, importing a module first, on its own, works."""
    for module in ("augur.drill", "augur.cli", "augur.report", "augur._version"):
        done = subprocess.run(
            [sys.executable, "-c", f"import {module}"], cwd=ROOT, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr


# ------------------------------------------------------------------------------------------- errors


def test_an_error_keeps_its_parts_and_renders_with_or_without_its_file():
    err = GraphError("expected a number, got 'x'", source="plant.csv", place="line 4, column 'buffer'")
    assert (err.message, err.place, err.source) == (
        "expected a number, got 'x'",
        "line 4, column 'buffer'",
        "plant.csv",
    )
    assert str(err) == "plant.csv: line 4, column 'buffer': expected a number, got 'x'"
    assert err.describe(source=False) == "line 4, column 'buffer': expected a number, got 'x'"
    assert ScenarioError("missing 'steps'").describe() == "missing 'steps'"


def test_with_source_names_the_file_once():
    err = ScenarioError("missing 'target'", place="shocks[0]").with_source("drill.yaml")
    assert isinstance(err, ScenarioError)
    assert str(err) == "drill.yaml: shocks[0]: missing 'target'"
    assert str(err.with_source("other.yaml")) == "drill.yaml: shocks[0]: missing 'target'"


def _design_graph():
    return builders.graph({"acme": "vendor", "shop": "process"}, [("acme", "shop")])


def test_a_design_from_the_app_names_no_file_in_its_errors():
    """The app's design was read from no file: its errors name the field alone, and nobody has to
    strip a made-up source off the message."""
    G = _design_graph()
    store = {
        "name": "outage",
        "steps": 10,
        "shocks": [{"kind": "vendor_failure", "target": "acme-x", "start": 2}],
    }
    with pytest.raises(ScenarioError) as caught:
        build_scenario(G, store)
    assert caught.value.source is None
    assert caught.value.place == "shocks[0].target"
    assert str(caught.value).startswith("shocks[0].target: ")
    with pytest.raises(ScenarioError) as caught:
        with_settings({"name": "outage", "steps": 10, "shocks": []}, slo=2.0)
    assert caught.value.source is None
    assert caught.value.place == "slo"
    fine = build_scenario(G, {**store, "shocks": [{"kind": "vendor_failure", "target": "acme", "start": 2}]})
    assert fine.source is None


def test_the_other_drill_of_a_comparison_is_named_once_where_its_file_would_be():
    G = _design_graph()
    store = {
        "name": "plant",
        "steps": 10,
        "shocks": [{"kind": "vendor_failure", "target": "acme", "start": 12}],
    }
    with pytest.raises(ScenarioError) as caught:
        run_compared(G, store, other=True, same_shocks=True)
    err = caught.value
    assert err.source == "plant under the shocks on screen"
    assert err.place == "shocks[0].start"
    assert err.message.endswith(". Untick 'Same shocks' to compare the two drills as they are")
    assert str(err).count("plant") == 1
    assert isinstance(err, AugurError)
