"""The search index: one row per proposal holding its searchable text and that text's bigrams."""

import datetime

from django.db import connection, models, transaction
from django.utils.translation import gettext_lazy as _

from proposals.models import Proposal
from responses.models import Commitment, Response, ResponseItem

from .bands import band_hashes, identity_text
from .bigrams import as_lexemes, bigrams, pairs


class BigramsField(models.TextField):
    """Space-separated bigrams: a `tsvector` column on PostgreSQL (read verbatim, no parser), text
    elsewhere. Written, never read back by the app: select it away with `.only()` / `.defer()`."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"

    def get_placeholder(self, value, compiler, connection):
        # The tsvector input function takes space-separated lexemes as they are: no stemming, no
        # stop words, no parser cutting 石墨烯 where it likes.
        return "%s::tsvector" if connection.vendor == "postgresql" else "%s"


PROPOSAL_FIELDS = ("pk", "number", "title", "body", "is_published", "submitted_on", "created_at")


class SearchDocumentQuerySet(models.QuerySet):
    def rebuild(self, proposals):
        """Rebuild the documents of `proposals` (ids, or a Proposal queryset) in four queries whatever
        their number: the proposals, their public items, their commitments, one upsert. This is the
        bulk path for code that changes many proposals with `update()` (no signals fire then)."""
        if not isinstance(proposals, models.QuerySet):
            proposals = Proposal.objects.filter(pk__in=list(proposals))
        return self.write(list(proposals.filed().values(*PROPOSAL_FIELDS)))

    def write(self, rows):
        """Upsert the documents of these proposal rows (dicts with PROPOSAL_FIELDS)."""
        if not rows:
            return 0
        texts = public_reply_texts([row["pk"] for row in rows])
        self.bulk_create(
            [build_document(row, texts) for row in rows],
            update_conflicts=True,
            unique_fields=["proposal"],
            update_fields=["is_published", "recency", "number", "title", "body", "title_bigrams", "bigrams"],
        )
        return len(rows)


def rebuild_all(batch=2000, progress=None):
    """Refill the whole index in bulk, in one transaction: readers see the old index until the
    commit. On PostgreSQL the GIN indexes are dropped first and built once at the end, then the
    table is analysed so the planner knows how common each bigram is. `progress(n)` is called after
    each batch with the number of proposals done. Returns the number of documents written."""
    postgresql = connection.vendor == "postgresql"
    written = 0
    with transaction.atomic():
        if postgresql:
            with connection.cursor() as cursor:
                # TRUNCATE refuses to run while deferred foreign-key checks are pending (a caller's
                # transaction that just saved rows): run them now, then defer again.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("TRUNCATE search_searchdocument")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                for name in GIN_INDEXES:
                    cursor.execute(f"DROP INDEX IF EXISTS {name}")
        else:
            SearchDocument.objects.all().delete()
        last = 0
        while True:
            rows = list(
                Proposal.objects.filed().filter(pk__gt=last).order_by("pk").values(*PROPOSAL_FIELDS)[:batch]
            )
            if not rows:
                break
            last = rows[-1]["pk"]
            texts = public_reply_texts([row["pk"] for row in rows])
            SearchDocument.objects.bulk_create([build_document(row, texts) for row in rows])
            written += len(rows)
            if progress:
                progress(len(rows))
        if postgresql:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # as for TRUNCATE above
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                # Building a GIN index over 100,000 documents takes a minute or two: more memory
                # makes it faster, and a statement timeout set for web requests must not kill it.
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                cursor.execute("SET LOCAL statement_timeout = 0")
                for sql in GIN_INDEXES.values():
                    cursor.execute(sql)
    if postgresql:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchdocument")
    return written


def public_reply_texts(proposal_ids):
    """{proposal id: [text, …]}: headings, paragraphs and commitments of the proposals' public replies.

    Two queries: items, then commitments (which quote the paragraphs, but are indexed in their own
    right in case one does not)."""
    public = Response.objects.public().filter(proposal_id__in=proposal_ids)
    texts = {}
    items = ResponseItem.objects.filter(response__in=public).order_by("response_id", "parent_id", "position")
    for proposal_id, heading, paragraphs in items.values_list(
        "response__proposal_id", "heading", "paragraphs"
    ):
        texts.setdefault(proposal_id, []).extend(part for part in (heading, paragraphs) if part)
    commitments = Commitment.objects.filter(item__response__in=public).order_by("item_id", "position")
    for proposal_id, text in commitments.values_list("item__response__proposal_id", "text"):
        known = texts.setdefault(proposal_id, [])
        if not any(text in part for part in known):
            known.append(text)
    return texts


def recency_of(row):
    submitted = row.get("submitted_on")
    if submitted:
        return submitted
    created = row.get("created_at")
    return created.date() if created else datetime.date(2000, 1, 1)


def build_document(row, reply_texts):
    """A SearchDocument (unsaved) from a proposal's values and {proposal id: reply texts}."""
    pk = row["pk"]
    body = "\n".join([row["body"], *reply_texts.get(pk, [])]).strip()
    if connection.vendor == "postgresql":
        # Repeats and all: PostgreSQL drops them when it reads the tsvector, faster than Python does.
        all_bigrams = pairs(row["number"], row["title"], body)
    else:
        all_bigrams = sorted(bigrams(row["number"], row["title"], body))
    return SearchDocument(
        proposal_id=pk,
        is_published=row["is_published"],
        recency=recency_of(row),
        number=row["number"],
        title=row["title"],
        body=body,
        title_bigrams=as_lexemes(sorted(bigrams(row["number"], row["title"]))),
        bigrams=as_lexemes(all_bigrams),
    )


