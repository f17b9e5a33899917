"""Reading the first sheet of an uploaded .xlsx file with bounded time and memory.

`read_sheet(file, columns, max_rows)` returns a `SheetRead`: the header row, the non-empty data rows
as (Excel row number, values) and the problems found, in Chinese, naming row and column. It is
meant for every intake that takes a workbook (the proposal import and, later, its preview).

An .xlsx file is a zip of XML parts. openpyxl — even read-only — loads the whole shared-string
table and every cell's text before a caller can look at it, so a small file holding one 100 MB
string costs gigabytes. Here the parts are first scanned with expat, which hands text over in
chunks: a cell's length is counted, never kept, and the scan stops at the first cell longer than
Excel's own limit (no real Excel file has one) or at the first row past `max_rows`. Only a file
that passed the scan is read by openpyxl (for dates, numbers and rich text), again stopping at
`max_rows`. The sheet's declared dimension is checked before its first row, and the scans stop
once they have unpacked MAX_UNPACKED_BYTES (a zip bomb costs no more than that).
"""

import contextlib
import posixpath
import re
import zipfile
from array import array
from dataclasses import dataclass, field
from xml.parsers import expat

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.utils import column_index_from_string, get_column_letter

from .limits import EXCEL_CELL_LIMIT

MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # the first sheet and the shared strings, unpacked
MAX_PART_BYTES = 1024 * 1024  # workbook.xml and its relationships
CHUNK = 64 * 1024
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # password-protected .xlsx and old .xls files
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORKSHEET_TYPE = OFFICE_RELS + "/worksheet"
CELL_REF = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]+)$")


@dataclass(frozen=True)
class Column:
    """A column the caller reads: its label (for messages) and the most characters it may hold."""

    label: str
    max_length: int = EXCEL_CELL_LIMIT


@dataclass
class SheetRead:
    header: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # [(Excel row number, [value per column])]
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


class Refused(Exception):
    """The file cannot be read further; the message says why, in Chinese."""


def read_sheet(file, columns, max_rows):
    """The first worksheet's header and data rows (blank rows skipped), or the reasons it is refused.

    `columns` describes the columns read, left to right; cells further right are only held to
    Excel's own limit and dropped. Nothing is kept of a file that is refused."""
    result = SheetRead()
    try:
        with _open_zip(file) as archive:
            sheet_path = _first_worksheet(archive)
            strings_path = "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in archive.NameToInfo else None
            budget = [MAX_UNPACKED_BYTES]  # shared by the two scans: bytes still allowed
            lengths, first_too_long = _shared_string_lengths(archive, strings_path, budget)
            result.errors = _scan_sheet(
                archive, sheet_path, columns, max_rows, lengths, first_too_long, budget
            )
        if not result.errors:
            _read_values(file, columns, max_rows, result)
    except Refused as refusal:
        result.errors = [str(refusal)]
    if result.errors:
        result.header, result.rows = [], []
    return result


def cell_name(row, column_index):
    return f"{get_column_letter(column_index)}{row}"


def _unreadable():
    return Refused(_("无法读取文件：请上传用模板填写的 .xlsx 文件。"))


def _open_zip(file):
    file.seek(0)
    head = file.read(len(CFB_MAGIC))
    file.seek(0)
    if not head:
        raise Refused(_("文件是空的：请上传用模板填写的 .xlsx 文件。"))
    if head == CFB_MAGIC:
        raise Refused(_("文件设有打开密码，或是旧版 .xls 格式：请在Excel中取消密码并另存为 .xlsx 后再上传。"))
    try:
        return zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise _unreadable() from error


def _read_small_part(archive, path):
    info = archive.NameToInfo.get(path)
    if info is None:
        return None
    if info.file_size > MAX_PART_BYTES:
        raise _unreadable()
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
        raise _unreadable() from error


