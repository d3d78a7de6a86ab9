"""The project's docs point only at files the repository has."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted((ROOT / "docs").glob("*.md"))
# a path in backticks with a folder part (`engine/step.py`, `augur/engine/`, `components/`), or a
# Markdown file named anywhere in the text (a document the reader is sent to)
CODE = re.compile(r"`([^`]*)`")
MARKDOWN = re.compile(r"(?<![\w./-])([\w-]+\.md)\b")


def _mentioned(doc: Path) -> list[tuple[int, str]]:
    found = []
    for n, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), 1):
        spans = [m.group(1) for m in CODE.finditer(line)]
        # a relative path: not a URL, not the machine's own (/dev/zero), not an expression (`x`/`y`)
        found += [(n, s) for s in spans if "/" in s and " " not in s and "://" not in s and s[0] not in "/~"]
        found += [(n, m.group(1)) for m in MARKDOWN.finditer(line)]
    return found


def _repository_paths() -> set[str]:
    paths = set()
    for p in ROOT.rglob("*"):
        rel = p.relative_to(ROOT)
        if rel.parts and rel.parts[0] in (".git", ".venv", "build", "dist"):
            continue
        paths.add(rel.as_posix())
    return paths


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_file_a_doc_names_is_in_the_repository(doc):
    """Each path docs/ mentions is a file or folder of the repository, named whole from the root or
    by its tail (`engine/step.py`, a module without its `.py`); each Markdown file it names exists."""
    have = _repository_paths()
    missing = []
    for line, path in _mentioned(doc):
        tail = path.strip("/")
        ok = any(
            p == tail or p.endswith("/" + tail) or p in (tail + ".py", tail + "/__init__.py") for p in have
        ) or any(p.endswith("/" + tail + ".py") for p in have)
        if not ok:
            missing.append(f"{doc.name} line {line}: {path}")
    assert missing == []


def test_the_model_docs_hold_no_merge_leftovers():
    """A conflict left in the rule book (<<<<<<< HEAD ... >>>>>>>) would print two versions of a rule."""
    text = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    assert not re.search(r"^(<{7}|={7}|>{7})", text, flags=re.MULTILINE)
