"""The department workspace (承办单位): inbox, assignment, receipt and return, co-handling opinion,
drafting and issuing the reply, corrections, commitment progress.

Access goes through proposals/access.py and responses/access.py: a department sees only its own
assignments and replies (others get 404), the office may know they exist but changes nothing here
(403). Role rules that are about the user (a co-handling department drafting, a non-signer issuing,
editing an issued reply) answer 403 with a message; rules about the moment (already received, window
closed) come back as form errors or messages from responses.drafting.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from proposals.access import department_of, department_required, get_assignment_for_department
from proposals.deadlines import CalendarNotCovered
from proposals.models import Assignment, Proposal, ProposalProposer
from tracker.chinese import format_day
from tracker.pagination import WindowPaginator

from .. import drafting
from ..access import get_commitment_for_department, get_reply_for_department
from ..drafting.department_inbox import inbox_assignments, with_proposers
from ..editor import ReplyEditor
from ..filters import InboxFilter
from ..forms import CorrectionForm, OpinionForm, ProgressForm, ReturnForm
from ..letter import build_letter
from ..models import CoHandlingOpinion, Commitment, CommitmentProgress, Feedback, Response

# --- Access ------------------------------------------------------------------------------------


def _assignment(request, pk):
    queryset = Assignment.objects.select_related("proposal__session__committee", "department", "assigned_by")
    return get_assignment_for_department(request, pk, queryset)


def _reply(request, pk):
    queryset = Response.objects.select_related("proposal__session__committee", "department", "supersedes")
    return get_reply_for_department(request, pk, queryset)


def _commitment(request, pk):
    queryset = Commitment.objects.select_related(
        "item__response__proposal__session__committee", "item__response__department", "item__parent", "owner"
    )
    return get_commitment_for_department(request, pk, queryset)


def _refuse(request, message):
    """403 with the reason on the page."""
    return render(request, "department/refused.html", {"message": message}, status=403)


def _frozen(request, reply):
    return _refuse(
        request,
        _("此答复已于%(date)s签发，不能再修改。如需修改，请在答复页面发起更正，原答复将保留。")
        % {"date": format_day(reply.issued_on) if reply.issued_on else ""},
    )


def _rehandling_reasons(proposal, department_id, reply=None):
    """The proposer's 不满意 and reason, at the top of the pages of the re-handling: while the
    proposal is being re-handled (assignment), or on the version that re-handles it (reply, editor)."""
    if reply is None:
        if proposal.status != Proposal.Status.REHANDLING:
            return []
        return list(Feedback.objects.rehandling_reasons(proposal.pk, department_id))
    if reply.supersedes_id or reply.version == 1:
        return []
    return list(Feedback.objects.rehandling_reasons(proposal.pk, department_id, before_version=reply.version))


def _objection_deadline(assignment):
    """For display: None outside the holiday calendar, where the return refusal explains why."""
    try:
        return drafting.objection_deadline(assignment)
    except CalendarNotCovered:
        return None


# --- Inbox and assignment ----------------------------------------------------------------------


@department_required
def inbox(request):
    department = department_of(request.user)
    today = timezone.localdate()
    found = InboxFilter(request.GET, queryset=inbox_assignments(department), request=request, today=today)
    # The page and its total in one query; the rows' state and days left only for the page's rows.
    page = WindowPaginator(with_proposers(found.qs), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = drafting.inbox(department, today, assignments=page)
    return render(
        request,
        "department/inbox.html",
        {
            "department": department,
            "rows": rows,
            "page": page,
            "filter": found,
            "filtered": bool(found.form.changed_data),
        },
    )


@login_required
def assignment_detail(request, pk):
    assignment = _assignment(request, pk)
    proposal = assignment.proposal
    context = {
        "assignment": assignment,
        "proposal": proposal,
        "proposer_links": ProposalProposer.objects.filter(proposal=proposal)
        .select_related("proposer")
        .order_by("position"),
        "assignments": proposal.assignments.select_related("department").order_by("role", "position"),
        "objection_deadline": _objection_deadline(assignment),
        "return_refusal": drafting.return_refusal(assignment),
        "replies": Response.objects.filter(proposal=proposal, department=assignment.department).order_by(
            "-version"
        ),
        "answering": assignment.role in Assignment.Role.answering(),
        "standing": assignment.is_standing,
        "rehandling_reasons": _rehandling_reasons(assignment.proposal, assignment.department_id),
    }
    if assignment.role == Assignment.Role.CO_HANDLING:
        context["own_opinions"] = assignment.opinions.order_by("-created_at")
    else:
        context["opinions"] = drafting.submitted_opinions(proposal)
    return render(request, "department/assignment.html", context)


@login_required
@require_POST
def receive(request, pk):
    assignment = _assignment(request, pk)
    try:
        drafting.receive(assignment, user=request.user)
    except drafting.Refused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已签收。"))
    return redirect("department:assignment", pk=assignment.pk)


@login_required
@require_http_methods(["GET", "POST"])
def return_assignment(request, pk):
    assignment = _assignment(request, pk)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            drafting.return_assignment(assignment, reason=form.cleaned_data["reason"], user=request.user)
        except drafting.Refused as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("已退回，政协办公厅将重新研究交办。"))
            return redirect("department:assignment", pk=assignment.pk)
    context = {
        "assignment": assignment,
        "form": form,
        "refusal": drafting.return_refusal(assignment),
        "objection_deadline": _objection_deadline(assignment),
    }
    return render(request, "department/return.html", context)


# --- Co-handling opinion -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def opinion(request, pk):
    assignment = _assignment(request, pk)
    if assignment.role != Assignment.Role.CO_HANDLING:
        return _refuse(request, _("只有会办单位撰写会办意见。"))
    draft = drafting.current_opinion(assignment)
    form = OpinionForm(request.POST or None, initial={"text": draft.text if draft else ""})
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            drafting.save_opinion(
                assignment, text=form.cleaned_data["text"], user=request.user, submit=submit
            )
        except drafting.Refused as error:
            form.add_error(error.field, error.message)
        else:
            if submit:
                messages.success(request, _("会办意见已送主办单位。"))
                return redirect("department:assignment", pk=assignment.pk)
            messages.success(request, _("草稿已保存。"))
            return redirect("department:opinion", pk=assignment.pk)
    sent = assignment.opinions.filter(status=CoHandlingOpinion.Status.SUBMITTED).order_by(
        "-submitted_on", "-pk"
    )
    lead = assignment.proposal.assignments.active().lead().select_related("department").first()
    context = {"assignment": assignment, "form": form, "sent": sent, "lead": lead}
    return render(request, "department/opinion.html", context)


# --- The reply ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def start_reply(request, pk):
    assignment = _assignment(request, pk)
    if assignment.role not in Assignment.Role.answering():
        return _refuse(request, _("会办单位不直接答复提案者，请向主办单位提交会办意见。"))
    if request.method == "GET":
        existing = drafting.open_reply(assignment.proposal, assignment.department)
        if existing:
            return redirect("department:reply_edit", pk=existing.pk)
        return render(request, "department/start_reply.html", {"assignment": assignment})
    try:
        reply, created = drafting.start_reply(assignment, user=request.user)
    except drafting.Refused as error:
        messages.error(request, error.message)
        return redirect("department:assignment", pk=assignment.pk)
    if created:
        messages.success(
            request, _("已建立答复草稿（第%(version)s版），请修改后保存。") % {"version": reply.version}
        )
    return redirect("department:reply_edit", pk=reply.pk)


@login_required
def reply_detail(request, pk):
    reply = _reply(request, pk)
    full = Response.objects.for_letter_page().get(pk=reply.pk)
    correction = Response.objects.filter(supersedes=full).first()
    context = {
        "reply": full,
        "letter": build_letter(full),
        "opinions": drafting.submitted_opinions(full.proposal),
        "can_sign_off": drafting.can_sign_off(request.user, full),
        "problems": drafting.submission_problems(full) if full.status in drafting.OPEN_STATES else [],
        "unanswered": list(full.unanswered_suggestions()) if full.status in drafting.OPEN_STATES else [],
        "correction": correction,
        # Progress is reported on the commitments of the issued reply no issued correction replaced.
        "reports_progress": full.status in drafting.REPLIED_STATES
        and not (correction and correction.status in drafting.REPLIED_STATES),
        "versions": Response.objects.filter(proposal=full.proposal, department=full.department).order_by(
            "-version"
        ),
        "rehandling_reasons": _rehandling_reasons(full.proposal, full.department_id, full),
    }
    if full.status == Response.Status.SUBMITTED and context["can_sign_off"]:
        context["issue_confirmation"] = _issue_confirmation(full)
    return render(request, "department/reply.html", context)


def _issue_confirmation(reply):
    """What 签发 does, and to whom, for the confirmation dialog (two queries)."""
    proposers = "、".join(
        ProposalProposer.objects.filter(proposal=reply.proposal)
        .order_by("position")
        .values_list("proposer__name", flat=True)
    )
    co = "、".join(
        reply.proposal.assignments.active()
        .filter(role=Assignment.Role.CO_HANDLING)
        .values_list("department__name", flat=True)
    )
    message = _("签发后第%(version)s版答复即定稿，不能再修改，并通知提案者%(proposers)s。") % {
        "version": reply.version,
        "proposers": proposers,
    }
    if co:
        message += _("会办单位%(co)s将收到抄送。") % {"co": co}
    return message + _("确定签发？")


def _posted_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_http_methods(["GET", "POST"])
def reply_edit(request, pk):
    reply = _reply(request, pk)
    if reply.status in drafting.REPLIED_STATES:
        return _frozen(request, reply)
    if request.method == "GET":
        return _render_editor(request, ReplyEditor(reply))
    lock_version = _posted_int(request.POST.get("lock_version"))
    if lock_version != reply.lock_version:
        return _stale(request, reply)
    editor = ReplyEditor(reply, request.POST)
    if editor.is_valid():
        try:
            editor.save(lock_version=lock_version)
        except drafting.StaleEdit:
            return _stale(request, reply)
        messages.success(request, _("已保存。"))
        return redirect("department:reply_edit", pk=reply.pk)
    messages.error(request, _("未保存：请按提示修改标红的内容。"))
    return _render_editor(request, editor)


def _render_editor(request, editor, *, stale=None, status=200):
    reply = editor.response
    # The preview shows the editor's input; after a refused stale save, the reply as stored now.
    draft = Response.objects.for_letter_page().get(pk=reply.pk) if stale is not None else editor.preview()
    context = {
        "reply": reply,
        "editor": editor,
        "stale": stale,
        "rehandling_reasons": _rehandling_reasons(reply.proposal, reply.department_id, reply),
        "opinions": drafting.submitted_opinions(reply.proposal),
        "preview_reply": draft,
        "preview_letter": build_letter(draft),
    }
    return render(request, "department/reply_edit.html", context, status=status)


def _stale(request, reply):
    """Someone saved since this editor loaded the page: save nothing, name what changed, show the
    values now stored, and keep the editor's own input on the page (with the new lock version, so
    saving again after a look overwrites knowingly)."""
    current = Response.objects.select_related("proposal__session__committee", "department").get(pk=reply.pk)
    if current.status in drafting.REPLIED_STATES:
        return _frozen(request, current)
    names = drafting.changed_fields(request.POST.get("base"), current)
    changes = []
    for name in names:
        if name == "items":
            outline = drafting.items_outline(current)
            value = "\n".join(f"{item['label']}{item['heading']}" for item in outline) or _("（无条目）")
            changes.append((_("条目、子条目与承诺"), value))
            continue
        model_field = Response._meta.get_field(name)
        value = getattr(current, f"get_{name}_display")() if model_field.choices else getattr(current, name)
        changes.append((model_field.verbose_name, value or _("（空）")))
    editor = ReplyEditor(current, request.POST)
    return _render_editor(request, editor, stale=changes, status=409)


@login_required
@require_http_methods(["GET", "POST"])
def reply_preview(request, pk):
    """The letter article alone: of the posted, unsaved editor data (POST, used by the live preview),
    or as saved (GET)."""
    reply = _reply(request, pk)
    if request.method == "POST" and reply.status in drafting.OPEN_STATES:
        draft = ReplyEditor(reply, request.POST).preview()
    else:
        draft = Response.objects.for_letter_page().get(pk=reply.pk)
    return render(request, "department/_preview.html", {"reply": draft, "letter": build_letter(draft)})


@login_required
@require_POST
def reply_submit(request, pk):
    reply = _reply(request, pk)
    if reply.status in drafting.REPLIED_STATES:
        return _frozen(request, reply)
    try:
        drafting.submit_reply(reply, user=request.user)
    except drafting.Refused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已送审，待本单位签发。"))
    return redirect("department:reply", pk=reply.pk)


@login_required
@require_POST
def reply_issue(request, pk):
    reply = _reply(request, pk)
    if not drafting.can_sign_off(request.user, reply):
        return _refuse(request, _("只有本单位有签发权限的人员可以签发答复。"))
    if reply.status in drafting.REPLIED_STATES:
        return _frozen(request, reply)
    try:
        drafting.issue_reply(reply, user=request.user)
    except drafting.Refused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("答复已签发，已通知提案者和会办单位。"))
    return redirect("department:reply", pk=reply.pk)


@login_required
@require_http_methods(["GET", "POST"])
def reply_correct(request, pk):
    reply = _reply(request, pk)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            correction = drafting.start_correction(
                reply, reason=form.cleaned_data["reason"], user=request.user
            )
        except drafting.Refused as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request,
                _("已建立更正稿（第%(version)s版），原答复保留不变。") % {"version": correction.version},
            )
            return redirect("department:reply_edit", pk=correction.pk)
    refusal = None
    if reply.status not in drafting.REPLIED_STATES:
        refusal = _("只有已签发的答复可以更正；草稿请直接修改。")
    elif Response.objects.filter(supersedes=reply).exists():
        refusal = _("此答复已有更正版本。")
    return render(request, "department/correct.html", {"reply": reply, "form": form, "refusal": refusal})


# --- Commitments -------------------------------------------------------------------------------


@department_required
def commitment_list(request):
    department = department_of(request.user)
    today = timezone.localdate()
    page = WindowPaginator(drafting.open_commitments(department), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for commitment in page:
        commitment.overdue = commitment.is_overdue(today)
    return render(
        request,
        "department/commitments.html",
        {"department": department, "page": page, "commitments": page.object_list},
    )


@login_required
@require_http_methods(["GET", "POST"])
def commitment_progress(request, pk):
    commitment = _commitment(request, pk)
    form = ProgressForm(request.POST or None, issued_on=commitment.item.response.issued_on)
    if request.method == "POST" and form.is_valid():
        try:
            drafting.report_progress(commitment, user=request.user, **form.cleaned_data)
        except drafting.Refused as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("进展已记录。"))
            return redirect("department:commitment_progress", pk=commitment.pk)
    updates = (
        CommitmentProgress.objects.filter(commitment_id__in=commitment.lineage_ids())
        .select_related("reported_by")
        .order_by("-reported_on", "-pk")
    )
    return render(
        request,
        "department/progress.html",
        {"commitment": commitment, "reply": commitment.item.response, "form": form, "updates": updates},
    )
