"""Who asked what, who must answer it, and by when."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker import limits
from tracker.chinese import chinese_numeral


class CommitteeManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Committee(models.Model):
    """A CPPCC committee (or a people's congress) that receives proposals and assigns them."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("全国")
        PROVINCIAL = "provincial", _("省级")
        CITY = "city", _("市级")
        COUNTY = "county", _("县级")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=50, help_text=_("用于会议名称，如“自治区政协”。"))
    level = models.CharField(_("层级"), max_length=20, choices=Level.choices, default=Level.PROVINCIAL)
    # Offices class replies A–C, some A–D, and word the classes differently: the labels are theirs.
    result_a_label = models.CharField(
        _("A类含义"), max_length=100, default="所提问题已经解决或基本解决", blank=True
    )
    result_b_label = models.CharField(
        _("B类含义"), max_length=100, default="所提问题正在解决或已列入计划逐步解决", blank=True
    )
    result_c_label = models.CharField(
        _("C类含义"), max_length=100, default="因条件限制或其他原因暂时不能解决", blank=True
    )
    result_d_label = models.CharField(
        _("D类含义"), max_length=100, blank=True, help_text=_("留空表示本委员会只用A、B、C三类。")
    )
    reply_months = models.PositiveSmallIntegerField(_("答复期限（月）"), default=3)
    opinion_months = models.PositiveSmallIntegerField(_("会办意见期限（月）"), default=1)
    objection_working_days = models.PositiveSmallIntegerField(_("交办异议期（工作日）"), default=5)

    objects = CommitteeManager()

    class Meta:
        verbose_name = _("政协（人大）")
        verbose_name_plural = _("政协（人大）")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)

    def result_class_label(self, code):
        return getattr(self, f"result_{code.lower()}_label", "") if code else ""


class SessionManager(models.Manager):
    def get_by_natural_key(self, committee_name, term, number):
        return self.get(committee__name=committee_name, term=term, number=number)


