"""Forms of the member's pages (drafting, co-signing) and the office's session deadlines."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracker import limits

from .drafts import clean_suggestions
from .forms import DateInput, MultipleFileField, ObjectChoiceField
from .models import Proposal, Session


class DraftForm(forms.ModelForm):
    """案由, 情况分析, the 联名 deadline and new attachments. The numbered suggestions come as repeated
    `suggestion` fields in page order (one textarea per row), checked by drafts.clean_suggestions."""

    attachments = MultipleFileField(
        label=_("添加附件"),
        required=False,
        help_text=limits.ATTACHMENT_HELP,
        validators=limits.ATTACHMENT_VALIDATORS,
    )

    class Meta:
        model = Proposal
        fields = ["title", "body", "cosign_deadline"]
        labels = {"body": _("情况分析")}
        widgets = {"body": forms.Textarea(attrs={"rows": 10}), "cosign_deadline": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False  # a draft may be saved untitled; submitting needs one
        self.suggestion_texts = (
            list(self.data.getlist("suggestion"))
            if self.is_bound
            else list(self.instance.suggestions.order_by("position").values_list("text", flat=True))
            if self.instance.pk
            else []
        )
        self.suggestion_errors = []

    def clean_cosign_deadline(self):
        day = self.cleaned_data.get("cosign_deadline")
        if day and day < timezone.localdate() and day != self.initial.get("cosign_deadline"):
            raise forms.ValidationError(_("联名截止日期不能早于今天。"))
        return day

    def clean(self):
        cleaned = super().clean()
        try:
            cleaned["suggestions"] = clean_suggestions(self.suggestion_texts)
        except forms.ValidationError as error:
            self.suggestion_errors = error.messages
            raise forms.ValidationError(_("具体建议有误，请按提示修改。")) from None
        return cleaned

    def suggestion_rows(self, blank=2):
        """The rows the page shows: what was typed (errors keep it), and blank rows to add more
        without JavaScript."""
        return [*self.suggestion_texts, *[""] * blank]


class NewDraftForm(forms.Form):
    """Where a new draft goes: an open session, as whom (the member, or a body they file for), which kind."""

    def __init__(self, *args, sessions, identities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"] = ObjectChoiceField(sessions, label=_("会议"))
        self.fields["session"].initial = sessions[0].pk if sessions else None
        self.identities = identities
        self.fields["proposer"] = ObjectChoiceField(identities, label=_("提案者"), required=False)
        self.fields["kind"] = forms.ChoiceField(
            label=_("类型"), choices=Proposal.Kind.choices, initial=Proposal.Kind.PROPOSAL
        )
        if len(identities) == 1:
            self.fields["proposer"].widget = forms.HiddenInput()

    def clean_proposer(self):
        # The member themself unless they chose a body they file for.
        return self.cleaned_data.get("proposer") or self.identities[0]


class InvitationAnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", _("同意联名")), ("decline", _("谢绝"))])


class SessionDeadlineForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["submission_deadline"]
        widgets = {"submission_deadline": DateInput(attrs={"class": "form-control"})}
