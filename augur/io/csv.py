"""CSV graphs: an edges file (``source,target[,weight,group,lead_time]``) and a nodes file.

The two files sit side by side: ``retail-edges.csv`` with ``retail-nodes.csv``, or a folder holding
``nodes.csv`` and ``edges.csv``. Either file, or the folder, can be given. Every cell is read as
text (so an id like ``007`` stays ``"007"``) and a blank cell means the attribute's default.
Messages name the file and its line, counting the header as line 1.

The standard :mod:`csv` module reads the cells rather than pandas: it reports the line each record
starts on, even across blank lines and quoted cells that span lines, and leaves every cell as text.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx

from augur.errors import GraphError
from augur.graph import build_graph
from augur.io._common import (
    EDGE_REQUIRED,
    NODE_REQUIRED,
    cell_text,
    decode_text,
    edge_table,
    guard_cell,
    node_table,
    read_bytes,
    table_records,
    unguard_cell,
    write_bytes,
)

__all__ = ["csv_pair", "csv_paths", "parse_csv", "read_csv", "write_csv"]

_NODES_EXPECTED = "a nodes CSV with a header line id,kind"
_EDGES_EXPECTED = "an edges CSV with a header line source,target"


def read_csv(path: str | Path) -> nx.DiGraph:
    """Read a CSV graph given its edges file, its nodes file, or a folder holding both.

    >>> G = read_csv("tests/data/graphs/retail-edges.csv")  # doctest: +SKIP
    """
    path = Path(path)
    source = str(path)
    if not path.exists():
        raise GraphError("file not found", source=source)
    nodes_path, edges_path = csv_pair(path, source=source)
    # a message about a file of the pair names that file alone, where one of the two was named (a
    # fault in the nodes file of `augur validate g-edges.csv` is at g-nodes.csv line 8); read from a
    # folder, it names the folder and the file in it
    one = path.is_file()
    nodes_source, edges_source = (str(nodes_path), str(edges_path)) if one else (source, source)
    nodes_place, edges_place = (None, None) if one else (nodes_path.name, edges_path.name)
    nodes_text = decode_text(
        read_bytes(nodes_path, source=nodes_source, place=nodes_place),
        expected=_NODES_EXPECTED,
        source=nodes_source,
        place=nodes_place,
    )
    edges_text = decode_text(
        read_bytes(edges_path, source=edges_source, place=edges_place),
        expected=_EDGES_EXPECTED,
        source=edges_source,
        place=edges_place,
    )
    try:
        return parse_csv(
            nodes_text, edges_text, nodes_name=nodes_path.name, edges_name=edges_path.name, source=source
        )
    except GraphError as err:
        if one:
            for at in (nodes_path, edges_path):
                if (err.place or "").startswith(f"{at.name} line "):
                    raise GraphError(
                        err.message, source=str(at), place=err.place[len(at.name) + 1 :]
                    ) from None
        raise


def parse_csv(
    nodes_text: str,
    edges_text: str,
    *,
    nodes_name: str = "nodes.csv",
    edges_name: str = "edges.csv",
    source: str | None = None,
) -> nx.DiGraph:
    """Parse the text of a nodes CSV and an edges CSV into a validated graph.

    The names are used in messages (``nodes.csv line 14``).

    >>> G = parse_csv("id,kind\\nacme,vendor\\nshop,process\\n", "source,target\\nacme,shop\\n")
    >>> list(G.edges)
    [('acme', 'shop')]
    """
    nodes = table_records(
        _rows(nodes_text, nodes_name, source),
        table=nodes_name,
        place=lambda line: f"{nodes_name} line {line}",
        required=NODE_REQUIRED,
        source=source,
    )
    edges = table_records(
        _rows(edges_text, edges_name, source),
        table=edges_name,
        place=lambda line: f"{edges_name} line {line}",
        required=EDGE_REQUIRED,
        source=source,
    )
    return build_graph(nodes, edges, source=source)


def _delimiter(text: str) -> str:
    """Commas, unless the header uses semicolons or tabs (as Excel does in many locales)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    if "," not in header:
        for candidate in (";", "\t"):
            if candidate in header:
                return candidate
    return ","