class Session(models.Model):
    """One plenary session (届·次), e.g. the 3rd session of the 12th committee, and the year it opened."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("政协（人大）")
    )
    term = models.PositiveSmallIntegerField(_("届"))
    number = models.PositiveSmallIntegerField(_("次"))
    year = models.PositiveSmallIntegerField(_("年度"))
    opens_on = models.DateField(_("开幕日期"), null=True, blank=True)
    closes_on = models.DateField(_("闭幕日期"), null=True, blank=True)
    # Members submit online through this day (inclusive); blank: online submission is closed.
    submission_deadline = models.DateField(
        _("提案提交截止日期"),
        null=True,
        blank=True,
        help_text=_("委员网上提交提案的最后一天；留空表示不接受网上提交。"),
    )

    objects = SessionManager()

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-year", "-term", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "term", "number"], name="proposals_session_unique_term_number"
            ),
            models.CheckConstraint(
                condition=Q(term__gte=1) & Q(number__gte=1), name="proposals_session_term_number_positive"
            ),
            models.CheckConstraint(
                condition=Q(closes_on__isnull=True)
                | Q(opens_on__isnull=True)
                | Q(closes_on__gte=models.F("opens_on")),
                name="proposals_session_closes_after_opening",
            ),
        ]

    def __str__(self):
        """Reads like the letters do: 自治区政协十二届三次会议. Uses the committee (select_related it)."""
        return f"{self.committee.short_name}{self.ordinal}会议"

    def natural_key(self):
        return (self.committee.name, self.term, self.number)

    natural_key.dependencies = ["proposals.committee"]

    @property
    def ordinal(self):
        return f"{chinese_numeral(self.term)}届{chinese_numeral(self.number)}次"

    def accepts_submissions(self, on):
        """Whether members may submit online on day `on` (the deadline day included)."""
        return self.submission_deadline is not None and on <= self.submission_deadline

    def clean(self):
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("闭幕日期不能早于开幕日期。")})


class DepartmentManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Department(models.Model):
    """A handling unit (承办单位), or the committee office that assigns proposals to them."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("政府部门")
        OFFICE = "office", _("政协（人大）办事机构")
        OTHER = "other", _("其他单位")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.GOVERNMENT)
    committee = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        related_name="departments",
        verbose_name=_("所属政协（人大）"),
        null=True,
        blank=True,
    )
    is_active = models.BooleanField(_("在用"), default=True)
    duties = models.TextField(
        _("职责"),
        blank=True,
        help_text=_("单位的主要职责（可从“三定”方案摘录）；交办时据此推荐承办单位。"),
    )

    objects = DepartmentManager()

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class Proposer(models.Model):
    """Who files proposals: a member (委员), a deputy (代表), or a body filing collectively."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("委员")
        DEPUTY = "deputy", _("代表")
        COLLECTIVE = "collective", _("集体")

    name = models.CharField(_("姓名或名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.MEMBER)
    sector = models.CharField(_("界别"), max_length=50, blank=True)
    party = models.CharField(_("党派"), max_length=50, blank=True)
    affiliation = models.CharField(_("工作单位及职务"), max_length=200, blank=True)
    # Contact details are never published (DOMAIN.md, 公开).
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通讯地址"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("提案者")
        verbose_name_plural = _("提案者")
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="proposals_proposer_name_idx")]

    def __str__(self):
        if self.kind == self.Kind.COLLECTIVE:
            return self.name
        return f"{self.name}{self.get_kind_display()}"


# The titles a Chinese letter gives (never translated: the letter is written in Chinese).
_LETTER_TITLES = {Proposer.Kind.MEMBER: "委员", Proposer.Kind.DEPUTY: "代表"}


def salutation(proposers, *, max_names=None):
    """The salutation of a letter to these proposers, in their order, as official letters join it:
    each person with their own kind's title, a run of one kind sharing it ("张三、李四委员、王五代表："),
    a collective body by its name alone; past `max_names` (settings.SALUTATION_MAX_NAMES) the first
    name and 等 ("张三等委员：", "张三等委员、代表：" when both kinds signed). The one rule every place
    that pre-fills a salutation uses."""
    proposers = list(proposers)
    if not proposers:
        return ""
    max_names = settings.SALUTATION_MAX_NAMES if max_names is None else max_names
    if len(proposers) > max_names:
        first = proposers[0]
        titles = []
        for proposer in proposers:
            if proposer.kind != Proposer.Kind.COLLECTIVE:
                title = _LETTER_TITLES[proposer.kind]
                if title not in titles:
                    titles.append(title)
        return f"{first.name}等{'、'.join(titles)}："
    parts = []  # [names, title]: consecutive people of one kind share the title
    for proposer in proposers:
        title = _LETTER_TITLES.get(proposer.kind, "")
        if parts and title and parts[-1][1] == title:
            parts[-1][0].append(proposer.name)
        else:
            parts.append([[proposer.name], title])
    return "、".join("、".join(names) + title for names, title in parts) + "："


def filed_condition(prefix=""):
    """The condition of ProposalQuerySet.filed() on a proposal reached through `prefix` (e.g.
    "proposals__" from a lead), for counts and joins that cannot call the queryset."""
    return ~Q(**{f"{prefix}status": Proposal.Status.DRAFT})


class ProposalQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def filed(self):
        """Proposals that reached the office: everything but a member's unsubmitted draft. Every
        channel beyond the member's own pages (office queues and counts, statistics, search index,
        similar proposals, letter matching) starts from here; drafts are private to their writers."""
        return self.filter(filed_condition())

    def visible_to(self, user):
        """What this user may read: everything for the office; otherwise the published proposals plus
        the department's assignments (even returned ones) or the delegate's own proposals."""
        profile = Profile.of(user)
        if profile is None:
            return self.published()
        if profile.is_office:
            return self.filed()
        if profile.role == Profile.Role.DEPARTMENT:
            mine = Q(assignments__department_id=profile.department_id)
        else:
            # Their own, and those of the collective bodies they file for (Profile.files_for).
            mine = Q(proposer_links__proposer_id=profile.proposer_id) | Q(
                proposer_links__proposer__filing_profiles=profile
            )
        ids = self.filter(mine).values("pk")
        return self.filter(Q(is_published=True) | Q(pk__in=ids))

    def search(self, query):
        """Number or title contains the query (`contains`, not `icontains`: Chinese has no case)."""
        query = query.strip()
        if not query:
            return self
        return self.filter(Q(number__contains=query) | Q(title__contains=query))

    def with_proposers(self):
        """Prefetch the proposer links with their proposers, in listed order (one query per page)."""
        return self.prefetch_related(
            models.Prefetch(
                "proposer_links",
                queryset=ProposalProposer.objects.select_related("proposer").order_by("position"),
            )
        )

    def for_public_page(self):
        # Standing assignments only: a department that returned the proposal and was replaced is
        # no longer one of its handling units (the timeline tells the story).
        assignments = Assignment.objects.active().select_related("department", "assigned_by").in_role_order()
        return (
            self.published()
            .select_related("session__committee", "merged_into")
            .with_proposers()
            .prefetch_related(models.Prefetch("assignments", queryset=assignments))
        )


class Proposal(models.Model):
    """A proposal (提案) or a deputy's suggestion (建议), from submission to closing."""

    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("提案")
        SUGGESTION = "suggestion", _("建议")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")
        REGISTERED = "registered", _("已立案")
        MERGED = "merged", _("已并案")
        NOT_REGISTERED = "not_registered", _("不予立案")
        ASSIGNED = "assigned", _("已交办")
        IN_HANDLING = "in_handling", _("办理中")
        REPLIED = "replied", _("已答复")
        FEEDBACK_RECEIVED = "feedback_received", _("已反馈")
        REHANDLING = "rehandling", _("重新办理")
        CLOSED = "closed", _("已办结")
        REFERRED = "referred", _("转意见")
        RETURNED = "returned", _("退回修改")

        @classmethod
        def numbered(cls):
            """States in which the proposal carries a registration number."""
            return [s for s in cls if s not in cls.unnumbered()]

        @classmethod
        def unnumbered(cls):
            return [cls.DRAFT, cls.SUBMITTED, cls.NOT_REGISTERED, cls.REFERRED, cls.RETURNED]

        @classmethod
        def member_editable(cls):
            """States in which the member may still edit the proposal: a draft, or returned for changes."""
            return [cls.DRAFT, cls.RETURNED]

    class Category(models.TextChoices):
        ECONOMY = "economy", _("经济建设")
        POLITICS = "politics", _("政治建设")
        CULTURE = "culture", _("文化建设")
        SOCIETY = "society", _("社会建设")
        ECOLOGY = "ecology", _("生态文明建设")
        OTHER = "other", _("其他")

    class NotRegisteredReason(models.TextChoices):
        STATE_SECRET = "state_secret", _("涉及国家秘密")
        PARTY_INTERNAL = "party_internal", _("涉及党派团体内部事务")
        LITIGATION = "litigation", _("涉及诉讼、仲裁或纪检监察案件")
        ACADEMIC = "academic", _("属于学术讨论")
        PERSONAL = "personal", _("属于个人或亲属事务")
        PROMOTION = "promotion", _("宣传推介产品或作品")
        NAMED_COMPLAINT = "named_complaint", _("点名指控他人")
        TOO_VAGUE = "too_vague", _("内容空泛，无具体建议")
        OTHER = "other", _("其他原因")

    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("会议")
    )
    number = models.CharField(
        _("编号"), max_length=32, blank=True, help_text=_("立案时给出，同一会议内唯一，如 20200287。")
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.PROPOSAL)
    title = models.CharField(_("案由"), max_length=limits.TITLE_MAX)
    body = models.TextField(_("正文"), blank=True, max_length=limits.BODY_MAX)
    submitted_on = models.DateField(_("提交日期"), null=True, blank=True)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices, blank=True)
    is_key = models.BooleanField(_("重点提案"), default=False)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_proposals",
        verbose_name=_("并入提案"),
    )
    not_registered_reason = models.CharField(
        _("不予立案理由"), max_length=20, choices=NotRegisteredReason.choices, blank=True
    )
    registration_note = models.TextField(_("审查意见"), blank=True, max_length=limits.NOTE_MAX)
    referred_to = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referred_proposals",
        verbose_name=_("转送单位"),
        help_text=_("转意见：不作为提案立案，转送该单位参考。"),
    )
    times_returned = models.PositiveSmallIntegerField(_("退回修改次数"), default=0)
    cosign_deadline = models.DateField(
        _("联名截止日期"), null=True, blank=True, help_text=_("此日之后不能再接受联名邀请。")
    )
    is_published = models.BooleanField(_("已公开"), default=False)
    supervising_leader = models.CharField(
        _("领办（督办）领导"), max_length=100, blank=True, help_text=_("重点提案的领办或督办领导。")
    )
    registered_on = models.DateField(_("立案日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
    )
    lead = models.ForeignKey(
        "proposals.ProposalLead",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("提案线索"),
        help_text=_("起草时采用的提案线索。"),
    )
    proposers = models.ManyToManyField(
        Proposer, through="ProposalProposer", related_name="proposals", verbose_name=_("提案者")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    # A proposal's life: which status may follow which. Proposal.move_to() is the only way the status
    # changes and refuses any move not listed here; README.md shows the same table as a diagram. To
    # add a status, add it to Status, give it its row, and add it to the rows of the statuses it may
    # follow.
    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {
            Status.REGISTERED,
            Status.MERGED,
            Status.NOT_REGISTERED,
            Status.REFERRED,
            Status.RETURNED,
        },
        # 退回修改: the member edits and submits again, as a new version
        Status.RETURNED: {Status.SUBMITTED},
        Status.REFERRED: set(),
        # → 已答复 without handling steps: a published letter imported for a proposal on file
        Status.REGISTERED: {Status.ASSIGNED, Status.REPLIED},
        # → 重新办理 before 已答复: one of several separate units' replies was rated 不满意
        Status.ASSIGNED: {Status.IN_HANDLING, Status.REPLIED, Status.REHANDLING},
        Status.IN_HANDLING: {Status.REPLIED, Status.REHANDLING},
        Status.REPLIED: {Status.FEEDBACK_RECEIVED, Status.REHANDLING, Status.CLOSED},
        Status.FEEDBACK_RECEIVED: {Status.REHANDLING, Status.CLOSED},
        Status.REHANDLING: {Status.REPLIED},
        Status.MERGED: set(),
        Status.NOT_REGISTERED: set(),
        # → 重新办理 after 已办结: a corrected reply, rated anew, was found 不满意
        Status.CLOSED: {Status.REHANDLING},
    }

    class MoveRefused(ValidationError):
        """A status change the TRANSITIONS table does not allow; nothing was changed."""

    objects = ProposalQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("提案")
        verbose_name_plural = _("提案")
        ordering = ["-session__year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "number"],
                condition=~Q(number=""),
                name="proposals_number_unique_in_session",
            ),
            models.CheckConstraint(
                condition=Q(status="merged", merged_into__isnull=False)
                | (~Q(status="merged") & Q(merged_into__isnull=True)),
                name="proposals_merged_iff_merged_into",
            ),
            models.CheckConstraint(
                condition=~Q(status="not_registered") | ~Q(not_registered_reason=""),
                name="proposals_not_registered_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(number="")
                | ~Q(status__in=["draft", "submitted", "not_registered", "referred", "returned"]),
                name="proposals_numbered_once_registered",
            ),
            models.CheckConstraint(
                condition=~Q(status="referred") | Q(referred_to__isnull=False),
                name="proposals_referred_has_unit",
            ),
            limits.length_check("body", limits.BODY_MAX, "proposals_body_length"),
            limits.length_check("registration_note", limits.NOTE_MAX, "proposals_registration_note_length"),
        ]
        indexes = [
            # The public list: published rows of a session, newest first.
            models.Index(
                fields=["is_published", "session", "submitted_on"], name="proposals_public_list_idx"
            ),
            # The public list's default order (newest submission first, undated last) has a
            # PostgreSQL-only index, proposals_public_recent_idx, in migration 0003: SQLite cannot
            # index NULLS LAST.
            # The office's queues filter by state.
            models.Index(fields=["status", "session"], name="proposals_status_idx"),
            models.Index(fields=["kind"], name="proposals_kind_idx"),
            models.Index(fields=["is_key"], name="proposals_key_idx", condition=Q(is_key=True)),
            # Proposals being handled (workflow.OPEN_STATES, checked by a test): the overdue board and
            # the dashboard start from these few rows (at 100,000 proposals, 4,553) instead of a scan.
            models.Index(
                fields=["id"],
                name="proposals_open_idx",
                condition=Q(status__in=["assigned", "in_handling", "rehandling"]),
            ),
        ]

    def __str__(self):
        if self.number:
            return f"第{self.number}号 {self.title}"
        return self.title

    def get_absolute_url(self):
        return reverse("proposals:detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.status == self.Status.MERGED and not self.merged_into_id:
            errors["merged_into"] = _("并案的提案须指明并入哪一件提案。")
        if self.status != self.Status.MERGED and self.merged_into_id:
            errors["merged_into"] = _("只有并案的提案才能指定并入提案。")
        if self.merged_into_id and self.merged_into_id == self.pk:
            errors["merged_into"] = _("提案不能并入自身。")
        if self.status == self.Status.NOT_REGISTERED and not self.not_registered_reason:
            errors["not_registered_reason"] = _("不予立案须选择理由。")
        if self.status == self.Status.REFERRED and not self.referred_to_id:
            errors["referred_to"] = _("转意见须指定转送单位。")
        if self.number and self.status not in self.Status.numbered():
            errors["number"] = _("立案后才有编号。")
        if self.number and self.session_id:
            try:
                Proposal.check_number_free(self.session_id, self.number, pk=self.pk)
            except ValidationError as taken:
                errors.update(taken.message_dict)
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def number_taken(number):
        """The error for a registration number the session already uses (the form field is `number`)."""
        return ValidationError({"number": _("本次会议已有第%(number)s号提案。") % {"number": number}})

    @classmethod
    def check_number_free(cls, session_id, number, pk=None):
        """Raises number_taken() when another proposal of the session has `number` (one query). The
        database guards the same with proposals_number_unique_in_session."""
        if cls.objects.filter(session_id=session_id, number=number).exclude(pk=pk).exists():
            raise cls.number_taken(number)

    def can_move_to(self, status):
        """Whether TRANSITIONS allows the move (staying in the same status is always allowed)."""
        return status == self.status or status in self.TRANSITIONS[self.status]

    def move_to(
        self, status, *, actor=None, event=None, department=None, message="", public=False, fields=()
    ):
        """Change the status, saving it with the other changed `fields`, and append the timeline
        event of kind `event` (when given; returned). A move TRANSITIONS does not allow raises
        Proposal.MoveRefused before anything is saved. Callers hold the row lock (select_for_update)."""
        if not self.can_move_to(status):
            raise self.MoveRefused(
                _("提案当前状态为“%(current)s”，不能改为“%(status)s”。")
                % {"current": self.get_status_display(), "status": self.Status(status).label}
            )
        self.status = status
        self.save(update_fields=["status", "updated_at", *fields])
        if event is None:
            return None
        return self.record(event, actor=actor, department=department, message=message, public=public)

    def record(self, kind, *, actor=None, department=None, message="", public=False):
        """Append an event to this proposal's timeline (one INSERT)."""
        return Event.objects.create(
            proposal=self,
            kind=kind,
            actor=actor if actor is not None and actor.is_authenticated else None,
            department=department,
            message=message,
            is_public=public,
        )

    @property
    def first_proposer(self):
        """The 第一提案人. Uses the prefetched proposer links when there are any."""
        links = list(self.proposer_links.all())
        return links[0].proposer if links else None


class Suggestion(models.Model):
    """One numbered suggestion of a proposal's 具体建议 (position 1 is 一、). A member writes them row
    by row; for proposals logged by the office or imported, they are split from the numbered body."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="suggestions")
    position = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("建议内容"), max_length=limits.SUGGESTION_MAX)

    class Meta:
        verbose_name = _("具体建议")
        verbose_name_plural = _("具体建议")
        ordering = ["proposal", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "position"], name="proposals_suggestion_position_unique"
            ),
            limits.length_check("text", limits.SUGGESTION_MAX, "proposals_suggestion_text_length"),
        ]

    def __str__(self):
        return f"{self.label}{self.text[:40]}"

    @property
    def label(self):
        """一、 for position 1: how a suggestion is numbered on every page."""
        return f"{chinese_numeral(self.position)}、"


class ProposalProposer(models.Model):
    """A proposer's place on a proposal: position 1 is the 第一提案人."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="proposer_links")
    proposer = models.ForeignKey(Proposer, on_delete=models.PROTECT, related_name="proposal_links")
    position = models.PositiveSmallIntegerField(_("顺序"), default=1)

    class Meta:
        verbose_name = _("提案者顺序")
        verbose_name_plural = _("提案者顺序")
        ordering = ["proposal", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "proposer"], name="proposals_proposer_once_per_proposal"
            ),
            models.UniqueConstraint(
                fields=["proposal", "position"], name="proposals_proposer_position_unique"
            ),
            models.CheckConstraint(condition=Q(position__gte=1), name="proposals_proposer_position_positive"),
        ]

    def __str__(self):
        return f"{self.position}. {self.proposer}"


