"""The project's docs point only at files the repository has, and so do the code's docstrings and
comments: a document they send the reader to is one the repository holds, cited by the name of its
section (a section's number changes when the document grows; its name is what the reader searches)."""

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


# The text a reader of the code meets: docstrings and comments, the README, the scripts and assets.
READ = (
    "augur/**/*.py",
    "tests/**/*.py",
    "benchmarks/*.py",
    "scripts/*",
    "assets/*",
    "*.md",
    "scenarios/*.md",
)
SOURCES = sorted(
    p
    for pattern in READ
    for p in ROOT.glob(pattern)
    if p.is_file() and p.suffix not in (".png", ".pdf", ".json") and p.name != "test_docs.py"
)
DOCUMENT = re.compile(r"(?<![\w.-])((?:[\w-]+/)*[\w-]+\.md)\b")
NUMBERED = re.compile(r"\.md\b\W{0,3}(?:§|sections?\s+)\s*\d", re.IGNORECASE)
# a section of the rule book cited by name: docs/model.md ("One step"), docs/model.md, "Shocks",
# docs/model.md's "File formats"
CITED = re.compile(r"docs/model\.md(?:'s)?,?\s*\(?\"([^\"]+)\"")


def _sources() -> list[tuple[str, int, str]]:
    return [
        (p.relative_to(ROOT).as_posix(), n, line)
        for p in SOURCES
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
    ]


def test_every_document_the_code_names_is_in_the_repository():
    """A Markdown file a docstring, comment or the README names is one of the repository's (named
    from the root or by its tail, case and all): a contract kept outside the repository is no
    reference a reader of the code can follow."""
    have = _repository_paths()
    missing = [
        f"{name} line {n}: {doc}"
        for name, n, line in _sources()
        for doc in DOCUMENT.findall(line)
        if not any(p == doc or p.endswith("/" + doc) for p in have)
    ]
    assert missing == []


def test_the_code_cites_the_rule_book_by_section_name_not_number():
    """No "§4" or "section 5" of a document: docs/model.md's sections have names, and a quoted one
    is a heading of it (or a term it defines, in backticks)."""
    numbered = [f"{name} line {n}" for name, n, line in _sources() if NUMBERED.search(line)]
    assert numbered == []
    text = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    headings = [line.lstrip("#").strip() for line in text.splitlines() if line.startswith("## ")]
    unknown = [
        f"{name} line {n}: {cited}"
        for name, n, line in _sources()
        for cited in CITED.findall(line)
        if not any(h.startswith(cited) for h in headings) and f"`{cited}`" not in text
    ]
    assert unknown == []


def test_the_csv_columns_are_named_where_a_csv_user_reads():
    """docs/model.md's CSV format names every column the readers take as an attribute, and the README's
    graph section names both headers, so a CSV written from either is read as its author meant."""
    from augur.io._common import _EDGE_ORDER, _NODE_ORDER

    rules = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    csv = rules[rules.index("- **CSV.**") :]
    csv = csv[: csv.index("\n- **", 1)]
    assert [c for c in (*_NODE_ORDER, *_EDGE_ORDER) if f"`{c}`" not in csv] == []
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    graph = readme[readme.index("## Your supply graph") :]
    assert "`id,kind`" in graph and "`source,target`" in graph and "`weight,group,lead_time`" in graph
