"""Forms of the office workspace. Each error sits on the field it is about, in Chinese."""

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracker import limits

from .deadlines import CalendarNotCovered
from .leads import ProposalLead
from .models import Assignment, Committee, Department, Proposal, Proposer, Session, Suggestion
from .workflow import due_for, rules_for


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label, **kwargs):
    return forms.DateField(label=label, widget=DateInput(), **kwargs)


class ObjectChoiceField(forms.ChoiceField):
    """A choice among objects fetched once by the view: every row of a formset shares the list
    instead of running its own query, and `clean()` returns the object."""

    def __init__(self, objects, *, label_of=str, empty_label="---------", **kwargs):
        self.objects = {str(obj.pk): obj for obj in objects}
        choices = [("", empty_label)] + [(key, label_of(obj)) for key, obj in self.objects.items()]
        super().__init__(choices=choices, **kwargs)

    def prepare_value(self, value):
        return str(value.pk) if hasattr(value, "pk") else value

    def clean(self, value):
        value = super().clean(value)
        return self.objects.get(value) if value else None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, max_count=limits.ATTACHMENT_MAX_COUNT, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        self.max_count = max_count
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        items = data if isinstance(data, list | tuple) else [data] if data else []
        if len(items) > self.max_count:
            raise forms.ValidationError(_("一次至多上传%(count)s个附件。") % {"count": self.max_count})
        # Each file is checked (type, size) by FileField.clean through the field's validators.
        return [single(item, initial) for item in items]


# Logging a proposal ---------------------------------------------------------------------------


