"""The steps of a 回头看 round: open it, a unit answers, the office chases and closes it.

Each step runs in one transaction, writes the proposals' timelines and emails whoever it concerns
once the transaction commits. A step the rules do not allow raises `Refused` (nothing is saved).
"""

from collections import defaultdict

from django.db import transaction
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from proposals.models import Event
from proposals.notifications import tell
from tracker.chinese import format_day

from ..drafting import Refused, report_progress
from .models import FollowUpAnswer, FollowUpRound, FollowUpTask


def _today(today):
    return today or timezone.localdate()


def open_round(*, session, title, deadline, result_classes="", instructions="", actor, today=None):
    """Open a round over the session's open commitments: one task per unit that owns any (the
    commitment's owner, else the replying department), listing them."""
    today = _today(today)
    if deadline < today:
        raise Refused(_("报告截止日期不能早于今天。"), field="deadline")
    with transaction.atomic():
        if FollowUpRound.objects.open().filter(session=session).select_for_update().exists():
            raise Refused(_("本届次已有进行中的回头看，请先结束该轮。"), field="session")
        round_ = FollowUpRound(
            session=session,
            title=title,
            deadline=deadline,
            result_classes="".join(sorted(set(result_classes))),
            instructions=instructions,
            opened_by=actor,
        )
        commitments = list(
            round_.commitments()
            .annotate(unit_id=Coalesce("owner_id", "item__response__department_id"))
            .select_related("item__response__proposal")
            .order_by("unit_id", "item__response__proposal__number", "item_id", "position")
        )
        if not commitments:
            raise Refused(_("该届次（及所选办复类别）没有待落实的承诺事项。"), field="session")
        round_.save()
        by_unit = defaultdict(list)
        for commitment in commitments:
            by_unit[commitment.unit_id].append(commitment)
        tasks = FollowUpTask.objects.bulk_create(
            [FollowUpTask(round=round_, department_id=unit_id) for unit_id in by_unit]
        )
        FollowUpAnswer.objects.bulk_create(
            [
                FollowUpAnswer(task=task, commitment=commitment, due_on_before=commitment.due_on)
                for task in tasks
                for commitment in by_unit[task.department_id]
            ]
        )
        proposals = {c.item.response.proposal_id: c.item.response.proposal for c in commitments}
        counts = defaultdict(int)
        for commitment in commitments:
            counts[commitment.item.response.proposal_id] += 1
        Event.objects.bulk_create(
            [
                Event(
                    proposal=proposal,
                    kind=Event.Kind.FOLLOWUP,
                    actor=actor,
                    message=_(
                        "启动回头看“%(title)s”：请责任单位于%(deadline)s前报告%(count)s项承诺的落实情况。"
                    )
                    % {"title": title, "deadline": format_day(deadline), "count": counts[pk]},
                )
                for pk, proposal in proposals.items()
            ]
        )
        tell(
            departments=[task.department for task in tasks],
            title=_("回头看：%(title)s") % {"title": title},
            body=_("办公厅启动回头看“%(title)s”。请于%(deadline)s前报告本单位承诺事项的落实情况。")
            % {"title": title, "deadline": format_day(deadline)},
            link=reverse("followup:tasks"),
        )
    return round_


