"""Paginators: one for lists too long to count (it counts up to a cap and pages through that many
rows), one that counts and pages in a single query."""

from django.core.paginator import Paginator
from django.db.models import Count, Window
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """Counts at most `cap` + 1 rows (`SELECT count(*) FROM (… LIMIT cap + 1)`), so that a long list
    costs the same as a short one: at 300,000 commitments the exact count took 0.25 s of the page, the
    capped one 6 ms. `count` (and so the pages) stops at the cap; `is_capped` says there are more."""

    # As the search page: beyond a thousand rows a visitor narrows the list (or exports all of it).
    cap = 1000

    @cached_property
    def counted(self):
        return self.object_list[: self.cap + 1].count()

    @cached_property
    def count(self):
        return min(self.counted, self.cap)

    @property
    def is_capped(self):
        return self.counted > self.cap


class WindowPaginator(Paginator):
    """Pages a queryset in ONE query: the page's rows carry the length of the whole list as
    `COUNT(*) OVER ()`, so no separate count runs (the rows are annotated `window_total`).

    For lists that are sorted whole anyway (a unit's workload, the overdue board): a window count
    makes the database read every matching row, so a list served from an index in order (the public
    lists, newest first) is cheaper with a count of its own and a LIMIT. Only a page past the end (a
    stale link) costs a second query, to count and fall back to the last page as `get_page` does."""

    total_name = "window_total"

    def __init__(self, object_list, per_page, **kwargs):
        super().__init__(object_list.annotate(**{self.total_name: Window(Count("*"))}), per_page, **kwargs)

    def get_page(self, number):
        try:
            number = max(int(number), 1)
        except (TypeError, ValueError):
            number = 1
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page])
        if rows:
            self.count = getattr(rows[0], self.total_name)
            return self._get_page(rows, number, self)
        if number == 1:
            self.count = 0
            return self._get_page(rows, 1, self)
        return super().get_page(self.num_pages)  # past the end: count, then the last page