def _parse(data_chunks, start=None, end=None, text=None):
    """Feed XML chunks to expat with the given handlers (local element names; no DTDs allowed)."""
    parser = expat.ParserCreate(namespace_separator=" ")
    # Text arrives in pieces of at most CHUNK characters: unbuffered, expat would call back once per
    # non-ASCII character; buffered without a bound, it would hold a whole 100 MB cell.
    parser.buffer_text = True
    parser.buffer_size = CHUNK

    def no_doctype(*args):
        raise Refused(_("无法读取文件：文件中含有不允许的XML声明。"))

    parser.StartDoctypeDeclHandler = no_doctype
    parser.EntityDeclHandler = no_doctype
    if start:
        parser.StartElementHandler = lambda name, attrs: start(name.rpartition(" ")[2], attrs)
    if end:
        parser.EndElementHandler = lambda name: end(name.rpartition(" ")[2])
    if text:
        parser.CharacterDataHandler = text
    try:
        for chunk in data_chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise _unreadable() from error


def _stream(archive, path, budget):
    """The part's bytes in chunks, refusing the file once the scans together read more than the
    budget (a zip bomb, or a sheet of millions of empty rows)."""
    try:
        with archive.open(path) as part:
            while chunk := part.read(CHUNK):
                budget[0] -= len(chunk)
                if budget[0] < 0:
                    raise _too_big()
                yield chunk
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
        raise _unreadable() from error


def _first_worksheet(archive):
    """The zip path of the workbook's first worksheet (chart sheets are skipped, as openpyxl does)."""
    workbook = _read_small_part(archive, "xl/workbook.xml")
    rels = _read_small_part(archive, "xl/_rels/workbook.xml.rels")
    if workbook is None or rels is None:
        raise _unreadable()
    sheet_ids, targets = [], {}

    def on_sheet(name, attrs):
        if name == "sheet":
            sheet_ids.append(attrs.get(OFFICE_RELS + " id"))

    def on_rel(name, attrs):
        if name == "Relationship" and attrs.get("Type") == WORKSHEET_TYPE:
            targets[attrs.get("Id")] = attrs.get("Target", "")

    _parse([workbook], start=on_sheet)
    _parse([rels], start=on_rel)
    for sheet_id in sheet_ids:
        if sheet_id in targets:
            target = targets[sheet_id]
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
            if path not in archive.NameToInfo:
                raise _unreadable()
            return path
    raise Refused(_("工作簿中没有工作表（只有图表）：请上传用模板填写的 .xlsx 文件。"))


