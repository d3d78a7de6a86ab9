"""Reading and writing supply graphs: JSON and YAML node-link, GraphML, CSV and Excel.

Every reader turns its format into records that name their place in the file (``nodes[3]``,
``nodes.csv line 14``, ``sheet 'nodes' row 5``, ``node 'acme'``) and hands them to
:func:`augur.graph.build_graph`, so every format is checked by the same rules and bad input gets one
:class:`~augur.errors.GraphError` naming the file, the place and what was expected.

>>> import tempfile
>>> G = parse_node_link({"nodes": [{"id": "acme", "kind": "vendor"}, {"id": "shop", "kind": "process"}],
...                      "edges": [{"source": "acme", "target": "shop", "lead_time": 2}]})
>>> with tempfile.TemporaryDirectory() as folder:
...     H = load_graph(write_graph(G, Path(folder) / "shop.xlsx"))
>>> H.edges["acme", "shop"]
{'lead_time': 2}
"""

from __future__ import annotations

import errno
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath

import networkx as nx

from augur.errors import GraphError
from augur.graph import without_gc
from augur.io._common import decode_text
from augur.io.csv import csv_pair, parse_csv, read_csv, write_csv
from augur.io.excel import parse_excel, read_excel, write_excel
from augur.io.graphml import parse_graphml, read_graphml, write_graphml
from augur.io.nodelink import (
    parse_node_link,
    parse_node_link_text,
    read_node_link,
    to_node_link,
    write_node_link,
)

__all__ = [
    "SUPPORTED_SUFFIXES",
    "load_graph",
    "parse_node_link",
    "read_upload",
    "table_files",
    "to_node_link",
    "upload_table_files",
    "write_graph",
]

SUPPORTED_SUFFIXES: tuple[str, ...] = (".json", ".yaml", ".yml", ".graphml", ".csv", ".xlsx")

_READERS = {
    ".json": read_node_link,
    ".yaml": read_node_link,
    ".yml": read_node_link,
    ".graphml": read_graphml,
    ".csv": read_csv,
    ".xlsx": read_excel,
}
_WRITERS = {
    ".json": write_node_link,
    ".yaml": write_node_link,
    ".yml": write_node_link,
    ".graphml": write_graphml,
    ".csv": write_csv,
    ".xlsx": write_excel,
}


def _unsupported(suffix: str, source: str, *, upload: bool = False) -> GraphError:
    hint = " (an old Excel workbook: save it as .xlsx)" if suffix == ".xls" else ""
    alternative = "two CSV files, nodes and edges" if upload else "a folder with nodes.csv, edges.csv"
    return GraphError(
        f"unsupported file type {suffix or '(no suffix)'!r}{hint}; expected one of "
        f"{', '.join(SUPPORTED_SUFFIXES)}, or {alternative}",
        source=source,
    )


@without_gc
def load_graph(path: str | Path) -> nx.DiGraph:
    """Read a supply graph from a file or a CSV folder, chosen by its suffix, and validate it.

    ``.json``, ``.yaml``/``.yml`` (node-link), ``.graphml``, ``.csv`` (the edges file or the nodes
    file, with its partner beside it), ``.xlsx``, or a folder holding ``nodes.csv`` and
    ``edges.csv``. Bad input raises a :class:`GraphError` naming the file, the place and what was
    expected.

    >>> G = load_graph("tests/data/graphs/retail-edges.csv")  # doctest: +SKIP
    >>> G.nodes["007"]  # doctest: +SKIP
    {'kind': 'vendor', 'label': 'Backup chip vendor', 'region': 'EU'}
    """
    path = Path(path)
    source = str(path)
    if _is_dir(path):
        return read_csv(path)
    if not path.exists():
        raise GraphError("file not found", source=source)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise _unsupported(path.suffix.lower(), source)
    return reader(path)


def write_graph(G: nx.DiGraph, path: str | Path) -> Path:
    """Write a supply graph in the format its suffix names and return the path to load it from.

    Only the attributes the graph holds are written (no defaults), ``id`` and ``kind`` first. A
    ``.csv`` path gets the edges, with the nodes beside it (``retail-edges.csv`` and
    ``retail-nodes.csv``); an existing folder or a path without a suffix gets ``nodes.csv`` and
    ``edges.csv``.

    >>> import tempfile
    >>> G = parse_node_link({"nodes": [{"id": "acme", "kind": "vendor"}]})
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     print(write_graph(G, Path(folder) / "acme.yaml").read_text(encoding="utf-8"), end="")
    nodes:
    - id: acme
      kind: vendor
    edges: []
    """
    path = Path(path)
    if _is_dir(path) or not path.suffix:
        return write_csv(G, path)
    writer = _WRITERS.get(path.suffix.lower())
    if writer is None:
        raise _unsupported(path.suffix.lower(), str(path))
    return writer(G, path)


def table_files(path: str | Path) -> tuple[str, str]:
    """``(edges file, nodes file)`` of the graph :func:`load_graph` read from ``path``, as a message
    names them: a CSV graph's two files, or the one file twice.

    >>> table_files("tests/data/graphs/retail-edges.csv")  # doctest: +SKIP
    ('tests/data/graphs/retail-edges.csv', 'tests/data/graphs/retail-nodes.csv')
    """
    path = Path(path)
    if path.suffix.lower() == ".csv" or _is_dir(path):
        nodes, edges = csv_pair(path)
        return str(edges), str(nodes)
    return str(path), str(path)


