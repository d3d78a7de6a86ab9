"""Excel workbooks (``.xlsx``) with sheets ``nodes`` and ``edges`` holding the CSV columns.

Read with openpyxl directly rather than through pandas: it gives each row's spreadsheet number even
where blank rows sit between records, so messages point at the row the user sees (``sheet 'nodes'
row 5``), and it leaves ids typed as text (``007``) as text.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError

from augur.errors import GraphError
from augur.graph import build_graph
from augur.io._common import (
    EDGE_REQUIRED,
    NODE_REQUIRED,
    cell_text,
    edge_table,
    node_table,
    plain,
    read_bytes,
    table_records,
    write_bytes,
)

__all__ = ["excel_bytes", "parse_excel", "read_excel", "write_excel"]

_EXPECTED = "an Excel .xlsx workbook with sheets 'nodes' (id,kind) and 'edges' (source,target)"
# A graph workbook is small; a zip that inflates beyond this is refused before openpyxl inflates it.
_MAX_UNCOMPRESSED = 200 * 2**20
# Cells read from one sheet at most, each row counted to its last cell: a 100,000-node graph with
# twenty columns is two million.
MAX_CELLS = 20_000_000


def read_excel(path: str | Path) -> nx.DiGraph:
    """Read an ``.xlsx`` workbook with sheets ``nodes`` and ``edges``.

    >>> G = read_excel("tests/data/graphs/retail.xlsx")  # doctest: +SKIP
    """
    path = Path(path)
    return parse_excel(read_bytes(path, source=str(path)), source=str(path))


def parse_excel(data: bytes, *, source: str | None = None) -> nx.DiGraph:
    """Parse the bytes of an ``.xlsx`` workbook into a validated graph."""
    _check_archive(data, source)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # openpyxl reports a damaged workbook with many exception types
        raise GraphError(
            f"cannot open the workbook ({type(err).__name__}: {err}); expected {_EXPECTED}",
            source=source,
        ) from err
    try:
        nodes_sheet = _sheet(workbook, "nodes", source)
        edges_sheet = _sheet(workbook, "edges", source)
        nodes = _sheet_records(nodes_sheet, NODE_REQUIRED, source)
        edges = _sheet_records(edges_sheet, EDGE_REQUIRED, source)
        for sheet in (nodes_sheet, edges_sheet):  # read whole above, so within the budget of cells
            _check_formulas(data, sheet, source)
    finally:
        workbook.close()
    return build_graph(nodes, edges, source=source)


# A formula element in a sheet's XML (<f>, <f t="shared" ...>, or with a namespace prefix)
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _check_formulas(data: bytes, sheet: Any, source: str | None) -> None:
    """Refuse a formula cell without the value it last computed: a workbook written by a script (as
    openpyxl and pandas write them) holds its formulas only, and read for values each reads as
    blank, so a buffer of ``=2+3`` would quietly be the default. Only a sheet that holds a formula is
    read a second time, for its formulas."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if not _FORMULA.search(archive.read(sheet._worksheet_path)):
            return
    formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        written = formulas[sheet.title]
        sheet.reset_dimensions()
        written.reset_dimensions()
        for number, (values, texts) in enumerate(
            zip(sheet.iter_rows(values_only=True), written.iter_rows(values_only=True)), start=1
        ):
            for column, (value, text) in enumerate(zip(values, texts), start=1):
                if value is None and isinstance(text, str) and text.startswith("="):
                    raise GraphError(
                        f"a formula without a saved value ({text}): open and save it in Excel, or write "
                        "the value",
                        place=f"sheet '{sheet.title}' cell {get_column_letter(column)}{number}",
                        source=source,
                    )
    finally:
        formulas.close()


def _check_archive(data: bytes, source: str | None) -> None:
    if not data.strip():
        raise GraphError(f"the file is empty; expected {_EXPECTED}", source=source)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except Exception as err:  # a damaged archive: BadZipFile, NotImplementedError, ValueError, ...
        old = " (an old .xls workbook? save it as .xlsx)" if data.startswith(b"\xd0\xcf\x11\xe0") else ""
        raise GraphError(f"not an .xlsx workbook{old}; expected {_EXPECTED}", source=source) from err
    if inflated > _MAX_UNCOMPRESSED:
        raise GraphError(
            f"the workbook inflates to {inflated / 2**20:.0f} MB; expected a graph workbook under "
            f"{_MAX_UNCOMPRESSED // 2**20} MB",
            source=source,
        )


def _sheet(workbook: Any, name: str, source: str | None) -> Any:
    # Accept "Nodes" or " edges ": sheet names are typed by hand and the intent is clear.
    by_name = {title.strip().lower(): title for title in workbook.sheetnames}
    if name not in by_name:
        found = ", ".join(repr(t) for t in workbook.sheetnames)
        raise GraphError(
            f"no sheet named '{name}'; expected {_EXPECTED}, found sheets {found}", source=source
        )
    return workbook[by_name[name]]


def _sheet_records(sheet: Any, required: tuple[str, str], source: str | None):
    title = sheet.title
    return table_records(
        _rows(sheet, source),
        table=f"sheet '{title}'",
        place=lambda row: f"sheet '{title}' row {row}",
        required=required,
        source=source,
    )


def _rows(sheet: Any, source: str | None) -> Iterator[tuple[int, tuple]]:
    # The dimension a sheet declares (A1:XFD1048576 in five kilobytes) is not what it holds: read
    # only the rows and cells the file has, and stop at a budget of cells, so the work is bounded by
    # the data and not by what the sheet claims.
    sheet.reset_dimensions()
    cells = 0
    # Read-only sheets parse lazily, so a damaged sheet fails here rather than when opened.
    try:
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells += len(row)
            if cells > MAX_CELLS:
                raise GraphError(
                    f"sheet '{sheet.title}' holds more than {MAX_CELLS:,} cells by row {number:,} (a row "
                    f"runs to column {len(row):,}); expected a graph table of a few columns",
                    source=source,
                )
            yield number, row
    except GraphError:
        raise
    except Exception as err:
        raise GraphError(
            f"cannot read sheet '{sheet.title}' ({type(err).__name__}: {err}); expected {_EXPECTED}",
            source=source,
        ) from err


def _cell(sheet: Any, value: Any) -> Any:
    value = plain(value)
    if isinstance(value, str) and value.startswith("="):
        # openpyxl would store this as a formula; a label is text, so say so.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    if isinstance(value, (list, dict)):
        return cell_text(value)
    return value


def excel_bytes(G: nx.DiGraph) -> bytes:
    """The graph as an ``.xlsx`` workbook with sheets ``nodes`` and ``edges``."""
    workbook = openpyxl.Workbook(write_only=True)
    for title, (columns, rows), key in (
        ("nodes", node_table(G), ("id",)),
        ("edges", edge_table(G), ("source", "target")),
    ):
        sheet = workbook.create_sheet(title)
        sheet.append(columns)
        for row in rows:
            try:
                sheet.append([_cell(sheet, row.get(c)) for c in columns])
            except IllegalCharacterError as err:
                what = " -> ".join(str(row[k]) for k in key)
                raise GraphError(
                    f"a value holds a control character Excel cannot store ({err}); expected printable text",
                    place=f"{title[:-1]} '{what}'",
                ) from err
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_excel(G: nx.DiGraph, path: str | Path) -> Path:
    """Write the graph as an ``.xlsx`` workbook (sheets ``nodes``, ``edges``); return the path."""
    path = Path(path)
    write_bytes(path, excel_bytes(G))
    return path
