"""The floors of the house: a module imports only from its own floor or the floors below.

    errors, _version
      <- graph, generate
      <- io, scenario
      <- engine
      <- metrics, cascade
      <- analysis, provenance
      <- text
      <- drill
      <- figures, style, drawing (and layout, drawing's old name)
      <- report, sweep
      <- cli, app, and the package root ``augur/__init__`` (the facade: nothing inside imports it),
         and ``augur/__main__`` (``python -m augur``, the command)

"a <- b" reads "b may import a". ``_version`` sits at the bottom so that anything may record the version;
``generate`` (random supply graphs) needs only the graph; ``provenance`` (hashes and what produced a
result) is read by the analysis and the report; ``style`` (colours, kind shapes) and ``drawing`` (where
each node goes) serve the figures and are drawn by the report and the app.

Every import counts, at the top of a module or inside a function, except under ``if TYPE_CHECKING:``
(annotations only, never run). :data:`ALLOWED` would list a known exception with why; it is empty, every
module on its floor, and an entry that stops happening must go. A new upward import fails with the
importing module, its line and both floors.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "augur"

FLOORS: tuple[tuple[str, ...], ...] = (
    ("errors", "_version"),
    ("graph", "generate"),
    ("io", "scenario"),
    ("engine",),
    ("metrics", "cascade"),
    ("analysis", "provenance"),
    ("text",),
    ("drill",),
    ("figures", "style", "drawing", "layout"),
    ("report", "sweep"),
    ("cli", "app", "", "__main__"),
)
FLOOR = {part: level for level, parts in enumerate(FLOORS) for part in parts}

# Modules judged by the floor of what they do, not of the folder they are in, until they move there.
MISPLACED: dict[str, str] = {}

# (importing module, imported module): why it is still upward today
ALLOWED: dict[tuple[str, str], str] = {}


def floor_of(module: str) -> int:
    """The floor of a module of augur by its first part (``augur.io.csv`` is on the floor of ``io``);
    the package root ``augur`` is the facade at the top."""
    parts = module.split(".")
    assert parts[0] == "augur", module
    if module in MISPLACED:
        return FLOOR[MISPLACED[module]]
    part = parts[1] if len(parts) > 1 else ""
    if part not in FLOOR:
        raise AssertionError(f"{module} is on no floor: add it to FLOORS in tests/test_layering.py")
    return FLOOR[part]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _nodes_run(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node of ``tree`` except the bodies of ``if TYPE_CHECKING:`` blocks."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def imports_of(path: Path) -> Iterator[tuple[int, str]]:
    """``(line, module)`` for each module of augur that the file at ``path`` imports.

    ``from augur.io import load_graph`` imports ``augur.io``; ``from augur.report import facts``
    imports ``augur.report.facts`` where that is a module; relative imports are resolved.
    """
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in _nodes_run(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "augur":
                    yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            if base.split(".")[0] != "augur":
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                is_module = (ROOT / Path(*sub.split("."))).with_suffix(".py").exists() or (
                    ROOT / Path(*sub.split(".")) / "__init__.py"
                ).exists()
                yield node.lineno, sub if is_module else base


def upward_imports(paths) -> list[tuple[str, int, str]]:
    """``(module, line, imported)`` for every import from a higher floor."""
    found = []
    for path in paths:
        me = module_name(path)
        for line, imported in imports_of(path):
            if floor_of(imported) > floor_of(me):
                found.append((me, line, imported))
    return sorted(found)


def _describe(module: str, line: int, imported: str) -> str:
    return (
        f"{module} (line {line}) imports {imported}: floor {floor_of(module)} "
        f"({'/'.join(p or 'augur' for p in FLOORS[floor_of(module)])}) may not import from floor "
        f"{floor_of(imported)} ({'/'.join(p or 'augur' for p in FLOORS[floor_of(imported)])})"
    )


def test_no_module_imports_from_a_floor_above_its_own():
    found = upward_imports(sorted(PACKAGE.rglob("*.py")))
    new = [_describe(*f) for f in found if (f[0], f[2]) not in ALLOWED]
    assert not new, "upward imports:\n" + "\n".join(new)


def test_every_allowed_exception_still_happens():
    """An entry nobody needs any more goes, so the list only ever shrinks to empty."""
    found = {(module, imported) for module, _, imported in upward_imports(sorted(PACKAGE.rglob("*.py")))}
    assert not set(ALLOWED) - found, f"no longer upward, remove from ALLOWED: {sorted(set(ALLOWED) - found)}"


def test_the_check_reads_imports_in_functions_and_skips_type_checking(tmp_path, monkeypatch):
    """The reader itself: a hidden import inside a function counts, a TYPE_CHECKING one does not,
    and ``from augur import x`` (the facade) counts as an import of the package root."""
    fake = tmp_path / "augur"
    (fake / "engine").mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "app.py").write_text("")
    (fake / "engine" / "__init__.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from augur.errors import AugurError\n"
        "if TYPE_CHECKING:\n"
        "    from augur.drill import DrillResult\n"
        "def show():\n"
        "    from augur import app\n"
        "    from augur import __version__\n"
    )
    (fake / "errors.py").write_text("")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    found = upward_imports([fake / "engine" / "__init__.py"])
    assert found == [("augur.engine", 6, "augur.app"), ("augur.engine", 7, "augur")]


@pytest.mark.parametrize("module", ["augur.engine", "augur.scenario", "augur.io"])
def test_the_lower_floors_import_no_dashboard_or_frame_libraries(module):
    """The engine, scenarios and readers stay plain NumPy, SciPy and NetworkX: importing them pulls in
    neither Dash, plotly nor pandas (a separate interpreter, so nothing else has loaded them)."""
    code = f"import {module}, sys; print(sorted({{'dash', 'plotly', 'pandas'}} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_command_line_loads_neither_dash_nor_plotly_until_a_command_needs_them():
    """``augur run`` and ``augur --version`` start without the app's and the packs' libraries."""
    code = "import augur.cli, sys; print(sorted({'dash', 'plotly', 'kaleido'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