def upload_table_files(names: Sequence[str]) -> tuple[str, str]:
    """``(edges file, nodes file)`` of a graph :func:`read_upload` read from the files ``names``.

    >>> upload_table_files(["shop-nodes.csv", "shop-edges.csv"]), upload_table_files(["shop.json"])
    (('shop-edges.csv', 'shop-nodes.csv'), ('shop.json', 'shop.json'))
    """
    nodes = [name for name in names if _is_nodes_name(name)]
    if len(names) == 2 and len(nodes) == 1:
        return next(name for name in names if name != nodes[0]), nodes[0]
    return names[0], names[0]


def _is_dir(path: Path) -> bool:
    """``path.is_dir()``, with a path the system cannot even look up (a name too long) refused."""
    try:
        path.stat()
    except FileNotFoundError:
        return False
    except OSError as err:
        if err.errno == errno.ENAMETOOLONG:
            raise GraphError(
                "the file name is too long for this system (at most 255 characters per name)",
                source=str(path),
            ) from err
        return False
    return path.is_dir()


def _suffix(name: str) -> str:
    # Browsers send a bare name, but some send "C:\\fakepath\\name.csv".
    return PurePosixPath(name.replace("\\", "/")).suffix.lower()


def _is_nodes_name(name: str) -> bool:
    lower = PurePosixPath(name.replace("\\", "/")).name.lower()
    return "nodes" in lower and "edges" not in lower


@without_gc
def read_upload(files: Mapping[str, bytes]) -> nx.DiGraph:
    """Parse an upload from memory: one graph file, or a nodes CSV with its edges CSV.

    ``files`` maps each uploaded file's name to its bytes. Nothing is written to disk. Bad input
    raises a :class:`GraphError` naming the uploaded file.

    >>> G = read_upload({"shop-nodes.csv": b"id,kind\\nacme,vendor\\nshop,process\\n",
    ...                  "shop-edges.csv": b"source,target\\nacme,shop\\n"})
    >>> list(G.edges)
    [('acme', 'shop')]
    """
    uploads = {
        name: bytes(data, "utf-8") if isinstance(data, str) else bytes(data) for name, data in files.items()
    }
    if not uploads:
        raise GraphError("no file uploaded; expected one graph file, or a nodes CSV with its edges CSV")
    if len(uploads) == 1:
        ((name, data),) = uploads.items()
        return _parse_one(name, data)
    csvs = [name for name in uploads if _suffix(name) == ".csv"]
    if len(uploads) > 2 or len(csvs) != 2:
        raise GraphError(
            f"{len(uploads)} files uploaded ({', '.join(uploads)}); expected one graph file, "
            "or two CSV files: a nodes file and an edges file"
        )
    nodes = [name for name in csvs if _is_nodes_name(name)]
    if len(nodes) != 1:
        raise GraphError(
            f"cannot tell which of {' and '.join(csvs)} is the nodes file; expected exactly one "
            "whose name contains 'nodes' (such as retail-nodes.csv and retail-edges.csv)"
        )
    (nodes_name,) = nodes
    (edges_name,) = (name for name in csvs if name != nodes_name)
    return parse_csv(
        decode_text(
            uploads[nodes_name],
            expected="a nodes CSV with a header line id,kind",
            source=nodes_name,
        ),
        decode_text(
            uploads[edges_name],
            expected="an edges CSV with a header line source,target",
            source=edges_name,
        ),
        nodes_name=nodes_name,
        edges_name=edges_name,
        source=edges_name,
    )


def _parse_one(name: str, data: bytes) -> nx.DiGraph:
    suffix = _suffix(name)
    if suffix == ".json":
        return parse_node_link_text(data, fmt="json", source=name)
    if suffix in (".yaml", ".yml"):
        return parse_node_link_text(data, fmt="yaml", source=name)
    if suffix == ".graphml":
        return parse_graphml(data, source=name)
    if suffix == ".xlsx":
        return parse_excel(data, source=name)
    if suffix == ".csv":
        if _is_nodes_name(name):
            raise GraphError(
                "a nodes CSV needs its edges file; upload the edges file (columns "
                "source,target) together with it",
                source=name,
            )
        header = data.decode("utf-8", "replace").lstrip("\ufeff").splitlines()[:1]
        columns = {c.strip().lower() for c in header[0].split(",")} if header else set()
        if not {"source", "target"} <= columns:
            found = (
                f"its header is {header[0].strip()[:60]!r}" if header and header[0].strip() else "it is empty"
            )
            raise GraphError(
                f"not a graph CSV: {found}; expected an edges file with columns "
                "source,target, uploaded together with its nodes file (columns id,kind)",
                source=name,
                place="line 1",
            )
        raise GraphError(
            "an edges CSV needs its nodes file; upload the nodes file (columns id,kind, a name "
            "containing 'nodes' such as retail-nodes.csv) together with it",
            source=name,
        )
    raise _unsupported(suffix, name, upload=True)
