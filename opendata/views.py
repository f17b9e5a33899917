"""Public statistics page (with exports), the department pages and the API's reading docs."""

import functools
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from drf_spectacular.generators import SchemaGenerator

from proposals.models import Department
from responses.filters import tracker_commitments
from tracker.exports import EXPORT_CHUNK, FORMATS, dated_export, export_format, tabular_response

from . import charts, stats
from .apidocs import describe_schema
from .departments import (
    ASSIGNMENT_EXPORT_HEADERS,
    DEPARTMENT_EXPORT_HEADERS,
    DepartmentAssignmentFilter,
    assignment_export_rows,
    assignment_state,
    department_assignments,
    department_export_row,
    department_figures,
    with_figures,
)

# Rendering ~2,500 cells costs more than reading the stored figures. The key names the figures, which
# change with any write, so the lifetime only bounds memory.
FRAGMENT_SECONDS = 24 * 60 * 60
# The department page shows its nearest open commitments and links to the tracker for the rest.
OPEN_COMMITMENTS_SHOWN = 10


class StatsFilterForm(forms.Form):
    session = forms.TypedChoiceField(label=gettext_lazy("会议"), required=False, coerce=int, empty_value=None)

    def __init__(self, data, sessions):
        super().__init__(data)
        self.fields["session"].choices = [("", _("全部会议"))] + [(row.key, row.name) for row in sessions]


def _row_cells(row, columns):
    """(row, [(column, value, display)]) for the template: one loop renders any table."""
    cells = []
    for column in columns:
        value = getattr(row, column.attr)
        cells.append((column, value, "—" if value is None else value))
    return row, cells


def _cells(table):
    return [_row_cells(row, table.columns) for row in table.rows]


def _export(fmt, which, sessions, departments, session_row):
    if which == "sessions":
        headers = [_("会议"), _("年度"), _("开幕日期")] + [str(c.header) for c in sessions.columns]
        rows = [
            [row.name, row.year, row.opens_on] + [getattr(row, c.attr) for c in sessions.columns]
            for row in [*sessions.rows, stats.totals(sessions)]
        ]
        return tabular_response(fmt, _("提案办理统计（按会议）"), headers, rows, sheet_title=_("按会议"))
    headers = [_("承办单位")] + [str(c.header) for c in departments.columns]
    rows = [[row.name] + [getattr(row, c.attr) for c in departments.columns] for row in departments.rows]
    basename = _("提案办理统计（按承办单位）")
    if session_row is not None:
        basename = f"{basename}{session_row.name}"
    return tabular_response(fmt, basename, headers, rows, sheet_title=_("按承办单位"))


@dataclass
class Trend:
    """One committee's sessions over time: a chart and its rows."""

    key: int
    committee: str
    chart: charts.LineChart
    rows: list

    @property
    def chart_id(self):
        return f"trend-{self.key}"


def _trends(rows):
    """A trend per committee: mixing committees' sessions on one time axis would zigzag."""
    by_committee = {}
    for row in rows:
        by_committee.setdefault(row.committee_key, []).append(row)
    trends = []
    for key, committee_rows in by_committee.items():
        years = [row.year for row in committee_rows]
        axis = [f"{year}" for year in years] if len(set(years)) == len(years) else None
        chart = charts.line_chart(
            _("%(committee)s历次会议立案与办复件数") % {"committee": committee_rows[0].committee},
            [row.label for row in committee_rows],
            [
                (_("立案"), "registered", [row.registered for row in committee_rows]),
                (_("办复"), "replied", [row.replied for row in committee_rows]),
            ],
            axis_labels=axis,
        )
        trends.append(Trend(key, committee_rows[0].committee, chart, committee_rows))
    return trends


def _export_links(session_id):
    links = {}
    for which in ("sessions", "departments"):
        for fmt in FORMATS:
            query = {"session": session_id} if session_id and which == "departments" else {}
            links[f"{which}_{fmt}"] = "?" + urlencode({**query, "format": fmt, "table": which})
    return links


def stats_page(request):
    """Everyone may read it: aggregate counts of all proposals (never their content)."""
    figures = stats.current()
    sessions = figures.sessions
    form = StatsFilterForm(request.GET, sessions.rows)
    session_id = form.cleaned_data["session"] if form.is_valid() else None
    departments = figures.department_table(session_id)
    session_row = sessions.row(session_id) if session_id else None

    fmt = request.GET.get("format")
    if fmt is not None:
        which = request.GET.get("table")
        if fmt not in FORMATS or which not in ("sessions", "departments"):
            return HttpResponseBadRequest(_("导出格式须为 xlsx 或 csv，表格须为 sessions 或 departments。"))
        return _export(fmt, which, sessions, departments, session_row)

    answering = [row for row in departments.rows if row.assigned]
    on_time_chart = charts.bar_chart(
        _("各承办单位按期办复率"), [(row.name, row.on_time_rate) for row in answering], unit="%", maximum=100
    )
    trends = _trends(sessions.rows)
    context = {
        "form": form,
        "session_row": session_row,
        "summary": session_row or stats.totals(sessions),
        "sessions": sessions,
        "session_cells": _cells(sessions),
        "session_totals": _row_cells(stats.totals(sessions), sessions.columns),
        "departments": departments,
        "department_cells": _cells(departments),
        "on_time_chart": on_time_chart,
        "trends": trends,
        "computed_at": figures.computed_at,
        "fragment_seconds": FRAGMENT_SECONDS,
        # The rendered tables belong to these figures and this filter, never another.
        "fragment_key": f"{figures.version}:{session_id}",
        "exports": _export_links(session_id),
    }
    return render(request, "opendata/stats.html", context)


def api_docs(request):
    """The API described from the same OpenAPI schema /api/schema/ serves, rendered here: no CDN, no JS."""
    return render(request, "opendata/api_docs.html", {"docs": _docs(get_language())})


@functools.cache
def _docs(language):
    # The schema only changes with the code; generate it once per language (descriptions are translated).
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return describe_schema(schema)


# Department pages ------------------------------------------------------------------------------


def handling_departments():
    return Department.objects.exclude(kind=Department.Kind.OFFICE)


def department_list(request):
    figures = department_figures()
    departments = [with_figures(department, figures) for department in handling_departments()]
    if fmt := export_format(request):
        rows = (department_export_row(department) for department in departments)
        return dated_export(fmt, _("承办单位办理情况"), DEPARTMENT_EXPORT_HEADERS, rows)
    return render(request, "departments/department_list.html", {"departments": departments})


def department_detail(request, pk):
    department = get_object_or_404(handling_departments(), pk=pk)
    with_figures(department, department_figures(department))
    filterset = DepartmentAssignmentFilter(request.GET, queryset=department_assignments(department))
    assignments = filterset.rows
    if fmt := export_format(request):
        rows = assignment_export_rows(assignments, EXPORT_CHUNK)
        return dated_export(
            fmt,
            _("%(department)s承办提案") % {"department": department.name},
            ASSIGNMENT_EXPORT_HEADERS,
            rows,
        )
    page = Paginator(assignments, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for assignment in page:
        assignment.state = assignment_state(assignment, today)
    open_commitments = (
        tracker_commitments().open().filter(owner=department).order_by(F("due_on").asc(nulls_last=True), "pk")
    )
    return render(
        request,
        "departments/department_detail.html",
        {
            "department": department,
            "page": page,
            "filter": filterset,
            "sort": filterset.sort,
            "open_commitments": open_commitments[:OPEN_COMMITMENTS_SHOWN],
            "today": today,
        },
    )