class AssignmentQuerySet(models.QuerySet):
    def lead(self):
        return self.filter(role=Assignment.Role.LEAD)

    def answering(self):
        """Assignments in a role that owes the proposer a reply (Assignment.Role.answering())."""
        return self.filter(role__in=Assignment.Role.answering())

    def active(self):
        """Assignments the department must still act on: not returned, or returned and the office kept
        the assignment. Returned-and-reassigned rows stay for the record only."""
        return self.filter(Assignment.standing())

    def awaiting_objection_decision(self):
        """Returned by the department, and the office has not yet reassigned or kept it (the
        queryset form of Assignment.awaits_objection_decision)."""
        return self.filter(returned_on__isnull=False, objection_decision="")

    def in_role_order(self):
        """The lead first, then separate handlers, then co-handling units, each in listed order, as
        letters list them (a proposal has a lead or separate handlers, never both)."""
        return self.order_by(
            models.Case(
                models.When(role=Assignment.Role.LEAD, then=0),
                models.When(role=Assignment.Role.SEPARATE, then=1),
                default=2,
            ),
            "position",
            "pk",
        )


# The columns of an assignment the department inbox shows and sorts on besides its department and due
# date (responses.drafting.inbox_assignments loads only these): the inbox index covers them.
INBOX_COLUMNS = ["proposal", "role", "assigned_on", "received_on", "returned_on", "objection_decision"]


