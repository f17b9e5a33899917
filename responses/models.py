"""What was answered, and what was promised: reply letters as structured rows."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, ExpressionWrapper, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from proposals.models import Assignment, Department, Proposal, Proposer, Suggestion
from tracker import limits

# --- What is issued, current and public: the one definition ---------------------------------------
#
# Each rule is a condition on a reply reached through `via` ("" for a Response, "item__response__"
# for a Commitment), so that replies and commitments are filtered by the same code. The querysets
# below (Response.objects.issued()/current()/public(), Commitment.objects.current()/public()) are
# what every page, export, feed, API endpoint, search index, statistic and reminder uses.


def issued_condition(via=""):
    """The reply has gone out (签发 or 公开): it counts as the unit's answer."""
    return Q(**{f"{via}status__in": Response.Status.issued()})


def current_condition(via=""):
    """An issued reply that no later issued version from the same department on the same proposal
    replaces (a reply re-handled after 不满意, or a correction)."""
    later = Response.objects.filter(
        issued_condition(),
        proposal_id=OuterRef(f"{via}proposal_id"),
        department_id=OuterRef(f"{via}department_id"),
        version__gt=OuterRef(f"{via}version"),
    )
    return issued_condition(via) & ~Exists(later)


def public_condition(via=""):
    """Anyone may read the reply: published (已公开), disclosed proactively (主动公开), its proposal
    published, and the current version for its department."""
    published = Q(
        **{
            f"{via}status": Response.Status.PUBLISHED,
            f"{via}disclosure": Response.Disclosure.PUBLIC,
            f"{via}proposal__is_published": True,
        }
    )
    return published & current_condition(via)


class ResponseQuerySet(models.QuerySet):
    def issued(self):
        return self.filter(issued_condition())

    def current(self):
        """Issued replies no later issued version replaces (current_condition)."""
        return self.filter(current_condition())

    def public(self):
        """Replies anyone may read (public_condition)."""
        return self.filter(public_condition())

    def with_rule_flags(self):
        """Annotates `current_now` (current_condition) and `public_now` (public_condition), read by
        Response.is_current and Response.is_public without a query."""
        return self.annotate(
            current_now=ExpressionWrapper(current_condition(), output_field=models.BooleanField()),
            public_now=ExpressionWrapper(public_condition(), output_field=models.BooleanField()),
        )

    def for_letter_page(self):
        # The letter in a constant number of queries: the reply with its proposal, session and
        # department; all items (top level and children) in one query; all commitments in one more.
        return self.select_related("proposal__session__committee", "department").prefetch_related(
            models.Prefetch(
                "items",
                queryset=ResponseItem.objects.order_by("parent_id", "position").prefetch_related(
                    models.Prefetch("commitments", queryset=Commitment.objects.order_by("position"))
                ),
            )
        )


