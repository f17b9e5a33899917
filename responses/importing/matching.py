"""Matching the names in a letter with the records: scores, candidates and the Matcher."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from proposals.models import Committee, Department, Proposal, Proposer, Session
from tracker.chinese import chinese_numeral

NEAR_THRESHOLD = 0.6
AUTO_THRESHOLD = 0.85
SUFFIX_SCORE = 0.9

# (full form, standard short form), applied in this order to both names before comparing them.
ABBREVIATIONS = (
    ("中国人民政治协商会议", "政协"),
    ("广西壮族自治区", "自治区"),
    ("国有资产监督管理委员会", "国资委"),
    ("发展和改革委员会", "发改委"),
    ("发展改革委员会", "发改委"),
    ("发展改革委", "发改委"),
    ("卫生和计划生育委员会", "卫计委"),
    ("卫生健康委员会", "卫健委"),
    ("卫生健康委", "卫健委"),
    ("民族宗教事务委员会", "民宗委"),
    ("人力资源和社会保障", "人社"),
    ("人力资源社会保障", "人社"),
    ("工业和信息化", "工信"),
    ("住房和城乡建设", "住建"),
    ("住房城乡建设", "住建"),
    ("市场监督管理", "市场监管"),
    ("文化和旅游", "文旅"),
    ("文化广电和旅游", "文广旅"),
    ("退役军人事务", "退役军人"),
    ("科学技术", "科技"),
    ("交通运输", "交通"),
    ("应急管理", "应急"),
    ("医疗保障", "医保"),
    ("广播电视", "广电"),
    ("人民政府", "政府"),
    ("人民代表大会常务委员会", "人大常委会"),
    ("人民代表大会", "人大"),
    ("委员会", "委"),
    ("办公室", "办"),
)

_SPACES_RE = re.compile(r"\s+")
_NUMERAL = "[一二三四五六七八九十]{1,3}"
_SESSION_KEY_RE = re.compile(rf"第?\s*(?P<term>{_NUMERAL})\s*届.*?第?\s*(?P<number>{_NUMERAL})\s*次")
_NUMERALS = {chinese_numeral(n): n for n in range(1, 100)}
_YEAR_PREFIX_RE = re.compile(r"^((?:19|20)\d{2})\d{2,}")


# --------------------------------------------------------------------------- names


def squeeze(text):
    return _SPACES_RE.sub("", text or "")


def reduce_name(name):
    """The name with spaces removed and standard long forms replaced by their abbreviations."""
    reduced = squeeze(name)
    for full, short in ABBREVIATIONS:
        reduced = reduced.replace(full, short)
    return reduced


def name_score(name, other):
    """(score, exact) for two names; see the module docstring."""
    a, b = squeeze(name), squeeze(other)
    if not a or not b:
        return 0.0, False
    if a == b:
        return 1.0, True
    reduced_a, reduced_b = reduce_name(a), reduce_name(b)
    if reduced_a == reduced_b:
        return 1.0, False
    score = difflib.SequenceMatcher(None, reduced_a, reduced_b).ratio()
    shorter, longer = sorted((reduced_a, reduced_b), key=len)
    if len(shorter) >= 3 and longer.endswith(shorter):
        score = max(score, SUFFIX_SCORE)
    return score, False


def session_key(text):
    """(term, number) printed in a session's name (十二届三次 → (12, 3)), or None."""
    match = _SESSION_KEY_RE.search(squeeze(text))
    if not match:
        return None
    term, number = _NUMERALS.get(match.group("term")), _NUMERALS.get(match.group("number"))
    return (term, number) if term and number else None


def year_from(number, date):
    """The session year a letter points to: the 2020 of 20200287, else the year of its date."""
    match = _YEAR_PREFIX_RE.match(number or "")
    if match:
        return int(match.group(1))
    return date.year if date else None