class Assignment(models.Model):
    """交办: the office hands a proposal to a department in a role, with a due date."""

    class Role(models.TextChoices):
        LEAD = "lead", _("主办")
        CO_HANDLING = "co", _("会办")
        SEPARATE = "separate", _("分办")

        @classmethod
        def answering(cls):
            """Roles that owe the proposer a reply of their own (a co-handling unit writes to the lead)."""
            return [cls.LEAD, cls.SEPARATE]

    class ObjectionDecision(models.TextChoices):
        REASSIGNED = "reassigned", _("已改办")
        KEPT = "kept", _("维持交办")

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("提案")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("承办单位")
    )
    role = models.CharField(_("办理方式"), max_length=20, choices=Role.choices)
    position = models.PositiveSmallIntegerField(
        _("排序"), default=1, help_text=_("同一办理方式内的先后，如会办单位的列名顺序。")
    )
    assigned_by = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="assignments_made",
        verbose_name=_("交办机关"),
        null=True,
        blank=True,
    )
    assigned_on = models.DateField(_("交办日期"), null=True, blank=True)
    due_on = models.DateField(_("办理期限"), null=True, blank=True)
    received_on = models.DateField(_("签收日期"), null=True, blank=True)
    returned_on = models.DateField(_("退回日期"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True, max_length=limits.NOTE_MAX)
    objection_decision = models.CharField(
        _("异议处理"), max_length=20, choices=ObjectionDecision.choices, blank=True
    )
    objection_note = models.TextField(_("异议处理说明"), blank=True, max_length=limits.NOTE_MAX)
    assigned_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("交办人"),
    )

    objects = AssignmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("交办")
        verbose_name_plural = _("交办")
        ordering = ["proposal", "role", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "department"], name="proposals_department_once_per_proposal"
            ),
            # A lead that was returned and reassigned keeps its row for the record; the new lead is
            # the only one that counts.
            models.UniqueConstraint(
                fields=["proposal"],
                condition=Q(role="lead") & ~Q(objection_decision="reassigned"),
                name="proposals_one_lead_per_proposal",
            ),
            models.CheckConstraint(
                condition=Q(due_on__isnull=True)
                | Q(assigned_on__isnull=True)
                | Q(due_on__gte=models.F("assigned_on")),
                name="proposals_assignment_due_after_assigned",
            ),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True) | ~Q(return_reason=""),
                name="proposals_assignment_return_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(objection_decision="") | Q(returned_on__isnull=False),
                name="proposals_objection_decision_needs_return",
            ),
            models.CheckConstraint(
                condition=~Q(objection_decision="kept") | ~Q(objection_note=""),
                name="proposals_objection_kept_has_reason",
            ),
        ]
        indexes = [
            # A department's inbox and the overdue board: assignments by department and due date. It
            # covers the columns the inbox pages on (responses.drafting.inbox_assignments), so a page
            # of a unit's 7,428 assignments counts and sorts them from the index alone (PostgreSQL;
            # elsewhere `include` is ignored): 17 → 4 ms, where the table rows were spread over
            # 1,608 pages.
            models.Index(
                fields=["department", "due_on", "id"],
                include=INBOX_COLUMNS,
                name="proposals_assignment_inbox_idx",
            ),
            models.Index(fields=["role", "department"], name="proposals_assignment_role_idx"),
            # The office dashboard's returned assignments awaiting a decision (a handful of rows).
            models.Index(
                fields=["returned_on"],
                name="proposals_returned_idx",
                condition=Q(returned_on__isnull=False, objection_decision=""),
            ),
        ]

    def __str__(self):
        """Names the department: select_related it in lists."""
        return f"{self.department}（{self.get_role_display()}）"

    @classmethod
    def standing(cls):
        """The condition of AssignmentQuerySet.active(), for aggregates and annotations."""
        return Q(returned_on__isnull=True) | Q(objection_decision=cls.ObjectionDecision.KEPT)

    @property
    def is_standing(self):
        """The department must still act on it (one row of AssignmentQuerySet.active())."""
        return not self.returned_on or self.objection_decision == self.ObjectionDecision.KEPT

    @property
    def awaits_objection_decision(self):
        """Returned by the department, and the office has not yet reassigned or kept it."""
        return self.returned_on is not None and not self.objection_decision

    def clean(self):
        errors = {}
        if self.due_on and self.assigned_on and self.due_on < self.assigned_on:
            errors["due_on"] = _("办理期限不能早于交办日期。")
        if self.returned_on and not self.return_reason.strip():
            errors["return_reason"] = _("退回须说明理由。")
        if self.objection_decision and not self.returned_on:
            errors["objection_decision"] = _("单位未退回，无需处理异议。")
        if self.objection_decision == self.ObjectionDecision.KEPT and not self.objection_note.strip():
            errors["objection_note"] = _("维持交办须说明理由。")
        if self.proposal_id and self.department_id:
            others = Assignment.objects.filter(proposal_id=self.proposal_id).exclude(pk=self.pk)
            if others.filter(department_id=self.department_id).exists():
                errors["department"] = _("该单位已承办此提案。")
            standing_leads = others.filter(role=self.Role.LEAD).exclude(
                objection_decision=self.ObjectionDecision.REASSIGNED
            )
            if (
                self.role == self.Role.LEAD
                and self.objection_decision != self.ObjectionDecision.REASSIGNED
                and (standing_leads.exists())
            ):
                errors["role"] = _("一件提案只能有一个主办单位。")
            mixes_lead_and_separate = {
                self.Role.LEAD: self.Role.SEPARATE,
                self.Role.SEPARATE: self.Role.LEAD,
            }.get(self.role)
            if mixes_lead_and_separate and others.filter(role=mixes_lead_and_separate).exists():
                errors["role"] = _("同一提案不能同时采用主办和分办。")
        if errors:
            raise ValidationError(errors)


