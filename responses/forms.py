"""Forms of the department workspace: returning an assignment, the co-handling opinion, the reply
editor's forms (the letter fields, one item, one commitment; responses/editor.py puts them
together), corrections and commitment progress; and the office's publication form."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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


class ListedChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField over objects already fetched: many forms on one page share one query for
    their choices and validate without querying again."""

    def __init__(self, objects, **kwargs):
        self.objects = {str(obj.pk): obj for obj in objects}
        super().__init__(queryset=objects, **kwargs)
        self.choices = [("", "---------")] + [(key, str(obj)) for key, obj in self.objects.items()]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.objects[str(value)]
        except KeyError:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


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
            owner = self.fields["owner"]
            self.fields["owner"] = ListedChoiceField(
                owner_choices, required=owner.required, label=owner.label, help_text=owner.help_text
            )

    def _get_validation_exclusions(self):
        # The model's own field checks would query once per form: that the owner exists (the listed
        # field has just found it among the fetched departments) and that the text is not empty (a
        # CHECK evaluated in the database; the form field requires a text). clean() still runs.
        exclude = super()._get_validation_exclusions()
        if isinstance(self.fields["owner"], ListedChoiceField):
            exclude |= {"owner", "text"}
        return exclude


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
