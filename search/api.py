"""The search entry points other code calls: `filter_proposals` for lists, `search` for the search page.

How a query runs (design and measurements in BENCHMARKS.md):
- PostgreSQL: the AND of the query's character bigrams against a GIN-indexed tsvector finds the
  candidates; terms of three or more characters are rechecked by substring (`LIKE`, never
  `UPPER … LIKE` except for terms with Latin letters, which match regardless of case). A
  two-character term is its own bigram, so it needs no recheck.
- SQLite: plain substring match over the same documents, same results, no index.

The search page shows title hits first, then the rest, each newest first, a page at a time. Each
of the two streams is read in index order (recency) and stops once the page is full, so a term
found in nearly every proposal (广西) costs no more than a rare one. Totals are never a full
count(*): counted up to RESULT_CAP ("1000 条以上" beyond), or on PostgreSQL, for terms the
statistics say are everywhere, estimated from those statistics ("约 81,000 条").
"""

import datetime
import functools
import html
import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, Case, Count, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from proposals.models import Committee, Proposal, Session

from .bigrams import Query, as_tsquery
from .models import SearchDocument

PAGE_SIZE = 20
RESULT_CAP = 1000  # results listed (and counted) at most; more than this shows as "1000 条以上"
ESTIMATE_ABOVE = 5000  # PostgreSQL: above this many estimated hits, show the estimate, count nothing
SNIPPET_BEFORE = 30
SNIPPET_LENGTH = 120


def filter_proposals(queryset, query):
    """Proposals of `queryset` whose number, title, body or public reply text contains every term
    of `query` (terms are split at spaces and punctuation). Uses the bigram index on PostgreSQL.

    A query of single characters only cannot use the index: it matches number and title by
    substring, as the list did before the index existed."""
    parsed = Query(query)
    if not parsed.raw:
        return queryset
    if not parsed.terms:  # nothing searchable, or too long (Query.error says which)
        return queryset.none()
    if not parsed.tokens:
        condition = Q()
        for term in parsed.terms:
            condition &= _contains(term, ["number", "title"])
        return queryset.filter(condition)
    return queryset.filter(pk__in=_matching_documents(parsed).values("proposal_id"))


def _contains(term, fields):
    lookup = "icontains" if Query.ignores_case(term) else "contains"
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__{lookup}": term})
    return condition


def _matching_documents(parsed):
    """Documents (published or not) holding every term, through the index on PostgreSQL."""
    documents = SearchDocument.objects.all()
    terms = parsed.terms
    if connection.vendor == "postgresql":
        documents = documents.filter(
            RawSQL("bigrams @@ %s::tsquery", [as_tsquery(parsed.tokens)], output_field=BooleanField())
        )
        terms = [term for term in terms if not Query.is_exact(term)]
    for term in terms:
        documents = documents.filter(_contains(term, ["number", "title", "body"]))
    return documents


@dataclass
class Hit:
    """One result line, with everything it shows worked out here rather than in the template: a
    page of twenty model instances with three levels of select_related, get_FOO_display() and a
    blocktranslate per line cost more than the SQL that found them."""

    pk: int
    in_title: bool
    title: str
    title_html: str
    snippet_html: str
    number: str
    is_key: bool
    status_label: str
    kind_label: str
    session_label: str
    date_label: str

    @property
    def url(self):
        return reverse("proposals:detail", args=[self.pk])


@dataclass
class Results:
    query: Query
    page: int
    hits: list = field(default_factory=list)
    total: int = 0  # capped at RESULT_CAP + 1, unless estimated
    title_total: int = 0  # capped likewise
    has_next: bool = False
    estimated: bool = False  # total is the planner's statistics' estimate, not a count

    @property
    def is_capped(self):
        return self.total > RESULT_CAP

    @property
    def rounded_total(self):
        """An estimate to two significant figures: 81,047 → 81,000."""
        digits = max(len(str(self.total)) - 2, 0)
        return round(self.total, -digits)

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def start_index(self):
        return (self.page - 1) * PAGE_SIZE + 1 if self.hits else 0


