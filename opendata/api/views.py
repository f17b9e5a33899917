"""The read-only JSON API. Every queryset starts from the one public definition:
Proposal.objects.published(), Response.objects.public(), Commitment.objects.public().

Each list costs a constant number of queries whatever the page size: the count, the page, and one
query per prefetched relation (noted on each viewset).
"""

from django.db.models import F, Prefetch
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers as drf_serializers
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response as ApiResponse

from proposals.models import Assignment, Department, Proposal
from responses.models import Commitment, CommitmentProgress, Response, ResponseItem
from tracker.filtering import ID_MAX, in_range, is_integer

from .. import stats
from . import filters, serializers
from .schema import SingleObjectSchema


def not_found(request, rest=""):
    """Any other path under /api/ (e.g. /api/replies/1.5/): a JSON 404 like the API's own, not the
    HTML page."""
    return JsonResponse({"detail": _("未找到。")}, status=404, json_dumps_params={"ensure_ascii": False})


class OpenDataPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        # DRF ignores a page_size it cannot read; refuse it instead, as the schema documents 1–200.
        if self.page_size_query_param in request.query_params:
            value = in_range(request.query_params[self.page_size_query_param], 1, self.max_page_size)
            if value is None:
                raise drf_serializers.ValidationError(
                    {
                        self.page_size_query_param: [
                            _("每页条数须是1至%(max)s的整数。") % {"max": self.max_page_size}
                        ]
                    }
                )
            return value
        return self.page_size

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {**parameter["schema"], "minimum": 1}
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {**parameter["schema"], "minimum": 1, "maximum": self.max_page_size}
        return parameters


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    pagination_class = OpenDataPagination
    list_serializer_class = None
    detail_serializer_class = None

    def get_serializer_class(self):
        return self.detail_serializer_class if self.action == "retrieve" else self.list_serializer_class

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}


@extend_schema_view(
    list=extend_schema(
        summary=_("已公开的提案"),
        description=_(
            "分页，新录入的在前；可按会议、年度、类型、状态、承办单位、重点提案筛选，q 为全文检索。"
        ),
    ),
    retrieve=extend_schema(
        summary=_("一件已公开的提案"), description=_("含提案者姓名（不含联系方式）、承办单位和已公开答复函。")
    ),
)
class ProposalViewSet(ReadOnlyViewSet):
    list_serializer_class = serializers.ProposalSerializer
    detail_serializer_class = serializers.ProposalDetailSerializer
    filterset_class = filters.ProposalFilter

    def get_queryset(self):
        # page (+ session, committee[, merged_into]); proposers with their names; standing assignments
        # with departments; on a detail, open replies with their departments.
        queryset = (
            Proposal.objects.published()
            .select_related("session__committee")
            .with_proposers()
            .prefetch_related(
                Prefetch(
                    "assignments",
                    queryset=Assignment.objects.active().select_related("department").in_role_order(),
                    to_attr="open_assignments",
                ),
            )
            # Newest records first: the primary key's index serves it, where ordering by submission
            # date would sort every published proposal for each page.
            .order_by("-pk")
        )
        if self.action == "list":
            queryset = queryset.defer("body", "registration_note")
        if self.action == "retrieve":
            queryset = queryset.select_related("merged_into").prefetch_related(
                Prefetch(
                    "responses",
                    queryset=Response.objects.public()
                    .select_related("department")
                    .order_by("department__name", "version"),
                    to_attr="open_replies",
                )
            )
        return queryset


@extend_schema_view(
    list=extend_schema(summary=_("承办单位")),
    retrieve=extend_schema(summary=_("一个承办单位"), description=_("含本单位的办理统计和订阅源。")),
)
class DepartmentViewSet(ReadOnlyViewSet):
    list_serializer_class = serializers.DepartmentSerializer
    detail_serializer_class = serializers.DepartmentDetailSerializer
    filterset_class = filters.DepartmentFilter
    queryset = Department.objects.order_by("name")


