"""Hand-made .xlsx files for the intake's limits: huge cells, lying dimensions, chart-only workbooks.

openpyxl writes every string inline; Excel writes them to a shared-string table. Both layouts are
built here from an openpyxl file by rewriting its parts, so each test says which one it feeds.
"""

import io
import re
import zipfile

import openpyxl
from openpyxl.chart import BarChart

CHUNK = "正" * 65_536
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def workbook_bytes(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_streamed(archive, name, parts):
    with archive.open(name, "w", force_zip64=True) as part:
        for piece in parts:
            part.write(piece.encode() if isinstance(piece, str) else piece)


def with_huge_cell(rows, cell, characters, *, shared, dimension=None, target=None):
    """`rows` as a workbook whose cell `cell` (e.g. "D2", holding a placeholder) holds `characters`
    characters, streamed into the zip so that the text is never whole in memory; written to
    `target` (a file path or a buffer) or returned as bytes."""
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes(rows)))
    output = target if target is not None else io.BytesIO()

    def text():
        left = characters
        while left > 0:
            yield CHUNK[: min(left, len(CHUNK))]
            left -= len(CHUNK)

    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                sheet = data.decode()
                if dimension:
                    sheet = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>', sheet)
                pattern = re.compile(rf'<c r="{cell}"([^>]*) t="inlineStr"><is><t>[^<]*</t></is></c>')
                before, after = pattern.split(sheet, maxsplit=1)[0], pattern.split(sheet, maxsplit=1)[-1]
                if shared:
                    _write_streamed(
                        archive, info.filename, [before, f'<c r="{cell}" t="s"><v>0</v></c>', after]
                    )
                    _write_streamed(
                        archive,
                        "xl/sharedStrings.xml",
                        [
                            f'<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>',
                            *text(),
                            "</t></si></sst>",
                        ],
                    )
                else:
                    _write_streamed(
                        archive,
                        info.filename,
                        [before, f'<c r="{cell}" t="inlineStr"><is><t>', *text(), "</t></is></c>", after],
                    )
            elif info.filename == "[Content_Types].xml" and shared:
                archive.writestr(
                    info.filename,
                    data.decode().replace(
                        "</Types>",
                        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                    ),
                )
            elif info.filename == "xl/_rels/workbook.xml.rels" and shared:
                archive.writestr(
                    info.filename,
                    data.decode().replace(
                        "</Relationships>",
                        '<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                        'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
                    ),
                )
            else:
                archive.writestr(info, data)
    return output.getvalue() if target is None else None


def with_dimension(rows, dimension):
    """`rows` as a workbook whose sheet declares another used range."""
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes(rows)))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>'.encode(), data)
            archive.writestr(info, data)
    return output.getvalue()


def chart_only():
    book = openpyxl.Workbook()
    book.create_chartsheet().add_chart(BarChart())
    book.remove(book.active)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# What a password-protected .xlsx (and an old .xls) starts with: an OLE compound file, not a zip.
PASSWORD_PROTECTED = (
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le")
)
