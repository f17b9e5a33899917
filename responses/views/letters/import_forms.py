"""The import page's smaller forms: the paste form, the name-matching forms and the section rows."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from proposals.models import Department, Proposer

from ... import importing
from ...parsing import (
    DOCX_MAX_BYTES,
    DOCX_MAX_UNPACKED_BYTES,
    LETTER_MAX_CHARS,
    MEGABYTE,
    LetterTooLarge,
    read_docx_text,
)

NEW = "new"


# --------------------------------------------------------------------------- import forms


class PasteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("答复函全文"),
        required=False,
        max_length=LETTER_MAX_CHARS,
        error_messages={
            "max_length": gettext_lazy(
                "答复函全文最多 %(limit_value)s 字，粘贴的文字有 %(show_value)s 字：请只粘贴一封答复函。"
            )
        },
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=format_lazy(
            gettext_lazy("从网页、Word 或 PDF 复制全文粘贴到这里（最多 {chars} 字）。"),
            chars=f"{LETTER_MAX_CHARS:,}",
        ),
    )
    file = forms.FileField(
        label=gettext_lazy("或上传 Word 文件（.docx）"),
        required=False,
        help_text=format_lazy(gettext_lazy("只接受 .docx，不超过 {mb} MB。"), mb=DOCX_MAX_BYTES // MEGABYTE),
    )

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), cleaned.get("text") or ""
        if upload:
            if not upload.name.lower().endswith(".docx"):
                self.add_error("file", _("只接受 .docx 文件；其他格式请复制全文粘贴。"))
            elif upload.size > DOCX_MAX_BYTES:
                self.add_error("file", _("文件超过 %(mb)s MB。") % {"mb": DOCX_MAX_BYTES // MEGABYTE})
            else:
                try:
                    cleaned["letter_text"] = read_docx_text(upload)
                except LetterTooLarge as error:
                    self.add_error("file", _too_large_message(error))
                except ValueError:
                    self.add_error("file", _("无法读取该 Word 文件，请确认是 .docx 格式。"))
        elif text.strip():
            cleaned["letter_text"] = text
        elif not self.errors:
            raise ValidationError(_("请粘贴答复函全文，或上传 .docx 文件。"))
        return cleaned


def _too_large_message(error):
    if error.limit == "unpacked":
        return _("Word 文件解压后超过 %(mb)s MB，不像一封答复函；请只上传答复函本身，或复制全文粘贴。") % {
            "mb": DOCX_MAX_UNPACKED_BYTES // MEGABYTE
        }
    return _("Word 文件中的文字超过 %(chars)s 字，不像一封答复函；请只上传答复函本身。") % {
        "chars": f"{LETTER_MAX_CHARS:,}"
    }


class MatchField(forms.ChoiceField):
    """ "new", or the pk of an existing record: any record `lookup` finds, not only those offered."""

    def __init__(self, *, lookup=None, **kwargs):
        self.lookup = lookup
        super().__init__(required=False, **kwargs)

    def valid_value(self, value):
        return value == NEW or (self.lookup is not None and self.lookup(value) is not None)


def _value(form, name):
    """What a field holds: the submitted value of a bound form, else its initial value."""
    if form.is_bound:
        return form.data.get(form.add_prefix(name), "")
    return form.initial.get(name, "")


def _offer(field, candidates, selected, new_label, lookup):
    """Fill a MatchField with candidates; a selected record not among them is kept as a choice."""
    choices = [(candidate.value, candidate.label) for candidate in candidates]
    if selected not in ("", NEW, None) and all(value != str(selected) for value, _label in choices):
        found = lookup(selected)
        if found is not None:
            choices.append((str(found.pk), str(found)))
    field.choices = [*choices, (NEW, new_label)]


class NameMatchForm(forms.Form):
    """One name in the letter (a department or a proposer) and the record it goes to."""

    model = None
    name = forms.CharField(label=gettext_lazy("名称"), required=False, max_length=100)
    match = MatchField(label=gettext_lazy("对应记录"))
    create = forms.BooleanField(label=gettext_lazy("确认新建"), required=False)

    def __init__(self, *args, matcher, **kwargs):
        super().__init__(*args, **kwargs)
        self.matcher = matcher
        name = _value(self, "name")
        candidates = self.candidates(name) if name else []
        if not self.is_bound and "match" not in self.initial:
            chosen = importing.best(candidates)
            self.initial["match"] = chosen.value if chosen else NEW
        lookup = self.lookup
        self.fields["match"].lookup = lookup
        _offer(self.fields["match"], candidates, _value(self, "match"), _("新建：%s") % name, lookup)

    def lookup(self, pk):
        return self.matcher.get(self.model, pk)

    def clean(self):
        cleaned = super().clean()
        name, match = (cleaned.get("name") or "").strip(), cleaned.get("match")
        if match and match != NEW:
            cleaned["record"] = self.lookup(match)
        elif name:
            if not cleaned.get("create"):
                self.add_error(
                    "create", _("“%s”不在库中：请勾选“确认新建”，或在“对应记录”中选择已有记录。") % name
                )
            cleaned["record"] = NEW
        else:
            cleaned["record"] = None
        return cleaned

    def resolved(self, **new):
        """The existing record, a New… placeholder, or None for an empty row."""
        record = self.cleaned_data.get("record")
        if record == NEW:
            return self.new(importing.squeeze(self.cleaned_data["name"]), **new)
        return record


class DepartmentMatchForm(NameMatchForm):
    model = Department

    def candidates(self, name):
        return self.matcher.department_candidates(name)

    def new(self, name):
        return importing.NewDepartment(name)


class ProposerMatchForm(NameMatchForm):
    model = Proposer

    def candidates(self, name):
        return self.matcher.proposer_candidates(name)

    def new(self, name, kind=Proposer.Kind.MEMBER):
        return importing.NewProposer(name, kind)


DepartmentFormSet = forms.formset_factory(DepartmentMatchForm, extra=1, can_delete=True)
ProposerFormSet = forms.formset_factory(ProposerMatchForm, extra=1, can_delete=True)


class ItemRowForm(forms.Form):
    """One section (一、) or sub-section (（一）) of the letter; sub-sections follow their section."""

    level = forms.TypedChoiceField(
        label=gettext_lazy("层级"),
        coerce=int,
        choices=[(1, gettext_lazy("一级")), (2, gettext_lazy("二级"))],
        initial=1,
    )
    number = forms.CharField(label=gettext_lazy("序号"), required=False, max_length=10)
    heading = forms.CharField(label=gettext_lazy("小标题"), required=False, max_length=300)
    paragraphs = forms.CharField(
        label=gettext_lazy("正文（每段一行）"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    commitments = forms.CharField(
        label=gettext_lazy("承诺（每条一行，须是正文原文）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BaseItemFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        rows = self.rows()
        if rows and rows[0]["level"] == 2:
            raise ValidationError(_("第一条不能是二级条目：二级条目须跟在一级条目之后。"))

    def rows(self):
        """The filled rows, in order: a row without number, heading or text is ignored."""
        return [
            form.cleaned_data
            for form in self.forms
            if not form.cleaned_data.get("DELETE")
            and any(form.cleaned_data.get(key) for key in ("number", "heading", "paragraphs"))
        ]

    def tree(self):
        items = []
        for row in self.rows():
            item = {
                "number": row["number"].strip(),
                "heading": row["heading"].strip(),
                "paragraphs": _lines(row["paragraphs"]),
                "commitments": _lines(row["commitments"]),
                "children": [],
            }
            (items[-1]["children"] if row["level"] == 2 else items).append(item)
        return items


ItemFormSet = forms.formset_factory(ItemRowForm, formset=BaseItemFormSet, extra=1, can_delete=True)


# The letter form's fields read from candidates (see ParsedLetter.candidates), by form field name.
_SOURCED_FIELDS = {
    "number": "number",
    "result_class": "result_class",
    "document_number": "document_number",
    "signed_by": "signed_by",
    "issuer": "issuer",
    "date": "date",
    "contact_unit": "contact_unit",
    "contact_person": "contact_person",
    "contact_phone": "contact_phone",
    "contact_postcode": "contact_postcode",
}


def field_sources(parsed):
    """{form field: {"chosen": Candidate or None, "others": [Candidate]}} for the preview.

    The preview prints the line each value came from under its field, and every other value the
    letter offers for it as a button that fills the field: a correction is one click.
    """
    sources = {}
    for form_field, parsed_field in _SOURCED_FIELDS.items():
        candidates = parsed.candidates.get(parsed_field, [])
        if not candidates:
            continue
        chosen = parsed.best(parsed_field)
        others, seen = [], {chosen.value} if chosen else set()
        for candidate in candidates:
            if candidate.value not in seen:
                seen.add(candidate.value)
                others.append(candidate)
        sources[form_field] = {"chosen": chosen, "others": others}
    return sources


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