def _items_with_commitments():
    # All items of the page's replies in one query (top level and sub-items), their commitments with
    # owners in one more; Response.item_tree() arranges them.
    commitments = Commitment.objects.select_related("owner").order_by("position")
    return Prefetch(
        "items",
        queryset=ResponseItem.objects.order_by("parent_id", "position").prefetch_related(
            Prefetch("commitments", queryset=commitments)
        ),
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("已公开的答复函"), description=_("新公开的在前；每件含条目、子条目和承诺，按原文顺序。")
    ),
    retrieve=extend_schema(summary=_("一件已公开的答复函")),
)
class ReplyViewSet(ReadOnlyViewSet):
    list_serializer_class = serializers.ReplySerializer
    detail_serializer_class = serializers.ReplySerializer
    filterset_class = filters.ReplyFilter

    def get_queryset(self):
        # page (+ proposal, session, committee, department); items; commitments with owners.
        return (
            Response.objects.public()
            .select_related("proposal__session__committee", "department")
            .prefetch_related(_items_with_commitments())
            .order_by(F("published_on").desc(nulls_last=True), "-pk")
        )


@extend_schema_view(
    list=extend_schema(
        summary=_("承诺事项"),
        description=_("来自已公开答复函的“下一步”承诺，可按责任单位、状态、是否逾期筛选。"),
    ),
    retrieve=extend_schema(summary=_("一项承诺"), description=_("含进展报告。")),
)
class CommitmentViewSet(ReadOnlyViewSet):
    list_serializer_class = serializers.CommitmentSerializer
    detail_serializer_class = serializers.CommitmentDetailSerializer
    filterset_class = filters.CommitmentFilter

    def get_queryset(self):
        # page (+ owner, item, reply, reply's department, proposal); on a detail, progress reports.
        queryset = (
            Commitment.objects.public()
            .select_related("owner", "item__response__department", "item__response__proposal")
            .order_by(F("due_on").asc(nulls_last=True), "pk")
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch(
                    "progress_updates", queryset=CommitmentProgress.objects.order_by("reported_on", "pk")
                )
            )
        return queryset


class PlainIntegerField(drf_serializers.IntegerField):
    """An integer written plainly (tracker.filtering.INTEGER): "1.0" or "+1" is not a session id."""

    def get_value(self, dictionary):
        # DRF reads a blank optional query value as absent; `?session=` is not an integer either.
        if dictionary.get(self.field_name) == "":
            return ""
        return super().get_value(dictionary)

    def to_internal_value(self, data):
        if not is_integer(data):
            self.fail("invalid")
        return super().to_internal_value(data)


class StatsQuerySerializer(drf_serializers.Serializer):
    session = PlainIntegerField(
        required=False, min_value=1, max_value=ID_MAX, help_text=_("会议编号（id）：单位统计只计这次会议")
    )


class StatsViewSet(viewsets.ViewSet):
    """The figures of /stats/, read from the same stored snapshots (recounted after every write)."""

    schema = SingleObjectSchema()

    @extend_schema(
        summary=_("办理统计"),
        description=_("与 /stats/ 页面相同的数字：按会议、合计、按承办单位。"),
        parameters=[
            OpenApiParameter(
                "session",
                {"type": "integer", "minimum": 1, "maximum": ID_MAX},
                description=_("会议编号（id）：单位统计只计这次会议"),
            )
        ],
        responses={
            200: serializers.StatsSerializer,
            404: OpenApiResponse(OpenApiTypes.OBJECT, description=_("没有这次会议")),
        },
    )
    def list(self, request):
        query = StatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        figures = stats.current()
        sessions = figures.sessions
        session_id = query.validated_data.get("session")
        if session_id is not None and sessions.row(session_id) is None:
            raise NotFound(_("没有这次会议。"))
        departments = figures.department_table(session_id)
        data = {
            "computed_at": figures.computed_at,
            "session": session_id,
            "sessions": sessions.rows,
            "totals": stats.totals(sessions),
            "departments": departments.rows,
        }
        return ApiResponse(serializers.StatsSerializer(data).data)
