"""Index the proposals a database already holds when the search app arrives (a no-op on a new one).

Self-contained on purpose: historical models only, and the text-cutting helpers of search.bigrams,
so that later changes to the app's models cannot break this migration. Later refills go through
`manage.py rebuild_search_index`.
"""

from django.db import migrations

from search.bigrams import as_lexemes, bigrams, pairs

BATCH = 1000


def fill(apps, schema_editor):
    Proposal = apps.get_model("proposals", "Proposal")
    ResponseItem = apps.get_model("responses", "ResponseItem")
    Commitment = apps.get_model("responses", "Commitment")
    SearchDocument = apps.get_model("search", "SearchDocument")
    postgresql = schema_editor.connection.vendor == "postgresql"
    public = {"response__status": "published", "response__disclosure": "public"}
    # Only proposals without a document (signals may have indexed some already), a batch at a time.
    missing = list(
        Proposal.objects.exclude(pk__in=SearchDocument.objects.values("proposal_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    fields = ("pk", "number", "title", "body", "is_published", "submitted_on", "created_at")
    for start in range(0, len(missing), BATCH):
        ids = missing[start : start + BATCH]
        batch = list(Proposal.objects.filter(pk__in=ids).order_by("pk").values(*fields))
        texts = {}
        items = ResponseItem.objects.filter(response__proposal_id__in=ids, **public)
        for pk, heading, paragraphs in items.order_by("response_id", "parent_id", "position").values_list(
            "response__proposal_id", "heading", "paragraphs"
        ):
            texts.setdefault(pk, []).extend(part for part in (heading, paragraphs) if part)
        commitments = Commitment.objects.filter(
            item__response__proposal_id__in=ids,
            item__response__status="published",
            item__response__disclosure="public",
        )
        for pk, text in commitments.values_list("item__response__proposal_id", "text"):
            if not any(text in part for part in texts.get(pk, [])):
                texts.setdefault(pk, []).append(text)
        documents = []
        for row in batch:
            body = "\n".join([row["body"], *texts.get(row["pk"], [])]).strip()
            every = pairs(row["number"], row["title"], body)
            documents.append(
                SearchDocument(
                    proposal_id=row["pk"],
                    is_published=row["is_published"],
                    recency=row["submitted_on"] or row["created_at"].date(),
                    number=row["number"],
                    title=row["title"],
                    body=body,
                    title_bigrams=as_lexemes(sorted(bigrams(row["number"], row["title"]))),
                    bigrams=as_lexemes(every if postgresql else sorted(set(every))),
                )
            )
        SearchDocument.objects.bulk_create(documents, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_bigram_statistics"),
        ("proposals", "0001_initial"),
        ("responses", "0001_initial"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