def last_page():
    return -(-RESULT_CAP // PAGE_SIZE)


def search(query, page=1):
    """One page of published proposals matching `query` (a Query): title hits first, then newest
    first. Three queries: the capped counts, the page's ids, the page's lines."""
    page = max(1, min(page, last_page()))
    results = Results(query=query, page=page)
    if not query:
        return results
    if connection.vendor == "postgresql":
        title_total, total, results.estimated = _pg_counts(query)
    else:
        title_total, total = _orm_counts(query)
    results.title_total, results.total = title_total, total
    if total and not results.estimated:  # a page past the last shows the last
        page = results.page = min(page, -(-min(total, RESULT_CAP) // PAGE_SIZE))
    offset = (page - 1) * PAGE_SIZE
    limit = min(PAGE_SIZE + 1, RESULT_CAP - offset)  # one more tells whether a next page exists
    if offset >= min(total, RESULT_CAP) or limit <= 0:
        return results
    if connection.vendor == "postgresql":
        rows = _pg_page(query, offset, limit, title_total)
    else:
        rows = _orm_page(query, offset, limit)
    results.has_next = len(rows) > PAGE_SIZE and offset + PAGE_SIZE < RESULT_CAP
    rows = rows[:PAGE_SIZE]
    results.hits = _hits(query, rows)
    return results


def _hits(query, rows):
    """Hits for [(proposal id, in title)], in that order: one query, plain SQL on every database."""
    if not rows:
        return []
    placeholders = ", ".join(["%s"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT d.proposal_id, d.title, d.body, d.recency, p.number, p.status, p.kind, p.is_key, "
            "s.term, s.number, c.short_name FROM search_searchdocument d "
            "JOIN proposals_proposal p ON p.id = d.proposal_id "
            "JOIN proposals_session s ON s.id = p.session_id "
            "JOIN proposals_committee c ON c.id = s.committee_id "
            f"WHERE d.proposal_id IN ({placeholders}) AND p.is_published",
            [pk for pk, _ in rows],
        )
        found = {row[0]: row for row in cursor.fetchall()}
    statuses, kinds = dict(Proposal.Status.choices), dict(Proposal.Kind.choices)
    pattern = _pattern(query.terms)
    hits = []
    for pk, in_title in rows:
        if pk not in found:
            continue
        _pk, title, body, recency, number, status, kind, is_key, term, session_number, short_name = found[pk]
        if isinstance(recency, str):  # SQLite hands dates back as text in raw queries
            recency = datetime.date.fromisoformat(recency)
        hits.append(
            Hit(
                pk=pk,
                in_title=bool(in_title),
                title=title,
                title_html=highlight(title, pattern),
                snippet_html=snippet(body, pattern),
                number=_("第%(number)s号") % {"number": number} if number else "",
                is_key=bool(is_key),
                status_label=statuses.get(status, status),
                kind_label=kinds.get(kind, kind),
                session_label=_session_label(term, session_number, short_name),
                date_label=_("%(year)s年%(month)s月%(day)s日")
                % {"year": recency.year, "month": recency.month, "day": recency.day},
            )
        )
    return hits


@functools.lru_cache(maxsize=1024)
def _session_label(term, number, short_name):
    """The session's name as Session.__str__ gives it, from the columns a hit row carries."""
    return str(Session(term=term, number=number, committee=Committee(short_name=short_name)))


# PostgreSQL: raw SQL, because each stream reads a subquery fenced with OFFSET 0: inside, the
# planner orders the candidates by recency (walking the recency index for a common term, sorting a
# bitmap scan for a rare one); outside, the substring recheck runs row by row until the page is
# full. Without the fence the recheck is pushed into the scan and runs on every candidate before
# the sort: 265-760 ms instead of 31 ms for the non-title hits of 揭榜挂帅 at 100,000 proposals.


def _recheck_sql(terms, columns):
    """SQL and params requiring each non-exact term in one of the columns (of subquery `c`)."""
    clauses, params = [], []
    for term in terms:
        if Query.is_exact(term):
            continue
        if Query.ignores_case(term):
            parts = [f"UPPER(c.{column}) LIKE UPPER(%s)" for column in columns]
        else:
            parts = [f"c.{column} LIKE %s" for column in columns]
        clauses.append("(" + " OR ".join(parts) + ")")
        params += [f"%{term}%"] * len(columns)
    return (" AND ".join(clauses) or "TRUE"), params


# Streams read in index order for a page; counts need no order and stop after RESULT_CAP + 1 rows.
ORDERED = "ORDER BY recency DESC, proposal_id DESC"


def _title_stream(query, columns, order=ORDERED):
    title_check, params = _recheck_sql(query.terms, ["number", "title"])
    sql = (
        f"SELECT {columns} FROM (SELECT proposal_id, recency, number, title FROM search_searchdocument "
        f"WHERE is_published AND title_bigrams @@ %s::tsquery {order} OFFSET 0) c "
        f"WHERE {title_check}"
    )
    return sql, [as_tsquery(query.tokens), *params]


def _body_stream(query, columns, order=ORDERED):
    """Matches that are not title hits."""
    title_check, title_params = _recheck_sql(query.terms, ["number", "title"])
    full_check, full_params = _recheck_sql(query.terms, ["number", "title", "body"])
    tsquery = as_tsquery(query.tokens)
    sql = (
        f"SELECT {columns} FROM (SELECT proposal_id, recency, number, title, body, title_bigrams "
        f"FROM search_searchdocument WHERE is_published AND bigrams @@ %s::tsquery {order} OFFSET 0) c "
        f"WHERE NOT (c.title_bigrams @@ %s::tsquery AND {title_check}) AND {full_check}"
    )
    return sql, [tsquery, tsquery, *title_params, *full_params]


def _pg_counts(query):
    """(title hits, all hits, whether all hits is an estimate), in one statement.

    Title hits are counted exactly up to RESULT_CAP + 1 (titles are short and stored inline);
    when there are more, so are all hits, and nothing else is counted.

    All hits: when the statistics ANALYZE keeps (the frequency of each bigram, see migration 0003)
    say the query matches more than ESTIMATE_ABOVE documents, that estimate is shown ("约 81,000
    条") and nothing is counted: counting even the first thousand of a term found everywhere (广西)
    means decompressing a thousand documents' bigrams, 30–50 ms. Otherwise the candidates are
    counted up to RESULT_CAP + 1 from a bitmap of the GIN index (no document decompressed), and
    only when there are at most RESULT_CAP of them are they rechecked by substring for an exact
    count. The candidates sit in a MATERIALIZED CTE so that the planner plans them for full
    retrieval (a bitmap scan) rather than for the first rows of a LIMIT (a sequential scan)."""
    cap = RESULT_CAP + 1
    tokens = sorted(query.tokens)
    tsquery = as_tsquery(tokens)
    title_sql, title_params = _title_stream(query, "1", order="")
    full_check, full_params = _recheck_sql(query.terms, ["number", "title", "body"])
    if full_params:
        exact = (
            "(SELECT count(*) FROM (SELECT 1 FROM search_searchdocument c "
            f"WHERE c.is_published AND c.bigrams @@ %s::tsquery AND {full_check}) e)"
        )
        exact_params = [tsquery, *full_params]
    else:
        exact, exact_params = "(SELECT n FROM capped)", []
    sql = f"""
        WITH frequencies AS MATERIALIZED (
            SELECT count(*) AS known, exp(sum(ln(m.f))) AS product
            FROM pg_stats s, unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS m(e, f)
            WHERE s.schemaname = current_schema() AND s.tablename = 'search_searchdocument'
              AND s.attname = 'bigrams' AND m.e = ANY(%s)
        ), published AS MATERIALIZED (
            SELECT coalesce((
                SELECT s.most_common_freqs[array_position(s.most_common_vals::text::boolean[], true)]
                FROM pg_stats s WHERE s.schemaname = current_schema()
                  AND s.tablename = 'search_searchdocument' AND s.attname = 'is_published'
            ), 1) AS share
        ), estimate AS MATERIALIZED (
            SELECT CASE WHEN f.known = %s
                THEN (f.product * p.share * c.reltuples)::bigint ELSE 0 END AS n
            FROM frequencies f, published p, pg_class c WHERE c.oid = 'search_searchdocument'::regclass
        ), titles AS MATERIALIZED (
            SELECT count(*) AS n FROM ({title_sql} LIMIT {cap}) t
        ), candidates AS MATERIALIZED (
            SELECT 1 FROM search_searchdocument WHERE is_published AND bigrams @@ %s::tsquery
        ), capped AS MATERIALIZED (
            SELECT count(*) AS n FROM (SELECT 1 FROM candidates LIMIT {cap}) x
        )
        SELECT (SELECT n FROM titles),
            CASE WHEN (SELECT n FROM estimate) > {ESTIMATE_ABOVE} THEN (SELECT n FROM estimate)
                 WHEN (SELECT n FROM titles) > {RESULT_CAP} THEN {cap}
                 WHEN (SELECT n FROM capped) > {RESULT_CAP} THEN {cap}
                 ELSE {exact} END,
            (SELECT n FROM estimate) > {ESTIMATE_ABOVE}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [tokens, len(tokens), *title_params, tsquery, *exact_params])
        return cursor.fetchone()


def _pg_page(query, offset, limit, title_total):
    """[(proposal id, in title)] for rows offset … offset+limit of title hits then body hits."""
    parts, params = [], []
    if offset < title_total:
        sql, sql_params = _title_stream(query, "c.proposal_id, 1, c.recency")
        parts.append(f"({sql} LIMIT %s OFFSET %s)")
        params += [*sql_params, limit, offset]
    body_offset = max(offset - title_total, 0)
    body_limit = limit - max(min(title_total - offset, limit), 0)
    if body_limit > 0:
        sql, sql_params = _body_stream(query, "c.proposal_id, 0, c.recency")
        parts.append(f"({sql} LIMIT %s OFFSET %s)")
        params += [*sql_params, body_limit, body_offset]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    rows.sort(key=lambda row: (-row[1], -row[2].toordinal(), -row[0]))
    return [(pk, in_title) for pk, in_title, _recency in rows]


# SQLite (and any other database): the same semantics through the ORM, without an index.


def _orm_conditions(query):
    full, title = Q(), Q()
    for term in query.terms:
        full &= _contains(term, ["number", "title", "body"])
        title &= _contains(term, ["number", "title"])
    return full, title


def _orm_counts(query):
    full, title = _orm_conditions(query)
    counts = SearchDocument.objects.filter(full, is_published=True).aggregate(
        total=Count("pk"), titles=Count("pk", filter=title)
    )
    cap = RESULT_CAP + 1
    return min(counts["titles"], cap), min(counts["total"], cap)


def _orm_page(query, offset, limit):
    full, title = _orm_conditions(query)
    rows = (
        SearchDocument.objects.filter(full, is_published=True)
        .annotate(in_title=Case(When(title, then=Value(1)), default=Value(0), output_field=IntegerField()))
        .order_by("-in_title", "-recency", "-proposal_id")
        .values_list("proposal_id", "in_title")[offset : offset + limit]
    )
    return list(rows)


# Highlighting: split the raw text at the hits, escape every piece, wrap the hits in <mark>. Never
# search the escaped text: a query "amp" would then match inside "&amp;".


def _pattern(terms):
    alternatives = sorted(set(terms), key=len, reverse=True)
    return re.compile("|".join(re.escape(term) for term in alternatives), re.IGNORECASE)


def highlight(text, terms):
    """`text` escaped, with the terms (a list, or a pattern from _pattern) wrapped in <mark>."""
    pattern = terms if isinstance(terms, re.Pattern) else _pattern(terms)
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append(html.escape(text[last : match.start()]))
        pieces.append(f"<mark>{html.escape(match.group())}</mark>")
        last = match.end()
    pieces.append(html.escape(text[last:]))
    return mark_safe("".join(pieces))  # every piece of text is escaped above


def snippet(text, terms):
    """About SNIPPET_LENGTH characters of `text` around its first hit, highlighted."""
    pattern = terms if isinstance(terms, re.Pattern) else _pattern(terms)
    match = pattern.search(text)
    # Whitespace runs (line breaks between paragraphs) become single spaces; only the window around
    # the hit is normalised, with a margin for the runs it may hold.
    window_start = max((match.start() if match else 0) - 4 * SNIPPET_BEFORE, 0)
    window = " ".join(text[window_start : window_start + 8 * SNIPPET_LENGTH].split())
    match = pattern.search(window)
    start = max((match.start() if match else 0) - SNIPPET_BEFORE, 0)
    end = start + SNIPPET_LENGTH
    piece = highlight(window[start:end], pattern)
    more_before = start or window_start
    more_after = end < len(window) or window_start + 8 * SNIPPET_LENGTH < len(text)
    return mark_safe(f"{'…' if more_before else ''}{piece}{'…' if more_after else ''}")