class Response(models.Model):
    """答复函: one department's formal reply to a proposal."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待签发")
        ISSUED = "issued", _("已签发")
        PUBLISHED = "published", _("已公开")

        @classmethod
        def issued(cls):
            """States of a reply that has gone out (签发 or 公开): it counts as the unit's answer."""
            return [cls.ISSUED, cls.PUBLISHED]

    class Disclosure(models.TextChoices):
        PUBLIC = "public", _("主动公开")
        ON_REQUEST = "on_request", _("依申请公开")
        NOT_PUBLIC = "not_public", _("不予公开")

    class ResultClass(models.TextChoices):
        A = "A", "A"
        B = "B", "B"
        C = "C", "C"
        D = "D", "D"

    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="responses", verbose_name=_("提案")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="responses", verbose_name=_("答复单位")
    )
    version = models.PositiveSmallIntegerField(
        _("版本"), default=1, help_text=_("重新办理或更正时递增，原答复保留。")
    )
    title = models.TextField(_("标题"), help_text=_("按原文分行，如两行标题。"))
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    signed_by = models.CharField(_("签发人"), max_length=50, blank=True)
    salutation = models.CharField(_("称呼"), max_length=200, help_text=_("如“蒋俏玲代表：”。"))
    opening = models.TextField(_("开头"), blank=True, help_text=_("每段一行。"))
    closing = models.TextField(_("结束语"), blank=True, help_text=_("每段一行。"))
    signoff_unit = models.CharField(_("落款单位"), max_length=100, blank=True)
    issued_on = models.DateField(_("签发日期"), null=True, blank=True)
    review_note = models.CharField(_("审签说明"), max_length=200, blank=True)
    result_class = models.CharField(_("办复类别"), max_length=1, choices=ResultClass.choices, blank=True)
    disclosure = models.CharField(
        _("公开属性"), max_length=20, choices=Disclosure.choices, default=Disclosure.PUBLIC
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_on = models.DateField(_("公开日期"), null=True, blank=True)
    contact_unit = models.CharField(_("联系单位"), max_length=100, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    contact_postcode = models.CharField(_("邮政编码"), max_length=10, blank=True)
    copied_to = models.TextField(_("抄送"), blank=True, help_text=_("每行一个单位。"))
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("更正的原答复"),
    )
    correction_reason = models.TextField(_("更正理由"), blank=True, max_length=limits.NOTE_MAX)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("签发操作人"),
    )
    # Optimistic locking: every save of a draft bumps it; a save based on an older value is refused.
    lock_version = models.PositiveIntegerField(_("编辑版本"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    # A reply's life: which status may follow which (Response.move_to() refuses any other move). A
    # reply is corrected or handled again by a new version, never by moving an issued one back.
    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.ISSUED},
        Status.ISSUED: {Status.PUBLISHED},
        Status.PUBLISHED: set(),
    }

    class MoveRefused(ValidationError):
        """A status change the TRANSITIONS table does not allow; nothing was changed."""

    objects = ResponseQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "lock_version"])

    class Meta:
        verbose_name = _("答复函")
        verbose_name_plural = _("答复函")
        ordering = ["proposal", "department", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "department", "version"], name="responses_one_version_per_department"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="responses_version_positive"),
            models.CheckConstraint(
                condition=Q(result_class__in=["", "A", "B", "C", "D"]), name="responses_result_class_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | ~Q(disclosure="not_public"),
                name="responses_not_public_never_published",
            ),
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | ~Q(correction_reason=""),
                name="responses_correction_has_reason",
            ),
        ]
        indexes = [
            # Public lists and feeds: published replies, newest first.
            models.Index(fields=["status", "disclosure", "published_on"], name="responses_public_idx"),
            # A department's replies by state.
            models.Index(fields=["department", "status"], name="responses_department_idx"),
            models.Index(fields=["result_class"], name="responses_result_class_idx"),
        ]

    def __str__(self):
        return self.title.replace("\n", "")

    def get_absolute_url(self):
        return reverse("responses:letter", args=[self.pk])

    def move_to(self, status, *, fields=()):
        """Change the status, saving it with the other changed `fields`. A move TRANSITIONS does not
        allow raises Response.MoveRefused before anything is saved. The caller writes the proposal's
        timeline event (it names the department and version)."""
        if status != self.status and status not in self.TRANSITIONS[self.status]:
            raise self.MoveRefused(
                _("答复当前状态为“%(current)s”，不能改为“%(status)s”。")
                % {"current": self.get_status_display(), "status": self.Status(status).label}
            )
        self.status = status
        self.save(update_fields=["status", "updated_at", *fields])

    def clean(self):
        errors = {}
        if self.status == self.Status.PUBLISHED and self.disclosure == self.Disclosure.NOT_PUBLIC:
            errors["disclosure"] = _("不予公开的答复不能公开发布。")
        if self.supersedes_id and not self.correction_reason.strip():
            errors["correction_reason"] = _("更正答复须说明理由。")
        if self.result_class == self.ResultClass.D and self.proposal_id:
            committee = self.proposal.session.committee
            if not committee.result_d_label:
                errors["result_class"] = _("本委员会不使用D类。")
        if errors:
            raise ValidationError(errors)

    @property
    def is_current(self):
        """Whether the reply is issued and no later issued version replaces it (current_condition).
        Reads the `current_now` annotation of ResponseQuerySet.with_rule_flags(); without it, runs
        one query."""
        if not hasattr(self, "current_now"):
            self.current_now = Response.objects.current().filter(pk=self.pk).exists()
        return self.current_now

    @property
    def is_public(self):
        """Whether anyone may read the reply (public_condition). Reads the `public_now` annotation of
        ResponseQuerySet.with_rule_flags(); without it, runs one query."""
        if not hasattr(self, "public_now"):
            self.public_now = Response.objects.public().filter(pk=self.pk).exists()
        return self.public_now

    @property
    def title_lines(self):
        return [line for line in self.title.splitlines() if line.strip()]

    @property
    def opening_paragraphs(self):
        return _paragraphs(self.opening)

    @property
    def closing_paragraphs(self):
        return _paragraphs(self.closing)

    @property
    def copied_to_list(self):
        return _paragraphs(self.copied_to)

    @property
    def has_contact_block(self):
        return any([self.contact_unit, self.contact_person, self.contact_phone, self.contact_postcode])

    def result_class_label(self):
        """The committee's wording of the class. Uses proposal.session.committee (select_related it)."""
        return self.proposal.session.committee.result_class_label(self.result_class)

    def item_tree(self):
        """Top-level items, each with `.children` set. One query, none when the items are prefetched."""
        items = list(self.items.all())
        children = {}
        for item in items:
            if item.parent_id:
                children.setdefault(item.parent_id, []).append(item)
        top = [item for item in items if not item.parent_id]
        for item in items:
            item.children = sorted(children.get(item.pk, []), key=lambda child: child.position)
        return sorted(top, key=lambda item: item.position)

    def unanswered_suggestions(self):
        """The proposal's numbered suggestions that no item of this reply answers (one query): the
        editor and the sign-off page warn about them (逐条答复), without refusing."""
        return Suggestion.objects.filter(proposal_id=self.proposal_id).exclude(answered_by__response=self)


