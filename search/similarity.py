"""Similar proposals, for the office only: which proposals of this and earlier sessions read like
this one, and which in the same session are likely duplicates (candidates for 并案).

A proposal is a vector over the character bigrams of its title and body (search/bigrams.py), the
title counted three times because it names the subject. Each bigram weighs (1 + log count) × idf,
idf = log((N + 1) / (documents holding it + ½)) from BigramFrequency: a bigram in every proposal
(建议, 发展) weighs almost nothing, a rare one (钨矿, 平陆) much. Two proposals are as similar as the
cosine of their vectors: 1 for the same bigrams in any order, so a reworded title over shuffled
sentences still scores near 1.

At 100,000 proposals the cosine cannot be taken against every one inside a page view. On
PostgreSQL the existing GIN index on the bigram column finds the candidates: the documents holding
any of the query's most distinctive bigrams, ordered inside the database by the summed weight of
the ones they hold; only the best CANDIDATES are read back and scored exactly. SQLite, for small
installations and tests, scores every proposal of the committee.
"""

import math
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, Count, FloatField
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from proposals.models import Assignment, Proposal
from responses.models import Commitment, Response

from .bigrams import pairs
from .models import BigramFrequency, SearchDocument, refresh_bigram_frequencies

TITLE_WEIGHT = 3
# The query's most distinctive bigrams that pick the candidates on PostgreSQL, and how many
# candidates are scored exactly (BENCHMARKS.md: recall and time against these two).
QUERY_TERMS = 24
CANDIDATES = 60
SHOWN = 5
# Same session and at least this similar: flagged as a likely duplicate. Rewordings of one text
# score above 0.85 on the synthetic data; distinct proposals on one topic below 0.6.
DUPLICATE_SCORE = 0.75


def term_counts(title, body):
    counts = Counter(pairs(body))
    for bigram in pairs(title):
        counts[bigram] += TITLE_WEIGHT
    return counts


class Frequencies:
    """Document frequencies of the given bigrams and the corpus size: one query. Counts them first
    when they were never counted (a new installation), so the first lookup does the work once."""

    def __init__(self, bigrams):
        wanted = [*set(bigrams), BigramFrequency.TOTAL]
        rows = dict(BigramFrequency.objects.filter(bigram__in=wanted).values_list("bigram", "documents"))
        if BigramFrequency.TOTAL not in rows:
            refresh_bigram_frequencies()
            rows = dict(BigramFrequency.objects.filter(bigram__in=wanted).values_list("bigram", "documents"))
        self.total = rows.pop(BigramFrequency.TOTAL, 0)
        self.documents = rows

    def idf(self, bigram):
        return max(math.log((self.total + 1) / (self.documents.get(bigram, 0) + 0.5)), 0.0)


def weigh(counts, frequencies):
    """{bigram: weight} and the vector's length."""
    vector = {b: (1 + math.log(n)) * frequencies.idf(b) for b, n in counts.items()}
    return vector, math.sqrt(sum(w * w for w in vector.values()))


def cosine(a, a_length, b, b_length):
    if not a_length or not b_length:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b[k] for k, w in a.items() if k in b) / (a_length * b_length)


def pool_for(session):
    """Proposals a new one of `session` is compared with: the committee's, of this and earlier
    sessions, drafts aside (a draft is its proposer's own until submitted)."""
    return Proposal.objects.filter(
        session__committee_id=session.committee_id, session__year__lte=session.year
    ).exclude(status=Proposal.Status.DRAFT)


