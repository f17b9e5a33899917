"""The reply editor: a whole letter written and saved in one request.

The page posts the letter's own fields (ReplyForm) and ONE field, `structure`, holding the items,
sub-items and commitments as JSON, in their order (tracker/static/department/reply_edit.js builds it
in the browser):

    [{"id": 12 | null, "heading": "…", "paragraphs": "…", "answers": [7, 8],
      "commitments": [{"id": 5 | null, "text": "…", "owner": 3 | null, "due_on": "2026-12-31" | ""}],
      "children": [{…the same, without "children"}]}]

`answers` are the ids of the proposal's suggestions (具体建议) the item answers; an id that is not
one of this proposal's suggestions (tampered, or removed by the office since) is an error on the row.

Order is the array order; a row missing from it is deleted; a row without id is new. Every row is
validated by the same ModelForms as before (ItemForm, CommitmentForm, hence the models' clean()),
so a 60-item letter with 40 commitments is about 20 form fields instead of ~1,000. An id that is
not one of this reply's rows (tampered, or deleted by a colleague since) is an error on that row,
never a 500, and the row's text is kept as a new row for the next save.
"""

import copy
import json
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from proposals.models import Department, Suggestion
from tracker import limits
from tracker.chinese import section_label, subsection_label

from . import drafting
from .forms import CommitmentForm, ItemForm, ReplyForm
from .models import Commitment, ResponseItem

# Bounds on what one save may hold: far above any real letter (the longest on file has 12
# sections), low enough that no post can make the server validate without end.
MAX_ITEMS = 200
MAX_CHILDREN = 100
MAX_COMMITMENTS = 100
MAX_ROWS = 3000
# Positions rows pass through while a save reorders them (the unique position constraints hold at
# every step on every database).
_PARKED = 10000


class StructureError(Exception):
    """The posted structure cannot be read at all."""


def _text(value):
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise StructureError
    return value


def _id(value):
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise StructureError
    try:
        return int(value)
    except (TypeError, ValueError):
        raise StructureError from None


def _list(value, limit):
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > limit:
        raise StructureError
    return value


def parse_structure(raw):
    """The posted structure as plain, type-checked dicts; raises StructureError."""
    try:
        data = json.loads(raw)
    except (TypeError, ValueError, RecursionError):
        raise StructureError from None
    rows = 0

    def commitment(value):
        if not isinstance(value, dict):
            raise StructureError
        return {
            "id": _id(value.get("id")),
            "text": _text(value.get("text")),
            "owner": _text(value.get("owner")),
            "due_on": _text(value.get("due_on")),
        }

    def item(value, children_allowed):
        nonlocal rows
        if not isinstance(value, dict):
            raise StructureError
        node = {
            "id": _id(value.get("id")),
            "heading": _text(value.get("heading")),
            "paragraphs": _text(value.get("paragraphs")),
            "answers": [_id(pk) for pk in _list(value.get("answers"), limits.SUGGESTIONS_PER_PROPOSAL)],
            "commitments": [commitment(c) for c in _list(value.get("commitments"), MAX_COMMITMENTS)],
            "children": [],
        }
        if None in node["answers"]:
            raise StructureError
        rows += 1 + len(node["commitments"])
        if rows > MAX_ROWS:
            raise StructureError
        children = _list(value.get("children"), MAX_CHILDREN)
        if children and not children_allowed:
            raise StructureError  # two levels at most (一、 and （一）)
        node["children"] = [item(child, False) for child in children]
        return node

    return [item(value, True) for value in _list(data, MAX_ITEMS)]


def structure_of(items, commitments):
    """The saved rows as the editor's structure (items by position, commitments by item, position;
    each item's `answers` from its prefetched `answers`)."""
    by_item = {}
    for commitment in commitments:
        by_item.setdefault(commitment.item_id, []).append(
            {
                "id": commitment.pk,
                "text": commitment.text,
                "owner": str(commitment.owner_id or ""),
                "due_on": commitment.due_on.isoformat() if commitment.due_on else "",
            }
        )
    children = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)

    def node(item):
        return {
            "id": item.pk,
            "heading": item.heading,
            "paragraphs": item.paragraphs,
            "answers": sorted(suggestion.pk for suggestion in item.answers.all()),
            "commitments": by_item.get(item.pk, []),
            "children": [node(child) for child in children.get(item.pk, [])],
        }

    return [node(item) for item in children.get(None, [])]


