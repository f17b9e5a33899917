"""Forms of the department workspace: returning an assignment, the co-handling opinion, the reply
editor (the letter fields plus nested formsets for items, sub-items and commitments), corrections
and commitment progress; and the office's publication form."""

import copy
from dataclasses import dataclass, field

from django import forms
from django.db import transaction
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from proposals.models import Department
from tracker.chinese import section_label, subsection_label

from . import drafting
from .models import Commitment, CommitmentProgress, Response, ResponseItem


class PlainNewlines:
    """Browsers post textareas with CRLF line ends: store plain "\n", as the letter rows are."""

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = value.replace("\r\n", "\n").replace("\r", "\n")
        return cleaned


class ReturnForm(PlainNewlines, forms.Form):
    reason = forms.CharField(
        label=_("退回理由"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("说明为何认为交办有误，以及建议由哪个单位承办。"),
        error_messages={"required": _("退回须说明理由。")},
    )


class OpinionForm(PlainNewlines, forms.Form):
    text = forms.CharField(
        label=_("会办意见"),
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"required": _("请填写会办意见。")},
    )


class CorrectionForm(PlainNewlines, forms.Form):
    reason = forms.CharField(
        label=_("更正理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请说明更正理由。")},
    )


class ProgressForm(PlainNewlines, forms.ModelForm):
    class Meta:
        model = CommitmentProgress
        fields = ["reported_on", "status", "text"]
        widgets = {
            "reported_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["reported_on"].initial = self.today
        self.fields["text"].error_messages["required"] = _("请填写进展情况。")

    def clean_reported_on(self):
        reported_on = self.cleaned_data["reported_on"]
        if reported_on > self.today:
            raise forms.ValidationError(_("报告日期不能晚于今天。"))
        return reported_on


class ReplyForm(PlainNewlines, forms.ModelForm):
    """The letter's own fields. The result classes offered are the committee's (D only if used)."""

    class Meta:
        model = Response
        fields = drafting.EDITED_FIELDS
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "opening": forms.Textarea(attrs={"rows": 4}),
            "closing": forms.Textarea(attrs={"rows": 3}),
            "copied_to": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        codes = ["A", "B", "C"] + (["D"] if committee.result_d_label else [])
        self.fields["result_class"].choices = [("", _("（尚未确定）"))] + [
            (code, f"{code}类：{committee.result_class_label(code)}") for code in codes
        ]
        self.fields["title"].error_messages["required"] = _("请填写标题。")
        self.fields["salutation"].error_messages["required"] = _("请填写称呼。")


class ItemForm(PlainNewlines, forms.ModelForm):
    class Meta:
        model = ResponseItem
        fields = ["heading", "paragraphs"]
        widgets = {"paragraphs": forms.Textarea(attrs={"rows": 5})}


class CommitmentForm(PlainNewlines, forms.ModelForm):
    class Meta:
        model = Commitment
        fields = ["text", "owner", "due_on"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, owner_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if owner_choices is not None:
            self.fields["owner"].queryset = owner_choices  # validation: one query per form, on POST
            self.fields["owner"].choices = self._cached_choices(owner_choices)

    @staticmethod
    def _cached_choices(queryset):
        # Every commitment form lists the same departments: fetch them once per page, not per form.
        if not hasattr(queryset, "_cached_choices"):
            queryset._cached_choices = [("", "---------")] + [(d.pk, d.name) for d in queryset]
        return queryset._cached_choices


class NestedFormSet(BaseInlineFormSet):
    """An inline formset over rows fetched beforehand (`objects`), so a page of many formsets does
    not query once per formset. Its forms see the parent object itself: when the parent's text is
    edited in the same POST, a commitment is checked against the new text."""

    def __init__(self, *args, objects=None, response=None, **kwargs):
        self._objects = objects
        self.response = response
        super().__init__(*args, **kwargs)

    def get_queryset(self):
        if self._objects is not None:
            return self._objects
        return super().get_queryset()

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        setattr(form.instance, self.fk.name, self.instance)
        if self.response is not None and isinstance(form.instance, ResponseItem):
            form.instance.response = self.response
        return form


ItemFormSet = inlineformset_factory(
    Response,
    ResponseItem,
    fk_name="response",
    form=ItemForm,
    formset=NestedFormSet,
    extra=1,
    can_order=True,
    can_delete=True,
)
SubItemFormSet = inlineformset_factory(
    ResponseItem,
    ResponseItem,
    fk_name="parent",
    form=ItemForm,
    formset=NestedFormSet,
    extra=1,
    can_order=True,
    can_delete=True,
)
CommitmentFormSet = inlineformset_factory(
    ResponseItem,
    Commitment,
    fk_name="item",
    form=CommitmentForm,
    formset=NestedFormSet,
    extra=1,
    can_delete=True,
)


@dataclass
class ItemBlock:
    """One item on the edit page: its form, and (once saved) its commitments and sub-items."""

    form: forms.ModelForm
    commitments: NestedFormSet | None = None
    children: NestedFormSet | None = None  # sub-items: top-level items only
    child_blocks: list = field(default_factory=list)

    @property
    def is_new(self):
        return self.form.instance.pk is None


def _deleting(form):
    return bool(getattr(form, "cleaned_data", {}).get("DELETE"))


def _ordered(formset):
    """The forms of a formset in their posted order, skipping deleted rows and untouched blank rows.
    Works on raw data: no validation needed (the preview uses it)."""
    rows = []
    for index, form in enumerate(formset.forms):
        if index >= formset.initial_form_count() and not form.has_changed():
            continue
        if formset.can_delete and form["DELETE"].value():
            continue
        try:
            order = int(form["ORDER"].value())
        except (KeyError, TypeError, ValueError):
            order = 10**6
        rows.append((order, index, form))
    return [form for _order, _index, form in sorted(rows, key=lambda row: row[:2])]


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


class ReplyEditor:
    """The edit page of a reply draft: the letter fields, the items (ordered, deletable), each saved
    item's sub-items and commitments, with prefixes per item (`sub-<pk>`, `com-<pk>`).

    Saving is guarded by optimistic locking (drafting.claim_edit): the page carries the reply's
    lock_version and a signed snapshot of what the editor saw.
    """

    def __init__(self, response, data=None):
        self.response = response
        self.data = data
        # What the editor sees now, taken before validation puts posted values on the instance.
        self.lock_version = response.lock_version
        items = list(response.items.order_by("position"))
        commitments = list(Commitment.objects.filter(item__response=response).order_by("item_id", "position"))
        self.base = drafting.snapshot(response, (items, commitments))
        committee = response.proposal.session.committee
        self.form = ReplyForm(data, instance=response, committee=committee)
        self._children = {}
        for item in items:
            self._children.setdefault(item.parent_id, []).append(item)
        self._commitments = {}
        for commitment in commitments:
            self._commitments.setdefault(commitment.item_id, []).append(commitment)
        self._owners = Department.objects.filter(is_active=True).exclude(kind=Department.Kind.OFFICE)
        self.items = ItemFormSet(
            data, instance=response, prefix="items", objects=self._children.get(None, [])
        )
        self.blocks = []
        for form in self.items.forms:
            item = form.instance
            if item.pk is None:
                self.blocks.append(ItemBlock(form))
                continue
            children = self._formset(
                SubItemFormSet, item, f"sub-{item.pk}", self._children.get(item.pk, []), response=response
            )
            block = ItemBlock(form, self._commitment_formset(item), children)
            for child_form in children.forms:
                child = child_form.instance
                commitments = self._commitment_formset(child) if child.pk else None
                block.child_blocks.append(ItemBlock(child_form, commitments))
            self.blocks.append(block)

    def _formset(self, formset_class, instance, prefix, objects, **kwargs):
        # A nested formset takes the posted data only if the page that was posted had it: an item
        # someone else added since the page was loaded has no rows in this POST.
        data = self.data if self.data is not None and f"{prefix}-TOTAL_FORMS" in self.data else None
        return formset_class(data, instance=instance, prefix=prefix, objects=objects, **kwargs)

    def _commitment_formset(self, item):
        return self._formset(
            CommitmentFormSet,
            item,
            f"com-{item.pk}",
            self._commitments.get(item.pk, []),
            form_kwargs={"owner_choices": self._owners},
            initial=[{"owner": self.response.department_id}],  # a new commitment is ours unless changed
        )

    def _bound(self, formset):
        return formset is not None and formset.is_bound

    def is_valid(self):
        # Items first: validating an item form puts its new text on the item object, and the
        # commitments below it are then checked against that text.
        valid = self.form.is_valid()
        valid = self.items.is_valid() and valid
        for block in self.blocks:
            if block.is_new or _deleting(block.form):
                continue
            if self._bound(block.children):
                valid = block.children.is_valid() and valid
            for child in block.child_blocks:
                if child.is_new or (self._bound(block.children) and _deleting(child.form)):
                    continue
                if self._bound(child.commitments):
                    valid = child.commitments.is_valid() and valid
            if self._bound(block.commitments):
                valid = block.commitments.is_valid() and valid
        return valid

    def save(self, *, lock_version, move=""):
        """Save everything in one transaction, or nothing: raises drafting.StaleEdit when someone
        saved since `lock_version`. `move` ("<form prefix>:up" or ":down") moves one item."""
        with transaction.atomic():
            drafting.claim_edit(self.response, lock_version)
            self.form.save()
            self._save_level(self.items, move, sub=False)
            for block in self.blocks:
                if block.is_new or block.form.instance.pk is None or _deleting(block.form):
                    continue
                if self._bound(block.children):
                    self._save_level(block.children, move, sub=True)
                for child in block.child_blocks:
                    if child.is_new or child.form.instance.pk is None:
                        continue
                    if self._bound(child.commitments):
                        self._save_commitments(child.commitments)
                if self._bound(block.commitments):
                    self._save_commitments(block.commitments)
        return self.response

    def _save_level(self, formset, move, *, sub):
        formset.save(commit=False)
        for item in formset.deleted_objects:
            item.delete()
        for item, _changed in formset.changed_objects:
            item.save()
        for offset, item in enumerate(formset.new_objects, 1):
            item.response = self.response
            item.position = 20000 + offset  # a free position until renumber() places it
            item.save()
        ordered = list(formset.ordered_forms)
        prefix, _sep, direction = (move or "").rpartition(":")
        index = next((i for i, form in enumerate(ordered) if form.prefix == prefix), None)
        if index is not None:
            other = index - 1 if direction == "up" else index + 1
            if 0 <= other < len(ordered):
                ordered[index], ordered[other] = ordered[other], ordered[index]
        drafting.renumber([form.instance for form in ordered], sub=sub)

    def _save_commitments(self, formset):
        formset.save(commit=False)
        for commitment in formset.deleted_objects:
            commitment.delete()
        for commitment, _changed in formset.changed_objects:
            commitment.save()
        for offset, commitment in enumerate(formset.new_objects, 1):
            commitment.position = 20000 + offset
            commitment.save()
        kept = [form.instance for form in formset.forms if form.instance.pk and not _deleting(form)]
        drafting.renumber_commitments(kept)

    def preview(self):
        """The reply as the posted data would print, without validating or saving anything.

        Returns a Response copy carrying the posted letter fields, whose item_tree() gives the
        posted items (numbered in their posted order), for build_letter."""
        draft = copy.copy(self.response)
        for name in self.form.fields:
            setattr(draft, name, self.form[name].value() or "")
        by_pk = {block.form.instance.pk: block for block in self.blocks if not block.is_new}
        tree = []
        for position, form in enumerate(_ordered(self.items), 1):
            block = by_pk.get(form.instance.pk)
            children = []
            if block is not None and block.children is not None:
                child_blocks = {child.form.instance.pk: child for child in block.child_blocks}
                for child_position, child_form in enumerate(_ordered(block.children), 1):
                    child_block = child_blocks.get(child_form.instance.pk)
                    children.append(
                        self._preview_item(child_form, subsection_label(child_position), child_block, [])
                    )
            tree.append(self._preview_item(form, section_label(position), block, children))
        draft.item_tree = lambda: tree
        return draft

    @staticmethod
    def _preview_item(form, label, block, children):
        commitments = _Prefetched()
        if block is not None and block.commitments is not None:
            for commitment_form in _ordered_plain(block.commitments):
                text = commitment_form["text"].value() or ""
                if text:
                    commitments.append(
                        Commitment(
                            pk=commitment_form.instance.pk, text=text, status=commitment_form.instance.status
                        )
                    )
        paragraphs = form["paragraphs"].value() or ""
        return PreviewItem(
            pk=form.instance.pk,
            heading_line=f"{label}{form['heading'].value() or ''}",
            paragraph_list=[line.strip() for line in paragraphs.splitlines() if line.strip()],
            commitments=commitments,
            children=children,
        )


def _ordered_plain(formset):
    """Rows of a formset without an order field, skipping deleted and untouched blank rows."""
    return [
        form
        for index, form in enumerate(formset.forms)
        if (index < formset.initial_form_count() or form.has_changed()) and not form["DELETE"].value()
    ]


class PublicationForm(forms.Form):
    is_published = forms.BooleanField(label=_("公开提案"), required=False)
    is_key = forms.BooleanField(label=_("列为重点提案"), required=False)
    supervising_leader = forms.CharField(
        label=_("领办（督办）领导"), max_length=100, required=False, help_text=_("重点提案必填。")
    )
    publish_replies = forms.MultipleChoiceField(
        label=_("公开已签发的答复"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, proposal, issued_replies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.replies = {str(reply.pk): reply for reply in issued_replies}
        # A department may have issued several versions (a re-handled reply, a correction): the
        # version tells the boxes apart.
        self.fields["publish_replies"].choices = [
            (
                key,
                _("%(department)s（第%(version)s版，%(disclosure)s）")
                % {
                    "department": reply.department,
                    "version": reply.version,
                    "disclosure": reply.get_disclosure_display(),
                },
            )
            for key, reply in self.replies.items()
        ]
        self.initial.setdefault("is_published", proposal.is_published)
        self.initial.setdefault("is_key", proposal.is_key)
        self.initial.setdefault("supervising_leader", proposal.supervising_leader)

    def clean_publish_replies(self):
        replies = [self.replies[key] for key in self.cleaned_data["publish_replies"]]
        for reply in replies:
            if reply.disclosure != Response.Disclosure.PUBLIC:
                raise forms.ValidationError(
                    _("%(department)s的答复公开属性为“%(disclosure)s”，不主动公开。")
                    % {"department": reply.department, "disclosure": reply.get_disclosure_display()}
                )
        return replies

    def clean(self):
        cleaned = super().clean()
        leader = (cleaned.get("supervising_leader") or "").strip()
        cleaned["supervising_leader"] = leader
        if cleaned.get("is_key") and not leader:
            self.add_error("supervising_leader", _("重点提案须填写领办（督办）领导。"))
        if cleaned.get("publish_replies") and not cleaned.get("is_published"):
            self.add_error("publish_replies", _("公开答复须同时公开提案。"))
        return cleaned
