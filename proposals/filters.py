"""The pieces every public list shares: the FilterSet base, checkbox and sort filters, row labels.

The lists themselves live with the data they show: the proposal list with its full-text search
(search/filters.py), the commitments tracker (responses/filters.py), the department pages
(opendata/departments.py). Every FilterSet built on PublicFilterSet fills its choice lists in two
queries at most (sessions, departments), whatever the number of filters that use them.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Assignment, Department, Proposal, Session

# --- Shared pieces --------------------------------------------------------------------------------


class CheckFilter(django_filters.BooleanFilter):
    """A checkbox: ticked narrows the list, unticked leaves it alone (never "only the false ones").

    With `method=`, django-filter calls the method with False too: such methods check the value.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxInput)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return super().filter(qs, True) if value else qs


class PublicFilterSet(django_filters.FilterSet):
    """Fills session and department choices once per request, and orders by a whitelisted `sort`.

    Subclasses name their choice-backed filters in `session_filters` / `department_filters` and
    their orderings in `SORTS` (value → order_by arguments); `DEFAULT_ORDER` applies without `sort`.
    """

    session_filters = ()
    year_filters = ()
    department_filters = ()
    SORTS = {}
    DEFAULT_ORDER = ()

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        if self.session_filters or self.year_filters:
            sessions = list(Session.objects.select_related("committee"))
            for name in self.session_filters:
                self.filters[name].extra["choices"] = [(s.pk, f"{s}（{s.year}）") for s in sessions]
            years = sorted({s.year for s in sessions}, reverse=True)
            for name in self.year_filters:
                self.filters[name].extra["choices"] = [(year, year) for year in years]
        if self.department_filters:
            departments = list(
                Department.objects.exclude(kind=Department.Kind.OFFICE).values_list("pk", "name")
            )
            for name in self.department_filters:
                self.filters[name].extra["choices"] = departments

    @property
    def sort(self):
        return self.form.cleaned_data.get("sort") if self.is_valid() else ""

    def filter_queryset(self, queryset):
        for name, value in self.form.cleaned_data.items():
            if name not in ("q", "sort"):
                queryset = self.filters[name].filter(queryset, value)
        return self.order(self.search(queryset))

    def search(self, queryset):
        return queryset

    def order(self, queryset):
        if self.sort:
            return queryset.order_by(*self.SORTS[self.sort])
        return queryset.order_by(*self.DEFAULT_ORDER) if self.DEFAULT_ORDER else queryset

    @property
    def rows(self):
        """The filtered rows, or none at all when the form has errors (shown beside the fields)."""
        return self.qs if self.is_valid() else self.queryset.none()


def sort_filter(choices):
    return django_filters.ChoiceFilter(
        label=_("排序"), choices=choices, method=lambda qs, name, value: qs, empty_label=_("默认排序")
    )


def labels(choices):
    """{value: label} translated once: get_FOO_display() hashes every lazy label again on each call,
    which was a third of an export's time."""
    return {value: str(label) for value, label in choices}


class SessionNames(dict):
    """str(session) once per session rather than once per row (it spells the ordinal in Chinese)."""

    def of(self, session):
        if session.pk not in self:
            self[session.pk] = str(session)
        return self[session.pk]


class RowLabels:
    """The labels list rows show, worked out once for all the rows of a page or an export."""

    def __init__(self):
        self.kinds = labels(Proposal.Kind.choices)
        self.statuses = labels(Proposal.Status.choices)
        self.sessions = SessionNames()


def public_assignments():
    """Standing assignments on published proposals: what the public may know a department handles."""
    return Assignment.objects.active().filter(proposal__is_published=True)
