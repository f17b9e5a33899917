"""Tables out as Excel (.xlsx) or CSV, for every table and filtered list that offers a download.

CSV is UTF-8 with a byte-order mark so that Excel opens Chinese text correctly; .xlsx keeps dates
as dates (Excel date cells, not strings).
"""

import csv
import datetime
import io
import itertools
import unicodedata

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.encoding import escape_uri_path

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("xlsx", "csv")


def _attachment(response, filename):
    # RFC 6266: an ASCII fallback plus the UTF-8 name, so Chinese file names survive every browser.
    extension = filename.rsplit(".", 1)[-1]
    response["Content-Disposition"] = (
        f"attachment; filename=\"export.{extension}\"; filename*=UTF-8''{escape_uri_path(filename)}"
    )
    return response


# Characters a spreadsheet reads as the start of a formula: a cell such as "=HYPERLINK(…)" typed
# into a proposal title must arrive as text, not run (CSV injection, OWASP).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# XML 1.0 cannot carry most control characters; openpyxl raises on them.
_CONTROL_CHARACTERS = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        # Spreadsheets have no time zones: write the time as read in Asia/Shanghai.
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, str):
        value = value.translate(_CONTROL_CHARACTERS)
        if value.startswith(_FORMULA_START):
            value = "'" + value
    return value


class _Echo:
    """A file-like object whose write() returns the line, for streaming csv.writer output."""

    def write(self, value):
        return value


def file_response(content, content_type, filename):
    """A download of ready bytes (a .docx, say) under a Chinese file name."""
    return _attachment(HttpResponse(content, content_type=content_type), filename)


def csv_response(filename, headers, rows):
    """Streamed, so a list of a hundred thousand rows never sits in memory whole."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow([_cell(header) for header in headers])
        for row in rows:
            cells = [_cell(value) for value in row]
            yield writer.writerow(
                [cell.isoformat() if isinstance(cell, datetime.date) else cell for cell in cells]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    return _attachment(response, filename)


# Column widths are fitted to the header and the first rows (write-only sheets fix widths before the
# first row), in Excel's character units, within bounds: a title column opens wide enough to read,
# and one long body never makes a column wider than a screen.
WIDTH_SAMPLE_ROWS = 200
WIDTH_MIN, WIDTH_MAX = 8, 60


def display_width(value):
    """How many Excel character units a value needs: CJK and full-width characters count two; the
    longest line of a multi-line text; dates as Excel shows them."""
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    text = "" if value is None else str(value)
    return max(
        (
            sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)
            for line in text.splitlines() or [""]
        ),
        default=0,
    )


def column_widths(headers, sample):
    """Bounded widths fitted to the header and the sample rows (two units of padding)."""
    widths = [display_width(header) for header in headers]
    for row in sample:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], display_width(value))
    return [min(max(width + 2, WIDTH_MIN), WIDTH_MAX) for width in widths]


def xlsx_response(filename, headers, rows, sheet_title="数据"):
    return xlsx_workbook_response(filename, [(sheet_title, headers, rows)])


def xlsx_workbook_response(filename, sheets):
    """A workbook of several sheets: `sheets` is a list of (title, headers, rows)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    # Write-only mode streams rows to the file instead of keeping a cell object per value.
    workbook = Workbook(write_only=True)
    for sheet_title, headers, rows in sheets:
        sheet = workbook.create_sheet(sheet_title[:31])
        sheet.freeze_panes = "A2"
        rows = iter(rows)
        sample = [[_cell(value) for value in row] for row in itertools.islice(rows, WIDTH_SAMPLE_ROWS)]
        for column, width in enumerate(column_widths(headers, sample), 1):
            sheet.column_dimensions[get_column_letter(column)].width = width
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(sheet, value=str(header))
            cell.font = Font(bold=True)
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in itertools.chain(sample, rows):
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=_cell(value))
                if isinstance(cell.value, datetime.datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(cell.value, datetime.date):
                    cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE), filename)


def tabular_response(fmt, basename, headers, rows, sheet_title="数据"):
    """`fmt` is "xlsx" or "csv"; `rows` an iterable of sequences matching `headers`."""
    if fmt == "csv":
        return csv_response(f"{basename}.csv", headers, rows)
    if fmt == "xlsx":
        return xlsx_response(f"{basename}.xlsx", headers, rows, sheet_title)
    raise ValueError(f"unknown export format {fmt!r}; use one of {FORMATS}")


# Exports walk the rows in chunks: each chunk costs its query plus one per prefetch.
EXPORT_CHUNK = 2000


def export_format(request):
    """The format a list page was asked to download (`?format=xlsx|csv`), or None for the page."""
    fmt = request.GET.get("format", "")
    return fmt if fmt in FORMATS else None


def dated_export(fmt, basename, headers, rows):
    """A download named after today (`<basename>-2026-12-04.xlsx`), headers translated now."""
    stamp = timezone.localdate().isoformat()
    return tabular_response(fmt, f"{basename}-{stamp}", [str(header) for header in headers], rows)
