"""What the API returns. Published data only, and of proposers only their names: never contact details.

The same serializers drive the JSON, the browsable API and the OpenAPI schema (drf-spectacular).
"""

import copy

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from proposals.models import Assignment, Department, Proposal, ProposalProposer, Proposer, Session
from responses.models import Commitment, CommitmentProgress, Response, ResponseItem

from .. import stats


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.ReadOnlyField):
    """The object's public page on the site, as an absolute URL (source: get_absolute_url)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "get_absolute_url")
        kwargs.setdefault("help_text", _("网站上的页面"))
        super().__init__(**kwargs)

    def to_representation(self, value):
        request = self.context.get("request")
        return request.build_absolute_uri(value) if request else value


def codes_field(choices, help_text=None, **kwargs):
    """A code from `choices`, documented as a string listing the codes rather than as an enum.

    Proposal, Proposer and Department each have a `kind`, Proposal and Commitment a `status`, with
    different choices: as enums their names collide and drf-spectacular warns (which fails
    `check --deploy`) unless SPECTACULAR_SETTINGS names them (ENUM_NAME_OVERRIDES). Proposal keeps
    its enums; the others list their codes here.
    """
    codes = "；".join(f"{value} {label}" for value, label in choices.choices)
    description = f"{help_text}：{codes}" if help_text else codes
    return serializers.CharField(read_only=True, help_text=description, **kwargs)


def _absolute(context, path):
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path


class SessionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(
        source="__str__", read_only=True, help_text=_("如“自治区政协十二届三次会议”")
    )

    class Meta:
        model = Session
        fields = ["id", "name", "term", "number", "year"]


class DepartmentRefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="opendata:department-detail")

    class Meta:
        model = Department
        fields = ["id", "url", "name"]


class ProposerSerializer(serializers.ModelSerializer):
    """A proposer on a proposal: name and kind only."""

    name = serializers.CharField(source="proposer.name", read_only=True)
    kind = codes_field(Proposer.Kind, source="proposer.kind")

    class Meta:
        model = ProposalProposer
        fields = ["position", "name", "kind"]


class AssignmentSerializer(serializers.ModelSerializer):
    department = DepartmentRefSerializer(read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Assignment
        fields = ["department", "role", "role_display", "assigned_on", "due_on"]


class ProposalRefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="opendata:proposal-detail")
    html_url = PageUrlField()

    class Meta:
        model = Proposal
        fields = ["id", "url", "html_url", "number", "title"]


class ReplyRefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="opendata:reply-detail")
    html_url = PageUrlField(help_text=_("答复函页面"))
    department = serializers.CharField(source="department.name", read_only=True)

    class Meta:
        model = Response
        fields = ["id", "url", "html_url", "department", "version", "issued_on", "published_on"]


class ProposalSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="opendata:proposal-detail")
    html_url = PageUrlField()
    session = SessionSerializer(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    proposers = ProposerSerializer(source="proposer_links", many=True, read_only=True)
    assignments = AssignmentSerializer(
        source="open_assignments",
        many=True,
        read_only=True,
        help_text=_("主办、会办、分办单位（不含已退回的）"),
    )

    class Meta:
        model = Proposal
        fields = [
            "id",
            "url",
            "html_url",
            "number",
            "kind",
            "kind_display",
            "title",
            "session",
            "status",
            "status_display",
            "is_key",
            "submitted_on",
            "proposers",
            "assignments",
        ]


class ProposalDetailSerializer(ProposalSerializer):
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    merged_into = serializers.SerializerMethodField(help_text=_("并入的提案（仅当该提案已公开）"))
    replies = ReplyRefSerializer(
        source="open_replies", many=True, read_only=True, help_text=_("已公开的答复函")
    )

    class Meta(ProposalSerializer.Meta):
        fields = [
            *ProposalSerializer.Meta.fields,
            "body",
            "category",
            "category_display",
            "registered_on",
            "supervising_leader",
            "merged_into",
            "replies",
        ]

    @extend_schema_field(ProposalRefSerializer(allow_null=True))
    def get_merged_into(self, proposal):
        target = proposal.merged_into
        if target is None or not target.is_published:
            return None
        return ProposalRefSerializer(target, context=self.context).data


class CommitmentInReplySerializer(serializers.ModelSerializer):
    owner = DepartmentRefSerializer(
        read_only=True, allow_null=True, help_text=_("责任单位；为空时即答复单位")
    )
    status = codes_field(Commitment.Status)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    overdue = serializers.SerializerMethodField(help_text=_("未完成且已过完成期限"))
    url = serializers.HyperlinkedIdentityField(view_name="opendata:commitment-detail")
    html_url = serializers.SerializerMethodField(help_text=_("答复函中该承诺所在的位置"))

    class Meta:
        model = Commitment
        fields = [
            "id",
            "url",
            "html_url",
            "position",
            "text",
            "owner",
            "due_on",
            "status",
            "status_display",
            "overdue",
        ]

    def get_overdue(self, commitment) -> bool:
        return commitment.is_overdue(self.context.get("today") or timezone.localdate())

    def get_html_url(self, commitment) -> str:
        letter = reverse("responses:letter", args=[commitment.item.response_id])
        return _absolute(self.context, f"{letter}#{commitment.anchor}")


class SubItemSerializer(serializers.ModelSerializer):
    paragraphs = serializers.ListField(source="paragraph_list", child=serializers.CharField(), read_only=True)
    commitments = CommitmentInReplySerializer(many=True, read_only=True)

    class Meta:
        model = ResponseItem
        fields = ["id", "position", "number_label", "heading", "paragraphs", "commitments"]


class ItemSerializer(SubItemSerializer):
    children = SubItemSerializer(many=True, read_only=True, help_text=_("子条目（（一）（二）…），按顺序"))

    class Meta(SubItemSerializer.Meta):
        fields = [*SubItemSerializer.Meta.fields, "children"]


class ReplySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="opendata:reply-detail")
    html_url = PageUrlField(help_text=_("答复函页面"))
    proposal = ProposalRefSerializer(read_only=True)
    department = DepartmentRefSerializer(read_only=True)
    title_lines = serializers.ListField(child=serializers.CharField(), read_only=True)
    opening = serializers.ListField(
        source="opening_paragraphs", child=serializers.CharField(), read_only=True
    )
    closing = serializers.ListField(
        source="closing_paragraphs", child=serializers.CharField(), read_only=True
    )
    copied_to = serializers.ListField(source="copied_to_list", child=serializers.CharField(), read_only=True)
    result_class_label = serializers.CharField(read_only=True, help_text=_("本委员会对该办复类别的表述"))
    disclosure_display = serializers.CharField(source="get_disclosure_display", read_only=True)
    items = serializers.SerializerMethodField(help_text=_("答复条目（一、二、…），按顺序，含子条目和承诺"))

    class Meta:
        model = Response
        fields = [
            "id",
            "url",
            "html_url",
            "proposal",
            "department",
            "version",
            "title_lines",
            "document_number",
            "signed_by",
            "result_class",
            "result_class_label",
            "salutation",
            "opening",
            "items",
            "closing",
            "signoff_unit",
            "issued_on",
            "review_note",
            "contact_unit",
            "contact_person",
            "contact_phone",
            "contact_postcode",
            "copied_to",
            "disclosure_display",
            "published_on",
        ]

    @extend_schema_field(ItemSerializer(many=True))
    def get_items(self, response):
        return ItemSerializer(response.item_tree(), many=True, context=self.context).data


class ProgressSerializer(serializers.ModelSerializer):
    status = codes_field(Commitment.Status, help_text=_("报告后的承诺状态"))
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = CommitmentProgress
        fields = ["reported_on", "status", "status_display", "text"]


class CommitmentSerializer(CommitmentInReplySerializer):
    owner = serializers.SerializerMethodField(help_text=_("责任单位（未指定时为答复单位）"))
    reply = ReplyRefSerializer(source="item.response", read_only=True)
    proposal = ProposalRefSerializer(source="item.response.proposal", read_only=True)
    item = serializers.CharField(source="item.heading_line", read_only=True, help_text=_("所在答复条目"))

    class Meta(CommitmentInReplySerializer.Meta):
        fields = [
            "id",
            "url",
            "html_url",
            "text",
            "owner",
            "due_on",
            "status",
            "status_display",
            "overdue",
            "item",
            "reply",
            "proposal",
        ]

    @extend_schema_field(DepartmentRefSerializer)
    def get_owner(self, commitment):
        department = commitment.owner or commitment.item.response.department
        return DepartmentRefSerializer(department, context=self.context).data


class CommitmentDetailSerializer(CommitmentSerializer):
    progress = ProgressSerializer(
        source="progress_updates", many=True, read_only=True, help_text=_("进展报告，按时间")
    )

    class Meta(CommitmentSerializer.Meta):
        fields = [*CommitmentSerializer.Meta.fields, "progress"]


# --- statistics: the same figures as /stats/ ------------------------------------------------------


def _figures_serializer(name, columns, extra):
    attrs = {"id": serializers.IntegerField(source="key"), "name": serializers.CharField()}
    # Copies are new fields, declared after id and name: DRF orders fields by creation.
    attrs.update({field_name: copy.deepcopy(field) for field_name, field in extra.items()})
    attrs["Meta"] = type("Meta", (), {"ref_name": name})
    for column in columns:
        if column.is_rate:
            attrs[column.attr] = serializers.FloatField(allow_null=True, help_text=column.header)
        else:
            attrs[column.attr] = serializers.IntegerField(help_text=column.header)
    return type(f"{name}Serializer", (serializers.Serializer,), attrs)


SessionFiguresSerializer = _figures_serializer(
    "SessionFigures",
    stats.SESSION_COLUMNS,
    {
        "label": serializers.CharField(),
        "year": serializers.IntegerField(allow_null=True),
        "opens_on": serializers.DateField(allow_null=True),
        "key_proposals": serializers.IntegerField(help_text=_("重点提案")),
        "commitments_dropped": serializers.IntegerField(help_text=_("承诺已放弃")),
    },
)
DepartmentFiguresSerializer = _figures_serializer(
    "DepartmentFigures",
    stats.DEPARTMENT_COLUMNS,
    {"commitments_dropped": serializers.IntegerField(help_text=_("承诺已放弃"))},
)


class StatsSerializer(serializers.Serializer):
    computed_at = serializers.DateTimeField(help_text=_("统计时间（数据变动后即时更新）"))
    session = serializers.IntegerField(allow_null=True, help_text=_("单位统计所限的会议；为空表示全部会议"))
    sessions = SessionFiguresSerializer(many=True, help_text=_("按会议，由早到晚"))
    totals = SessionFiguresSerializer(help_text=_("各次会议合计"))
    departments = DepartmentFiguresSerializer(many=True, help_text=_("按承办单位"))


class DepartmentSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="opendata:department-detail")
    kind = codes_field(Department.Kind)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    feeds = serializers.SerializerMethodField(help_text=_("本单位新公开答复的订阅源"))

    class Meta:
        model = Department
        fields = ["id", "url", "name", "kind", "kind_display", "is_active", "feeds"]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "rss": {"type": "string", "format": "uri"},
                "atom": {"type": "string", "format": "uri"},
            },
            "required": ["rss", "atom"],
        }
    )
    def get_feeds(self, department):
        return {
            fmt: _absolute(self.context, reverse(f"opendata:department-replies-{fmt}", args=[department.pk]))
            for fmt in ("rss", "atom")
        }


class DepartmentDetailSerializer(DepartmentSerializer):
    stats = serializers.SerializerMethodField(help_text=_("本单位的办理统计（全部会议）；无可统计事项时为空"))

    class Meta(DepartmentSerializer.Meta):
        fields = [*DepartmentSerializer.Meta.fields, "stats"]

    @extend_schema_field(DepartmentFiguresSerializer(allow_null=True))
    def get_stats(self, department):
        row = stats.department_table().row(department.pk)
        return None if row is None else DepartmentFiguresSerializer(row).data