@dataclass
class _Row:
    """One posted item with its validated form and the object it will save as."""

    node: dict
    label: str
    form: ItemForm
    instance: ResponseItem | None = None
    commitments: list = field(default_factory=list)  # [(node, CommitmentForm)]
    children: list = field(default_factory=list)


class ReplyEditor:
    """The edit page of a reply draft: the letter fields (`form`) and the items, sub-items and
    commitments (`structure`, see the module docstring).

    Saving is guarded by optimistic locking (drafting.claim_edit): the page carries the reply's
    lock_version and a signed snapshot of what the editor saw.
    """

    def __init__(self, response, data=None):
        self.response = response
        self.data = data
        # What the editor sees now, taken before validation puts posted values on the instance.
        self.lock_version = response.lock_version
        self._items = list(
            response.items.order_by("position").prefetch_related(
                Prefetch("answers", queryset=Suggestion.objects.only("pk"))
            )
        )
        self._commitments = list(
            Commitment.objects.filter(item__response=response).order_by("item_id", "position")
        )
        self.base = drafting.snapshot(response, (self._items, self._commitments))
        self.form = ReplyForm(data, instance=response, committee=response.proposal.session.committee)
        self.structure_error = ""
        self.errors = []  # (where, message) for the summary above the form
        self.rows = []
        if data is None:
            self.structure = structure_of(self._items, self._commitments)
            return
        try:
            self.structure = parse_structure(data.get("structure"))
        except StructureError:
            self.structure = structure_of(self._items, self._commitments)
            self.structure_error = _("条目数据无法读取，未保存。下方为当前保存的条目，请重新修改。")

    @property
    def is_bound(self):
        return self.data is not None

    @property
    def structure_json(self):
        return json.dumps(self.structure, ensure_ascii=False)

    def suggestions(self):
        """The proposal's numbered suggestions, shown beside the items (one query, cached)."""
        if not hasattr(self, "_suggestions"):
            self._suggestions = list(Suggestion.objects.filter(proposal_id=self.response.proposal_id))
        return self._suggestions

    def unanswered(self):
        """The suggestions no item of the structure on the page answers (the editor's warning)."""
        answered = set()
        for node in self.structure:
            answered.update(node["answers"])
            for child in node["children"]:
                answered.update(child["answers"])
        return [suggestion for suggestion in self.suggestions() if suggestion.pk not in answered]

    @property
    def suggestions_json(self):
        return json.dumps(
            [{"id": s.pk, "label": s.label, "text": s.text} for s in self.suggestions()],
            ensure_ascii=False,
        )

    # --- Validation ---------------------------------------------------------------------------

    def owners(self):
        """The departments a commitment may be owned by (one query, cached)."""
        if not hasattr(self, "_owners"):
            self._owners = Department.objects.filter(is_active=True).exclude(kind=Department.Kind.OFFICE)
        return self._owners

    def is_valid(self):
        if not self.is_bound:
            return False
        valid = self.form.is_valid()
        if self.structure_error:
            self.errors.append((_("条目"), self.structure_error))
            return False
        items = {item.pk: item for item in self._items}
        commitments = {commitment.pk: commitment for commitment in self._commitments}
        seen_items, seen_commitments = set(), set()
        suggestions = {suggestion.pk for suggestion in self.suggestions()}

        def claim(node, known, seen, where):
            """The saved row a node's id names, or None: a foreign, stale or repeated id is an
            error on the node, whose text is kept as a new row."""
            pk = node["id"]
            if pk is None:
                return None
            if pk not in known or pk in seen:
                node["id"] = None
                self._error(
                    node,
                    "__all__",
                    where,
                    _("此行已不存在（可能已被他人删除），未保存。内容已保留，再次保存时将作为新的一行添加。"),
                )
                return None
            seen.add(pk)
            return known[pk]

        def row(node, label, parent_label=""):
            where = f"{parent_label}{label}"
            saved = claim(node, items, seen_items, where)
            form = ItemForm(
                {"heading": node["heading"], "paragraphs": node["paragraphs"]}, instance=ResponseItem()
            )
            form.is_valid()
            self._form_errors(node, form, where)
            stale = [pk for pk in node["answers"] if pk not in suggestions]
            if stale:
                node["answers"] = [pk for pk in node["answers"] if pk in suggestions]
                self._error(
                    node,
                    "answers",
                    where,
                    _("所选的建议已不存在（可能已被办公厅修改），请重新选择本条答复的建议。"),
                )
            item_row = _Row(node, label, form, saved)
            for position, commitment_node in enumerate(node["commitments"], 1):
                place = _("%(where)s承诺%(n)s") % {"where": where, "n": position}
                saved_commitment = claim(commitment_node, commitments, seen_commitments, place)
                commitment_form = CommitmentForm(
                    {key: commitment_node[key] for key in ("text", "owner", "due_on")},
                    instance=Commitment(item=form.instance),  # checked against the item's new text
                    owner_choices=self.owners(),
                )
                commitment_form.is_valid()
                self._form_errors(commitment_node, commitment_form, place)
                item_row.commitments.append((commitment_node, commitment_form, saved_commitment))
            return item_row

        for position, node in enumerate(self.structure, 1):
            label = section_label(position)
            top = row(node, label)
            top.children = [
                row(child, subsection_label(n), label) for n, child in enumerate(node["children"], 1)
            ]
            self.rows.append(top)
        return valid and not self.errors

    def _form_errors(self, node, form, where):
        for name, messages in form.errors.items():
            for message in messages:
                self._error(node, name, where, message)

    def _error(self, node, name, where, message):
        node.setdefault("errors", {}).setdefault(name, []).append(str(message))
        self.errors.append((where, str(message)))

    # --- Saving -------------------------------------------------------------------------------

    def save(self, *, lock_version):
        """Save everything in one transaction, or nothing: raises drafting.StaleEdit when someone
        saved since `lock_version`.

        Writes only the rows that changed, in bulk with their history rows (a fixed number of
        queries whatever the letter's length), and saves the letter's own row last: its save
        rebuilds the proposal's search document once, from the rows as they now are."""
        reply = self.response
        with transaction.atomic():
            drafting.claim_edit(reply, lock_version)
            plan = []  # (row, parent row or None, position, label), parents before their children
            for position, top in enumerate(self.rows, 1):
                plan.append((top, None, position, section_label(position)))
                for n, child in enumerate(top.children, 1):
                    plan.append((child, top, n, subsection_label(n)))
            kept = {row.instance.pk for row, *_rest in plan if row.instance is not None}
            removed = [item.pk for item in self._items if item.pk not in kept]

            # 1. Park every saved item that moves or goes, so that final positions are free and
            #    deleting an item does not take along a sub-item moved elsewhere.
            moving = [
                row.instance.pk
                for row, parent, position, _label in plan
                if row.instance is not None
                and (
                    row.instance.position != position
                    or parent is None
                    and row.instance.parent_id is not None
                    or parent is not None
                    and (parent.instance is None or row.instance.parent_id != parent.instance.pk)
                )
            ]
            self._park(ResponseItem, moving + removed, parent=True)

            # 2. New top-level items, then every changed item (its parent now has an id), then new
            #    sub-items.
            def values(row, parent, position, label):
                return {
                    "parent_id": parent.instance.pk if parent else None,
                    "position": position,
                    "number_label": label,
                    "heading": row.form.instance.heading,
                    "paragraphs": row.form.instance.paragraphs,
                }

            new_top = [entry for entry in plan if entry[0].instance is None and entry[1] is None]
            self._create(ResponseItem, new_top, values, response=reply)
            changed = []
            for row, parent, position, label in plan:
                if row.instance is not None and row.instance.pk in kept:
                    wanted = values(row, parent, position, label)
                    if any(getattr(row.instance, name) != value for name, value in wanted.items()):
                        for name, value in wanted.items():
                            setattr(row.instance, name, value)
                        changed.append(row.instance)
            if changed:
                bulk_update_with_history(changed, ResponseItem, list(values(*plan[0]).keys()))
            new_children = [entry for entry in plan if entry[0].instance is None and entry[1] is not None]
            self._create(ResponseItem, new_children, values, response=reply)

            # 3. The commitments, the same way.
            commitment_plan = [
                (row.instance, position, form, saved)
                for row, *_rest in plan
                for position, (_node, form, saved) in enumerate(row.commitments, 1)
            ]
            kept_commitments = {saved.pk for *_rest, saved in commitment_plan if saved is not None}
            removed_commitments = [c.pk for c in self._commitments if c.pk not in kept_commitments]
            moving_commitments = [
                saved.pk
                for item, position, _form, saved in commitment_plan
                if saved is not None and (saved.item_id != item.pk or saved.position != position)
            ]
            self._park(Commitment, moving_commitments + removed_commitments)
            created, changed = [], []
            for item, position, form, saved in commitment_plan:
                owner = form.cleaned_data["owner"]
                wanted = {
                    "item_id": item.pk,
                    "position": position,
                    "text": form.cleaned_data["text"],
                    "owner_id": owner.pk if owner else None,
                    "due_on": form.cleaned_data["due_on"],
                }
                if saved is None:
                    created.append(Commitment(**wanted))
                elif any(getattr(saved, name) != value for name, value in wanted.items()):
                    for name, value in wanted.items():
                        setattr(saved, name, value)
                    changed.append(saved)
            if created:
                bulk_create_with_history(created, Commitment)
            if changed:
                bulk_update_with_history(
                    changed, Commitment, ["item_id", "position", "text", "owner_id", "due_on"]
                )

            # 4. Which suggestions each item answers: only the links that changed.
            self._save_answers(plan)

            # 5. What the editor no longer holds, then the letter's own row.
            if removed_commitments:
                Commitment.objects.filter(pk__in=removed_commitments).delete()
            if removed:
                ResponseItem.objects.filter(pk__in=removed).delete()
            self.form.save()
        return reply

    def _save_answers(self, plan):
        Link = ResponseItem.answers.through
        saved = {(item.pk, suggestion.pk) for item in self._items for suggestion in item.answers.all()}
        wanted = {(row.instance.pk, pk) for row, *_rest in plan for pk in row.node["answers"]}
        gone = saved - wanted
        if gone:
            condition = Q()
            for item_pk, suggestion_pk in gone:
                condition |= Q(responseitem_id=item_pk, suggestion_id=suggestion_pk)
            Link.objects.filter(condition).delete()
        new = wanted - saved
        if new:
            Link.objects.bulk_create(
                Link(responseitem_id=item_pk, suggestion_id=suggestion_pk) for item_pk, suggestion_pk in new
            )

    @staticmethod
    def _create(model, entries, values, **common):
        """Insert the rows of `entries` (and their history rows) in bulk; each row learns its id."""
        if not entries:
            return
        objects = [model(**common, **values(*entry)) for entry in entries]
        objects = bulk_create_with_history(objects, model)
        for (row, *_rest), obj in zip(entries, objects, strict=True):
            row.instance = obj

    @staticmethod
    def _park(model, pks, *, parent=False):
        """Move rows to free positions in one UPDATE (and, for items, to the top level, so that
        deleting their old parent does not take them along)."""
        if not pks:
            return
        changes = {
            "position": Case(
                *[When(pk=pk, then=Value(_PARKED + n)) for n, pk in enumerate(pks, 1)],
                output_field=IntegerField(),
            )
        }
        if parent:
            changes["parent"] = None
        model.objects.filter(pk__in=pks).update(**changes)

    # --- Preview ------------------------------------------------------------------------------

    def preview(self):
        """The reply as the posted data would print, without validating or saving anything.

        Returns a Response copy carrying the posted letter fields, whose item_tree() gives the
        posted items (numbered in their posted order), for build_letter."""
        draft = copy.copy(self.response)
        for name in self.form.fields:
            setattr(draft, name, self.form[name].value() or "")
        tree = []
        for position, node in enumerate(self.structure, 1):
            children = [
                _preview_item(child, subsection_label(n), []) for n, child in enumerate(node["children"], 1)
            ]
            tree.append(_preview_item(node, section_label(position), children))
        draft.item_tree = lambda: tree
        return draft


class _Prefetched(list):
    """A list that answers .all(), standing in for a prefetched related manager."""

    def all(self):
        return self


@dataclass
class PreviewItem:
    """An item as build_letter reads it, made from posted data that is not saved."""

    pk: int | None
    heading_line: str
    paragraph_list: list
    commitments: _Prefetched
    children: list


def _preview_item(node, label, children):
    commitments = _Prefetched(
        Commitment(pk=c["id"], text=c["text"].replace("\r\n", "\n").strip())
        for c in node["commitments"]
        if c["text"].strip()
    )
    paragraphs = node["paragraphs"].replace("\r\n", "\n")
    return PreviewItem(
        pk=node["id"],
        heading_line=f"{label}{node['heading']}",
        paragraph_list=[line.strip() for line in paragraphs.splitlines() if line.strip()],
        commitments=commitments,
        children=children,
    )
