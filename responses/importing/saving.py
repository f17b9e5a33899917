"""Saving a letter: the proposal completed or created, the reply with its items and commitments."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from proposals.models import Assignment, Department, Event, Proposal, ProposalProposer, Proposer, Session

from ..models import Commitment, Response, ResponseItem
from .draft import draft_from_text
from .matching import squeeze
from .refusals import DuplicateLetter, ImportRefused
from .resolution import ImportResult, NewDepartment, resolve

IMPORT_MESSAGE = "由答复函导入"

# States from which a reply moves the proposal on to 已答复.
# --------------------------------------------------------------------------- saving


def find_duplicate(draft, proposal, department):
    """An earlier import of this letter: same proposal and department, same title and first paragraph."""
    if proposal is None or getattr(proposal, "pk", None) is None or getattr(department, "pk", None) is None:
        return None
    title, first = squeeze(draft.title), squeeze(draft.first_paragraph)
    replies = Response.objects.filter(proposal=proposal, department=department).prefetch_related("items")
    for reply in replies:
        if squeeze(reply.title) == title and squeeze(_first_paragraph(reply)) == first:
            return reply
    return None


def _first_paragraph(reply):
    if reply.opening_paragraphs:
        return reply.opening_paragraphs[0]
    for item in sorted(reply.items.all(), key=lambda item: (item.parent_id is not None, item.pk)):
        if item.paragraph_list:
            return item.paragraph_list[0]
    return ""


class _Saver:
    """One letter's rows, written in order inside the caller's transaction."""

    def __init__(self, draft, resolution, actor):
        self.draft = draft
        self.resolution = resolution
        self.completing = resolution.proposal is not None
        self.actor = actor if actor is not None and actor.is_authenticated else None
        self.created = []
        self.notes = []
        self.made = []  # new rows, for Matcher.remember

    def _save(self, obj, label=""):
        try:
            obj.full_clean()
        except ValidationError as error:
            raise ValidationError(
                [f"{label}：{message}" if label else message for message in error.messages]
            ) from error
        obj.save()
        return obj

    def session(self):
        chosen = self.resolution.session
        if isinstance(chosen, Session):
            return chosen
        session = Session(
            committee=chosen.committee, term=chosen.term, number=chosen.number, year=chosen.year
        )
        self._save(session, "会议")
        self.created.append(f"新建会议：{session}")
        self.made.append(session)
        return session

    def department(self, chosen, committee, kind=Department.Kind.GOVERNMENT):
        if chosen is None or isinstance(chosen, Department):
            return chosen
        department = Department(name=chosen.name, committee=committee, kind=kind)
        self._save(department, f"承办单位“{chosen.name}”")
        self.created.append(f"新建承办单位：{department}")
        self.made.append(department)
        return department

    def proposer(self, chosen):
        if isinstance(chosen, Proposer):
            return chosen
        proposer = Proposer(name=chosen.name, kind=chosen.kind)
        self._save(proposer, f"提案者“{chosen.name}”")
        self.created.append(f"新建提案者：{proposer}")
        self.made.append(proposer)
        return proposer

    def proposal(self, session, status):
        draft, existing = self.draft, self.resolution.proposal
        if existing is None:
            if not draft.proposal_title:
                raise ImportRefused("未找到提案标题（如：《关于…的建议》），无法新建提案")
            proposal = Proposal(
                session=session,
                number=draft.number,
                kind=draft.kind,
                title=draft.proposal_title,
                status=Proposal.Status.REPLIED,
                is_published=status == Response.Status.PUBLISHED,
                created_by=self.actor,
            )
            self._save(proposal, "提案")
            self.created.append(f"新建提案：{proposal}")
            return proposal
        if existing.session_id != session.pk:
            raise ImportRefused(f"所选提案“{existing}”不属于{session}")
        proposal = existing
        for label, mine, theirs in (
            ("编号", proposal.number, draft.number),
            ("标题", proposal.title, draft.proposal_title),
            ("类型", proposal.kind, draft.kind),
        ):
            if theirs and squeeze(mine) != squeeze(theirs):
                self.notes.append(f"提案{label}与答复函不同（现有“{mine}”，答复函“{theirs}”），保留现有记录")
        if status == Response.Status.PUBLISHED and not proposal.is_published:
            self.notes.append("答复函已公开，但提案本身尚未公开：提案页面仍不对外显示，可在提案页面公开")
        # a letter for a proposal still before its reply (Proposal.TRANSITIONS) moves it to 已答复
        if proposal.status != Proposal.Status.REPLIED and proposal.can_move_to(Proposal.Status.REPLIED):
            before = proposal.get_status_display()
            proposal.move_to(Proposal.Status.REPLIED)
            self.notes.append(f"提案状态由“{before}”改为“已答复”")
        return proposal

    def link_proposers(self, proposal, proposers):
        links = list(proposal.proposer_links.all())
        linked = {link.proposer_id for link in links}
        position = max((link.position for link in links), default=0)
        for proposer in proposers:
            if proposer.pk in linked:
                continue
            position += 1
            self._save(ProposalProposer(proposal=proposal, proposer=proposer, position=position), "提案者")
            linked.add(proposer.pk)
            if self.completing:
                self.notes.append(f"为提案补充提案者：{proposer}")

    def assign(self, proposal, lead, co, assigned_by):
        assignments = list(proposal.assignments.all())
        by_department = {assignment.department_id: assignment for assignment in assignments}
        roles = {assignment.role for assignment in assignments}
        current = by_department.get(lead.pk)
        if current is None:
            if Assignment.Role.LEAD in roles:
                holder = next(a for a in assignments if a.role == Assignment.Role.LEAD)
                raise ImportRefused(f"提案已由{holder.department}主办，与答复函的主办单位“{lead}”不一致")
            role = Assignment.Role.SEPARATE if Assignment.Role.SEPARATE in roles else Assignment.Role.LEAD
            by_department[lead.pk] = self._add_assignment(proposal, lead, role, assigned_by, assignments)
        elif current.role == Assignment.Role.CO_HANDLING:
            raise ImportRefused(f"“{lead}”是该提案的会办单位，不能作为答复单位导入")
        for department in co:
            current = by_department.get(department.pk)
            if current is None:
                by_department[department.pk] = self._add_assignment(
                    proposal, department, Assignment.Role.CO_HANDLING, assigned_by, assignments
                )
            elif current.role != Assignment.Role.CO_HANDLING:
                self.notes.append(
                    f"答复函称“{department}”会办，现有交办为{current.get_role_display()}，保留现有交办"
                )

    def _add_assignment(self, proposal, department, role, assigned_by, assignments):
        position = 1 + max((a.position for a in assignments if a.role == role), default=0)
        assignment = Assignment(
            proposal=proposal, department=department, role=role, position=position, assigned_by=assigned_by
        )
        self._save(assignment, f"交办“{department}”")
        if self.completing:
            self.notes.append(f"为提案补充交办：{department}（{assignment.get_role_display()}）")
        assignments.append(assignment)
        return assignment

    def response(self, proposal, department, status, disclosure):
        draft = self.draft
        version = 1 + max(
            Response.objects.filter(proposal=proposal, department=department).values_list(
                "version", flat=True
            ),
            default=0,
        )
        today = timezone.localdate()
        contact = draft.contact
        response = Response(
            proposal=proposal,
            department=department,
            version=version,
            title=draft.title,
            document_number=draft.document_number,
            signed_by=draft.signed_by,
            salutation=draft.salutation_line,
            opening="\n".join(draft.opening),
            closing="\n".join(draft.closing),
            signoff_unit=draft.issuer,
            issued_on=draft.date,
            review_note=draft.review_note,
            result_class=draft.result_class,
            disclosure=disclosure,
            status=status,
            published_on=today if status == Response.Status.PUBLISHED else None,
            contact_unit=contact.get("unit") or "",
            contact_person=contact.get("person") or "",
            contact_phone=contact.get("phone") or "",
            contact_postcode=contact.get("postcode") or "",
            copied_to="\n".join(draft.copied_to),
        )
        self._save(response, "答复函")
        for position, item in enumerate(draft.items, 1):
            row = self._item(response, item, position, parent=None)
            for child_position, child in enumerate(item["children"], 1):
                self._item(response, child, child_position, parent=row)
        return response

    def _item(self, response, item, position, parent):
        label = f"{item['number']}{item['heading']}"[:20] or f"第{position}条"
        row = ResponseItem(
            response=response,
            parent=parent,
            position=position,
            number_label=item["number"],
            heading=item["heading"],
            paragraphs="\n".join(item["paragraphs"]),
        )
        self._save(row, f"条目“{label}”")
        for commitment_position, text in enumerate(item["commitments"], 1):
            commitment = Commitment(
                item=row, position=commitment_position, text=text, owner=response.department
            )
            self._save(commitment, f"条目“{label}”的承诺")
        return row


def save_letter(
    draft,
    resolution,
    *,
    actor=None,
    publish=False,
    disclosure=Response.Disclosure.PUBLIC,
    dry_run=False,
    matcher=None,
):
    """Create or complete the proposal and create the reply with its items and commitments.

    One transaction: any ValidationError or ImportRefused leaves the database as it was. With
    `dry_run` everything is written and checked, then rolled back. Records an Event
    (REPLY_ISSUED, "由答复函导入") on the proposal. Raises DuplicateLetter for a letter imported before.
    """
    status = Response.Status.PUBLISHED if publish else Response.Status.ISSUED
    if status == Response.Status.PUBLISHED and disclosure == Response.Disclosure.NOT_PUBLIC:
        raise ImportRefused("不予公开的答复不能公开发布：请取消“公开”或改选公开属性")
    duplicate = find_duplicate(draft, resolution.proposal, resolution.lead)
    if duplicate is not None:
        raise DuplicateLetter(duplicate)
    saver = _Saver(draft, resolution, actor)
    with transaction.atomic():
        session = saver.session()
        committee = session.committee
        proposers = [saver.proposer(chosen) for chosen in resolution.proposers]
        lead = saver.department(resolution.lead, committee)
        co = [saver.department(chosen, committee) for chosen in resolution.co]
        assigned_by = saver.department(resolution.assigned_by, committee, kind=_assigning_kind(resolution))
        proposal = saver.proposal(session, status)
        saver.link_proposers(proposal, proposers)
        saver.assign(proposal, lead, co, assigned_by)
        response = saver.response(proposal, lead, status, disclosure)
        proposal.record(
            Event.Kind.REPLY_ISSUED,
            actor=saver.actor,
            department=lead,
            message=IMPORT_MESSAGE,
            public=status == Response.Status.PUBLISHED,
        )
        if dry_run:
            transaction.set_rollback(True)
    if matcher is not None and not dry_run:
        for obj in saver.made:
            matcher.remember(obj)
    return ImportResult(proposal, response, saver.created, saver.notes, dry_run)


def _assigning_kind(resolution):
    chosen = resolution.assigned_by
    if isinstance(chosen, NewDepartment) and re.search("政协|人大", chosen.name):
        return Department.Kind.OFFICE
    return Department.Kind.GOVERNMENT


def import_text(text, *, matcher, actor=None, publish=False, dry_run=False):
    """Parse, match (bulk rules) and save one letter. Raises ImportRefused or ValidationError."""
    parsed, draft = draft_from_text(text)
    if draft is None:
        raise ImportRefused("；".join(parsed.missing) or "未识别为答复函")
    resolution = resolve(draft, matcher)
    return save_letter(draft, resolution, actor=actor, publish=publish, dry_run=dry_run, matcher=matcher)
