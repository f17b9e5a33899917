"""Which units should handle a proposal (交办), with the reason for each suggestion.

Two sources of evidence, blended by how much the first can be trusted:

- **History**: the HISTORY proposals of the committee most similar to this one (search/similarity.py)
  that were assigned. A unit that led (or co-handled) many of them is likely again: its share of the
  neighbours, weighted by their similarity — "处理过8件最相似提案中的6件".
- **Duties** (职责): each unit's duties text against the proposal, for a new installation or a new
  topic where history says little. Character bigrams, BM25-weighted with the inverse document
  frequency taken over the units' duties (a bigram in every unit's duties, 负责 or 管理, tells
  nothing; one in a single unit's, 防火, much), so that no list of words or synonyms has to be kept.
  Bigrams of a proposal's rhetoric (建议, 加强, 群众) are damped twice: by a short list of such
  bigrams, and, once the committee has enough proposals, by how common they are among them. The
  reason quotes the longest stretches of the duties found in the proposal — "职责含：森林防火".

The history weight is the mean similarity of the neighbours over CONFIDENT (capped at 1): close
precedents decide, loose ones leave it to the duties.
"""

import math
from collections import Counter
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from proposals.models import Assignment, Department, Proposal

from .bigrams import pairs, runs
from .similarity import Frequencies, rank, term_counts

HISTORY = 8
CONFIDENT = 0.5
SHOWN = 5
# BM25 constants (the usual ones): saturation of repeated bigrams and strength of length normalisation.
K1, B = 1.2, 0.75
# Proposals in the committee before their bigram frequencies say what is generic.
CORPUS_MINIMUM = 200
# The bigrams of how proposals are written rather than what they are about.
RHETORIC = frozenset(
    """
    关于 建议 提案 加强 加快 加大 推进 推动 促进 完善 健全 提升 提高 强化 优化 深化 落实 实施 开展
    一步 问题 存在 部分 一些 较大 不足 不够 不高 偏低 有待 群众 反映 强烈 突出 当前 目前
    近年 年来 我县 全县 我市 全市 我区 全区 各地 地方 相关 有关 部门 工作 建设 发展
    管理 服务 机制 体系 制度 政策 措施 力度 水平 能力 质量 保障 支持 扶持 引导 鼓励 推广 规范 科学
    合理 有效 及时 逐步 长效 统筹 协调 创新 高质 提质 增效 实际 情况 方面 领域 重点 重要 意义
    以上 供参 参考 采纳 研究 希望 政府 县委 党委 人民 一是 二是 三是 同时
    此外 其中 主要 没有 缺乏 难以 影响 导致 造成 带来 需要 必须 应当 可以 进行 做好 做到 切实 全面
    """.split()  # noqa: SIM905 — a list of words reads better as words
)
RHETORIC_FACTOR = 0.1


@dataclass
class Suggestion:
    department: Department
    score: float
    why: list

    def as_dict(self):
        return {"department": self.department.name, "score": round(self.score, 3), "why": "；".join(self.why)}


@dataclass
class Suggestions:
    lead: list
    co: list

    def as_dict(self):
        return {"lead": [s.as_dict() for s in self.lead], "co": [s.as_dict() for s in self.co]}


def candidate_units(committee):
    """The committee's handling units (and units tied to none), the office itself aside."""
    return list(
        Department.objects.filter(Q(committee=committee) | Q(committee__isnull=True), is_active=True)
        .exclude(kind=Department.Kind.OFFICE)
        .order_by("name")
    )


def history_pool(committee, before=None):
    """Proposals of the committee with a standing assignment, optionally of sessions before a year."""
    pool = Proposal.objects.filter(
        session__committee=committee, pk__in=Assignment.objects.active().values("proposal_id")
    )
    if before is not None:
        pool = pool.filter(session__year__lt=before)
    return pool


def history_votes(title, body, pool):
    """({department id: (lead weight, lead count)}, {…co…}, neighbours, confidence)."""
    neighbours = rank(title, body, pool, HISTORY)
    if not neighbours:
        return {}, {}, 0, 0.0
    similarity = dict(neighbours)
    total = sum(similarity.values()) or 1.0
    lead, co = {}, {}
    for proposal_id, department_id, role in (
        Assignment.objects.active()
        .filter(proposal_id__in=similarity)
        .values_list("proposal_id", "department_id", "role")
    ):
        votes = co if role == Assignment.Role.CO_HANDLING else lead
        weight, count = votes.get(department_id, (0.0, 0))
        votes[department_id] = (weight + similarity[proposal_id] / total, count + 1)
    confidence = min(1.0, total / len(neighbours) / CONFIDENT)
    return lead, co, len(neighbours), confidence