class Profile(models.Model):
    """A user's place in the tracker: office staff, a department's staff, or a delegate."""

    class Role(models.TextChoices):
        OFFICE = "office", _("办公厅工作人员")
        DEPARTMENT = "department", _("承办单位工作人员")
        DELEGATE = "delegate", _("委员（代表）")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("用户")
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("所在单位"),
    )
    can_sign_off = models.BooleanField(_("可签发答复"), default=False)
    proposer = models.OneToOneField(
        Proposer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profile",
        verbose_name=_("对应提案者"),
    )
    # A collective proposal (a party group, a sector, a special committee) is submitted by an account
    # entitled to file for that body.
    files_for = models.ManyToManyField(
        Proposer,
        blank=True,
        related_name="filing_profiles",
        limit_choices_to={"kind": "collective"},
        verbose_name=_("可代为提交的集体提案者"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("用户角色")
        verbose_name_plural = _("用户角色")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="department") | Q(department__isnull=False),
                name="proposals_department_staff_has_department",
            ),
            models.CheckConstraint(
                condition=~Q(role="delegate") | Q(proposer__isnull=False),
                name="proposals_delegate_has_proposer",
            ),
            models.CheckConstraint(
                condition=Q(role="department") | Q(can_sign_off=False),
                name="proposals_only_department_staff_sign_off",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"

    @classmethod
    def of(cls, user):
        """The user's profile, or None for anonymous users and accounts without a role.

        Superusers without a profile act as office staff. Cached on the user object: one query per
        request at most.
        """
        if user is None or not user.is_authenticated:
            return None
        if not hasattr(user, "_tracker_profile"):
            profile = cls.objects.filter(user=user).select_related("department", "proposer").first()
            if profile is None and user.is_superuser:
                profile = cls(user=user, role=cls.Role.OFFICE)
            user._tracker_profile = profile
        return user._tracker_profile

    @property
    def is_office(self):
        return self.role == self.Role.OFFICE

    def clean(self):
        errors = {}
        if self.role == self.Role.DEPARTMENT and not self.department_id:
            errors["department"] = _("承办单位工作人员须指定所在单位。")
        if self.role == self.Role.DELEGATE and not self.proposer_id:
            errors["proposer"] = _("委员（代表）账户须对应一位提案者。")
        if self.can_sign_off and self.role != self.Role.DEPARTMENT:
            errors["can_sign_off"] = _("只有承办单位工作人员可以签发答复。")
        if errors:
            raise ValidationError(errors)


class ProposalAttachment(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("提案")
    )
    file = models.FileField(_("文件"), upload_to="proposals/%Y/", validators=limits.ATTACHMENT_VALIDATORS)
    name = models.CharField(_("名称"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("提案附件")
        verbose_name_plural = _("提案附件")
        ordering = ["proposal", "uploaded_at"]

    def __str__(self):
        return self.name or self.file.name


class DeadlineExtension(models.Model):
    """A due date moved, with why and by whom: the old date is kept here."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("交办")
    )
    previous_due_on = models.DateField(_("原期限"), null=True, blank=True)
    new_due_on = models.DateField(_("新期限"))
    reason = models.TextField(_("理由"), max_length=limits.NOTE_MAX)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("批准人")
    )
    granted_at = models.DateTimeField(_("批准时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("延期")
        verbose_name_plural = _("延期")
        ordering = ["assignment", "granted_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="proposals_extension_has_reason"),
            limits.length_check("reason", limits.NOTE_MAX, "proposals_extension_reason_length"),
        ]

    def __str__(self):
        return f"{self.previous_due_on} → {self.new_due_on}"


class Chase(models.Model):
    """催办: the office chased a department about an assignment."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="chases", verbose_name=_("交办")
    )
    chased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("催办人")
    )
    chased_at = models.DateTimeField(_("催办时间"), auto_now_add=True)
    note = models.TextField(_("催办说明"), blank=True)

    class Meta:
        verbose_name = _("催办")
        verbose_name_plural = _("催办")
        ordering = ["-chased_at"]
        indexes = [models.Index(fields=["assignment", "chased_at"], name="proposals_chase_idx")]

    def __str__(self):
        return f"{self.assignment} · {self.chased_at:%Y-%m-%d}"


class EventQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)


