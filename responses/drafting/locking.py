"""Optimistic locking for the reply edit page."""

import hashlib
import json

from django.core import signing
from django.db.models import F

from ..models import Commitment, Response
from .rules import OPEN_STATES

# --- Optimistic locking ------------------------------------------------------------------------

# The letter fields the edit page changes (ReplyForm's fields).
EDITED_FIELDS = [
    "title",
    "document_number",
    "signed_by",
    "result_class",
    "salutation",
    "opening",
    "closing",
    "signoff_unit",
    "review_note",
    "contact_unit",
    "contact_person",
    "contact_phone",
    "contact_postcode",
    "copied_to",
    "disclosure",
]
# What a stale-edit check compares: those fields, and the status (a draft sent for sign-off).
LOCKED_FIELDS = [*EDITED_FIELDS, "status"]
_SNAPSHOT_SALT = "responses.drafting.snapshot"


class StaleEdit(Exception):
    """Someone saved the reply after this editor loaded it: nothing was saved."""


def items_outline(reply, rows=None):
    """The items, sub-items and commitments as plain data, in order: two queries, or none when
    `rows` gives them as already loaded (items by position, commitments by item and position)."""
    if rows is None:
        rows = (
            reply.items.order_by("position"),
            Commitment.objects.filter(item__response=reply).order_by("item_id", "position"),
        )
    items, loaded_commitments = rows
    commitments = {}
    for commitment in loaded_commitments:
        commitments.setdefault(commitment.item_id, []).append(
            [commitment.text, commitment.owner_id, str(commitment.due_on or "")]
        )
    children = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)

    def outline(item):
        return {
            "label": item.number_label,
            "heading": item.heading,
            "paragraphs": item.paragraphs,
            "commitments": commitments.get(item.pk, []),
            "children": [outline(child) for child in children.get(item.pk, [])],
        }

    return [outline(item) for item in children.get(None, [])]


def _digest(value):
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _digests(reply, rows=None):
    """One digest per locked field, plus one for all items (see items_outline for `rows`)."""
    values = {name: _digest(getattr(reply, name)) for name in LOCKED_FIELDS}
    values["items"] = _digest(items_outline(reply, rows))
    return values


def snapshot(reply, rows=None):
    """What the editor saw, as one digest per field plus one for all items: signed, for a hidden
    input. Comparing it with the reply as it is now names the fields someone else changed."""
    return signing.dumps(_digests(reply, rows), salt=_SNAPSHOT_SALT, compress=True)


def changed_fields(base, reply):
    """The names of the fields (and "items") that differ between the signed snapshot `base` and the
    reply now. An unreadable snapshot counts as everything changed."""
    try:
        seen = signing.loads(base or "", salt=_SNAPSHOT_SALT)
    except signing.BadSignature:
        seen = {}
    return [name for name, digest in _digests(reply).items() if seen.get(name) != digest]


def claim_edit(reply, lock_version):
    """Take the next edit version of the reply: one conditional UPDATE that succeeds only if nobody
    saved since `lock_version` was read and the reply is still editable. Of two concurrent saves
    based on the same version only one wins; the other raises StaleEdit. Call inside the save's
    transaction, so a failed save gives the version back."""
    claimed = Response.objects.filter(pk=reply.pk, lock_version=lock_version, status__in=OPEN_STATES).update(
        lock_version=F("lock_version") + 1
    )
    if not claimed:
        raise StaleEdit
    reply.lock_version = lock_version + 1
