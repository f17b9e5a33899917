"""The letter's own form, and ImportForms, which holds the import page's forms together."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from proposals.forms import DateInput
from proposals.models import Proposal, Session
from tracker.filtering import in_range

from ... import importing
from ...models import Response
from .import_forms import (
    NEW,
    DepartmentFormSet,
    DepartmentMatchForm,
    ItemFormSet,
    MatchField,
    ProposerFormSet,
    _lines,
    _offer,
    _value,
)


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
        if str(pk) not in self._proposals and in_range(pk) is not None:
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
