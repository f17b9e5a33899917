"""Feedback on a reply: by the proposer's delegate account, or typed in by the office from paper."""

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from proposals.access import delegate_required, office_required, proposer_of
from proposals.models import Proposal, Proposer
from tracker import limits
from tracker.chinese import format_day

from .. import feedback as rules
from ..access import get_reply_for_office, get_reply_for_proposer
from ..models import Feedback, Response

YES_NO = [("1", gettext_lazy("是")), ("0", gettext_lazy("否"))]


class FeedbackForm(forms.Form):
    """The feedback form (反馈意见表). Mirrors Feedback's contact-method constraint field by field."""

    rating = forms.ChoiceField(
        label=gettext_lazy("对答复的总体评价"), choices=Feedback.Rating.choices, widget=forms.RadioSelect
    )
    contacted = forms.TypedChoiceField(
        label=gettext_lazy("承办单位办理前是否联系您"),
        choices=YES_NO,
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    contact_method = forms.ChoiceField(
        label=gettext_lazy("联系方式"),
        choices=Feedback.ContactMethod.choices,
        initial=Feedback.ContactMethod.NONE,
        help_text=gettext_lazy("未联系的请选“未联系”。"),
    )
    comments = forms.CharField(
        label=gettext_lazy("意见和建议"),
        required=False,
        max_length=limits.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("选择“不满意”时请写明理由，承办单位将据此重新办理。"),
    )

    def clean(self):
        cleaned = super().clean()
        contacted = cleaned.get("contacted")
        method = cleaned.get("contact_method")
        if contacted is True and method == Feedback.ContactMethod.NONE:
            self.add_error("contact_method", _("承办单位联系过您，请选择联系方式。"))
        if contacted is False and method and method != Feedback.ContactMethod.NONE:
            self.add_error("contact_method", _("承办单位未联系您，联系方式请选“未联系”。"))
        if cleaned.get("rating") == Feedback.Rating.UNSATISFIED and not cleaned.get("comments", "").strip():
            self.add_error("comments", _("选择“不满意”时请写明理由。"))
        return cleaned


class PaperFeedbackForm(FeedbackForm):
    """The same form typed in by the office, for one of the proposers who has not answered yet."""

    field_order = ["proposer", "submitted_on"]

    proposer = forms.ModelChoiceField(label=gettext_lazy("反馈的提案者"), queryset=Proposer.objects.none())
    submitted_on = forms.DateField(
        label=gettext_lazy("反馈日期"),
        help_text=gettext_lazy("纸质反馈表上的日期；反馈期限按此日期计算。"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, proposers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposer"].queryset = proposers
        self.fields["submitted_on"].initial = rules.today()


def _apply(form, error):
    """Put a refusal from the rules next to the field it concerns, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else NON_FIELD_ERRORS, errors)
    else:
        form.add_error(None, error.messages)


@delegate_required
def give_feedback(request, pk):
    reply = get_reply_for_proposer(request, pk)
    proposer = proposer_of(request.user)
    refusal = rules.refusal(reply, proposer)
    form = None
    if not refusal:
        form = FeedbackForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            try:
                outcome = rules.record_feedback(
                    reply, proposer, actor=request.user, **_answers(form.cleaned_data)
                )
            except ValidationError as error:
                _apply(form, error)
            else:
                messages.success(request, _success_message(outcome))
                return redirect("delegate:proposal", pk=reply.proposal_id)
    return render(
        request,
        "feedback/give.html",
        {
            "reply": reply,
            "proposal": reply.proposal,
            "form": form,
            "refusal": refusal,
            "window": rules.feedback_window(reply),
        },
    )


@office_required
def record_paper_feedback(request, pk):
    reply = get_reply_for_office(
        request, pk, Response.objects.select_related("proposal__session__committee", "department")
    )
    given = list(reply.feedback.select_related("proposer", "recorded_by").order_by("submitted_on", "pk"))
    waiting = Proposer.objects.filter(proposal_links__proposal=reply.proposal_id).exclude(
        pk__in=[feedback.proposer_id for feedback in given]
    )
    refusal = ""
    if reply.status not in Response.Status.issued():
        refusal = _("答复函签发后才能反馈。")
    elif not waiting.exists():
        refusal = _("全部提案者均已对本答复作出评价。")
    elif not reply.is_current:
        refusal = _("该单位已有更新的答复，请对最新的答复录入反馈。")
    form = None
    if not refusal:
        data = request.POST if request.method == "POST" else None
        form = PaperFeedbackForm(data, proposers=waiting.order_by("proposal_links__position"))
        if form.is_bound and form.is_valid():
            try:
                outcome = rules.record_feedback(
                    reply,
                    form.cleaned_data["proposer"],
                    actor=request.user,
                    recorded_by=request.user,
                    submitted_on=form.cleaned_data["submitted_on"],
                    **_answers(form.cleaned_data),
                )
            except ValidationError as error:
                _apply(form, error)
            else:
                messages.success(request, _success_message(outcome))
                return redirect("feedback:record", pk=reply.pk)
    return render(
        request,
        "feedback/record.html",
        {
            "reply": reply,
            "proposal": reply.proposal,
            "form": form,
            "refusal": refusal,
            "given": given,
            "window": rules.feedback_window(reply),
        },
    )


def _answers(cleaned):
    return {
        "rating": cleaned["rating"],
        "contacted": cleaned["contacted"],
        "contact_method": cleaned["contact_method"],
        "comments": cleaned["comments"],
    }


def _success_message(outcome):
    message = _("已收到%(proposer)s的评价：%(rating)s。") % {
        "proposer": outcome.feedback.proposer,
        "rating": outcome.feedback.get_rating_display(),
    }
    if outcome.new_due_on:
        message += _("提案已转承办单位重新办理，新的办理期限为%(date)s。") % {
            "date": format_day(outcome.new_due_on)
        }
    elif outcome.status == Proposal.Status.CLOSED:
        message += _("全部提案者均已反馈，提案已办结。")
    return message