class ProposalForm(forms.ModelForm):
    attachments = MultipleFileField(
        label=_("附件"),
        required=False,
        help_text=limits.ATTACHMENT_HELP,
        validators=limits.ATTACHMENT_VALIDATORS,
    )

    class Meta:
        model = Proposal
        fields = ["session", "kind", "title", "body", "category", "submitted_on"]
        widgets = {"submitted_on": DateInput(), "body": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.select_related("committee")
        self.fields["submitted_on"].initial = timezone.localdate()


class ProposalEditForm(forms.ModelForm):
    """Correcting a logged proposal before registration (the session and attachments stay)."""

    class Meta:
        model = Proposal
        fields = ["kind", "title", "body", "category", "submitted_on"]
        widgets = {"submitted_on": DateInput(), "body": forms.Textarea(attrs={"rows": 8})}


def proposer_label(proposer):
    details = "，".join(part for part in (proposer.sector, proposer.affiliation) if part)
    return f"{proposer}（{details}）" if details else str(proposer)


class ProposerRowForm(forms.Form):
    """One proposer in order: someone on file, or a new name with its kind."""

    def __init__(self, *args, proposers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposer"] = ObjectChoiceField(
            proposers, label=_("已有提案者"), required=False, label_of=proposer_label
        )
        self.fields["new_name"] = forms.CharField(label=_("或新提案者姓名"), max_length=100, required=False)
        self.fields["new_kind"] = forms.ChoiceField(
            label=_("新提案者类型"), choices=Proposer.Kind.choices, initial=Proposer.Kind.MEMBER
        )
        # The rows render bare widgets in a table (templates/office/_bare_field.html).
        for name, css in (
            ("proposer", "form-select"),
            ("new_name", "form-control"),
            ("new_kind", "form-select"),
        ):
            self.fields[name].widget.attrs["class"] = css

    def has_changed(self):
        # The kind select always posts a value: a row counts as filled only with a proposer or a name.
        return bool(self.data.get(self.add_prefix("proposer")) or self.data.get(self.add_prefix("new_name")))

    def clean(self):
        cleaned = super().clean()
        proposer, name = cleaned.get("proposer"), (cleaned.get("new_name") or "").strip()
        if proposer and name:
            self.add_error("new_name", _("已选择已有提案者时，不要再填写新姓名。"))
        cleaned["new_name"] = name
        return cleaned

    def entry(self):
        """The Proposer, or a (name, kind) pair for a new one; None for an empty row."""
        if self.cleaned_data.get("proposer"):
            return self.cleaned_data["proposer"]
        if self.cleaned_data.get("new_name"):
            return (self.cleaned_data["new_name"], self.cleaned_data["new_kind"])
        return None


class BaseProposerFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        entries = []
        for form in self.forms:
            entry = form.entry()
            if entry is None:
                continue
            key = entry.pk if isinstance(entry, Proposer) else entry
            if key in seen:
                form.add_error("proposer" if isinstance(entry, Proposer) else "new_name", _("提案者重复。"))
            seen.add(key)
            entries.append(entry)
        if not entries:
            raise forms.ValidationError(_("请至少填写一位提案者（第一行为第一提案人）。"))
        self.entries = entries


ProposerFormSet = forms.formset_factory(ProposerRowForm, formset=BaseProposerFormSet, extra=3)


class ImportForm(forms.Form):
    committee = forms.ModelChoiceField(label=_("政协（人大）"), queryset=Committee.objects.all())
    file = forms.FileField(
        label=_("Excel文件（.xlsx）"),
        help_text=limits.WORKBOOK_HELP,
        validators=[limits.validate_workbook_size],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        committees = list(Committee.objects.values_list("pk", flat=True)[:2])
        if len(committees) == 1:
            self.fields["committee"].initial = committees[0]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的Excel文件。"))
        return upload


# Review (审查) ---------------------------------------------------------------------------------


class ReviewForm(forms.Form):
    class Action:
        REGISTER = "register"
        MERGE = "merge"
        NOT_REGISTER = "not_register"
        REFER = "refer"
        RETURN = "return"

    action = forms.ChoiceField(
        label=_("审查结果"),
        widget=forms.RadioSelect,
        choices=[
            (Action.REGISTER, _("立案")),
            (Action.MERGE, _("并案")),
            (Action.NOT_REGISTER, _("不予立案")),
            (Action.REFER, _("转意见")),
            (Action.RETURN, _("退回修改")),
        ],
        initial=Action.REGISTER,
    )
    number = forms.CharField(
        label=_("编号"), max_length=32, required=False, help_text=_("已按本次会议的下一个编号预填，可修改。")
    )
    registered_on = date_field(_("立案日期"), required=False)
    merge_into = forms.CharField(
        label=_("并入提案编号"), max_length=32, required=False, help_text=_("本次会议已立案提案的编号。")
    )
    not_registered_reason = forms.ChoiceField(
        label=_("不予立案理由"),
        choices=[("", "---------"), *Proposal.NotRegisteredReason.choices],
        required=False,
    )
    referred_to = forms.ModelChoiceField(
        label=_("转送单位"),
        queryset=Department.objects.filter(is_active=True),
        required=False,
        help_text=_("不作为提案立案，转该单位作为意见参考。"),
    )
    note = forms.CharField(
        label=_("审查意见"),
        required=False,
        max_length=limits.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "不予立案时可说明转为意见建议、社情民意等处理方式；理由为“其他原因”时必填；退回修改时写明修改意见（必填）。"
        ),
    )

    def __init__(self, *args, proposal, suggested_number="", **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        self.fields["number"].initial = suggested_number
        self.fields["registered_on"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == self.Action.REGISTER:
            self._clean_register(cleaned)
        elif action == self.Action.MERGE:
            self._clean_merge(cleaned)
        elif action == self.Action.NOT_REGISTER:
            reason = cleaned.get("not_registered_reason")
            if not reason:
                self.add_error("not_registered_reason", _("不予立案须选择理由。"))
            elif reason == Proposal.NotRegisteredReason.OTHER and not cleaned.get("note", "").strip():
                self.add_error("note", _("理由为“其他原因”时请说明。"))
        elif action == self.Action.REFER and not cleaned.get("referred_to"):
            self.add_error("referred_to", _("转意见须选择转送单位。"))
        elif action == self.Action.RETURN and not cleaned.get("note", "").strip():
            self.add_error("note", _("退回修改须写明修改意见。"))
        return cleaned

    def _clean_register(self, cleaned):
        number = (cleaned.get("number") or "").strip()
        cleaned["number"] = number
        if not number:
            self.add_error("number", _("立案须填写编号。"))
        else:
            try:
                Proposal.check_number_free(self.proposal.session_id, number, pk=self.proposal.pk)
            except forms.ValidationError as taken:
                self.add_error(None, taken)
            if not number.isascii() or not number.isdigit() or int(number) < 1:
                self.add_error("number", _("编号须是正整数，如 20200287。"))
        registered_on = cleaned.get("registered_on")
        year = self.proposal.session.year
        if not registered_on:
            self.add_error("registered_on", _("请填写立案日期。"))
        elif abs(registered_on.year - year) > 1:
            self.add_error(
                "registered_on",
                _("立案日期应在会议年度（%(year)s年）前后一年内。") % {"year": year},
            )

    def _clean_merge(self, cleaned):
        number = (cleaned.get("merge_into") or "").strip()
        if not number:
            self.add_error("merge_into", _("请填写并入提案的编号。"))
            return
        target = (
            Proposal.objects.filter(session_id=self.proposal.session_id, number=number)
            .exclude(pk=self.proposal.pk)
            .first()
        )
        if target is None:
            self.add_error("merge_into", _("本次会议没有第%(number)s号提案。") % {"number": number})
        elif target.status == Proposal.Status.MERGED:
            self.add_error(
                "merge_into", _("第%(number)s号提案本身已并案，请并入其主提案。") % {"number": number}
            )
        else:
            cleaned["merge_target"] = target


# Assignment (交办) ------------------------------------------------------------------------------


class AssignmentRowForm(forms.Form):
    """A co-handling or separate-handling department with its due date (blank: by the rules)."""

    def __init__(self, *args, departments=(), months=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"] = ObjectChoiceField(departments, label=_("单位"), required=False)
        self.fields["due_on"] = date_field(_("办理期限"), required=False)
        # The rows render bare widgets in a table (templates/office/_bare_field.html).
        self.fields["department"].widget.attrs["class"] = "form-select"
        self.fields["due_on"].widget.attrs["class"] = "form-control"
        # The page's script recomputes untouched due dates when the assignment date changes.
        if months is not None:
            self.fields["due_on"].widget.attrs["data-months"] = months

    def has_changed(self):
        return bool(self.data.get(self.add_prefix("department")))


AssignmentRowFormSet = forms.formset_factory(AssignmentRowForm, extra=0)


class AssignForm(forms.Form):
    """交办: one lead with any co-handlers, or several separate handlers. The co-handling and
    separate-handling rows come as two formsets (prefixes "co" and "separate"); `is_valid()`
    checks the three together."""

    CO_ROWS = 4
    SEPARATE_ROWS = 3

    assigned_on = date_field(_("交办日期"))
    lead = forms.ChoiceField(label=_("主办单位"), required=False)
    lead_due_on = date_field(_("主办单位答复期限"), required=False)

    def __init__(self, data=None, *, proposal, departments, **kwargs):
        super().__init__(data, **kwargs)
        self.proposal = proposal
        committee = proposal.session.committee
        self.rules_error = None
        try:
            self.rules = rules_for(committee)
        except ValueError as exc:
            self.rules = None
            self.rules_error = str(exc)
        today = timezone.localdate()
        self.fields["assigned_on"].initial = today
        self.fields["lead"] = ObjectChoiceField(departments, label=_("主办单位"), required=False)
        reply_months = committee.reply_months
        opinion_months = committee.opinion_months
        self.fields["lead_due_on"].widget.attrs["data-months"] = reply_months
        if self.rules:
            self.fields["lead_due_on"].initial = due_for(self.rules, Assignment.Role.LEAD, today)
        self.fields["lead_due_on"].help_text = _("默认为交办后%(months)s个月，可修改。") % {
            "months": reply_months
        }

        def rows(prefix, role, months, count):
            initial = (
                [{"due_on": due_for(self.rules, role, today)} for _ in range(count)] if self.rules else None
            )
            return AssignmentRowFormSet(
                data,
                prefix=prefix,
                initial=None if data is not None else initial,
                form_kwargs={"departments": departments, "months": months},
            )

        self.co_rows = rows("co", Assignment.Role.CO_HANDLING, opinion_months, self.CO_ROWS)
        self.separate_rows = rows("separate", Assignment.Role.SEPARATE, reply_months, self.SEPARATE_ROWS)

    def is_valid(self):
        valid = all([super().is_valid(), self.co_rows.is_valid(), self.separate_rows.is_valid()])
        if valid:
            self._check_plan()
        return not self.errors and not any(self.co_rows.errors) and not any(self.separate_rows.errors)

    def clean(self):
        cleaned = super().clean()
        assigned_on = cleaned.get("assigned_on")
        if self.rules_error:
            raise forms.ValidationError(_("本委员会的期限设置有误：%(error)s") % {"error": self.rules_error})
        if assigned_on and self.rules:
            try:
                self.objection_deadline = self.rules.objection_deadline(assigned_on)
            except CalendarNotCovered as exc:
                self.add_error("assigned_on", str(exc))
        return cleaned

    @staticmethod
    def _filled(formset):
        return [form for form in formset.forms if form.cleaned_data.get("department")]

    def _check_plan(self):
        assigned_on = self.cleaned_data["assigned_on"]
        lead = self.cleaned_data.get("lead")
        # (row, department) pairs taken before any error is added: add_error() drops the field from
        # cleaned_data. Each row shows at most one department error.
        co = [(form, form.cleaned_data["department"]) for form in self._filled(self.co_rows)]
        separate = [(form, form.cleaned_data["department"]) for form in self._filled(self.separate_rows)]

        def flag(form, message):
            if "department" not in form.errors:
                form.add_error("department", message)

        if not lead and not separate:
            self.add_error("lead", _("请选择主办单位，或填写分办单位。"))
        if lead and separate:
            self.add_error("lead", _("不能同时采用主办和分办：选了主办单位就不要填写分办单位。"))
        elif len(separate) == 1:
            flag(separate[0][0], _("分办须有两个以上单位；只有一个单位时请选为主办单位。"))
        if separate and co and not lead:
            flag(co[0][0], _("分办时不设会办单位。"))
        lead_due_on = self.cleaned_data.get("lead_due_on")
        if lead and lead_due_on and lead_due_on < assigned_on:
            self.add_error("lead_due_on", _("办理期限不能早于交办日期。"))
        taken = set(self.proposal.assignments.values_list("department_id", flat=True))
        if lead and lead.pk in taken:
            self.add_error("lead", _("该单位已承办此提案。"))
        seen = {lead.pk} if lead else set()
        for form, department in co + separate:
            if lead and department.pk == lead.pk:
                flag(form, _("主办单位不能同时作为会办或分办单位。"))
            elif department.pk in seen:
                flag(form, _("同一单位不能重复交办。"))
            elif department.pk in taken:
                flag(form, _("该单位已承办此提案。"))
            seen.add(department.pk)
            due_on = form.cleaned_data.get("due_on")
            if due_on and due_on < assigned_on:
                form.add_error("due_on", _("办理期限不能早于交办日期。"))

    def plan(self):
        """Keyword arguments for workflow.assign()."""
        lead = self.cleaned_data.get("lead")

        def pairs(formset):
            return [
                (f.cleaned_data["department"], f.cleaned_data.get("due_on")) for f in self._filled(formset)
            ]

        return {
            "assigned_on": self.cleaned_data["assigned_on"],
            "lead": (lead, self.cleaned_data.get("lead_due_on")) if lead else None,
            "co": pairs(self.co_rows),
            "separate": pairs(self.separate_rows),
        }


# Objections, extensions, chases ----------------------------------------------------------------


class ObjectionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("处理方式"),
        widget=forms.RadioSelect,
        choices=[
            (Assignment.ObjectionDecision.REASSIGNED, _("改办：交由其他单位")),
            (Assignment.ObjectionDecision.KEPT, _("维持交办：原单位继续办理")),
        ],
    )
    due_on = date_field(
        _("新单位办理期限"), required=False, help_text=_("改办时填写；留空则按规则从今天起算。")
    )
    note = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=limits.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("维持交办时必须说明理由。"),
    )

    def __init__(self, *args, assignment, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignment = assignment
        self.fields["department"] = ObjectChoiceField(
            departments, label=_("改由单位"), required=False, help_text=_("改办时选择，办理方式不变。")
        )
        self.order_fields(["decision", "department", "due_on", "note"])

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == Assignment.ObjectionDecision.REASSIGNED:
            department = cleaned.get("department")
            if not department:
                self.add_error("department", _("改办须选择新的承办单位。"))
            elif self.assignment.proposal.assignments.filter(department=department).exists():
                self.add_error("department", _("该单位已承办此提案。"))
            due_on = cleaned.get("due_on")
            if due_on and due_on < timezone.localdate():
                self.add_error("due_on", _("办理期限不能早于交办日期（今天）。"))
        elif decision == Assignment.ObjectionDecision.KEPT and not cleaned.get("note", "").strip():
            self.add_error("note", _("维持交办须说明理由。"))
        return cleaned


class ExtendForm(forms.Form):
    new_due_on = date_field(_("新期限"))
    reason = forms.CharField(
        label=_("延期理由"),
        max_length=limits.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("延期须说明理由。")},
    )

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignment = assignment

    def clean_new_due_on(self):
        new_due_on = self.cleaned_data["new_due_on"]
        if self.assignment.due_on and new_due_on <= self.assignment.due_on:
            raise forms.ValidationError(_("新期限须晚于原期限。"))
        start = self.assignment.due_on or timezone.localdate()
        span = settings.TRACKER_MAX_EXTENSION_DAYS
        if (new_due_on - start).days > span:
            raise forms.ValidationError(
                _("一次至多延期%(days)s天（至%(date)s）。")
                % {"days": span, "date": (start + datetime.timedelta(days=span)).isoformat()}
            )
        if self.assignment.assigned_on and new_due_on < self.assignment.assigned_on:
            raise forms.ValidationError(_("办理期限不能早于交办日期。"))
        return new_due_on


class ChaseForm(forms.Form):
    note = forms.CharField(label=_("催办说明"), required=False, max_length=500)


# Publication and key proposals -----------------------------------------------------------------


class SuggestionForm(forms.ModelForm):
    class Meta:
        model = Suggestion
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].required = False  # emptied: the row is removed


class BaseSuggestionFormSet(forms.BaseModelFormSet):
    def ordered_texts(self):
        """(instance or None, text) of the kept rows in their new order: by 顺序, then as listed.
        An empty new row is skipped; an existing row emptied counts as deleted."""
        rows = []
        for index, form in enumerate(self.forms):
            data = getattr(form, "cleaned_data", None) or {}
            text = (data.get("text") or "").strip()
            if self.can_delete and self._should_delete_form(form) or not text:
                continue
            order = data.get("ORDER")
            instance = form.instance if form.instance.pk else None
            rows.append((order if order is not None else 10_000 + index, index, instance, text))
        rows.sort(key=lambda row: row[:2])
        return [(instance, text) for _order, _index, instance, text in rows]


SuggestionFormSet = forms.modelformset_factory(
    Suggestion,
    form=SuggestionForm,
    formset=BaseSuggestionFormSet,
    extra=2,
    can_delete=True,
    can_order=True,
    max_num=limits.SUGGESTIONS_PER_PROPOSAL,
    validate_max=True,
    absolute_max=limits.SUGGESTIONS_PER_PROPOSAL + 10,
)


class LeadForm(forms.ModelForm):
    """A topic anyone may suggest (/leads/new/)."""

    class Meta:
        model = ProposalLead
        fields = ["title", "description", "contact"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}


class ScreeningForm(forms.Form):
    """The office's decision on one lead: publish, or reject with a reason."""

    decision = forms.ChoiceField(
        label=_("筛选结果"),
        choices=[("publish", _("发布")), ("reject", _("不采用"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("未采用理由"),
        required=False,
        max_length=limits.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("不采用时请填写理由。"))
        return data
