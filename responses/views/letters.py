"""Letters in and out: the office's import page (paste or upload a reply letter, check what was read,
save it as records) and any reply as an official .docx or a print view.

The import page works in two steps. `import_letter` parses the pasted text (or the .docx) and shows
the original lines beside an editable form of everything read, with existing records offered for
each name (responses/importing.py decides what matches). `import_confirm` saves, or re-matches the
names after an edit. The letter's text travels between the steps in a signed hidden field, so the
original stays beside the form however often the form is sent back with errors.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from proposals.access import department_of, is_office, office_required, proposer_of
from proposals.forms import DateInput
from proposals.models import Department, Proposal, Proposer, Session

from .. import importing
from ..docx_letter import build_docx
from ..export import export_response, for_export
from ..letter import build_letter
from ..models import Response
from ..parsing import parse_letter, read_docx_text

NEW = "new"
SOURCE_SALT = "letters.import.source"
SOURCE_MAX_AGE = 24 * 3600
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ISSUED_STATES = (Response.Status.ISSUED, Response.Status.PUBLISHED)


# --------------------------------------------------------------------------- who may read a reply


def visible_reply_or_404(request, pk, queryset=None):
    """The reply `pk` if the user may read it; None when an anonymous visitor must log in first.

    The rule: a published reply disclosed proactively (`Response.is_public`) is for everyone. Any
    other reply is for the office, for the answering department (the reply's own department, drafts
    included) and, once issued (已签发 or 已公开), for the proposal's proposers. Everyone else,
    co-handling departments included, gets 404. Anonymous visitors are asked to log in whether or
    not such a reply exists, so they cannot probe for private replies.
    """
    queryset = queryset if queryset is not None else Response.objects.select_related("proposal")
    reply = queryset.filter(pk=pk).first()
    if reply is not None and reply.is_public:
        return reply
    user = request.user
    if not user.is_authenticated:
        return None
    if reply is None:
        raise Http404
    if is_office(user):
        return reply
    department = department_of(user)
    if department is not None and department.pk == reply.department_id:
        return reply
    proposer = proposer_of(user)
    if (
        proposer is not None
        and reply.status in ISSUED_STATES
        and reply.proposal.proposer_links.filter(proposer=proposer).exists()
    ):
        return reply
    raise Http404


@require_GET
def reply_docx(request, pk):
    reply = visible_reply_or_404(request, pk, for_export())
    if reply is None:
        return redirect_to_login(request.get_full_path())
    proposal = reply.proposal
    filename = f"{proposal.number or reply.pk}号{reply.department.name}答复函.docx"
    response = HttpResponse(build_docx(export_response(reply)), content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_GET
def reply_print(request, pk):
    reply = visible_reply_or_404(request, pk, Response.objects.for_letter_page())
    if reply is None:
        return redirect_to_login(request.get_full_path())
    return render(request, "letters/print.html", {"response": reply, "letter": build_letter(reply)})


# --------------------------------------------------------------------------- import forms


class PasteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("答复函全文"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=gettext_lazy("从网页、Word 或 PDF 复制全文粘贴到这里。"),
    )
    file = forms.FileField(label=gettext_lazy("或上传 Word 文件（.docx）"), required=False)

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), cleaned.get("text") or ""
        if upload:
            if not upload.name.lower().endswith(".docx"):
                self.add_error("file", _("只接受 .docx 文件；其他格式请复制全文粘贴。"))
            elif upload.size > MAX_UPLOAD_BYTES:
                self.add_error("file", _("文件超过 5 MB。"))
            else:
                try:
                    cleaned["letter_text"] = read_docx_text(upload)
                except ValueError:
                    self.add_error("file", _("无法读取该 Word 文件，请确认是 .docx 格式。"))
        elif text.strip():
            cleaned["letter_text"] = text
        elif not self.errors:
            raise ValidationError(_("请粘贴答复函全文，或上传 .docx 文件。"))
        return cleaned


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


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class LetterForm(forms.Form):
    """Everything the letter says except its units, proposers and sections (see the formsets)."""

    session = forms.CharField(label=gettext_lazy("届次会议（原文）"), max_length=100)
    session_match = MatchField(label=gettext_lazy("对应会议"))
    session_create = forms.BooleanField(label=gettext_lazy("确认新建会议"), required=False)
    committee = forms.ChoiceField(label=gettext_lazy("新建会议所属政协（人大）"), required=False)
    session_term = forms.IntegerField(label=gettext_lazy("届"), required=False, min_value=1, max_value=99)
    session_number = forms.IntegerField(label=gettext_lazy("次"), required=False, min_value=1, max_value=99)
    session_year = forms.IntegerField(
        label=gettext_lazy("年度"), required=False, min_value=1949, max_value=2100
    )
    number = forms.CharField(label=gettext_lazy("提案（建议）编号"), max_length=32)
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=Proposal.Kind.choices)
    proposal_title = forms.CharField(label=gettext_lazy("提案标题"), required=False, max_length=300)
    proposal_match = MatchField(label=gettext_lazy("对应提案"))
    proposal_create = forms.BooleanField(label=gettext_lazy("确认新建提案"), required=False)
    addressee_title = forms.ChoiceField(
        label=gettext_lazy("称谓"),
        required=False,
        choices=[
            ("委员", gettext_lazy("委员")),
            ("代表", gettext_lazy("代表")),
            ("", gettext_lazy("无（单位、团体）")),
        ],
    )
    title = forms.CharField(
        label=gettext_lazy("答复函标题（按原文分行）"), widget=forms.Textarea(attrs={"rows": 2})
    )
    salutation = forms.CharField(label=gettext_lazy("称呼"), max_length=200)
    opening = forms.CharField(
        label=gettext_lazy("开头（每段一行）"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    closing = forms.CharField(
        label=gettext_lazy("结束语（每段一行）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    result_class = forms.ChoiceField(
        label=gettext_lazy("办复类别"),
        required=False,
        choices=[("", gettext_lazy("原文未标注")), *Response.ResultClass.choices],
    )
    document_number = forms.CharField(label=gettext_lazy("文号"), required=False, max_length=100)
    signed_by = forms.CharField(label=gettext_lazy("签发人"), required=False, max_length=50)
    issuer = forms.CharField(label=gettext_lazy("落款单位"), required=False, max_length=100)
    date = forms.DateField(label=gettext_lazy("日期"), required=False, widget=DateInput())
    review_note = forms.CharField(label=gettext_lazy("审签说明"), required=False, max_length=200)
    contact_unit = forms.CharField(label=gettext_lazy("联系单位"), required=False, max_length=100)
    contact_person = forms.CharField(label=gettext_lazy("联系人"), required=False, max_length=50)
    contact_phone = forms.CharField(label=gettext_lazy("联系电话"), required=False, max_length=50)
    contact_postcode = forms.CharField(label=gettext_lazy("邮政编码"), required=False, max_length=10)
    copied_to = forms.CharField(
        label=gettext_lazy("抄送（每行一个单位）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    publish = forms.BooleanField(label=gettext_lazy("公开（在公开页面发布这封答复函）"), required=False)
    disclosure = forms.ChoiceField(
        label=gettext_lazy("公开属性"),
        choices=Response.Disclosure.choices,
        initial=Response.Disclosure.PUBLIC,
    )

    def __init__(self, *args, matcher, **kwargs):
        super().__init__(*args, **kwargs)
        self.matcher = matcher
        session_text = _value(self, "session")
        sessions = matcher.session_candidates(session_text) if session_text else []
        if not self.is_bound:
            chosen = importing.best(sessions)
            self.initial.setdefault("session_match", chosen.value if chosen else NEW)
        self.fields["session_match"].lookup = self.session_lookup
        _offer(
            self.fields["session_match"],
            sessions,
            _value(self, "session_match"),
            _("新建会议（填写下方届、次、年度）"),
            self.session_lookup,
        )
        self.fields["committee"].choices = [("", "---------")] + [
            (str(committee.pk), str(committee)) for committee in matcher.committees
        ]
        session = self.session_lookup(_value(self, "session_match"))
        proposals = (
            matcher.proposal_candidates([session], _value(self, "number"), _value(self, "proposal_title"))
            if session
            else []
        )
        self._proposals = {str(candidate.obj.pk): candidate.obj for candidate in proposals}
        if not self.is_bound and "proposal_match" not in self.initial:
            exact = next((candidate for candidate in proposals if candidate.exact), None)
            self.initial["proposal_match"] = exact.value if exact else NEW
        self.fields["proposal_match"].lookup = self.proposal_lookup
        _offer(
            self.fields["proposal_match"],
            proposals,
            _value(self, "proposal_match"),
            _("新建提案（按上方编号、类型、标题）"),
            self.proposal_lookup,
        )

    def session_lookup(self, pk):
        return self.matcher.get(Session, pk)

    def committee_lookup(self, pk):
        return next((c for c in self.matcher.committees if str(c.pk) == str(pk)), None)

    def proposal_lookup(self, pk):
        if str(pk) not in self._proposals and str(pk).isdigit():
            self._proposals[str(pk)] = (
                Proposal.objects.select_related("session__committee").filter(pk=pk).first()
            )
        return self._proposals.get(str(pk))

    def clean(self):
        cleaned = super().clean()
        self._clean_session(cleaned)
        self._clean_proposal(cleaned)
        if cleaned.get("publish") and cleaned.get("disclosure") == Response.Disclosure.NOT_PUBLIC:
            self.add_error("publish", _("不予公开的答复不能公开发布：请取消“公开”或改选公开属性。"))
        return cleaned

    def _clean_session(self, cleaned):
        match = cleaned.get("session_match")
        if match and match != NEW:
            cleaned["session_record"] = self.session_lookup(match)
            return
        if not cleaned.get("session_create"):
            self.add_error("session_create", _("库中没有选定的会议：请勾选“确认新建会议”，或选择已有会议。"))
        for name in ("committee", "session_term", "session_number", "session_year"):
            if not cleaned.get(name):
                self.add_error(name, _("新建会议须填写此项。"))
        if not self.errors:
            cleaned["session_record"] = importing.NewSession(
                self.committee_lookup(cleaned["committee"]),
                cleaned["session_term"],
                cleaned["session_number"],
                cleaned["session_year"],
            )

    def _clean_proposal(self, cleaned):
        match = cleaned.get("proposal_match")
        if match and match != NEW:
            proposal = self.proposal_lookup(match)
            session = cleaned.get("session_record")
            if isinstance(session, Session) and proposal.session_id != session.pk:
                self.add_error("proposal_match", _("所选提案不属于所选会议。"))
            elif isinstance(session, importing.NewSession):
                self.add_error("proposal_match", _("新建会议下没有已有提案：请选择新建提案。"))
            cleaned["proposal_record"] = proposal
            return
        cleaned["proposal_record"] = None
        if not cleaned.get("proposal_create"):
            self.add_error("proposal_create", _("库中没有对应提案：请勾选“确认新建提案”，或选择已有提案。"))
        if not cleaned.get("proposal_title"):
            self.add_error("proposal_title", _("新建提案须填写提案标题。"))


class ImportForms:
    """The import page's forms together: the letter, its units, proposers and sections."""

    # Worked out again from the names on "re-match"; DELETE: deleted rows are dropped instead.
    DROPPED_ON_REMATCH = {"session_match", "proposal_match", "match", "DELETE"}

    def __init__(self, data=None, *, matcher, initial=None):
        initial = initial or {}
        self.matcher = matcher
        kwargs = {"matcher": matcher}
        self.letter = LetterForm(data, matcher=matcher, initial=initial.get("letter"))
        self.lead = DepartmentMatchForm(data, prefix="lead", initial=initial.get("lead"), **kwargs)
        self.assigned_by = DepartmentMatchForm(
            data, prefix="assigned_by", initial=initial.get("assigned_by"), **kwargs
        )
        self.co = DepartmentFormSet(data, prefix="co", initial=initial.get("co"), form_kwargs=kwargs)
        self.addressees = ProposerFormSet(
            data, prefix="addressee", initial=initial.get("addressees"), form_kwargs=kwargs
        )
        self.items = ItemFormSet(data, prefix="items", initial=initial.get("items"))
        self.problems = []  # refusals from saving, shown above the form

    @classmethod
    def from_draft(cls, draft, matcher):
        contact = draft.contact
        letter = {
            "session": draft.session,
            "number": draft.number,
            "kind": draft.kind,
            "proposal_title": draft.proposal_title,
            "addressee_title": draft.addressee_title,
            "title": draft.title,
            "salutation": draft.salutation_line,
            "opening": "\n".join(draft.opening),
            "closing": "\n".join(draft.closing),
            "result_class": draft.result_class,
            "document_number": draft.document_number,
            "signed_by": draft.signed_by,
            "issuer": draft.issuer,
            "date": draft.date,
            "review_note": draft.review_note,
            "contact_unit": contact.get("unit", ""),
            "contact_person": contact.get("person", ""),
            "contact_phone": contact.get("phone", ""),
            "contact_postcode": contact.get("postcode", ""),
            "copied_to": "\n".join(draft.copied_to),
            "disclosure": Response.Disclosure.PUBLIC,
        }
        committee = matcher.committee_for(draft.session)
        key = importing.session_key(draft.session) or (None, None)
        letter.update(
            committee=str(committee.pk) if committee else "",
            session_term=key[0],
            session_number=key[1],
            session_year=importing.year_from(draft.number, draft.date),
        )
        items = []
        for item in draft.items:
            for level, row in [(1, item), *((2, child) for child in item["children"])]:
                items.append(
                    {
                        "level": level,
                        "number": row["number"],
                        "heading": row["heading"],
                        "paragraphs": "\n".join(row["paragraphs"]),
                        "commitments": "\n".join(row["commitments"]),
                    }
                )
        return cls(
            matcher=matcher,
            initial={
                "letter": letter,
                "lead": {"name": draft.lead_department},
                "assigned_by": {"name": draft.assigned_by},
                "co": [{"name": name} for name in draft.co_departments],
                "addressees": [{"name": name} for name in draft.addressees],
                "items": items,
            },
        )

    def rematched(self):
        """Unbound forms holding what was submitted, with the matches worked out again for the names."""

        def values(form):
            return {name: form[name].value() for name in form.fields if name not in self.DROPPED_ON_REMATCH}

        def rows(formset, keys):
            return [
                values(form)
                for form in formset.forms
                if not form["DELETE"].value() and any(form[key].value() for key in keys)
            ]

        return ImportForms(
            matcher=self.matcher,
            initial={
                "letter": values(self.letter),
                "lead": values(self.lead),
                "assigned_by": values(self.assigned_by),
                "co": rows(self.co, ["name"]),
                "addressees": rows(self.addressees, ["name"]),
                "items": rows(self.items, ["number", "heading", "paragraphs"]),
            },
        )

    def is_valid(self):
        parts = [self.letter, self.lead, self.assigned_by, self.co, self.addressees, self.items]
        results = [part.is_valid() for part in parts]  # validate every part, to show every error at once
        valid = all(results)
        if valid and self.lead.cleaned_data["record"] is None:
            self.lead.add_error("name", _("请填写主办（答复）单位。"))
            valid = False
        return valid

    def _filled(self, formset):
        return [
            form
            for form in formset.forms
            if form.cleaned_data.get("record") and not form.cleaned_data.get("DELETE")
        ]

    def draft(self):
        data = self.letter.cleaned_data
        return importing.LetterDraft(
            kind=data["kind"],
            number=data["number"].strip(),
            session=data["session"].strip(),
            proposal_title=data["proposal_title"].strip(),
            addressees=[form.cleaned_data["name"].strip() for form in self._filled(self.addressees)],
            addressee_title=data["addressee_title"],
            assigned_by=(self.assigned_by.cleaned_data.get("name") or "").strip(),
            lead_department=self.lead.cleaned_data["name"].strip(),
            co_departments=[form.cleaned_data["name"].strip() for form in self._filled(self.co)],
            title_lines=_lines(data["title"]),
            salutation=data["salutation"].strip(),
            opening=_lines(data["opening"]),
            closing=_lines(data["closing"]),
            review_note=data["review_note"].strip(),
            result_class=data["result_class"],
            document_number=data["document_number"].strip(),
            signed_by=data["signed_by"].strip(),
            issuer=data["issuer"].strip(),
            date=data["date"],
            contact={key: data[f"contact_{key}"].strip() for key in ("unit", "person", "phone", "postcode")},
            copied_to=_lines(data["copied_to"]),
            items=self.items.tree(),
        )

    def resolution(self):
        kind = importing.proposer_kind(self.letter.cleaned_data["addressee_title"])
        return importing.Resolution(
            session=self.letter.cleaned_data["session_record"],
            proposal=self.letter.cleaned_data["proposal_record"],
            proposers=[form.resolved(kind=kind) for form in self._filled(self.addressees)],
            lead=self.lead.resolved(),
            co=[form.resolved() for form in self._filled(self.co)],
            assigned_by=self.assigned_by.resolved(),
        )