def _paragraphs(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


class ResponseItem(models.Model):
    """A numbered section of a reply (一、) or a sub-section (（一）) answering one suggestion."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="items", verbose_name=_("答复函")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children_items",
        verbose_name=_("上级条目"),
    )
    position = models.PositiveSmallIntegerField(_("顺序"))
    number_label = models.CharField(_("序号"), max_length=10, blank=True, help_text=_("如“一、”或“（一）”。"))
    heading = models.CharField(_("小标题"), max_length=300, blank=True)
    paragraphs = models.TextField(_("正文"), blank=True, help_text=_("每段一行。"))
    # The proposal's suggestions (具体建议) this item answers; the public page shows each suggestion
    # with the items that answer it.
    answers = models.ManyToManyField(
        Suggestion, blank=True, related_name="answered_by", verbose_name=_("所答建议")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("答复条目")
        verbose_name_plural = _("答复条目")
        ordering = ["response", "parent_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "position"],
                condition=Q(parent__isnull=True),
                name="responses_item_position_unique",
            ),
            models.UniqueConstraint(
                fields=["parent", "position"],
                condition=Q(parent__isnull=False),
                name="responses_subitem_position_unique",
            ),
            models.CheckConstraint(condition=Q(position__gte=1), name="responses_item_position_positive"),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=models.F("id")),
                name="responses_item_not_own_parent",
            ),
        ]

    def __str__(self):
        return f"{self.number_label}{self.heading}"

    @property
    def heading_line(self):
        return f"{self.number_label}{self.heading}"

    @property
    def paragraph_list(self):
        return _paragraphs(self.paragraphs)

    def clean(self):
        errors = {}
        if self.parent_id:
            parent = self.parent
            if self.response_id and parent.response_id != self.response_id:
                errors["parent"] = _("上级条目必须属于同一答复函。")
            elif parent.parent_id:
                errors["parent"] = _("条目最多两级（一、和（一））。")
            elif self.pk and parent.pk == self.pk:
                errors["parent"] = _("条目不能以自身为上级。")
        if self.response_id:
            siblings = ResponseItem.objects.filter(response_id=self.response_id, parent_id=self.parent_id)
            if siblings.exclude(pk=self.pk).filter(position=self.position).exists():
                errors["position"] = _("同一级已有该顺序号的条目。")
        if errors:
            raise ValidationError(errors)


class CommitmentQuerySet(models.QuerySet):
    def open(self):
        """Not yet kept nor dropped (Commitment.Status.open())."""
        return self.filter(status__in=Commitment.Status.open())

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.open().filter(due_on__lt=today)

    def current(self):
        """Commitments of current replies (current_condition): a corrected or re-handled reply's
        promises live on in its new version only, so none is listed, counted or reminded twice."""
        return self.filter(current_condition("item__response__"))

    def public(self):
        """Commitments of public replies (public_condition)."""
        return self.filter(public_condition("item__response__"))


class Commitment(models.Model):
    """A follow-up promise (下一步…) made in a reply item, tracked until kept or dropped."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划中")
        IN_PROGRESS = "in_progress", _("推进中")
        DONE = "done", _("已完成")
        DROPPED = "dropped", _("已放弃")

        @classmethod
        def open(cls):
            """States of a commitment still to be kept (计划中, 推进中): it can fall overdue."""
            return [cls.PLANNED, cls.IN_PROGRESS]

    item = models.ForeignKey(
        ResponseItem, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("答复条目")
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=1)
    text = models.TextField(_("承诺内容"), help_text=_("须与条目正文中的原文一字不差。"))
    owner = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
    )
    due_on = models.DateField(_("完成期限"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    # A later version of the reply (a correction, a re-handled reply) starts as a copy: its copy of a
    # commitment points back here, so the progress reported on the earlier one stays in its history.
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_over",
        verbose_name=_("沿用自"),
    )

    objects = CommitmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("承诺事项")
        verbose_name_plural = _("承诺事项")
        ordering = ["item", "position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="responses_commitment_position_unique"),
            models.CheckConstraint(condition=~Q(text=""), name="responses_commitment_text_not_empty"),
        ]
        indexes = [
            # The commitments tracker filters by state and due date, and by owner.
            models.Index(fields=["status", "due_on"], name="responses_commitment_due_idx"),
            # The tracker's order (by due date, then id) across all statuses.
            models.Index(fields=["due_on", "id"], name="responses_commitment_order_idx"),
            models.Index(fields=["owner", "status"], name="responses_commitment_owner_idx"),
        ]

    def __str__(self):
        return self.text if len(self.text) <= 40 else f"{self.text[:40]}…"

    @property
    def anchor(self):
        return f"commitment-{self.pk}"

    def lineage_ids(self):
        """This commitment's id and those of the earlier versions it carries over, newest first: its
        progress history is theirs too. One query per earlier version (a reply rarely has more than
        two or three)."""
        ids = [self.pk]
        earlier = self.carried_from_id
        while earlier and earlier not in ids:
            ids.append(earlier)
            earlier = Commitment.objects.filter(pk=earlier).values_list("carried_from_id", flat=True).first()
        return ids

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return bool(self.due_on and self.due_on < today and self.status in self.Status.open())

    def clean(self):
        # The item may be unsaved: the editor checks a commitment against its item's new text.
        item = self.item if self.item_id or Commitment.item.is_cached(self) else None
        if item is not None and self.text and self.text not in item.paragraphs:
            raise ValidationError({"text": _("承诺内容须是该条目正文中的原文。")})


class CommitmentProgress(models.Model):
    """A dated report on how a commitment is going."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="progress_updates", verbose_name=_("承诺事项")
    )
    reported_on = models.DateField(_("报告日期"), default=timezone.localdate)
    status = models.CharField(_("报告后状态"), max_length=20, choices=Commitment.Status.choices)
    text = models.TextField(_("进展情况"), max_length=limits.NOTE_MAX)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("报告人")
    )

    class Meta:
        verbose_name = _("承诺进展")
        verbose_name_plural = _("承诺进展")
        ordering = ["commitment", "reported_on", "pk"]
        indexes = [models.Index(fields=["commitment", "reported_on"], name="responses_progress_idx")]
        constraints = [limits.length_check("text", limits.NOTE_MAX, "responses_progress_text_length")]

    def __str__(self):
        return f"{self.reported_on} {self.get_status_display()}"


class CoHandlingOpinion(models.Model):
    """会办意见: a co-handling department's written opinion, sent to the lead department."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已送主办单位")

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="opinions", verbose_name=_("会办交办")
    )
    text = models.TextField(_("会办意见"), max_length=limits.BODY_MAX)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    submitted_on = models.DateField(_("送达日期"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("撰写人")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("会办意见")
        verbose_name_plural = _("会办意见")
        ordering = ["assignment", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_on__isnull=False),
                name="responses_opinion_submitted_has_date",
            ),
            limits.length_check("text", limits.BODY_MAX, "responses_opinion_text_length"),
        ]

    def __str__(self):
        return f"{self.assignment.department} · {self.get_status_display()}"

    def clean(self):
        if self.assignment_id and self.assignment.role != Assignment.Role.CO_HANDLING:
            raise ValidationError({"assignment": _("只有会办单位提交会办意见。")})
        if self.status == self.Status.SUBMITTED and not self.submitted_on:
            raise ValidationError({"submitted_on": _("已送出的意见须有送达日期。")})


