"""Tables out as Excel (.xlsx) or CSV, for every table and filtered list that offers a download.

CSV is UTF-8 with a byte-order mark so that Excel opens Chinese text correctly; .xlsx keeps dates
as dates (Excel date cells, not strings).
"""

import csv
import datetime
import io

from django.http import HttpResponse
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


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        # Spreadsheets have no time zones: write the time as read in Asia/Shanghai.
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def csv_response(filename, headers, rows):
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        cells = [_cell(value) for value in row]
        writer.writerow([cell.isoformat() if isinstance(cell, datetime.date) else cell for cell in cells])
    return _attachment(HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8"), filename)


def xlsx_response(filename, headers, rows, sheet_title="数据"):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(value) for value in row])
    for column, header in enumerate(headers, 1):
        if any(
            isinstance(sheet.cell(row=r, column=column).value, datetime.date)
            for r in range(2, min(sheet.max_row, 50) + 1)
        ):
            for r in range(2, sheet.max_row + 1):
                sheet.cell(row=r, column=column).number_format = "yyyy-mm-dd"
        width = max(len(str(header)) * 2 + 2, 12)
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = min(width, 60)
    sheet.freeze_panes = "A2"
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
