"""Keep the search index current: any save or delete of a proposal or of a reply, item or commitment
rebuilds that proposal's document, at once and in the same transaction (three or four queries).

A proposal's MinHash bands (search/bands.py) are rewritten too when its text changed, or when it
leaves the drafts (one more query); saves that only move its status cost nothing more.

Inside `deferred_indexing()` (entered by proposals.bulk.batch_writes(): the Excel intake, batch
立案 and 交办, bulk progress reports) a save only notes which proposals changed and which need new
bands; when the block ends, their documents and bands are rewritten together in a few queries per
500 proposals, read back from the database, so they equal what the one-by-one path writes. A block
left by an exception writes nothing (its transaction is rolled back anyway).

Bulk changes through QuerySet.update() or bulk_create() send no signals: call
`SearchDocument.objects.rebuild(proposal ids)` after them, or `manage.py rebuild_search_index`.
"""

import contextlib
import threading

from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver

from proposals import bulk
from proposals.models import Proposal
from responses.models import Commitment, Response, ResponseItem

from .models import PROPOSAL_FIELDS, SearchDocument, SimilarityBand


class PendingIndex:
    """What a deferred block changed: proposals whose document (and maybe bands) to rewrite, and the
    replies and items whose proposal's document to rewrite (looked up once, at the end)."""

    CHUNK = 500

    def __init__(self):
        self.proposals = set()
        self.bands = set()
        self.responses = set()
        self.items = set()

    def proposal_ids(self):
        ids = set(self.proposals)
        if self.responses:
            ids.update(Response.objects.filter(pk__in=self.responses).values_list("proposal_id", flat=True))
        if self.items:
            ids.update(
                ResponseItem.objects.filter(pk__in=self.items).values_list("response__proposal_id", flat=True)
            )
        return sorted(ids)

    def write(self):
        """Rewrite the documents and bands, CHUNK proposals at a time (five or six queries each)."""
        ids = self.proposal_ids()
        for start in range(0, len(ids), self.CHUNK):
            rows = list(
                Proposal.objects.filed()
                .filter(pk__in=ids[start : start + self.CHUNK])
                .values(*PROPOSAL_FIELDS)
            )
            SearchDocument.objects.write(rows)
            SimilarityBand.objects.write(
                [(row["pk"], row["title"], row["body"]) for row in rows if row["pk"] in self.bands]
            )


_deferred = threading.local()


def pending():
    """The current thread's deferred block, or None when saves index at once."""
    return getattr(_deferred, "pending", None)


@contextlib.contextmanager
def deferred_indexing():
    """Index the proposals saved inside the block once, at its end. Nested blocks join the outer one."""
    if pending() is not None:
        yield
        return
    _deferred.pending = PendingIndex()
    try:
        yield
        collected = _deferred.pending
    finally:
        _deferred.pending = None
    collected.write()


bulk.register(deferred_indexing)


def banded_text(instance):
    """What the bands depend on, as loaded (a deferred field reads as None, never from the database);
    None for a draft, which no one is compared with."""
    loaded = instance.__dict__
    if loaded.get("status") == Proposal.Status.DRAFT:
        return None
    return loaded.get("title"), loaded.get("body")


@receiver(post_init, sender=Proposal, dispatch_uid="search_proposal_loaded")
def proposal_loaded(sender, instance, **kwargs):
    instance._banded_text = banded_text(instance) if instance.pk else None


@receiver(post_save, sender=Proposal, dispatch_uid="search_proposal_saved")
def proposal_saved(sender, instance, **kwargs):
    # The instance holds every field the document needs: no need to read the proposal back. A
    # member's draft is not indexed until it is submitted (Proposal.objects.filed()).
    if instance.status == Proposal.Status.DRAFT:
        return
    text = banded_text(instance)
    new_bands = text is not None and text != instance._banded_text
    deferred = pending()
    if deferred is not None:
        deferred.proposals.add(instance.pk)
        if new_bands:
            deferred.bands.add(instance.pk)
    else:
        row = {name: getattr(instance, name) for name in PROPOSAL_FIELDS}
        SearchDocument.objects.write([row])
        if new_bands:
            SimilarityBand.objects.write([(instance.pk, row["title"], row["body"])])
    if new_bands:
        instance._banded_text = text


@receiver(post_save, sender=Response, dispatch_uid="search_response_saved")
@receiver(post_delete, sender=Response, dispatch_uid="search_response_deleted")
def response_changed(sender, instance, **kwargs):
    if (deferred := pending()) is not None:
        deferred.proposals.add(instance.proposal_id)
        return
    SearchDocument.objects.rebuild(Proposal.objects.filter(pk=instance.proposal_id))


@receiver(post_save, sender=ResponseItem, dispatch_uid="search_item_saved")
@receiver(post_delete, sender=ResponseItem, dispatch_uid="search_item_deleted")
def item_changed(sender, instance, **kwargs):
    if (deferred := pending()) is not None:
        deferred.responses.add(instance.response_id)
        return
    SearchDocument.objects.rebuild(Proposal.objects.filter(responses__pk=instance.response_id))


@receiver(post_save, sender=Commitment, dispatch_uid="search_commitment_saved")
@receiver(post_delete, sender=Commitment, dispatch_uid="search_commitment_deleted")
def commitment_changed(sender, instance, **kwargs):
    if (deferred := pending()) is not None:
        deferred.items.add(instance.item_id)
        return
    SearchDocument.objects.rebuild(Proposal.objects.filter(responses__items__pk=instance.item_id))
