"""Similar proposals, for the office only: which proposals of this and earlier sessions read like
this one, and which in the same session are likely duplicates (candidates for 并案).

A proposal is a vector over the character bigrams of its title and body (search/bigrams.py), the
title counted twice because it names the subject. Each bigram weighs (1 + log count) × idf,
idf = log((N + 1) / (documents holding it + ½)) from BigramFrequency: a bigram in every proposal
(建议, 发展) weighs almost nothing, a rare one (钨矿, 平陆) much. Two proposals are as similar as the
cosine of their vectors: 1 for the same bigrams in any order, so a reworded title over shuffled
sentences still scores near 1.

At 100,000 proposals the cosine cannot be taken against every one inside a page view. Above
SCORE_ALL_UP_TO documents (on PostgreSQL and SQLite alike) a bounded set of candidates is scored
exactly instead: the CANDIDATES proposals sharing the most MinHash bands with the text (search/bands.py:
near-duplicates, found whatever the order of their sentences, and the closest topical neighbours,
which the assignment suggestions learn from) and, when fewer share a band, the latest whose titles
hold the title's two most distinctive bigrams (the same subject). Bands are written when a
proposal's text is saved, by `refresh()` (rebuild_search_index, and `refresh_similarity` nightly,
when the frequencies are recounted) and, for proposals loaded in bulk since, by the first lookup
that meets them. Below SCORE_ALL_UP_TO documents every proposal of the committee is scored.
"""

import math
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import BooleanField, Count, Max
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from proposals.models import Assignment, Proposal
from responses.models import Commitment, Response

from .bands import BANDS, band_hashes, identity_text
from .bigrams import pairs
from .models import BigramFrequency, SearchDocument, SimilarityBand, refresh_bigram_frequencies

TITLE_WEIGHT = 2
# Candidates read back and scored exactly: those sharing the most MinHash bands (near-duplicates),
# and the latest whose titles hold the title's two most distinctive bigrams (the same subject).
CANDIDATES = 20
# Proposals given bands by one lookup at most; more than this without bands (a bulk load without
# rebuild_search_index) wait for the next lookups or for refresh_similarity.
BAND_AT_LOOKUP = 500
# Up to this many documents every proposal of the pool is scored exactly (a few milliseconds per
# hundred); beyond it the bands and the title's subject pick the candidates.
SCORE_ALL_UP_TO = 2000
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


def write_bands(proposals):
    """Write the bands of these proposals (a queryset), 2,000 at a time. Returns the number done."""
    done = 0
    ids = list(proposals.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 2000):
        rows = list(
            Proposal.objects.filter(pk__in=ids[start : start + 2000]).values_list("pk", "title", "body")
        )
        SimilarityBand.objects.write(rows)
        done += len(rows)
    return done


def refresh():
    """Recount the bigram frequencies, then write every proposal's bands anew. Returns (documents
    counted, proposals given bands)."""
    total = refresh_bigram_frequencies()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses pending checks
                cursor.execute("TRUNCATE search_similarityband")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            SimilarityBand.objects.all().delete()
        done = write_bands(Proposal.objects.all())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_similarityband")
    return total, done


def band_new():
    """Write the bands of the proposals created since the last written (higher ids than any with
    bands), at most BAND_AT_LOOKUP of them: proposals loaded in bulk send no signal. Two queries when
    there are none."""
    latest = SimilarityBand.objects.aggregate(latest=Max("proposal_id"))["latest"] or 0
    new = Proposal.objects.filter(pk__gt=latest).order_by("pk")
    if new.exists():
        write_bands(Proposal.objects.filter(pk__in=list(new.values_list("pk", flat=True)[:BAND_AT_LOOKUP])))


def candidates(title, body, pool, frequencies):
    """(Ids of the proposals of `pool` worth scoring exactly, {id: bands shared with the text}): the
    CANDIDATES sharing the most bands with the text and, when fewer share any, the latest on the
    title's subject. One query, or two.

    The subject query costs 50–100 ms at 100,000 proposals (a common subject sits in thousands of
    titles, each checked against the pool), so it only fills in: where the bands already give
    CANDIDATES, those sharing the most shingles are the closest topical neighbours anyway."""
    hashes = [value for _, value in band_hashes(identity_text(title, body))]
    shared = dict(
        SimilarityBand.objects.filter(hash__in=hashes, proposal__in=pool)
        .values("proposal_id")
        .annotate(shared=Count("pk"))
        .order_by("-shared", "-proposal_id")
        .values_list("proposal_id", "shared")[:CANDIDATES]
    )
    found = list(shared)
    subject = rarest(set(pairs(title)), frequencies, 2) if len(found) < CANDIDATES else []
    if subject:
        documents = SearchDocument.objects.filter(proposal__in=pool)
        if connection.vendor == "postgresql":
            both = " & ".join(f"'{term}'" for term in subject)
            documents = documents.alias(
                hit=RawSQL("search_searchdocument.title_bigrams @@ %s::tsquery", [both], BooleanField())
            ).filter(hit=True)
        else:
            for term in subject:  # space-separated bigrams: a two-character substring is one of them
                documents = documents.filter(title_bigrams__contains=term)
        found += documents.order_by("-recency", "-proposal_id").values_list("proposal_id", flat=True)[
            :CANDIDATES
        ]
    return found, shared


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

    Queries: the query's frequencies; above SCORE_ALL_UP_TO documents the latest proposal with bands
    and whether any is newer (2), the candidates (2 at most); the texts; the frequencies they add."""
    counts = term_counts(title, body)
    if not counts:
        return []
    frequencies = Frequencies(counts)
    query, query_length = weigh(counts, frequencies)
    if frequencies.total > SCORE_ALL_UP_TO:
        band_new()
        ids, shared = candidates(title, body, pool, frequencies)
        rows = Proposal.objects.filter(pk__in=ids).values_list("pk", "title", "body")
    else:
        # A small installation: every proposal of the pool is scored.
        rows, shared = pool.values_list("pk", "title", "body"), {}
    texts = {pk: term_counts(t, b) for pk, t, b in rows}
    missing = set().union(*texts.values()) - counts.keys() if texts else set()
    if missing:
        frequencies.merged(Frequencies(missing))
    scored = []
    for pk, their_counts in texts.items():
        theirs, their_length = weigh(their_counts, frequencies)
        scored.append((pk, cosine(query, query_length, theirs, their_length)))
    scored = [row for row in scored if row[1] >= MINIMUM_SCORE]
    # Copies first: a proposal sharing half the text's bands or more holds about 95 % of its shingles
    # (search/bands.py), however its title was reworded; a same-titled proposal on the same template
    # sentences may reach a higher cosine without being one.
    copies = {pk for pk, count in shared.items() if count >= BANDS // 2}
    scored.sort(key=lambda row: (row[0] not in copies, -row[1], -row[0]))
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