class SearchDocument(models.Model):
    """What the search box searches, one row per proposal: number, title, and a body made of the
    proposal's text followed by its public replies' items and commitments.

    Kept current by search/signals.py; `manage.py rebuild_search_index` refills it. On PostgreSQL two
    GIN indexes on the bigram columns (migration 0002) answer queries; SQLite scans the text."""

    proposal = models.OneToOneField(
        Proposal,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
        verbose_name=_("提案"),
    )
    is_published = models.BooleanField(_("已公开"), default=False)
    recency = models.DateField(_("排序日期"), help_text=_("提交日期，未填时为录入日期。"))
    number = models.CharField(_("编号"), max_length=32, blank=True)
    title = models.TextField(_("案由"))
    body = models.TextField(_("正文及公开答复"), blank=True)
    title_bigrams = BigramsField(_("编号与案由的二元组"), blank=True)
    bigrams = BigramsField(_("全文二元组"), blank=True)

    objects = SearchDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("检索文档")
        verbose_name_plural = _("检索文档")
        indexes = [
            # Results come newest first, one page at a time: walking this index stops after a page
            # even when most documents match (广西).
            models.Index(
                fields=["-recency", "-proposal"],
                condition=models.Q(is_published=True),
                name="search_doc_recency_idx",
            ),
        ]

    def __str__(self):
        return self.title


# The GIN indexes of migration 0002 (PostgreSQL only).
# rebuild_search_index drops them before a bulk load and builds them once after: filling a table
# under a large GIN index costs several times more (shared/NOTES.md).
GIN_INDEXES = {
    "search_doc_bigrams_gin": "CREATE INDEX IF NOT EXISTS search_doc_bigrams_gin ON search_searchdocument "
    "USING gin (bigrams)",
    "search_doc_title_bigrams_gin": "CREATE INDEX IF NOT EXISTS search_doc_title_bigrams_gin "
    "ON search_searchdocument USING gin (title_bigrams)",
}


class BigramFrequency(models.Model):
    """In how many documents each bigram occurs: what makes a bigram distinctive (search/similarity.py).

    Counted in bulk by `refresh_bigram_frequencies()` (rebuild_search_index and the nightly
    `refresh_similarity` command, through search.similarity.refresh), not on every save: a proposal
    changes the counts by one, which moves no ranking. The row with an empty bigram holds the number
    of documents counted."""

    TOTAL = ""

    bigram = models.CharField(_("二元组"), max_length=2, primary_key=True, blank=True)
    documents = models.PositiveIntegerField(_("文档数"))

    class Meta:
        verbose_name = _("二元组文档频率")
        verbose_name_plural = _("二元组文档频率")

    def __str__(self):
        return f"{self.bigram or '∑'} {self.documents}"


def refresh_bigram_frequencies():
    """Recount the document frequency of every bigram of the index, in one transaction. On
    PostgreSQL `ts_stat` counts inside the database (about a second per 10,000 documents); elsewhere
    the stored bigram lists are counted in Python. Returns the number of documents counted."""
    with transaction.atomic():
        BigramFrequency.objects.all().delete()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO search_bigramfrequency (bigram, documents) "
                    "SELECT word, ndoc FROM ts_stat('SELECT bigrams FROM search_searchdocument') "
                    "WHERE length(word) = 2"
                )
        else:
            counts = {}
            for text in SearchDocument.objects.values_list("bigrams", flat=True).iterator(chunk_size=2000):
                for bigram in set(text.split()):
                    counts[bigram] = counts.get(bigram, 0) + 1
            BigramFrequency.objects.bulk_create(
                [BigramFrequency(bigram=b, documents=n) for b, n in counts.items()], batch_size=2000
            )
        total = SearchDocument.objects.count()
        BigramFrequency.objects.create(bigram=BigramFrequency.TOTAL, documents=total)
    return total


class SimilarityBandQuerySet(models.QuerySet):
    def write(self, rows):
        """Upsert the bands of these (proposal id, title, body) rows, in one query: a proposal keeps
        its BANDS rows, their hashes replaced. Returns the number of rows written."""
        bands = [
            SimilarityBand(proposal_id=pk, band=band, hash=value)
            for pk, title, body in rows
            for band, value in band_hashes(identity_text(title, body))
        ]
        self.bulk_create(
            bands,
            batch_size=5000,
            update_conflicts=True,
            unique_fields=["proposal", "band"],
            update_fields=["hash"],
        )
        return len(bands)


class SimilarityBand(models.Model):
    """One MinHash band of a proposal's text (search/bands.py): proposals sharing a band hash are
    candidates for near-duplicates of each other. BANDS rows a proposal, indexed by hash. Written when
    a proposal's text is saved (search/signals.py), by the first lookup after a bulk load, and all
    anew by `search.similarity.refresh()`."""

    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.CASCADE,
        related_name="similarity_bands",
        verbose_name=_("提案"),
        db_index=False,  # the unique constraint below leads with it
    )
    band = models.PositiveSmallIntegerField(_("分段"))
    hash = models.BigIntegerField(_("分段哈希"))

    objects = SimilarityBandQuerySet.as_manager()

    class Meta:
        verbose_name = _("提案相似分段")
        verbose_name_plural = _("提案相似分段")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "band"], name="search_band_one_per_proposal"),
        ]
        indexes = [models.Index(fields=["hash", "proposal"], name="search_band_hash_idx")]

    def __str__(self):
        return f"{self.proposal_id}/{self.band}"