@dataclass(frozen=True)
class Candidate:
    """An existing record offered for a name in the letter."""

    obj: object
    score: float
    exact: bool

    @property
    def value(self):
        return str(self.obj.pk)

    @property
    def label(self):
        if self.exact:
            return f"{self.obj}（完全一致）"
        return f"{self.obj}（近似，相似度 {self.score:.0%}）"


def _ranked(pairs):
    """Candidates from (obj, (score, exact)) pairs at or above NEAR_THRESHOLD, best first."""
    found = [Candidate(obj, score, exact) for obj, (score, exact) in pairs if score >= NEAR_THRESHOLD]
    return sorted(found, key=lambda c: (not c.exact, -c.score, c.obj.pk))


def best(candidates):
    """The candidate to choose without asking: the first one scoring at least AUTO_THRESHOLD."""
    return candidates[0] if candidates and candidates[0].score >= AUTO_THRESHOLD else None


class Matcher:
    """Finds existing records for the names in a letter.

    Loads departments, proposers, sessions (with committees) and committees once, in four queries,
    so that ranking the candidates for any number of names costs nothing more. Proposals are looked
    up per letter (`proposals`, one query).
    """

    def __init__(self):
        self.committees = list(Committee.objects.order_by("pk"))
        self.sessions = list(Session.objects.select_related("committee").order_by("pk"))
        self.departments = list(Department.objects.only("pk", "name", "kind", "committee_id").order_by("pk"))
        self.proposers = list(Proposer.objects.only("pk", "name", "kind").order_by("pk"))
        self._by_pk = {
            Committee: {obj.pk: obj for obj in self.committees},
            Session: {obj.pk: obj for obj in self.sessions},
            Department: {obj.pk: obj for obj in self.departments},
            Proposer: {obj.pk: obj for obj in self.proposers},
        }

    def get(self, model, pk):
        """An already loaded record by primary key, or None."""
        try:
            return self._by_pk[model].get(int(pk))
        except (TypeError, ValueError):
            return None

    def remember(self, obj):
        """Make a record created during this run findable by later letters (bulk import)."""
        for model, rows in (
            (Session, self.sessions),
            (Department, self.departments),
            (Proposer, self.proposers),
        ):
            if isinstance(obj, model):
                rows.append(obj)
                self._by_pk[model][obj.pk] = obj

    def department_candidates(self, name):
        return _ranked((department, name_score(name, department.name)) for department in self.departments)

    def proposer_candidates(self, name):
        return _ranked((proposer, name_score(name, proposer.name)) for proposer in self.proposers)

    def committee_for(self, session_text):
        """The committee whose short name (or full name) the session text prints, else the only one."""
        text = reduce_name(session_text)
        for committee in self.committees:
            if text and (reduce_name(committee.short_name) in text or reduce_name(committee.name) in text):
                return committee
        return self.committees[0] if len(self.committees) == 1 else None

    def session_candidates(self, text):
        key = session_key(text)
        committee = self.committee_for(text)
        pairs = []
        for session in self.sessions:
            score, exact = name_score(text, str(session))
            if key is not None:
                if key != (session.term, session.number):
                    continue  # 十二届三次 is never 十二届二次, however alike the names
                if not exact and committee is not None and session.committee_id == committee.pk:
                    score = max(score, 0.95)
            pairs.append((session, (score, exact)))
        return _ranked(pairs)

    def proposal_candidates(self, sessions, number, title=""):
        """Proposals of these sessions with this number (exact), then with a title like this one."""
        session_ids = [session.pk for session in sessions if getattr(session, "pk", None)]
        if not session_ids:
            return []
        rows = (
            Proposal.objects.filed().filter(session_id__in=session_ids).select_related("session__committee")
        )
        if not title:
            rows = rows.filter(number=number)
        pairs = []
        for proposal in rows.only("pk", "number", "title", "session"):
            if number and proposal.number == number:
                pairs.append((proposal, (1.0, True)))
            elif title:
                score, _exact = name_score(title, proposal.title)
                if score >= 0.8:
                    pairs.append((proposal, (score, False)))
        return _ranked(pairs)[:10]