class DutiesIndex:
    """The units' duties as BM25 documents over character bigrams."""

    def __init__(self, units):
        self.units = [unit for unit in units if unit.duties.strip()]
        self.counts = {unit.pk: Counter(pairs(unit.duties)) for unit in self.units}
        self.lengths = {pk: sum(c.values()) for pk, c in self.counts.items()}
        self.average = (sum(self.lengths.values()) / len(self.lengths)) if self.lengths else 0
        held = Counter(b for c in self.counts.values() for b in c)
        n = len(self.units)
        self.idf = {b: math.log(1 + (n - df + 0.5) / (df + 0.5)) for b, df in held.items()}

    def scores(self, query):
        """{department id: BM25 score} for a {bigram: weight} query."""
        result = {}
        for pk, counts in self.counts.items():
            norm = K1 * (1 - B + B * self.lengths[pk] / self.average)
            score = 0.0
            for bigram, weight in query.items():
                tf = counts.get(bigram)
                if tf:
                    score += weight * self.idf[bigram] * tf * (K1 + 1) / (tf + norm)
            if score > 0:
                result[pk] = score
        return result

    def phrases(self, unit, query, limit=3):
        """The longest stretches of the unit's duties whose every bigram is in the query, heaviest first."""
        found = {}
        for run in runs(unit.duties):
            start = 0
            for end in range(1, len(run) + 1):
                inside = end < len(run) and run[end - 1 : end + 1].lower() in query
                if not inside:
                    phrase = run[start:end]
                    if len(phrase) >= 2:
                        weight = sum(query[b] * self.idf.get(b, 0) for b in pairs(phrase))
                        found[phrase] = max(found.get(phrase, 0), weight)
                    start = end
        ranked = sorted(found, key=lambda p: (-found[p], -len(p), p))
        chosen = []
        for phrase in ranked:
            if found[phrase] <= 0 or any(phrase in other for other in chosen):
                continue
            if chosen and len(phrase) < 3:
                continue  # a lone bigram beside a real phrase is more often noise (和林 in 防治和林业)
            chosen.append(phrase)
            if len(chosen) == limit:
                break
        return chosen


def query_weights(title, body, committee):
    """{bigram: weight} of the proposal for duty matching: (1 + log count), title twice, rhetoric
    damped, and once the committee has CORPUS_MINIMUM proposals, bigrams common among them damped."""
    counts = term_counts(title, body)
    weights = {b: 1 + math.log(n) for b, n in counts.items()}
    for bigram in weights:
        if bigram in RHETORIC:
            weights[bigram] *= RHETORIC_FACTOR
    frequencies = Frequencies(weights)
    if frequencies.total >= CORPUS_MINIMUM:
        ceiling = math.log(frequencies.total + 1)
        for bigram in weights:
            weights[bigram] *= min(1.0, frequencies.idf(bigram) / ceiling * 2)
    return weights


def suggest(committee, title, body, *, before=None, exclude=None, units=None):
    """Suggestions for the lead and co-handling units of a proposal of `committee` with this text.
    `before`: learn only from sessions before that year (the benchmark's held-out session);
    `exclude`: a proposal not to learn from (the one being assigned)."""
    units = units if units is not None else candidate_units(committee)
    by_pk = {unit.pk: unit for unit in units}
    pool = history_pool(committee, before)
    if exclude is not None:
        pool = pool.exclude(pk=exclude.pk)
    lead_votes, co_votes, neighbours, confidence = history_votes(title, body, pool)
    # A unit that handled the committee's proposals is one of its units, whatever its record says.
    others = (set(lead_votes) | set(co_votes)) - by_pk.keys()
    if others:
        by_pk.update(Department.objects.filter(pk__in=others, is_active=True).in_bulk())
    duties = DutiesIndex(units)
    query = query_weights(title, body, committee)
    duty_scores = duties.scores(query)
    best_duty = max(duty_scores.values(), default=0) or 1.0

    def build(votes, role_reason, duty_share):
        rows = []
        for pk in set(votes) | set(duty_scores):
            if pk not in by_pk:
                continue
            weight, count = votes.get(pk, (0.0, 0))
            duty = duty_scores.get(pk, 0.0) / best_duty
            score = confidence * weight + (1 - confidence) * duty * duty_share + 0.01 * duty
            why = []
            if count:
                why.append(role_reason % {"total": neighbours, "count": count})
            if duty >= 0.3:
                phrases = duties.phrases(by_pk[pk], query)
                if phrases:
                    why.append(_("职责含：%(phrases)s") % {"phrases": "、".join(phrases)})
            if score > 0 and why:
                rows.append(Suggestion(by_pk[pk], score, why))
        rows.sort(key=lambda s: (-s.score, s.department.name))
        return rows

    lead = build(lead_votes, _("主办过%(total)s件最相似提案中的%(count)s件"), 1.0)[:SHOWN]
    leading = {s.department.pk for s in lead[:1]}
    co = build(co_votes, _("会办过%(total)s件最相似提案中的%(count)s件"), 0.5)
    co = [s for s in co if s.department.pk not in leading]
    return Suggestions(lead=lead, co=co[:SHOWN])


def suggest_for(proposal):
    """Suggestions for a saved proposal: history from every other proposal of its committee."""
    return suggest(proposal.session.committee, proposal.title, proposal.body, exclude=proposal)
