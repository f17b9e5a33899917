"""Reading cells of an uploaded Excel sheet the way people fill them in: numbers typed as text,
dates as date cells or as text in the usual Chinese forms."""

import datetime
import zipfile

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]


def cell_text(value):
    """A cell as stripped text; whole floats (Excel's numbers) without the ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def cell_date(value):
    """A date from a date cell or a text cell; None for an empty cell; raises ValueError otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def open_workbook(file):
    """The workbook, read-only with values instead of formulas, or None when it is not one."""
    try:
        if hasattr(file, "seek"):
            file.seek(0)
        return openpyxl.load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        return None