def answer_task(task, answers, *, actor, today=None):
    """The unit's report: `answers` maps each FollowUpAnswer of the task to (outcome, new_due_on,
    explanation). All or nothing: each commitment gets a progress report with its new status (and
    date), each proposal one timeline entry, the office an email."""
    today = _today(today)
    with transaction.atomic():
        task = (
            FollowUpTask.objects.select_for_update(of=("self",))
            .select_related("round", "department")
            .get(pk=task.pk)
        )
        if not task.round.is_open:
            raise Refused(_("本轮回头看已结束。"))
        if task.is_answered:
            raise Refused(_("本单位已报告，不能重复报告。"))
        rows = list(task.answers.select_related("commitment__item__response__proposal"))
        if {row.pk for row in rows} != {row.pk for row in answers}:
            raise Refused(_("请逐项报告所列的全部承诺事项。"))
        given = {row.pk: value for row, value in answers.items()}
        by_proposal = defaultdict(list)
        for row in rows:
            outcome, new_due_on, explanation = given[row.pk]
            outcome = FollowUpAnswer.Outcome(outcome)
            row.outcome, row.new_due_on, row.explanation = outcome, new_due_on, (explanation or "").strip()
            if problem := row.problem(today):
                raise Refused(problem[1], field=problem[0])
            report_progress(
                row.commitment,
                reported_on=today,
                status=outcome.commitment_status,
                text=_progress_text(task.round, row),
                user=actor,
                due_on=new_due_on if outcome == FollowUpAnswer.Outcome.MOVED else None,
                record=False,
                today=today,
            )
            by_proposal[row.commitment.item.response].append(row)
        FollowUpAnswer.objects.bulk_update(rows, ["outcome", "new_due_on", "explanation"])
        task.answered_at = timezone.now()
        task.answered_by = actor
        task.save(update_fields=["answered_at", "answered_by"])
        for reply, answered in by_proposal.items():
            reply.proposal.record(
                Event.Kind.FOLLOWUP,
                actor=actor,
                department=task.department,
                message=_("回头看“%(title)s”：%(department)s报告：%(lines)s")
                % {
                    "title": task.round.title,
                    "department": task.department.name,
                    "lines": "；".join(f"“{row.commitment}”{_outcome_phrase(row)}" for row in answered),
                },
                public=reply.is_public,
            )
        tell(
            office=True,
            title=_("回头看报告：%(department)s") % {"department": task.department.name},
            body=_("%(department)s已报告回头看“%(title)s”中%(count)s项承诺的落实情况。")
            % {"department": task.department.name, "title": task.round.title, "count": len(rows)},
            link=reverse("followup:round", args=[task.round_id]),
        )
    return task


def _outcome_phrase(row):
    if row.outcome == FollowUpAnswer.Outcome.MOVED:
        return _("推进中，新期限%(date)s") % {"date": format_day(row.new_due_on)}
    phrase = row.get_outcome_display()
    return f"{phrase}（{row.explanation}）" if row.explanation else phrase


def _progress_text(round_, row):
    return _("回头看“%(title)s”：%(outcome)s。%(explanation)s") % {
        "title": round_.title,
        "outcome": _outcome_phrase(row)
        if row.outcome == FollowUpAnswer.Outcome.MOVED
        else row.get_outcome_display(),
        "explanation": row.explanation,
    }


def chase_task(task, *, note="", actor):
    """催办 a unit that has not reported: counted on the task, emailed to the unit's staff."""
    with transaction.atomic():
        task = (
            FollowUpTask.objects.select_for_update(of=("self",))
            .select_related("round", "department")
            .get(pk=task.pk)
        )
        if not task.round.is_open or task.is_answered:
            raise Refused(_("该单位已报告或本轮已结束，无需催办。"))
        task.chase_count += 1
        task.last_chased_at = timezone.now()
        task.save(update_fields=["chase_count", "last_chased_at"])
        body = _("请抓紧报告回头看“%(title)s”中本单位承诺事项的落实情况（截止%(deadline)s）。%(note)s") % {
            "title": task.round.title,
            "deadline": format_day(task.round.deadline),
            "note": note,
        }
        tell(
            departments=[task.department],
            title=_("催办：回头看“%(title)s”") % {"title": task.round.title},
            body=body,
            link=reverse("followup:tasks"),
        )
    return task


def close_round(round_, *, actor):
    """End the round: no more answers; units that never reported stay listed as such."""
    with transaction.atomic():
        round_ = FollowUpRound.objects.select_for_update().get(pk=round_.pk)
        if not round_.is_open:
            raise Refused(_("本轮回头看已结束。"))
        round_.status = FollowUpRound.Status.CLOSED
        round_.closed_at = timezone.now()
        round_.closed_by = actor
        round_.save(update_fields=["status", "closed_at", "closed_by"])
    return round_
