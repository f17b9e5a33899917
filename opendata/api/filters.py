"""Query-string filters of the API (django-filter). Each shows up as a parameter in the schema."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.drainage import set_override

from proposals.models import Assignment, Department, Proposal
from responses.models import Commitment, Response
from search.api import filter_proposals
from search.bigrams import MAX_QUERY_LENGTH
from tracker.filtering import IdFilter, year_filter


class CodeFilter(django_filters.ChoiceFilter):
    """A choice documented as a string listing its codes, not as an enum (see api.serializers.codes_field)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        codes = "；".join(f"{value} {label}" for value, label in self.extra["choices"])
        description = f"{self.extra.get('help_text', '')}：{codes}"
        enum = [value for value, _label in self.extra["choices"]]
        set_override(self, "field", {"type": "string", "enum": enum, "description": description})


BOOLEANS = {"true", "false", "True", "False", "1", "0"}


class ApiFilterSet(django_filters.FilterSet):
    """Refuses (400) what django-filter would silently ignore: a present but empty parameter unless
    it is text (`?kind=` filters nothing; `?q=` is an empty search), and a yes/no parameter that is
    neither true nor false (`?key=null`)."""

    def is_valid(self):
        valid = super().is_valid()
        for name, query_filter in self.filters.items():
            if name not in self.data or isinstance(query_filter, django_filters.CharFilter):
                continue
            value = self.data.get(name)
            if value == "":
                self.form.add_error(name, _("不能为空：不按此筛选时请省略这个参数。"))
                valid = False
            elif isinstance(query_filter, django_filters.BooleanFilter) and value not in BOOLEANS:
                self.form.add_error(name, _("须为 true 或 false。"))
                valid = False
        return valid


class ProposalFilter(ApiFilterSet):
    session = IdFilter(field_name="session_id", help_text=_("会议编号（id）"))
    year = year_filter(field_name="session__year", help_text=_("年度，如 2020"))
    kind = django_filters.ChoiceFilter(choices=Proposal.Kind.choices, help_text=_("提案或建议"))
    status = django_filters.ChoiceFilter(choices=Proposal.Status.choices, help_text=_("办理状态"))
    department = IdFilter(
        method="filter_department", help_text=_("承办单位编号（id）：主办、会办或分办，不含已退回")
    )
    key = django_filters.BooleanFilter(field_name="is_key", help_text=_("重点提案"))
    q = django_filters.CharFilter(
        method="filter_text",
        max_length=MAX_QUERY_LENGTH,
        help_text=_("全文检索：案由、正文和已公开的答复"),
    )
    set_override(
        q,
        "field",
        {
            "type": "string",
            "maxLength": MAX_QUERY_LENGTH,
            # Django refuses a NUL character in any form field (400, "null characters are not allowed")
            "pattern": "^[^\\x00]*$",
            "description": str(q.extra["help_text"]),
        },
    )

    class Meta:
        model = Proposal
        fields = []

    def filter_department(self, queryset, name, value):
        handled = Assignment.objects.active().filter(department_id=value).values("proposal_id")
        return queryset.filter(pk__in=handled)

    def filter_text(self, queryset, name, value):
        return filter_proposals(queryset, value)


class DepartmentFilter(ApiFilterSet):
    kind = CodeFilter(choices=Department.Kind.choices, help_text=_("单位类型"))
    is_active = django_filters.BooleanFilter(help_text=_("在用"))

    class Meta:
        model = Department
        fields = []


class ReplyFilter(ApiFilterSet):
    department = IdFilter(field_name="department_id", help_text=_("答复单位编号（id）"))
    session = IdFilter(field_name="proposal__session_id", help_text=_("会议编号（id）"))
    year = year_filter(field_name="proposal__session__year", help_text=_("年度"))
    proposal = IdFilter(field_name="proposal_id", help_text=_("提案编号（id）"))
    result_class = django_filters.ChoiceFilter(choices=Response.ResultClass.choices, help_text=_("办复类别"))
    published_after = django_filters.DateFilter(
        field_name="published_on", lookup_expr="gte", help_text=_("公开日期不早于（YYYY-MM-DD）")
    )
    published_before = django_filters.DateFilter(
        field_name="published_on", lookup_expr="lte", help_text=_("公开日期不晚于（YYYY-MM-DD）")
    )

    class Meta:
        model = Response
        fields = []


class CommitmentFilter(ApiFilterSet):
    owner = IdFilter(method="filter_owner", help_text=_("责任单位编号（id）；未指定责任单位的承诺归答复单位"))
    status = CodeFilter(choices=Commitment.Status.choices, help_text=_("承诺状态"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", help_text=_("未完成且已过完成期限"))
    session = IdFilter(field_name="item__response__proposal__session_id", help_text=_("会议编号（id）"))

    class Meta:
        model = Commitment
        fields = []

    def filter_owner(self, queryset, name, value):
        return queryset.filter(Q(owner_id=value) | Q(owner__isnull=True, item__response__department_id=value))

    def filter_overdue(self, queryset, name, value):
        # The same rule as CommitmentQuerySet.overdue(), as a condition on this queryset.
        overdue = Q(status__in=Commitment.Status.open(), due_on__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
