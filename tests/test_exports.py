"""tracker/exports.py: Excel and CSV downloads with Chinese file names, headers and real dates."""

import csv
import datetime
import io
from urllib.parse import unquote

import openpyxl
import pytest

from tracker.exports import XLSX_TYPE, tabular_response

HEADERS = ["编号", "案由", "交办日期", "重点提案", "办复率（%）"]
ROWS = [
    ["20200287", "关于培养发展战略性新兴产业的建议", datetime.date(2020, 7, 16), True, 62.5],
    ["20200288", "关于加快乡村道路建设的建议", None, False, None],
]


def disposition_name(response):
    value = response["Content-Disposition"]
    assert value.startswith("attachment;")
    encoded = value.split("filename*=UTF-8''", 1)[1]
    return unquote(encoded)


class TestXlsx:
    def test_it_is_an_excel_file_with_a_chinese_file_name(self):
        response = tabular_response("xlsx", "提案办理统计（按会议）", HEADERS, ROWS)
        assert response["Content-Type"] == XLSX_TYPE
        assert disposition_name(response) == "提案办理统计（按会议）.xlsx"
        assert 'filename="export.xlsx"' in response["Content-Disposition"]  # ASCII fallback

    def test_headers_values_and_date_cells(self):
        response = tabular_response("xlsx", "导出", HEADERS, ROWS, sheet_title="提案")
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        sheet = workbook.active
        assert sheet.title == "提案"
        assert [cell.value for cell in sheet[1]] == HEADERS
        assert sheet["A2"].value == "20200287" and sheet["B2"].value == "关于培养发展战略性新兴产业的建议"
        date_cell = sheet["C2"]
        assert date_cell.is_date and date_cell.value.date() == datetime.date(2020, 7, 16)
        assert date_cell.number_format == "yyyy-mm-dd"
        assert (sheet["D2"].value, sheet["D3"].value) == ("是", "否")
        assert sheet["E2"].value == 62.5 and sheet["E3"].value is None
        assert sheet["C3"].value is None
        assert sheet.freeze_panes == "A2"

    def test_columns_are_wide_enough_for_a_title_and_bounded(self):
        body = "很长的正文" * 100
        response = tabular_response("xlsx", "导出", [*HEADERS, "正文"], [[*ROWS[0], body], [*ROWS[1], ""]])
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEF"}
        # 关于培养发展战略性新兴产业的建议: 16 characters, two units each, plus padding.
        assert widths["B"] == 34
        assert widths["A"] == 10  # eight digits
        assert widths["C"] == 12  # a date, as Excel shows it
        assert widths["D"] == 10  # 重点提案: the header is the widest
        assert widths["F"] == 60  # a long body stops at the bound
        assert sheet["F2"].value == body and sheet.max_row == 3

    def test_rows_after_the_width_sample_are_written_too(self):
        rows = ([str(n), "案由"] for n in range(450))
        response = tabular_response("xlsx", "导出", ["编号", "案由"], rows)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert sheet.max_row == 451 and sheet["A451"].value == "449"


class TestCsv:
    def test_it_starts_with_a_bom_and_has_a_chinese_file_name(self):
        response = tabular_response("csv", "提案清单", HEADERS, ROWS)
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response.getvalue().startswith(b"\xef\xbb\xbf")
        assert disposition_name(response) == "提案清单.csv"

    def test_rows_read_back_with_iso_dates(self):
        response = tabular_response("csv", "提案清单", HEADERS, ROWS)
        rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
        assert rows[0] == HEADERS
        assert rows[1] == ["20200287", "关于培养发展战略性新兴产业的建议", "2020-07-16", "是", "62.5"]
        assert rows[2] == ["20200288", "关于加快乡村道路建设的建议", "", "否", ""]

    def test_commas_quotes_and_newlines_survive(self):
        tricky = ["含,逗号", '含"引号"', "两行\n文字"]
        response = tabular_response("csv", "x", ["甲", "乙", "丙"], [tricky])
        rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
        assert rows[1] == tricky


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="pdf"):
        tabular_response("pdf", "x", HEADERS, ROWS)


def test_aware_datetimes_are_written_in_china_time():
    import datetime

    from openpyxl import load_workbook

    from tracker.exports import csv_response, xlsx_response

    moment = datetime.datetime(2020, 7, 16, 1, 30, tzinfo=datetime.UTC)  # 09:30 in Asia/Shanghai
    workbook = load_workbook(io.BytesIO(xlsx_response("时间.xlsx", ["时间"], [[moment]]).content))
    assert workbook.active["A2"].value == datetime.datetime(2020, 7, 16, 9, 30)
    text = csv_response("时间.csv", ["时间"], [[moment]]).getvalue().decode("utf-8-sig")
    assert "2020-07-16T09:30:00" in text


def test_formulas_arrive_as_text_and_control_characters_are_dropped():
    from openpyxl import load_workbook

    from tracker.exports import csv_response, xlsx_response

    rows = [['=HYPERLINK("http://evil")', "+1", "正常\x07文字"]]
    sheet = load_workbook(io.BytesIO(xlsx_response("x.xlsx", ["甲", "乙", "丙"], rows).content)).active
    assert [cell.value for cell in sheet[2]] == ['\'=HYPERLINK("http://evil")', "'+1", "正常文字"]
    text = csv_response("x.csv", ["甲", "乙", "丙"], rows).getvalue().decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "正常文字" in text
