"""The one way augur reads YAML, for graphs (:mod:`augur.io.nodelink`) and scenarios
(:mod:`augur.scenario`) alike: a safe loader that refuses a key given twice, and a budget on how far
aliases may expand.

>>> load_yaml("{name: outage, steps: 20}")
{'name': 'outage', 'steps': 20}
>>> laughs = load_yaml("a: &a [ha, ha, ha, ha]\\nb: &b [*a, *a, *a, *a]\\nc: [*b, *b, *b, *b]")
>>> expands_beyond(laughs, budget=50)
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

__all__ = [
    "MAX_DIGITS",
    "SAFE_LOADER",
    "UniqueKeyLoader",
    "expands_beyond",
    "load_yaml",
    "yaml_budget",
    "yaml_problem",
]


class UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml's safe loader where PyYAML was built with it (the same documents, parsed at C speed),
    refusing a key given twice in one mapping: YAML forbids it, and PyYAML would keep the last one
    silently (``capacity: 2`` then ``capacity: -3`` in one node).

    >>> yaml.load("{capacity: 2, capacity: -3}", Loader=UniqueKeyLoader)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    yaml.constructor.ConstructorError: ...key 'capacity' given twice...
    """

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, _ in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                if key is not None and key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"key '{key}' given twice in one mapping", key_node.start_mark
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)

    # YAML types JSON does not have: refused where they are written, so a file means the same read by
    # any tool (a date, a set or bytes has no place in a graph or a scenario; quote it to keep it text)
    def _refuse_type(self, node):
        what = {"timestamp": "a date or time", "binary": "binary data", "set": "a set"}
        name = node.tag.rsplit(":", 1)[-1]
        raise yaml.constructor.ConstructorError(
            None,
            None,
            f"{what.get(name, 'a ' + name)} ({node.tag}) is not a JSON value; expected text (quote it), "
            "a number, true/false, a list or a mapping",
            node.start_mark,
        )

    def _bounded_int(self, node):
        digits = sum(ch.isdigit() for ch in node.value)
        if digits > MAX_DIGITS:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"a number of {digits:,} digits, longer than the {MAX_DIGITS:,} digits a number may have",
                node.start_mark,
            )
        return super().construct_yaml_int(node)


# Python refuses to read an integer longer than this (sys.get_int_max_str_digits); no attribute needs one.
MAX_DIGITS = 4300
for _tag in ("timestamp", "binary", "set", "omap", "pairs"):
    UniqueKeyLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", UniqueKeyLoader._refuse_type)
UniqueKeyLoader.add_constructor("tag:yaml.org,2002:int", UniqueKeyLoader._bounded_int)

SAFE_LOADER = UniqueKeyLoader


def load_yaml(text: str | bytes) -> Any:
    """The data a YAML text holds, read with :data:`SAFE_LOADER`: plain mappings, lists and scalars,
    never an object of a named Python type. Raises :class:`yaml.YAMLError` (see :func:`yaml_problem`)
    or :class:`RecursionError` for text nested too deeply; the caller words the error for its file."""
    return yaml.load(text, Loader=SAFE_LOADER)


def yaml_problem(err: yaml.YAMLError) -> tuple[str, str | None]:
    """What PyYAML found wrong, with its column, and the line it is on (``None`` when it names none).

    >>> try:
    ...     load_yaml("a: [1, 2")
    ... except yaml.YAMLError as err:
    ...     yaml_problem(err)  # doctest: +ELLIPSIS
    ("...expected ',' or ']'... (column 1)", 'line 2')
    """
    mark = getattr(err, "problem_mark", None)
    if isinstance(err, yaml.reader.ReaderError):  # a character YAML never allows: no mark, a position
        return f"{err.reason} (character {err.position + 1} of the text)", None
    # PyYAML's own wording runs over several lines; a message is one
    problem = " ".join((getattr(err, "problem", None) or str(err)).split())
    if mark is None:
        return problem, None
    return f"{problem} (column {mark.column + 1})", f"line {mark.line + 1}"


def expands_beyond(data: Any, budget: int) -> bool:
    """True when walking ``data`` visits more than ``budget`` items (a "billion laughs" YAML file).

    PyYAML shares aliased objects, so loading such a file is quick, but anything that later walks
    the data (writing it out, showing it) would walk every copy. Counting visits with a budget
    proportional to the text catches exponential and self-referencing aliases alike.

    >>> laughs = ["ha"] * 10
    >>> expands_beyond([laughs] * 10, budget=50)
    True
    """
    stack = [data]
    visits = 0
    while stack:
        item = stack.pop()
        visits += 1
        if visits > budget:
            return True
        if isinstance(item, Mapping):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def yaml_budget(text: str | bytes) -> int:
    """How many items a plain YAML or JSON text of this length can reasonably hold."""
    return 50 * len(text) + 10_000