def _rows(text: str, name: str, source: str | None):
    """Yield ``(line, cells)`` with the line a record starts on; a quoted cell may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    start = 1
    try:
        for cells in reader:
            yield start, [unguard_cell(c) for c in cells]
            start = reader.line_num + 1
    except csv.Error as err:
        raise GraphError(
            f"not valid CSV: {err}", source=source, place=f"{name} line {reader.line_num}"
        ) from err


def _is_nodes_name(path: Path) -> bool:
    name = path.name.lower()
    return "nodes" in name and "edges" not in name


def csv_pair(path: str | Path, *, source: str | None = None) -> tuple[Path, Path]:
    """The nodes file and the edges file of the CSV graph that ``path`` names.

    ``path`` is a folder holding ``nodes.csv`` and ``edges.csv``, an edges file, or a nodes file
    (its name contains "nodes"). The partner is found beside it: the name with "edges" and "nodes"
    swapped, ``<stem>-nodes.csv`` for an edges file without "edges" in its name, or else the CSV
    beside it whose name says what it holds, preferring the one sharing the given file's prefix.
    """
    path = Path(path)
    source = str(path) if source is None else source
    if path.is_dir():
        nodes, edges = path / "nodes.csv", path / "edges.csv"
        missing = [p.name for p in (nodes, edges) if not p.is_file()]
        if missing:
            raise GraphError(
                f"{' and '.join(missing)} not found in the folder; expected a folder holding "
                "nodes.csv and edges.csv",
                source=source,
            )
        return nodes, edges
    if _is_nodes_name(path):
        return path, _partner(path, own="nodes", other="edges", source=source)
    return _partner(path, own="edges", other="nodes", source=source), path


def _twins(path: Path, own: str, other: str) -> list[Path]:
    """Names the partner of ``path`` most likely has, best first."""
    name, lower = path.name, path.name.lower()
    twins = []
    if own in lower:
        at = lower.rfind(own)
        twins.append(name[:at] + other + name[at + len(own) :])
        # retail-nodes.csv beside retail.csv, as write_csv("retail.csv") leaves them
        stem = (name[:at].rstrip("-_ .") + name[at + len(own) :]).strip("-_ ")
        if stem and stem.lower() != ".csv":
            twins.append(stem)
    else:
        twins += [f"{path.stem}-{other}{path.suffix}", f"{path.stem}_{other}{path.suffix}"]
    return [path.with_name(t) for t in twins]


def _partner(path: Path, *, own: str, other: str, source: str) -> Path:
    for twin in _twins(path, own, other):
        if twin.is_file() and twin != path:
            return twin
    try:
        beside = sorted(p for p in path.parent.iterdir() if p.suffix.lower() == ".csv" and p != path)
    except OSError:
        beside = []
    if other == "nodes":
        candidates = [p for p in beside if _is_nodes_name(p)]
    else:
        candidates = [p for p in beside if "edges" in p.name.lower()]
    expected = _twins(path, own, other)[0].name
    if not candidates:
        raise GraphError(
            f"no {other} file beside {path.name}; expected a CSV named like {expected} "
            f"(columns {'id,kind' if other == 'nodes' else 'source,target'}) in the same folder",
            source=source,
        )
    shared = [_shared_prefix(p.name.lower(), path.name.lower()) for p in candidates]
    best = [p for p, n in zip(candidates, shared, strict=True) if n == max(shared)]
    if len(best) > 1:
        raise GraphError(
            f"several {other} files beside {path.name} ({', '.join(p.name for p in best)}); "
            f"expected one, or one named {expected}",
            source=source,
        )
    return best[0]


def _shared_prefix(a: str, b: str) -> int:
    """How many leading characters two names share (retail-nodes.csv, retail-edges.csv: 7)."""
    count = 0
    for x, y in zip(a, b, strict=False):  # names differ in length
        if x != y:
            break
        count += 1
    return count


def _csv_text(columns: list[str], rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    # the module quotes only what holds the line terminator: a lone carriage return must be quoted
    # too, or a reader splits the record there
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for cells in [
        [guard_cell(str(c)) for c in columns],
        *([_guarded(row.get(c)) for c in columns] for row in rows),
    ]:
        # text is guarded against spreadsheet formulas; numbers are written as they are ("-1.5")
        (quoted if any("\r" in cell for cell in cells) else writer).writerow(cells)
    return out.getvalue()


def _guarded(value) -> str:
    return guard_cell(value) if isinstance(value, str) else cell_text(value)


def csv_paths(path: str | Path) -> tuple[Path, Path]:
    """The nodes file and the edges file that :func:`write_csv` writes for ``path``.

    >>> [p.name for p in csv_paths("retail.csv")]
    ['retail-nodes.csv', 'retail.csv']
    """
    path = Path(path)
    if path.is_dir() or not path.suffix:
        return path / "nodes.csv", path / "edges.csv"
    if _is_nodes_name(path):
        return path, _twins(path, "nodes", "edges")[0]
    return _twins(path, "edges", "nodes")[0], path


def write_csv(G: nx.DiGraph, path: str | Path) -> Path:
    """Write the graph as a nodes CSV and an edges CSV; return the path :func:`read_csv` takes.

    ``path`` is the edges file (``retail-edges.csv`` puts the nodes in ``retail-nodes.csv``,
    ``retail.csv`` puts them in ``retail-nodes.csv``), the nodes file (its name contains "nodes"),
    or a folder (an existing one, or a path without a suffix) that gets ``nodes.csv`` and
    ``edges.csv``.
    """
    path = Path(path)
    nodes_path, edges_path = csv_paths(path)
    write_bytes(nodes_path, _csv_text(*node_table(G)).encode("utf-8"))
    write_bytes(edges_path, _csv_text(*edge_table(G)).encode("utf-8"))
    return path