def rank(title, body, pool, limit=SHOWN):
    """[(proposal id, score)] of the `limit` proposals of `pool` most similar to the text, best first.

    Queries: the query's frequencies; on PostgreSQL the candidates; their texts; their frequencies."""
    counts = term_counts(title, body)
    if not counts:
        return []
    query_frequencies = Frequencies(counts)
    query, query_length = weigh(counts, query_frequencies)
    if connection.vendor == "postgresql":
        terms = sorted(query, key=lambda b: (-query[b], b))[:QUERY_TERMS]
        any_term = " | ".join(f"'{term}'" for term in terms)
        overlap = " + ".join(["(search_searchdocument.bigrams @@ %s::tsquery)::int * %s"] * len(terms))
        params = [value for term in terms for value in (f"'{term}'", query[term])]
        candidate_ids = list(
            SearchDocument.objects.filter(proposal__in=pool)
            .alias(hit=RawSQL("search_searchdocument.bigrams @@ %s::tsquery", [any_term], BooleanField()))
            .filter(hit=True)
            .annotate(overlap=RawSQL(overlap, params, FloatField()))
            .order_by("-overlap", "-proposal_id")
            .values_list("proposal_id", flat=True)[:CANDIDATES]
        )
        rows = Proposal.objects.filter(pk__in=candidate_ids).values_list("pk", "title", "body")
    else:
        rows = pool.values_list("pk", "title", "body")
    texts = {pk: term_counts(t, b) for pk, t, b in rows}
    missing = set().union(*texts.values()) - counts.keys() if texts else set()
    frequencies = query_frequencies
    if missing:
        frequencies = Frequencies(missing)
        frequencies.documents.update(query_frequencies.documents)
    scored = []
    for pk, their_counts in texts.items():
        theirs, their_length = weigh(their_counts, frequencies)
        scored.append((pk, cosine(query, query_length, theirs, their_length)))
    scored.sort(key=lambda row: (-row[1], -row[0]))
    return scored[:limit]


@dataclass
class Match:
    """One similar proposal as the office sees it."""

    proposal: Proposal
    score: float
    handling_units: list = field(default_factory=list)
    result_classes: list = field(default_factory=list)
    open_commitments: int = 0
    is_duplicate: bool = False
    merge_url: str = ""
    merge_label: str = ""

    @property
    def percent(self):
        return round(self.score * 100)


def similar_to(proposal, limit=SHOWN):
    """The Matches for a proposal, best first, with what the office needs to judge each: session,
    status, lead (or separate) units, result classes of the current replies, open commitments, and
    for a likely duplicate in the same session the 并案 it allows.

    Queries: those of rank(), then the proposals with sessions; their standing assignments; their
    current replies; their open commitments, counted."""
    ranked = rank(proposal.title, proposal.body, pool_for(proposal.session).exclude(pk=proposal.pk), limit)
    if not ranked:
        return []
    ids = [pk for pk, _ in ranked]
    proposals = Proposal.objects.select_related("session__committee").in_bulk(ids)
    units = {}
    for assignment in (
        Assignment.objects.active()
        .exclude(role=Assignment.Role.CO_HANDLING)
        .filter(proposal_id__in=ids)
        .select_related("department")
        .in_role_order()
    ):
        units.setdefault(assignment.proposal_id, []).append(assignment)
    classes = {}
    issued = Response.Status.issued()
    for proposal_id, result_class in (
        Response.objects.filter(proposal_id__in=ids, status__in=issued)
        .exclude(superseded_by__status__in=issued)
        .exclude(result_class="")
        .order_by("department__name")
        .values_list("proposal_id", "result_class")
    ):
        classes.setdefault(proposal_id, []).append(result_class)
    open_counts = dict(
        Commitment.objects.current()
        .open()
        .filter(item__response__proposal_id__in=ids)
        .values_list("item__response__proposal_id")
        .annotate(n=Count("pk"))
        .values_list("item__response__proposal_id", "n")
    )
    matches = []
    for pk, score in ranked:
        other = proposals[pk]
        match = Match(
            proposal=other,
            score=score,
            handling_units=units.get(pk, []),
            result_classes=classes.get(pk, []),
            open_commitments=open_counts.get(pk, 0),
            is_duplicate=other.session_id == proposal.session_id and score >= DUPLICATE_SCORE,
        )
        if match.is_duplicate:
            match.merge_url, match.merge_label = merge_path(proposal, other)
        matches.append(match)
    return matches


def _mergeable_target(proposal):
    return proposal.status in Proposal.Status.numbered() and proposal.status != Proposal.Status.MERGED


def merge_path(this, other):
    """(review URL with the 并案 prefilled, label) for a duplicate pair, or ("", "") when the
    workflow allows no merge between them: only a submitted proposal may be merged, and only into a
    registered one of the same session (proposals/workflow.py `merge`)."""
    if this.status == Proposal.Status.SUBMITTED and _mergeable_target(other):
        source, target, label = this, other, _("并入此件")
    elif other.status == Proposal.Status.SUBMITTED and _mergeable_target(this):
        source, target, label = other, this, _("将此件并入本案")
    else:
        return "", ""
    query = urlencode({"action": "merge", "merge_into": target.number})
    return f"{reverse('office:review', args=[source.pk])}?{query}", label
