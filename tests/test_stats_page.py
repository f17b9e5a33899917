"""The /stats/ page: who may read it, its charts against its tables, the session filter, exports."""

import csv
import io
from html.parser import HTMLParser

import openpyxl
import pytest
from django.core.cache import cache
from django.urls import reverse
from test_stats import build_dataset

pytestmark = pytest.mark.django_db

URL = reverse("opendata:stats")


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def dataset(db):
    return build_dataset()


class Marks(HTMLParser):
    """Collects what the tests compare: chart bars and points, and table cells by table and row."""

    def __init__(self):
        super().__init__()
        self.bars = {}  # chart id → {label: value}
        self.points = {}  # (chart id, series) → {label: value}
        self.cells = {}  # table name → {row key: {column: value}}
        self.chart_tables = {}  # chart id → [[cell text]]
        self._chart = self._table = self._row = self._chart_table = None
        self._in_cell = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "svg" and "data-chart" in attrs:
            self._chart = attrs["data-chart"]
        elif tag == "g" and "chart-bar" in attrs.get("class", ""):
            self.bars.setdefault(self._chart, {})[attrs["data-label"]] = attrs["data-value"]
        elif tag == "g" and "data-series" in attrs:
            self._series = attrs["data-series"]
        elif tag == "circle" and "data-value" in attrs:
            self.points.setdefault((self._chart, self._series), {})[attrs["data-label"]] = attrs["data-value"]
        elif tag == "table" and "data-table" in attrs:
            self._table = attrs["data-table"]
        elif tag == "table" and "data-chart-table" in attrs:
            self._chart_table = attrs["data-chart-table"]
            self.chart_tables[self._chart_table] = []
        elif tag == "tr" and self._chart_table:
            self.chart_tables[self._chart_table].append([])
        elif tag in ("td", "th") and self._chart_table and self.chart_tables[self._chart_table]:
            self._in_cell = True
            self.chart_tables[self._chart_table][-1].append("")
        elif tag == "tr" and self._table:
            self._row = attrs.get("data-key")
        elif tag == "td" and self._table and "data-column" in attrs:
            self.cells.setdefault(self._table, {}).setdefault(self._row, {})[attrs["data-column"]] = attrs[
                "data-value"
            ]

    def handle_data(self, data):
        if self._in_cell:
            self.chart_tables[self._chart_table][-1][-1] += data.strip()

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._in_cell = False
        elif tag == "table":
            self._table = self._chart_table = None
        elif tag == "svg":
            self._chart = None


def marks(response):
    parser = Marks()
    parser.feed(response.content.decode())
    return parser


class TestPage:
    def test_it_shows_both_tables_with_chinese_headers_and_the_rules(self, client, dataset):
        page = client.get(URL).content.decode()
        for text in [
            "提案办理统计",
            "历次会议",
            "承办单位",
            "立案率（%）",
            "按期办复率（%）",
            "满意率（%）",
            "统计口径",
        ]:
            assert text in page
        assert "市政协十二届一次会议" in page and "甲局" in page
        assert "<script" not in page.split('<main id="content"')[1].split("</main>")[0]

    def test_the_bar_chart_shows_the_tables_on_time_rates(self, client, dataset):
        found = marks(client.get(URL))
        table = found.cells["departments"]
        names = {dataset[name].pk: dataset[name].name for name in ("d1", "d2", "d3")}
        expected = {
            names[int(key)]: row["on_time_rate"] for key, row in table.items() if row["assigned"] != "0"
        }
        assert found.bars["on-time"] == expected == {"甲局": "66.7", "乙局": "25.0"}
        # the table beside the chart says the same
        beside = {label: float(value.rstrip("%")) for label, value in found.chart_tables["on-time"][1:]}
        assert beside == {label: float(value) for label, value in expected.items()}

    def test_the_trend_shows_the_tables_registered_and_replied_counts(self, client, dataset):
        found = marks(client.get(URL))
        table = found.cells["sessions"]
        s1, s2 = str(dataset["s1"].pk), str(dataset["s2"].pk)
        chart = f"trend-{dataset['s1'].committee_id}"
        assert found.points[(chart, "registered")] == {
            "2023年十二届一次": table[s1]["registered"],
            "2024年十二届二次": table[s2]["registered"],
        }
        assert found.points[(chart, "replied")] == {
            "2023年十二届一次": table[s1]["replied"],
            "2024年十二届二次": table[s2]["replied"],
        }
        assert (table[s1]["registered"], table[s1]["replied"], table[s2]["replied"]) == ("5", "2", "1")
        beside = found.chart_tables[chart][1:]
        assert beside == [["2023年十二届一次", "5", "2"], ["2024年十二届二次", "2", "1"]]

    def test_each_committee_has_its_own_trend(self, client, dataset, seed_letter):
        found = marks(client.get(URL))
        seed_chart = f"trend-{seed_letter.proposal.session.committee_id}"
        assert found.points[(seed_chart, "registered")] == {"2020年十二届三次": "1"}
        assert len(found.chart_tables) == 3  # two trends and the on-time chart
        page = client.get(URL).content.decode()
        assert "中国人民政治协商会议广西壮族自治区委员会历次会议立案与办复件数" in page

    def test_the_session_filter_narrows_the_department_table(self, client, dataset):
        found = marks(client.get(URL, {"session": dataset["s2"].pk}))
        assert list(found.cells["departments"]) == [str(dataset["d2"].pk)]
        assert len(found.cells["sessions"]) == 3  # both sessions and the totals row

    def test_an_unknown_session_shows_an_error_and_all_sessions(self, client, dataset):
        response = client.get(URL, {"session": "999999"})
        assert response.status_code == 200
        assert response.context["form"].errors["session"]
        assert len(marks(response).cells["departments"]) == 3

    def test_an_empty_database_shows_an_empty_page(self, client):
        page = client.get(URL).content.decode()
        assert "暂无数据" in page

    @pytest.mark.parametrize("extra", [1, 20])
    def test_query_count_is_constant_cold_and_one_query_warm(
        self, client, dataset, django_assert_num_queries, extra
    ):
        from factories import make_proposal

        for _ in range(extra):
            make_proposal(dataset["s1"])
        # sessions with their snapshots; the missing snapshot rows; proposals by session; answering
        # assignments by session; then by session and department: assignments, classes, ratings,
        # commitments, 回头看 answers; department names; the snapshots stored
        with django_assert_num_queries(11):
            client.get(URL)
        with django_assert_num_queries(1):  # sessions with their snapshots
            client.get(URL)
        with django_assert_num_queries(1):
            client.get(URL, {"session": dataset["s2"].pk})

    def test_it_says_the_figures_follow_the_data(self, client, dataset):
        assert "数据变动后即时更新" in client.get(URL).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_write_shows_on_the_next_request(client):
    """No minute of staleness: the rendered tables are kept only as long as the figures stand."""
    from factories import make_proposal

    from proposals.models import Proposal

    dataset = build_dataset()
    s2 = str(dataset["s2"].pk)
    assert marks(client.get(URL)).cells["sessions"][s2]["received"] == "2"
    make_proposal(dataset["s2"], status=Proposal.Status.SUBMITTED, number="")
    assert marks(client.get(URL)).cells["sessions"][s2]["received"] == "3"


