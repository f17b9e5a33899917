"""Similar proposals, for the office only: which proposals of this and earlier sessions read like
this one, and which in the same session are likely duplicates (candidates for 并案).

A proposal is a vector over the character bigrams of its title and body (search/bigrams.py), the
title counted twice because it names the subject. Each bigram weighs (1 + log count) × idf,
idf = log((N + 1) / (documents holding it + ½)) from BigramFrequency: a bigram in every proposal
(建议, 发展) weighs almost nothing, a rare one (钨矿, 平陆) much. Two proposals are as similar as the
cosine of their vectors: 1 for the same bigrams in any order, so a reworded title over shuffled
sentences still scores near 1.

At 100,000 proposals the cosine cannot be taken against every one inside a page view, nor can the
full bigram column be read for every document holding a query term (it is toasted, 7–11 kB a row).
On PostgreSQL each document therefore carries a signature: its SIGNATURE most distinctive bigrams,
a small tsvector with its own GIN index. The candidates are the documents whose signature holds any
of the query's QUERY_TERMS most distinctive bigrams, ordered inside the database by the summed
weight of the ones they hold; the best CANDIDATES are read back and scored exactly. Signatures are
written in bulk by `refresh()` (rebuild_search_index, and `refresh_similarity` nightly, when the
frequencies are recounted) and, for documents written since, by the first lookup that meets them:
saving a proposal costs nothing more. Below SCORE_ALL_UP_TO documents, and on SQLite whatever
the size, every proposal of the committee is scored.
"""

import math
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import BooleanField, Count, FloatField, Max
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from proposals.models import Assignment, Proposal
from responses.models import Commitment, Response

from .bigrams import as_lexemes, pairs
from .models import BigramFrequency, SearchDocument, Signature, refresh_bigram_frequencies

TITLE_WEIGHT = 2
# The query's most distinctive bigrams that pick the candidates on PostgreSQL, and how many
# candidates are scored exactly (BENCHMARKS.md: recall and time against these two).
SIGNATURE = 32
QUERY_TERMS = 16
# Candidates read back and scored exactly: those sharing the most rare bigrams (near-duplicates),
# and the latest whose titles hold the title's two most distinctive bigrams (the same subject).
CANDIDATES = 20
# Documents signed by one lookup at most; more unsigned ones than this (a bulk load without
# rebuild_search_index) wait for the next lookups or for refresh_similarity.
SIGN_AT_LOOKUP = 500
# Up to this many documents every proposal of the pool is scored exactly, on PostgreSQL as on
# SQLite (a few milliseconds per hundred); beyond it the signatures pick the candidates.
SCORE_ALL_UP_TO = 2000
SIGNATURE_INDEX = "CREATE INDEX IF NOT EXISTS search_signature_gin ON search_signature USING gin (bigrams)"
SHOWN = 5
# Below this a proposal shares only boilerplate (关于, 建议): not shown, not learned from.
MINIMUM_SCORE = 0.05
# Same session and at least this similar: flagged as a likely duplicate, for the clerk to judge (the
# flag is a hint with a link, never an action). A reworded copy of a short proposal scores about
# 0.55 in a small corpus (tests); unrelated proposals stay far below 0.3 outside boilerplate.
DUPLICATE_SCORE = 0.5


def term_counts(title, body):
    counts = Counter(pairs(body))
    for bigram in pairs(title):
        counts[bigram] += TITLE_WEIGHT
    return counts


class Frequencies:
    """Document frequencies of the given bigrams (all of them when `bigrams` is None) and the corpus
    size: one query. Counts them first when they were never counted (a new installation), so the
    first lookup does that work once."""

    def __init__(self, bigrams=None):
        rows = self._read(bigrams)
        if BigramFrequency.TOTAL not in rows:
            refresh_bigram_frequencies()
            rows = self._read(bigrams)
        self.total = rows.pop(BigramFrequency.TOTAL, 0)
        top = math.log(self.total + 1)
        # idf = log((N + 1) / (df + ½)), never below 0 (counts may be a little stale).
        self.unknown = top - math.log(0.5)
        self.weights = {b: max(top - math.log(df + 0.5), 0.0) for b, df in rows.items()}

    @staticmethod
    def _read(bigrams):
        rows = BigramFrequency.objects.all()
        if bigrams is not None:
            rows = rows.filter(bigram__in=[*set(bigrams), BigramFrequency.TOTAL])
        return dict(rows.values_list("bigram", "documents"))

    def idf(self, bigram):
        return self.weights.get(bigram, self.unknown)

    def merged(self, other):
        self.weights.update(other.weights)
        return self


# 1 + log(n) for the counts a bigram usually has in one proposal.
_DAMPED = [0.0] + [1 + math.log(n) for n in range(1, 64)]


def weigh(counts, frequencies):
    """{bigram: weight} and the vector's length."""
    idf, unknown = frequencies.weights, frequencies.unknown
    vector = {b: (_DAMPED[n] if n < 64 else 1 + math.log(n)) * idf.get(b, unknown) for b, n in counts.items()}
    return vector, math.sqrt(sum(w * w for w in vector.values()))


def rarest(bigrams, frequencies, size):
    """The `size` bigrams fewest documents hold (then in code point order, to be deterministic)."""
    idf = frequencies.idf
    return sorted(bigrams, key=lambda b: (-idf(b), b))[:size]


def identity(title, body):
    """The bigrams a proposal is recognised by: its body's (a copy rewords the title first), or
    its title's when it has no body."""
    return set(pairs(body)) or set(pairs(title))


