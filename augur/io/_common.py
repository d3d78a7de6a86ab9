"""What every format shares: reading and decoding files, column order, and rows of a table.

Readers turn a file into records ``(place, mapping)`` and leave all checking of kinds, ranges, ids
and edges to :func:`augur.graph.build_graph`. This module holds what does not depend on the format:
the table logic used by both CSV and Excel, and the column order used by every writer.
"""

from __future__ import annotations

import contextlib
import errno
import json
import math
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from augur.errors import GraphError
from augur.graph import EDGE_ATTRIBUTES, NODE_ATTRIBUTES, closest_name, shown_value

NODE_REQUIRED = ("id", "kind")
EDGE_REQUIRED = ("source", "target")

# Documented columns, in the order the contract lists them; a user's own columns follow.
_NODE_ORDER = tuple(dict.fromkeys(("id", "kind", "label", *NODE_ATTRIBUTES)))
_EDGE_ORDER = tuple(dict.fromkeys(("source", "target", "weight", "group", "lead_time", *EDGE_ATTRIBUTES)))


# The largest file augur reads: a 100,000-edge graph in JSON is about 15 MB.
MAX_FILE_BYTES = 200 * 2**20


def read_regular(path: Path, *, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes. A FIFO, a device (``/dev/zero``) or a
    larger file raises :class:`OSError` before anything is read, so reading never blocks or fills
    memory. Raises :class:`OSError` (``FileNotFoundError``, ...) like :meth:`Path.read_bytes`."""
    info = os.stat(path)
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
    if not stat.S_ISREG(info.st_mode):
        raise OSError(errno.EINVAL, "not a regular file (a device, a pipe or a socket)", str(path))
    if info.st_size > limit:
        raise OSError(errno.EFBIG, f"larger than {limit // 2**20} MB", str(path))
    with open(path, "rb") as handle:
        data = handle.read(info.st_size + 1)  # one byte more tells a file that grew
    if len(data) > info.st_size:
        raise OSError(errno.EAGAIN, "it changed while being read", str(path))
    return data


def read_bytes(path: Path, *, source: str, place: str | None = None) -> bytes:
    """The bytes of ``path``, or a :class:`GraphError` saying why they cannot be read."""
    try:
        return read_regular(path)
    except FileNotFoundError as err:
        raise GraphError("file not found", source=source, place=place) from err
    except IsADirectoryError as err:
        raise GraphError("expected a file, got a folder", source=source, place=place) from err
    except OSError as err:
        reason = err.strerror or str(err)
        raise GraphError(f"cannot read the file ({reason})", source=source, place=place) from err


def decode_text(raw: bytes, *, expected: str, source: str | None, place: str | None = None) -> str:
    """UTF-8 text (a byte-order mark is allowed, as spreadsheet programs write one)."""
    if not raw.strip():
        raise GraphError(f"the file is empty; expected {expected}", source=source, place=place)
    # A NUL byte never occurs in UTF-8 text: it marks a binary file (or UTF-16, which is not read).
    if b"\x00" in raw:
        raise GraphError(
            f"this is a binary file; expected {expected}",
            source=source,
            place=place,
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise GraphError(
            f"not UTF-8 text (byte {err.start} cannot be decoded); expected {expected}, saved as UTF-8",
            source=source,
            place=place,
        ) from err


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old file or the whole new one, never half.

    The bytes go to a temporary file in the same folder (same file system, so the rename is atomic),
    are flushed to disk, then replace ``path``. An interrupted write leaves no partial file behind.
    Raises :class:`OSError`; callers word it in their own error class.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates owner-only files; a written file is readable as any other the user makes
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, creating its folder, with errors as :class:`GraphError`."""
    try:
        write_atomic(path, data)
    except OSError as err:
        reason = err.strerror or str(err)
        raise GraphError(f"cannot write the file ({reason})", source=str(path)) from err


def finite_or_null(value: Any) -> Any:
    """``value`` with every non-finite number (NaN, infinity) replaced by ``None``, recursively.

    >>> finite_or_null({"peak": float("inf"), "series": [1.0, float("nan")]})
    {'peak': None, 'series': [1.0, None]}
    """
    value = plain(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite_or_null(v) for k, v in value.items()}
    if isinstance(value, list):
        return [finite_or_null(v) for v in value]
    return value


# JSON that augur prints or writes gives each figure to this many significant digits: a sum of floats
# carries noise in its last digits (0.1 * 56 is 5.6000000000000005) that no reader means, and 12
# digits keep every figure a drill can tell apart. The values computed and returned are not rounded.
JSON_DIGITS = 12


def json_figures(value: Any) -> Any:
    """``value`` with every float given to :data:`JSON_DIGITS` significant digits, recursively
    (integers, text and ``None`` as they are).

    >>> json_figures({"loss": 5.6000000000000005, "overrun": 131040.00000000009, "steps": 3, "ci": None})
    {'loss': 5.6, 'overrun': 131040.0, 'steps': 3, 'ci': None}
    """
    if isinstance(value, float):
        return float(f"{value:.{JSON_DIGITS}g}")
    if isinstance(value, dict):
        return {k: json_figures(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_figures(v) for v in value]
    return value


def json_text(value: Any, *, rounded: bool = True, **options: Any) -> str:
    """Strict JSON (no ``NaN`` or ``Infinity``, which JSON does not have): non-finite numbers as null,
    and every figure to :data:`JSON_DIGITS` significant digits (:func:`json_figures`) unless not
    ``rounded`` (a pack's embedded record, every step of every node, is kept as computed).

    >>> json_text({"ci": float("nan"), "steps": 3, "loss": 0.1 * 56})
    '{"ci": null, "steps": 3, "loss": 5.6}'
    >>> json_text({"loss": 0.1 * 56}, rounded=False)
    '{"loss": 5.6000000000000005}'
    """
    value = finite_or_null(value)
    return json.dumps(json_figures(value) if rounded else value, allow_nan=False, **options)


def describe(value: Any) -> str:
    """Name the type of a parsed value the way a user who wrote the file would."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, str):
        return f"text {value[:40]!r}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    return type(value).__name__


def plain(value: Any) -> Any:
    """``value`` as JSON-able Python data (numpy scalars unwrapped, tuples as lists)."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    item = getattr(value, "item", None)  # numpy and pandas scalars
    if callable(item):
        try:
            return plain(item())
        except (TypeError, ValueError):
            pass
    return str(value)


def cell_text(value: Any) -> str:
    """A value as the text of a CSV cell; ``repr`` keeps floats exact through the round trip."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else str(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


# A spreadsheet program runs a cell that starts with one of these as a formula (CSV injection:
# "=HYPERLINK(...)" in a label). Such text is written behind an apostrophe, which the spreadsheet
# shows as text and augur's reader takes off again; an apostrophe already there gets one more.
_FORMULA = re.compile(r"'*[=+\-@\t\r]")


def guard_cell(text: str) -> str:
    """Text safe to open in a spreadsheet: a leading formula character goes behind an apostrophe.

    >>> guard_cell("=SUM(A1)"), guard_cell("acme"), guard_cell("'=1")
    ("'=SUM(A1)", 'acme', "''=1")
    """
    return "'" + text if _FORMULA.match(text) else text


def unguard_cell(text: str) -> str:
    """The text :func:`guard_cell` guarded: ``unguard_cell(guard_cell(t)) == t`` for any text ``t``.

    >>> unguard_cell("'=SUM(A1)"), unguard_cell("'plain quote"), unguard_cell("''=1")
    ('=SUM(A1)', "'plain quote", "'=1")
    """
    return text[1:] if text.startswith("'") and _FORMULA.match(text, 1) else text


def _ordered_columns(rows: Iterable[Mapping[str, Any]], documented: Sequence[str]) -> list[str]:
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    # The two required columns head every table, even an empty one, so it can be read back. The user's
    # own columns keep the order they first appear in, so a file read and written back lists them as
    # its author did.
    extras = [c for c in seen if c not in documented]
    return [c for c in documented if c in seen or c in documented[:2]] + extras


def _as_written(data: Mapping[str, Any], documented: Mapping[str, Any], skip: tuple[str, ...]) -> dict:
    """A node's or an edge's attributes as its author would write them: a documented number that is
    whole as an integer (``capacity: 3``, not the ``3.0`` it is held as), which reads back as the same
    number. The user's own values are left as they are: a JSON 3.0 of theirs stays a float."""
    return {
        k: int(v) if type(v) is float and k in documented and v.is_integer() else v
        for k, v in data.items()
        if k not in skip
    }


def node_table(G: nx.DiGraph) -> tuple[list[str], list[dict[str, Any]]]:
    """The node columns (``id``, ``kind``, documented, then the user's) and one row per node.

    A row holds only the attributes the node has: writers never fill in defaults. A documented
    number that is whole is written as an integer.

    >>> G = nx.DiGraph()
    >>> G.add_node("acme", kind="vendor", capacity=3.0, buffer=2.5, share=1.0)
    >>> node_table(G)[1]
    [{'id': 'acme', 'kind': 'vendor', 'capacity': 3, 'buffer': 2.5, 'share': 1.0}]
    """
    rows = [{"id": node, **_as_written(data, NODE_ATTRIBUTES, ("id",))} for node, data in G.nodes(data=True)]
    columns = _ordered_columns(rows, _NODE_ORDER)
    return columns, [{c: row[c] for c in columns if c in row} for row in rows]


def edge_table(G: nx.DiGraph) -> tuple[list[str], list[dict[str, Any]]]:
    """The edge columns (``source``, ``target``, documented, then the user's), one row per edge."""
    rows = [
        {"source": u, "target": v, **_as_written(data, EDGE_ATTRIBUTES, EDGE_REQUIRED)}
        for u, v, data in G.edges(data=True)
    ]
    columns = _ordered_columns(rows, _EDGE_ORDER)
    return columns, [{c: row[c] for c in columns if c in row} for row in rows]


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    return isinstance(value, float) and math.isnan(value)


def table_records(
    rows: Iterable[tuple[int, Sequence[Any]]],
    *,
    table: str,
    place: Callable[[int], str],
    required: tuple[str, str],
    source: str | None,
) -> list[tuple[str, dict[str, Any]]]:
    """Records from the rows of a CSV file or a sheet: the first non-blank row is the header.

    ``rows`` yields ``(number, cells)`` with the row's number as the user sees it (a CSV line, a
    spreadsheet row); ``place(number)`` words it for messages, e.g. ``nodes.csv line 14``.
    Blank rows are skipped; blank cells are left to :func:`build_graph` as "use the default".
    """
    iterator = iter(rows)
    header: list[str] | None = None
    header_number = 0
    for number, cells in iterator:
        if not all(_blank(c) for c in cells):
            header = ["" if _blank(c) else str(c).strip() for c in cells]
            header_number = number
            break
    if header is None:
        raise GraphError(
            f"{table} has no header; expected a first row naming the columns {required[0]},{required[1]}",
            source=source,
        )
    _check_header(header, place(header_number), required, source)

    records = []
    for number, cells in iterator:
        if all(_blank(c) for c in cells):
            continue
        record: dict[str, Any] = {}
        for index, cell in enumerate(cells):
            name = header[index] if index < len(header) else ""
            if name:
                record[name] = cell
            elif not _blank(cell):
                raise GraphError(
                    f"a value ({shown_value(cell)}) in column {index + 1}, which has no header; "
                    "expected every column with values to have a name in the header row",
                    source=source,
                    place=place(number),
                )
        records.append((place(number), record))
    return records


def _brief(text: str, limit: int = 80) -> str:
    """Text from a file, quoted in a message: on one line, and short (an unclosed quote in a CSV
    header makes the whole file one header cell)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _header_text(named: list[str]) -> str:
    """A header as a message quotes it: every name, each short, so the reader sees the whole row they
    wrote; cut only past a length no real header has."""
    return _brief(",".join(_brief(name, 40) for name in named), 600)


def _typo_hint(missing: list[str], named: list[str]) -> str:
    """`` (the header's 'knd' looks like a typo for 'kind')`` where a name in the header is close to a
    missing column."""
    typos = [(found, m) for m in missing if (found := _close_in(m, named))]
    if not typos:
        return ""
    said = " and ".join(f"{_brief(found, 40)!r} looks like a typo for {m!r}" for found, m in typos)
    return f" (the header's {said})"


def _close_in(wanted: str, named: list[str]) -> str | None:
    """The name in the header most like ``wanted`` (``Kind``, ``knd`` for ``kind``), as written."""
    lowered = {name.strip().lower(): name for name in named}
    found = closest_name(wanted, lowered)
    return lowered[found] if found else None


def _check_header(header: list[str], where: str, required: tuple[str, str], source: str | None):
    named = [h for h in header if h]
    for name in named:
        if named.count(name) > 1:
            raise GraphError(
                f"column {name!r} appears twice in the header; expected each column once",
                source=source,
                place=where,
            )
    missing = [r for r in required if r not in named]
    if missing:
        other = EDGE_REQUIRED if required == NODE_REQUIRED else NODE_REQUIRED
        hint = ""
        if all(o in named for o in other):
            hint = f" (this looks like the {'edges' if other == EDGE_REQUIRED else 'nodes'} table)"
        raise GraphError(
            f"missing column{'s' if len(missing) > 1 else ''} {' and '.join(repr(m) for m in missing)}"
            f"{_typo_hint(missing, named)}; expected a header with "
            f"{required[0]},{required[1]}, found {_header_text(named) or 'no names'}{hint}",
            source=source,
            place=where,
        )