# --------------------------------------------------------------------------- import views


def _source_lines(text, parsed):
    """The original's non-empty lines, each flagged when the parser did not recognise it."""
    unparsed = {line.strip() for line in parsed.unparsed}
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return [(line, line in unparsed) for line in lines]


def _preview(request, text, parsed, forms_, status=200):
    context = {
        "forms": forms_,
        "source": signing.dumps(text, salt=SOURCE_SALT, compress=True),
        "source_lines": _source_lines(text, parsed),
        "missing": parsed.missing,
    }
    return render(request, "letters/preview.html", context, status=status)


@office_required
def import_letter(request):
    """Step 1: paste or upload; a letter goes on to the preview, anything else is sent back."""
    form = PasteForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["letter_text"]
        parsed, draft = importing.draft_from_text(text)
        if draft is not None:
            return _preview(request, text, parsed, ImportForms.from_draft(draft, importing.Matcher()))
        return render(
            request,
            "letters/import.html",
            {"form": form, "not_a_letter": parsed.missing, "source_lines": _source_lines(text, parsed)},
        )
    return render(request, "letters/import.html", {"form": form})


@office_required
@require_POST
def import_confirm(request):
    """Step 2: save the confirmed letter in one transaction, or match the edited names again."""
    try:
        text = signing.loads(request.POST.get("source", ""), salt=SOURCE_SALT, max_age=SOURCE_MAX_AGE)
    except signing.BadSignature:
        messages.error(request, _("导入内容已失效或被改动，请重新粘贴答复函。"))
        return redirect("letters:import")
    parsed = parse_letter(text)
    forms_ = ImportForms(request.POST, matcher=importing.Matcher())
    if request.POST.get("action") == "rematch":
        return _preview(request, text, parsed, forms_.rematched())
    if forms_.is_valid():
        letter = forms_.letter.cleaned_data
        try:
            result = importing.save_letter(
                forms_.draft(),
                forms_.resolution(),
                actor=request.user,
                publish=letter["publish"],
                disclosure=letter["disclosure"],
            )
        except importing.ImportRefused as refusal:
            forms_.problems.append(str(refusal))
        except ValidationError as error:
            forms_.problems.extend(error.messages)
        else:
            _report(request, result)
            return redirect("letters:import")
    return _preview(request, text, parsed, forms_)


def _report(request, result):
    reply = result.response
    messages.success(
        request,
        format_html(
            '已导入{}：{}的答复函（{}）。<a href="{}">打印视图</a> · <a href="{}">下载 Word</a>',
            result.proposal,
            reply.department,
            reply.get_status_display(),
            reverse("letters:print", args=[reply.pk]),
            reverse("letters:docx", args=[reply.pk]),
        ),
    )
    for line in result.created + result.notes:
        messages.info(request, line)
