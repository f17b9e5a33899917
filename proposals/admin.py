from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Assignment, Committee, Department, Proposal, ProposalProposer, Proposer, Session


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "level", "reply_months"]
    list_filter = ["level"]
    search_fields = ["name", "short_name"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "level"]}),
        (_("办复类别"), {"fields": ["result_a_label", "result_b_label", "result_c_label", "result_d_label"]}),
        (_("办理期限"), {"fields": ["reply_months", "opinion_months", "objection_working_days"]}),
    ]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "year", "opens_on", "closes_on"]
    list_filter = ["committee", "year"]
    list_select_related = ["committee"]
    date_hierarchy = "opens_on"


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "committee", "is_active"]
    list_filter = ["kind", "is_active", "committee"]
    list_select_related = ["committee"]
    search_fields = ["name"]


@admin.register(Proposer)
class ProposerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "sector", "party"]
    list_filter = ["kind", "sector", "party"]
    search_fields = ["name", "affiliation"]


class ProposalProposerInline(admin.TabularInline):
    model = ProposalProposer
    extra = 0
    autocomplete_fields = ["proposer"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    fk_name = "proposal"
    extra = 0
    fields = [
        "department",
        "role",
        "position",
        "assigned_by",
        "assigned_on",
        "due_on",
        "received_on",
        "returned_on",
        "return_reason",
    ]
    autocomplete_fields = ["department", "assigned_by"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "session", "kind", "status", "is_key", "is_published", "submitted_on"]
    list_display_links = ["number", "title"]
    list_filter = ["status", "kind", "is_key", "is_published", "category", "session"]
    list_select_related = ["session__committee"]
    search_fields = ["=number", "title"]
    date_hierarchy = "submitted_on"
    raw_id_fields = ["merged_into"]
    inlines = [ProposalProposerInline, AssignmentInline]
    fieldsets = [
        (None, {"fields": ["session", "number", "kind", "title", "body", "submitted_on", "category"]}),
        (
            _("审查与办理"),
            {"fields": ["status", "merged_into", "not_registered_reason", "registration_note"]},
        ),
        (_("重点与公开"), {"fields": ["is_key", "is_published"]}),
    ]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["proposal", "department", "role", "assigned_on", "due_on", "received_on", "returned_on"]
    list_filter = ["role", "department"]
    list_select_related = ["proposal", "department"]
    search_fields = ["proposal__number", "proposal__title", "department__name"]
    date_hierarchy = "due_on"
    autocomplete_fields = ["department", "assigned_by"]
    raw_id_fields = ["proposal"]


@admin.register(ProposalProposer)
class ProposalProposerAdmin(admin.ModelAdmin):
    list_display = ["proposal", "proposer", "position"]
    list_select_related = ["proposal", "proposer"]
    search_fields = ["proposal__number", "proposal__title", "proposer__name"]
    raw_id_fields = ["proposal"]
    autocomplete_fields = ["proposer"]
