"""The round's report per unit — promises kept, moved, dropped, not reported — as Excel and Word."""

import io
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from tracker.chinese import format_day
from tracker.exports import file_response, xlsx_workbook_response

from .models import FollowUpAnswer, FollowUpTask

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class UnitReport:
    task: FollowUpTask
    answers: list = field(default_factory=list)

    def count(self, outcome):
        return sum(1 for answer in self.answers if answer.outcome == outcome)

    @property
    def kept(self):
        return self.count(FollowUpAnswer.Outcome.KEPT)

    @property
    def moved(self):
        return self.count(FollowUpAnswer.Outcome.MOVED)

    @property
    def dropped(self):
        return self.count(FollowUpAnswer.Outcome.DROPPED)

    @property
    def unreported(self):
        return self.count("")


def unit_reports(round_):
    """One UnitReport per task, units by name. Two queries: tasks with unit, answers with their
    commitment, reply and proposal."""
    answers = FollowUpAnswer.objects.select_related(
        "commitment__item__response__proposal", "commitment__item__parent"
    ).order_by("commitment__item__response__proposal__number", "commitment__item_id", "commitment__position")
    tasks = (
        round_.tasks.select_related("department", "answered_by")
        .prefetch_related(Prefetch("answers", queryset=answers, to_attr="answer_list"))
        .order_by("department__name", "pk")
    )
    return [UnitReport(task=task, answers=task.answer_list) for task in tasks]


SUMMARY_HEADERS = [
    gettext_lazy("责任单位"),
    gettext_lazy("承诺事项"),
    gettext_lazy("已落实"),
    gettext_lazy("推进中（调整期限）"),
    gettext_lazy("无法落实"),
    gettext_lazy("未报告"),
    gettext_lazy("报告时间"),
    gettext_lazy("催办次数"),
]
DETAIL_HEADERS = [
    gettext_lazy("责任单位"),
    gettext_lazy("提案号"),
    gettext_lazy("提案标题"),
    gettext_lazy("承诺内容"),
    gettext_lazy("原完成期限"),
    gettext_lazy("落实情况"),
    gettext_lazy("新完成期限"),
    gettext_lazy("情况说明"),
]


def _summary_rows(reports):
    for report in reports:
        task = report.task
        yield [
            task.department.name,
            len(report.answers),
            report.kept,
            report.moved,
            report.dropped,
            report.unreported,
            task.answered_at,
            task.chase_count,
        ]


def _detail_rows(reports):
    for report in reports:
        for answer in report.answers:
            proposal = answer.commitment.item.response.proposal
            yield [
                report.task.department.name,
                proposal.number,
                proposal.title,
                answer.commitment.text,
                answer.due_on_before,
                answer.get_outcome_display() or _("未报告"),
                answer.new_due_on,
                answer.explanation,
            ]


def _filename(round_, extension):
    return f"{round_.title}-{timezone.localdate():%Y%m%d}.{extension}"


def xlsx_report(round_):
    reports = unit_reports(round_)
    return xlsx_workbook_response(
        _filename(round_, "xlsx"),
        [
            (_("汇总"), SUMMARY_HEADERS, _summary_rows(reports)),
            (_("明细"), DETAIL_HEADERS, _detail_rows(reports)),
        ],
    )


def docx_report(round_):
    reports = unit_reports(round_)
    document = Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")
    document.add_heading(_("%(title)s报告") % {"title": round_.title}, level=0)
    classes = "、".join(round_.class_list) or _("全部")
    document.add_paragraph(
        _("届次：%(session)s；办复类别：%(classes)s；报告截止：%(deadline)s；状态：%(status)s。")
        % {
            "session": round_.session,
            "classes": classes,
            "deadline": format_day(round_.deadline),
            "status": round_.get_status_display(),
        }
    )
    for report in reports:
        task = report.task
        document.add_heading(task.department.name, level=1)
        if task.answered_at:
            state = _("%(date)s报告") % {"date": format_day(timezone.localdate(task.answered_at))}
        else:
            state = _("未报告（催办%(count)s次）") % {"count": task.chase_count}
        document.add_paragraph(
            _(
                "承诺%(total)s项：已落实%(kept)s项，推进中（调整期限）%(moved)s项，无法落实%(dropped)s项，未报告%(unreported)s项。%(state)s。"
            )
            % {
                "total": len(report.answers),
                "kept": report.kept,
                "moved": report.moved,
                "dropped": report.dropped,
                "unreported": report.unreported,
                "state": state,
            }
        )
        table = document.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        for cell, header in zip(
            table.rows[0].cells,
            [_("提案号"), _("承诺内容"), _("原期限"), _("落实情况"), _("说明")],
            strict=True,
        ):
            cell.text = header
        for answer in report.answers:
            proposal = answer.commitment.item.response.proposal
            outcome = answer.get_outcome_display() or _("未报告")
            if answer.new_due_on:
                outcome = f"{outcome}：{format_day(answer.new_due_on)}"
            cells = table.add_row().cells
            values = [
                proposal.number,
                answer.commitment.text,
                format_day(answer.due_on_before) if answer.due_on_before else "—",
                outcome,
                answer.explanation,
            ]
            for cell, value in zip(cells, values, strict=True):
                cell.text = str(value)
    buffer = io.BytesIO()
    document.save(buffer)
    return file_response(buffer.getvalue(), DOCX_TYPE, _filename(round_, "docx"))