class Event(models.Model):
    """One step in a proposal's life. Append-only: events are never edited or deleted."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("提交")
        EDITED = "edited", _("修改登记信息")
        REGISTERED = "registered", _("立案")
        MERGED = "merged", _("并案")
        NOT_REGISTERED = "not_registered", _("不予立案")
        ASSIGNED = "assigned", _("交办")
        RECEIVED = "received", _("签收")
        RETURNED = "returned", _("退回")
        REASSIGNED = "reassigned", _("改办")
        OBJECTION_KEPT = "objection_kept", _("维持交办")
        DEADLINE_EXTENDED = "deadline_extended", _("延期")
        CHASED = "chased", _("催办")
        OPINION_SUBMITTED = "opinion_submitted", _("会办意见")
        REPLY_SUBMITTED = "reply_submitted", _("答复送审")
        REPLY_ISSUED = "reply_issued", _("答复签发")
        REPLY_CORRECTED = "reply_corrected", _("答复更正")
        REPLY_PUBLISHED = "reply_published", _("答复公开")
        FEEDBACK_RECEIVED = "feedback_received", _("反馈")
        REHANDLING = "rehandling", _("重新办理")
        COMMITMENT_PROGRESS = "commitment_progress", _("承诺进展")
        FOLLOWUP = "followup", _("回头看")
        REFERRED = "referred", _("转意见")
        RETURNED_FOR_CHANGES = "returned_for_changes", _("退回修改")
        PUBLISHED = "published", _("公开")
        KEY_PROPOSAL = "key_proposal", _("重点提案")
        CLOSED = "closed", _("办结")

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="events", verbose_name=_("提案")
    )
    kind = models.CharField(_("事项"), max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("操作人")
    )
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("单位")
    )
    message = models.TextField(_("说明"), blank=True)
    is_public = models.BooleanField(_("公众可见"), default=False)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["proposal", "created_at", "pk"]
        indexes = [models.Index(fields=["proposal", "created_at"], name="proposals_event_timeline_idx")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("办理记录只能追加，不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("办理记录只能追加，不能删除。"))


class SentReminder(models.Model):
    """Remembers each reminder sent, so that running send_reminders again sends nothing twice."""

    key = models.CharField(_("提醒标识"), max_length=200, unique=True)
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("已发提醒")
        verbose_name_plural = _("已发提醒")

    def __str__(self):
        return self.key


# Members' drafts, co-signing invitations and submitted versions (proposals/member_models.py),
# proposal leads (提案线索, which start drafts) and following a proposal by email live in their own
# modules, as does the Excel upload kept between its preview and its confirmation (intake.py);
# importing them here registers the models.
# The member models come first: leads start drafts, which need them.
from .member_models import CosignInvitation, ProposalVersion  # noqa: E402, F401, I001
from .leads import ProposalLead  # noqa: E402, F401
from .intake import IntakeBatch  # noqa: E402, F401
from .subscriptions import Subscription  # noqa: E402, F401