def signature_of(bigrams, frequencies):
    """A document's rarest bigrams: what a reworded copy of it shares and other proposals do not."""
    return as_lexemes(sorted(rarest(bigrams, frequencies, SIGNATURE)))


def sign(proposals, frequencies=None, replace=True):
    """Write the Signatures of these proposals (a queryset) from their title and body, 1,000 at a
    time: read the texts, fetch the frequencies not yet at hand, replace the rows. Returns the number
    signed."""
    signed = 0
    ids = list(proposals.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 1000):
        batch = ids[start : start + 1000]
        rows = Proposal.objects.filter(pk__in=batch).values_list("pk", "title", "body")
        counts = {pk: identity(title, body) for pk, title, body in rows}
        seen = set().union(*counts.values()) if counts else set()
        if frequencies is None:
            known = Frequencies(seen)
        else:
            known = frequencies
            if seen - known.weights.keys():
                known.merged(Frequencies(seen - known.weights.keys()))
        if replace:
            Signature.objects.filter(proposal_id__in=batch).delete()
        Signature.objects.bulk_create(
            [Signature(proposal_id=pk, bigrams=signature_of(c, known)) for pk, c in counts.items()]
        )
        signed += len(counts)
    return signed


def refresh():
    """Recount the bigram frequencies, then re-sign every proposal with them (PostgreSQL; SQLite
    scores without signatures). Returns (documents counted, proposals signed)."""
    total = refresh_bigram_frequencies()
    signed = 0
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses pending checks
                cursor.execute("TRUNCATE search_signature")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                cursor.execute("DROP INDEX IF EXISTS search_signature_gin")
            signed = sign(Proposal.objects.all(), Frequencies(), replace=False)
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # as for TRUNCATE above
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                cursor.execute(SIGNATURE_INDEX)
    return total, signed


def sign_new():
    """Sign the proposals created since the last signing (higher ids than any signed), at most
    SIGN_AT_LOOKUP of them. Two queries when there are none."""
    latest = Signature.objects.aggregate(latest=Max("proposal_id"))["latest"] or 0
    new = Proposal.objects.filter(pk__gt=latest).order_by("pk")
    if new.exists():
        sign(Proposal.objects.filter(pk__in=list(new.values_list("pk", flat=True)[:SIGN_AT_LOOKUP])))


def cosine(a, a_length, b, b_length):
    if not a_length or not b_length:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b[k] for k, w in a.items() if k in b) / (a_length * b_length)


def pool_for(session):
    """Proposals a new one of `session` is compared with: the committee's, of this and earlier
    sessions, drafts aside (a draft is its proposer's own until submitted)."""
    return Proposal.objects.filed().filter(
        session__committee_id=session.committee_id, session__year__lte=session.year
    )


def rank(title, body, pool, limit=SHOWN):
    """[(proposal id, score)] of the `limit` proposals of `pool` most similar to the text, best first.

    Queries: the query's frequencies; on PostgreSQL the candidates; their texts; their frequencies."""
    counts = term_counts(title, body)
    if not counts:
        return []
    frequencies = Frequencies(counts)
    query, query_length = weigh(counts, frequencies)
    if connection.vendor == "postgresql" and frequencies.total > SCORE_ALL_UP_TO:
        sign_new()
        terms = rarest(identity(title, body), frequencies, QUERY_TERMS)
        # Any two of the rarest bigrams together: a reworded copy holds them all, while one rare
        # bigram alone still sits in thousands of documents of a repetitive corpus.
        any_term = " | ".join(f"('{a}' & '{b}')" for a, b in zip(terms[::2], terms[1::2], strict=False))
        if len(terms) == 1:
            any_term = f"'{terms[0]}'"
        overlap = " + ".join(["(search_signature.bigrams @@ %s::tsquery)::int * %s"] * len(terms))
        params = [value for term in terms for value in (f"'{term}'", frequencies.idf(term))]
        candidate_ids = list(
            Signature.objects.filter(proposal__in=pool)
            .alias(hit=RawSQL("search_signature.bigrams @@ %s::tsquery", [any_term], BooleanField()))
            .filter(hit=True)
            .annotate(overlap=RawSQL(overlap, params, FloatField()))
            .order_by("-overlap", "-proposal_id")
            .values_list("proposal_id", flat=True)[:CANDIDATES]
        )
        subject = rarest(set(pairs(title)), frequencies, 2)
        if subject:
            both = " & ".join(f"'{term}'" for term in subject)
            candidate_ids += list(
                SearchDocument.objects.filter(proposal__in=pool)
                .alias(
                    hit=RawSQL("search_searchdocument.title_bigrams @@ %s::tsquery", [both], BooleanField())
                )
                .filter(hit=True)
                .order_by("-recency", "-proposal_id")
                .values_list("proposal_id", flat=True)[:CANDIDATES]
            )
        rows = Proposal.objects.filter(pk__in=candidate_ids).values_list("pk", "title", "body")
    else:
        # A small installation (or SQLite): every proposal of the pool is scored.
        rows = pool.values_list("pk", "title", "body")
    texts = {pk: term_counts(t, b) for pk, t, b in rows}
    missing = set().union(*texts.values()) - counts.keys() if texts else set()
    if missing:
        frequencies.merged(Frequencies(missing))
    scored = []
    for pk, their_counts in texts.items():
        theirs, their_length = weigh(their_counts, frequencies)
        scored.append((pk, cosine(query, query_length, theirs, their_length)))
    scored = [row for row in scored if row[1] >= MINIMUM_SCORE]
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