class TestCharts:
    def test_bars_scale_to_the_axis_and_a_missing_value_draws_no_bar(self):
        from opendata.charts import BAR_AREA, bar_chart

        chart = bar_chart(
            "按期办复率", [("甲局", 50.0), ("乙局", None), ("丙局", 100.0)], unit="%", maximum=100
        )
        assert [bar.width for bar in chart.bars] == [BAR_AREA / 2, 0, BAR_AREA]
        assert [bar.display for bar in chart.bars] == ["50%", "—", "100%"]
        assert [tick.label for tick in chart.ticks] == ["0%", "25%", "50%", "75%", "100%"]

    @pytest.mark.parametrize("largest, top", [(0, 4), (3, 4), (7, 8), (9, 10), (130, 200), (1001, 2000)])
    def test_count_axes_end_on_round_numbers(self, largest, top):
        from opendata.charts import axis_top

        assert axis_top(largest) == top

    def test_a_trend_places_higher_counts_higher(self):
        from opendata.charts import line_chart

        chart = line_chart("趋势", ["2023", "2024"], [("立案", "registered", [5, 2])])
        first, second = chart.series[0].points
        assert first.y < second.y and first.x < second.x
        assert chart.series[0].polyline == f"{first.x},{first.y} {second.x},{second.y}"


class TestExports:
    def test_the_session_table_exports_to_excel_with_chinese_headers(self, client, dataset):
        dataset["s1"].opens_on = dataset["s1"].opens_on or __import__("datetime").date(2023, 1, 12)
        dataset["s1"].save()
        response = client.get(URL, {"format": "xlsx", "table": "sessions"})
        assert response.status_code == 200
        assert "filename*=UTF-8''" in response["Content-Disposition"]
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:5] == ("会议", "年度", "开幕日期", "收到提案", "立案")
        assert rows[1][0] == "市政协十二届一次会议" and rows[1][3] == 8 and rows[1][4] == 5
        assert rows[-1][0] == "合计" and rows[-1][3] == 10
        headers = list(rows[0])
        assert rows[1][headers.index("立案率（%）")] == 62.5
        assert sheet.cell(row=2, column=3).is_date and sheet.cell(row=2, column=3).value.year == 2023

    def test_the_department_table_exports_to_csv_with_a_bom(self, client, dataset):
        response = client.get(URL, {"format": "csv", "table": "departments", "session": dataset["s2"].pk})
        assert (content := response.getvalue()).startswith("\ufeff".encode())
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        assert rows[0][:4] == ["承办单位", "主办、分办件数", "会办件数", "办复"]
        assert rows[1][:4] == ["乙局", "2", "0", "1"]
        assert len(rows) == 2

    def test_the_page_links_its_exports(self, client, dataset):
        page = client.get(URL, {"session": dataset["s2"].pk}).content.decode()
        assert "?format=xlsx&amp;table=sessions" in page
        assert f"?session={dataset['s2'].pk}&amp;format=csv&amp;table=departments" in page

    @pytest.mark.parametrize(
        "query", [{"format": "pdf", "table": "sessions"}, {"format": "csv", "table": "x"}]
    )
    def test_an_unknown_format_or_table_is_refused(self, client, query):
        response = client.get(URL, query)
        assert response.status_code == 400
        assert "导出格式" in response.content.decode()
