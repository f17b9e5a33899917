"""Keep the search index current: any save or delete of a proposal or of a reply, item or commitment
rebuilds that proposal's document, at once and in the same transaction (three or four queries).

A proposal's MinHash bands (search/bands.py) are rewritten too when its text changed, or when it
leaves the drafts (one more query); saves that only move its status cost nothing more.

Bulk changes through QuerySet.update() or bulk_create() send no signals: call
`SearchDocument.objects.rebuild(proposal ids)` after them, or `manage.py rebuild_search_index`.
"""

from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver

from proposals.models import Proposal
from responses.models import Commitment, Response, ResponseItem

from .models import PROPOSAL_FIELDS, SearchDocument, SimilarityBand


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
    row = {name: getattr(instance, name) for name in PROPOSAL_FIELDS}
    SearchDocument.objects.write([row])
    text = banded_text(instance)
    if text is not None and text != instance._banded_text:
        SimilarityBand.objects.write([(instance.pk, row["title"], row["body"])])
        instance._banded_text = text


@receiver(post_save, sender=Response, dispatch_uid="search_response_saved")
@receiver(post_delete, sender=Response, dispatch_uid="search_response_deleted")
def response_changed(sender, instance, **kwargs):
    SearchDocument.objects.rebuild(Proposal.objects.filter(pk=instance.proposal_id))


@receiver(post_save, sender=ResponseItem, dispatch_uid="search_item_saved")
@receiver(post_delete, sender=ResponseItem, dispatch_uid="search_item_deleted")
def item_changed(sender, instance, **kwargs):
    SearchDocument.objects.rebuild(Proposal.objects.filter(responses__pk=instance.response_id))


@receiver(post_save, sender=Commitment, dispatch_uid="search_commitment_saved")
@receiver(post_delete, sender=Commitment, dispatch_uid="search_commitment_deleted")
def commitment_changed(sender, instance, **kwargs):
    SearchDocument.objects.rebuild(Proposal.objects.filter(responses__items__pk=instance.item_id))
