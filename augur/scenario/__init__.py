"""Drill scenarios: the shocks, the horizon and what the business needs.

Validate first, run second: :func:`parse_scenario` checks every field and every shock target against the
graph and names the place of anything wrong (``shocks[2].target: unknown node 'acme-x'``); the engine then
trusts what it is given.

The package's parts: ``_model`` (the dataclasses and the tables of shock kinds), ``_checks`` (a number
in its range, a node's name), ``_shocks`` (one shock), ``_random`` (the ``random:`` section) and
``_files`` (a whole scenario from a mapping, text or a file, and back). Import from ``augur.scenario``.
"""

from augur.scenario._files import (
    dump_scenario,
    file_looks_like_scenario,
    load_scenario,
    looks_like_scenario,
    parse_scenario,
    parse_scenario_text,
    peek_file,
    peek_text,
    scenario_to_dict,
    validate_shocks,
)
from augur.scenario._model import (
    DEFAULT_GOAL,
    GOALS,
    MAX_RUNS,
    RANDOM_KIND_CHANCES,
    RANDOM_STRENGTHS,
    SHOCK_KINDS,
    VERDICT_RANK,
    VERDICTS,
    RandomShocks,
    Scenario,
    Shock,
    random_targets,
)

__all__ = [
    "DEFAULT_GOAL",
    "GOALS",
    "MAX_RUNS",
    "RANDOM_KIND_CHANCES",
    "RANDOM_STRENGTHS",
    "SHOCK_KINDS",
    "VERDICTS",
    "VERDICT_RANK",
    "RandomShocks",
    "Scenario",
    "Shock",
    "dump_scenario",
    "file_looks_like_scenario",
    "load_scenario",
    "looks_like_scenario",
    "parse_scenario",
    "parse_scenario_text",
    "peek_file",
    "peek_text",
    "random_targets",
    "scenario_to_dict",
    "validate_shocks",
]