class FeedbackQuerySet(models.QuerySet):
    def rehandling_reasons(self, proposal_id, department_id, *, before_version=None):
        """The 不满意 ratings, with their reasons, on the department's latest issued reply to the
        proposal (below `before_version`: the one a new version re-handles). One query."""
        replies = Response.objects.filter(
            proposal_id=proposal_id, department_id=department_id, status__in=Response.Status.issued()
        )
        if before_version is not None:
            replies = replies.filter(version__lt=before_version)
        latest = replies.order_by("-version").values("pk")[:1]
        return (
            self.filter(response_id=models.Subquery(latest), rating=Feedback.Rating.UNSATISFIED)
            .select_related("proposer", "response")
            .order_by("submitted_on", "pk")
        )


class Feedback(models.Model):
    """The proposer's rating of a reply (满意 / 基本满意 / 不满意)."""

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASICALLY_SATISFIED = "basically", _("基本满意")
        UNSATISFIED = "unsatisfied", _("不满意")

    class ContactMethod(models.TextChoices):
        IN_PERSON = "in_person", _("当面沟通")
        PHONE = "phone", _("电话沟通")
        WRITTEN = "written", _("书面沟通")
        NONE = "none", _("未联系")

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("答复函")
    )
    proposer = models.ForeignKey(
        Proposer, on_delete=models.PROTECT, related_name="feedback", verbose_name=_("提案者")
    )
    rating = models.CharField(_("评价"), max_length=20, choices=Rating.choices)
    contacted = models.BooleanField(_("承办单位办理前是否联系"), default=False)
    contact_method = models.CharField(
        _("联系方式"), max_length=20, choices=ContactMethod.choices, default=ContactMethod.NONE
    )
    comments = models.TextField(_("意见"), blank=True, max_length=limits.NOTE_MAX)
    submitted_on = models.DateField(_("反馈日期"), default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("代录人"),
        help_text=_("纸质反馈由办公厅代为录入时填写。"),
    )

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("反馈意见")
        verbose_name_plural = _("反馈意见")
        ordering = ["response", "submitted_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "proposer"], name="responses_feedback_once_per_proposer"
            ),
            models.CheckConstraint(
                condition=Q(contacted=False, contact_method="none")
                | (Q(contacted=True) & ~Q(contact_method="none")),
                name="responses_feedback_contact_method_consistent",
            ),
            limits.length_check("comments", limits.NOTE_MAX, "responses_feedback_comments_length"),
        ]
        indexes = [models.Index(fields=["rating"], name="responses_feedback_rating_idx")]

    def __str__(self):
        return f"{self.proposer} · {self.get_rating_display()}"

    def clean(self):
        if self.contacted and self.contact_method == self.ContactMethod.NONE:
            raise ValidationError({"contact_method": _("已联系的请选择联系方式。")})
        if not self.contacted and self.contact_method != self.ContactMethod.NONE:
            raise ValidationError({"contacted": _("选择了联系方式，请勾选“已联系”。")})
        if self.response_id and self.response.status not in Response.Status.issued():
            raise ValidationError(_("答复函签发后才能反馈。"))


class CommitmentCitation(models.Model):
    """A later proposal citing an earlier commitment: "was it kept?" across sessions."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="citations", verbose_name=_("承诺事项")
    )
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="commitment_citations", verbose_name=_("引用提案")
    )
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("承诺引用")
        verbose_name_plural = _("承诺引用")
        ordering = ["commitment", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "proposal"], name="responses_citation_once"),
        ]

    def __str__(self):
        return f"{self.proposal} → {self.commitment}"

    def clean(self):
        if (
            self.commitment_id
            and self.proposal_id
            and self.commitment.item.response.proposal_id == self.proposal_id
        ):
            raise ValidationError({"proposal": _("提案不能引用对自身的答复中的承诺。")})


# 回头看 lives in its own module; importing it here registers its models with this app.
from .followup.models import FollowUpAnswer, FollowUpRound, FollowUpTask  # noqa: E402

__all__ = [
    "CoHandlingOpinion",
    "Commitment",
    "CommitmentCitation",
    "CommitmentProgress",
    "Feedback",
    "FollowUpAnswer",
    "FollowUpRound",
    "FollowUpTask",
    "Response",
    "ResponseItem",
]
