"""What to save the letter as: existing records or New… placeholders, and the bulk rules."""

from __future__ import annotations

from dataclasses import dataclass, field

from proposals.models import Committee, Department, Proposal, Proposer, Session
from tracker.chinese import chinese_numeral

from ..models import Response
from .matching import best, session_key, squeeze, year_from
from .refusals import ImportRefused

# --------------------------------------------------------------------------- what to save it as


@dataclass(frozen=True)
class NewSession:
    committee: Committee
    term: int
    number: int
    year: int

    def __str__(self):
        return (
            f"{self.committee.short_name}{chinese_numeral(self.term)}届{chinese_numeral(self.number)}次会议"
        )


@dataclass(frozen=True)
class NewDepartment:
    name: str

    def __str__(self):
        return self.name


@dataclass(frozen=True)
class NewProposer:
    name: str
    kind: str

    def __str__(self):
        return self.name


@dataclass
class Resolution:
    """The records a letter goes to: existing rows, or New… placeholders for rows to create."""

    session: Session | NewSession
    proposal: Proposal | None  # None: create it
    proposers: list
    lead: Department | NewDepartment
    co: list = field(default_factory=list)
    assigned_by: Department | NewDepartment | None = None


@dataclass
class ImportResult:
    proposal: Proposal
    response: Response
    created: list = field(default_factory=list)  # "新建承办单位：…"
    notes: list = field(default_factory=list)  # what differed and was left as it was
    dry_run: bool = False


def proposer_kind(addressee_title):
    return {"委员": Proposer.Kind.MEMBER, "代表": Proposer.Kind.DEPUTY}.get(
        addressee_title, Proposer.Kind.COLLECTIVE
    )


def resolve(draft, matcher):
    """The bulk rules: the best match at or above AUTO_THRESHOLD, else a new record.

    Raises ImportRefused when the letter lacks what a record needs (number, session, lead
    department) or when the committee or the session year cannot be told.
    """
    if not draft.number:
        raise ImportRefused("未找到提案编号（如：第20200287号）")
    if not draft.session:
        raise ImportRefused("未找到届次会议（如：自治区政协十二届三次会议）")
    if not draft.lead_department:
        raise ImportRefused("未找到主办单位或落款单位")
    session_choice = best(matcher.session_candidates(draft.session))
    if session_choice:
        session = session_choice.obj
    else:
        committee = matcher.committee_for(draft.session)
        if committee is None:
            raise ImportRefused(f"无法确定“{draft.session}”属于哪个政协（人大）：请先在管理后台建立")
        key = session_key(draft.session)
        if key is None:
            raise ImportRefused(f"无法从“{draft.session}”读出届次（如：十二届三次）")
        year = year_from(draft.number, draft.date)
        if year is None:
            raise ImportRefused(f"无法确定“{draft.session}”的年度：答复函既无年份编号也无日期")
        session = NewSession(committee, key[0], key[1], year)
    proposal = None
    if isinstance(session, Session):
        proposal_choice = next(
            (c for c in matcher.proposal_candidates([session], draft.number) if c.exact), None
        )
        proposal = proposal_choice.obj if proposal_choice else None
    kind = proposer_kind(draft.addressee_title)
    proposers = []
    for name in draft.addressees:
        candidates = matcher.proposer_candidates(name)
        exact = [candidate for candidate in candidates if candidate.exact]
        choice = _proposer_on(proposal, exact)
        if choice is None and len(exact) > 1:
            raise ImportRefused(f"提案者“{name}”有多个同名记录，请在导入页面选择")
        choice = choice or best(candidates)
        proposers.append(choice.obj if choice else NewProposer(squeeze(name), kind))

    def department(name):
        choice = best(matcher.department_candidates(name))
        return choice.obj if choice else NewDepartment(squeeze(name))

    return Resolution(
        session=session,
        proposal=proposal,
        proposers=proposers,
        lead=department(draft.lead_department),
        co=[department(name) for name in draft.co_departments],
        assigned_by=department(draft.assigned_by) if draft.assigned_by else None,
    )


def _proposer_on(proposal, candidates):
    if proposal is None or not candidates:
        return None
    linked = set(proposal.proposer_links.values_list("proposer_id", flat=True))
    return next((c for c in candidates if c.obj.pk in linked), None)
