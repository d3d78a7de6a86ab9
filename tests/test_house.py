"""The size of the rooms: no module in ``augur/`` over 700 lines, no function over 80 lines of its own.

A function's own lines are its lines less those of the functions defined inside it: a Dash component's
``register`` holds its callbacks, and each callback is measured as a function of its own. A module or
a function past its limit is listed below with why it is kept whole; an entry whose module or function
is back within the limit, or gone, must go too, so the lists say only what is true.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "augur"

MODULE_LINES = 700
FUNCTION_LINES = 80

# module (relative to the repository): why it is longer
LONG_MODULES: dict[str, str] = {}

# "module:function": why one function is the clearest form
LONG_FUNCTIONS: dict[str, str] = {
    "augur/engine/step.py:simulate_arrays": (
        "the engine's step loop: its stages are functions of their own (augur/engine/stages.py); what "
        "is left is the bookkeeping they share (history rings, the drills computed, which stood still)"
    ),
    "augur/engine/compiled.py:compile_graph": (
        "lays the graph out as arrays in one pass, each array beside the ones it is indexed by"
    ),
    "augur/app/network.py:network_stylesheet": (
        "a list of cytoscape rules in the order they apply (later rules win): long as the list is long"
    ),
    "augur/text/__init__.py:kpi_cards": (
        "one card after another in the order they are shown: a longer list reads better than helpers"
    ),
    "augur/report/page.py:compare_page": "the before/after page's HTML, top to bottom; part of page.py's split",
}


def _modules() -> Iterator[Path]:
    yield from sorted(PACKAGE.rglob("*.py"))


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def own_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """The lines of ``node`` (decorators aside) less those of the functions nested in it."""
    lines = set(range(node.lineno, node.end_lineno + 1))
    for inner in ast.walk(node):
        if inner is not node and isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = min([d.lineno for d in inner.decorator_list] + [inner.lineno])
            lines -= set(range(first, inner.end_lineno + 1))
    return len(lines)


def function_sizes(path: Path) -> dict[str, int]:
    """``{"module:function": own lines}`` for every function and method (``Class.method``) of a module;
    a nested function is named by its own name after its parent's (``register.run``)."""
    sizes: dict[str, int] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = prefix + child.name
                sizes[f"{_name(path)}:{name}"] = own_lines(child)
                visit(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix + child.name + ".")
            else:
                visit(child, prefix)

    visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)), "")
    return sizes


@cache  # the tree is read once for the three tests that ask
def _module_sizes() -> dict[str, int]:
    return {_name(p): len(p.read_text(encoding="utf-8").splitlines()) for p in _modules()}


@cache
def _function_sizes() -> dict[str, int]:
    return {name: size for p in _modules() for name, size in function_sizes(p).items()}


def test_own_lines_leave_out_the_functions_nested_inside():
    """A four-line ``register`` whose body is a decorated callback has one line of its own, its def;
    the callback's def and return count as a function of their own (its decorator is the caller's)."""
    tree = ast.parse("def register(app):\n    @app.callback\n    def run():\n        return 1\n")
    outer = tree.body[0]
    assert own_lines(outer) == 1
    assert own_lines(outer.body[0]) == 2


def test_no_module_in_augur_is_over_700_lines_unless_listed_with_why():
    long = {name: n for name, n in _module_sizes().items() if n > MODULE_LINES and name not in LONG_MODULES}
    assert not long, (
        f"over {MODULE_LINES} lines: {long}; split the module, or list it in LONG_MODULES with why"
    )


def test_no_function_in_augur_is_over_80_lines_unless_listed_with_why():
    long = {
        name: n for name, n in _function_sizes().items() if n > FUNCTION_LINES and name not in LONG_FUNCTIONS
    }
    assert not long, (
        f"over {FUNCTION_LINES} lines of their own: {long}; split each into named steps, or list it in "
        "LONG_FUNCTIONS (tests/test_house.py) with why one function is the clearest form"
    )


def test_every_listed_exception_is_still_over_its_limit():
    modules, functions = _module_sizes(), _function_sizes()
    stale = [m for m in LONG_MODULES if modules.get(m, 0) <= MODULE_LINES]
    stale += [f for f in LONG_FUNCTIONS if functions.get(f, 0) <= FUNCTION_LINES]
    assert not stale, f"within the limit now, or gone: remove {stale} from tests/test_house.py"