def _too_big():
    return Refused(
        _("文件解压后超过%(mb)sMB，不像是一次导入的提案表：请拆分后再上传。")
        % {"mb": MAX_UNPACKED_BYTES // (1024 * 1024)}
    )


def _shared_string_lengths(archive, path, budget):
    """Each shared string's length, up to the first longer than Excel allows (its index is returned;
    the scan stops there, so later strings are unknown)."""
    lengths = array("H")  # each at most EXCEL_CELL_LIMIT
    if path is None:
        return lengths, None
    state = {"depth": 0, "length": 0, "in_text": False}

    class TooLong(Exception):
        pass

    def start(name, attrs):
        if name == "si":
            state["length"] = 0
        elif name == "t":
            state["in_text"] = True
        elif name in ("rPh", "phoneticPr"):  # phonetic guides are not part of the value
            state["depth"] += 1

    def end(name):
        if name == "si":
            lengths.append(state["length"])
        elif name == "t":
            state["in_text"] = False
        elif name in ("rPh", "phoneticPr"):
            state["depth"] -= 1

    def text(data):
        if state["in_text"] and not state["depth"]:
            state["length"] += len(data)
            if state["length"] > EXCEL_CELL_LIMIT:
                raise TooLong

    try:
        _parse(_stream(archive, path, budget), start=start, end=end, text=text)
    except TooLong:
        return lengths, len(lengths)
    return lengths, None


def _scan_sheet(archive, path, columns, max_rows, lengths, first_too_long, budget):
    """Check every cell's length and count the rows, streaming; returns the problems found."""
    errors = []
    state = {"row": 0, "column": 0, "type": "n", "in_value": False, "length": 0, "data_rows": 0}
    state["row_has_value"] = False

    class Stop(Exception):
        pass

    def label(column_index):
        if column_index <= len(columns):
            return f"{get_column_letter(column_index)}列（{columns[column_index - 1].label}）"
        return f"{get_column_letter(column_index)}列"

    def too_long(length, column_index, limit):
        place = {"line": state["row"], "column": label(column_index), "length": length, "max": limit}
        if limit == EXCEL_CELL_LIMIT:
            return _("第%(line)s行：%(column)s超过Excel单元格上限%(max)s字，不是Excel能保存的文件") % place
        return _("第%(line)s行：%(column)s有%(length)s字，超过上限%(max)s字") % place

    def limit_of(column_index):
        if column_index <= len(columns):
            return min(columns[column_index - 1].max_length, EXCEL_CELL_LIMIT)
        return EXCEL_CELL_LIMIT

    def finish_cell(length):
        if length:
            state["row_has_value"] = True
        if length > EXCEL_CELL_LIMIT:
            errors.append(too_long(length, state["column"], EXCEL_CELL_LIMIT))
            raise Stop
        if length > limit_of(state["column"]):
            errors.append(too_long(length, state["column"], limit_of(state["column"])))

    def start(name, attrs):
        if name == "dimension":
            match = CELL_REF.match((attrs.get("ref") or "").rpartition(":")[2])
            if match and int(match[2]) - 1 > max_rows:
                errors.append(
                    _(
                        "一次最多导入%(max)s行，本文件的工作表有%(count)s行（含表头）：请删去多余的行后再上传。"
                    )
                    % {"max": max_rows, "count": int(match[2])}
                )
                raise Stop
        elif name == "row":
            reference = attrs.get("r")
            state["row"] = int(reference) if reference and reference.isdigit() else state["row"] + 1
            state["column"] = 0
            state["row_has_value"] = False
        elif name == "c":
            match = CELL_REF.match(attrs.get("r") or "")
            state["column"] = column_index_from_string(match[1]) if match else state["column"] + 1
            state["type"] = attrs.get("t", "n")
            state["length"] = 0
        elif name in ("v", "t"):
            state["in_value"] = True
        elif name == "rPh":
            state["in_value"] = False

    def end(name):
        if name in ("v", "t"):
            state["in_value"] = False
        elif name == "c":
            if state["type"] == "s":
                index = state["length"]
                if first_too_long is not None and index == first_too_long:
                    finish_cell(EXCEL_CELL_LIMIT + 1)
                elif 0 <= index < len(lengths):
                    finish_cell(lengths[index])
            else:
                finish_cell(state["length"])
        elif name == "row" and state["row_has_value"] and state["row"] > 1:
            state["data_rows"] += 1
            if state["data_rows"] > max_rows:
                errors.append(_("一次最多导入%(max)s行，本文件超过了：请拆分后再上传。") % {"max": max_rows})
                raise Stop

    def text(data):
        if not state["in_value"]:
            return
        if state["type"] == "s":  # the value is an index into the shared strings
            digits = data.strip()
            if digits.isdigit() and state["length"] >= 0:
                state["length"] = state["length"] * 10 ** len(digits) + int(digits)
            elif digits:
                state["length"] = -1
            return
        state["length"] += len(data)
        if state["length"] > EXCEL_CELL_LIMIT:
            finish_cell(state["length"])

    with contextlib.suppress(Stop):
        _parse(_stream(archive, path, budget), start=start, end=end, text=text)
    if not errors and first_too_long is not None:
        errors.append(
            _("文件中有一段文字超过Excel单元格上限%(max)s字，不是Excel能保存的文件。")
            % {"max": EXCEL_CELL_LIMIT}
        )
    return errors


def _read_values(file, columns, max_rows, result):
    """Read the values with openpyxl, now that every cell is known to be small."""
    file.seek(0)
    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on malformed parts
        raise _unreadable() from error
    try:
        sheet = workbook.worksheets[0]
        width = len(columns)
        for line, row in enumerate(sheet.iter_rows(values_only=True), 1):
            values = list(row[:width]) + [None] * (width - len(row[:width]))
            if line == 1:
                result.header = values
            elif any(str(value).strip() for value in row if value is not None):
                if len(result.rows) == max_rows:
                    raise Refused(
                        _("一次最多导入%(max)s行，本文件超过了：请拆分后再上传。") % {"max": max_rows}
                    )
                result.rows.append((line, values))
    except Refused:
        raise
    except Exception as error:
        raise _unreadable() from error
    finally:
        workbook.close()
