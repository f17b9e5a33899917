from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .intake import IntakeBatch
from .leads import ProposalLead
from .models import (
    Assignment,
    Chase,
    Committee,
    CosignInvitation,
    DeadlineExtension,
    Department,
    Event,
    Profile,
    Proposal,
    ProposalAttachment,
    ProposalProposer,
    ProposalVersion,
    Proposer,
    SentReminder,
    Session,
    Suggestion,
)
from .subscriptions import Subscription


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
    list_display = ["__str__", "year", "opens_on", "closes_on", "submission_deadline"]
    list_filter = ["committee", "year"]
    list_select_related = ["committee"]
    date_hierarchy = "opens_on"


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "committee", "is_active"]
    list_filter = ["kind", "is_active", "committee"]
    list_select_related = ["committee"]
    search_fields = ["name", "duties"]
    fields = ["name", "kind", "committee", "is_active", "duties"]


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


class ProposalAttachmentInline(admin.TabularInline):
    model = ProposalAttachment
    extra = 0


class SuggestionInline(admin.TabularInline):
    model = Suggestion
    extra = 0


@admin.register(Proposal)
class ProposalAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "session", "kind", "status", "is_key", "is_published", "submitted_on"]
    list_display_links = ["number", "title"]
    list_filter = ["status", "kind", "is_key", "is_published", "category", "session"]
    list_select_related = ["session__committee"]
    search_fields = ["=number", "title"]
    date_hierarchy = "submitted_on"
    raw_id_fields = ["merged_into", "referred_to"]
    inlines = [ProposalProposerInline, SuggestionInline, AssignmentInline, ProposalAttachmentInline]
    fieldsets = [
        (None, {"fields": ["session", "number", "kind", "title", "body", "submitted_on", "category"]}),
        (
            _("审查与办理"),
            {
                "fields": [
                    "status",
                    "merged_into",
                    "not_registered_reason",
                    "referred_to",
                    "registration_note",
                    "times_returned",
                    "cosign_deadline",
                ]
            },
        ),
        (_("重点与公开"), {"fields": ["is_key", "supervising_leader", "is_published"]}),
    ]


class DeadlineExtensionInline(admin.TabularInline):
    model = DeadlineExtension
    extra = 0
    raw_id_fields = ["granted_by"]


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["proposal", "department", "role", "assigned_on", "due_on", "received_on", "returned_on"]
    list_filter = ["role", "department"]
    list_select_related = ["proposal", "department"]
    search_fields = ["proposal__number", "proposal__title", "department__name"]
    date_hierarchy = "due_on"
    autocomplete_fields = ["department", "assigned_by"]
    raw_id_fields = ["proposal", "assigned_by_user"]
    inlines = [DeadlineExtensionInline]


@admin.register(ProposalProposer)
class ProposalProposerAdmin(admin.ModelAdmin):
    list_display = ["proposal", "proposer", "position"]
    list_select_related = ["proposal", "proposer"]
    search_fields = ["proposal__number", "proposal__title", "proposer__name"]
    raw_id_fields = ["proposal"]
    autocomplete_fields = ["proposer"]


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    autocomplete_fields = ["department", "proposer", "files_for"]
    verbose_name_plural = _("角色与单位")


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class TrackerUserAdmin(UserAdmin):
    """Users with their tracker role, department and proposer, managed in one place by the office."""

    inlines = [ProfileInline]
    list_display = ["username", "email", "get_role", "get_department", "is_active"]
    list_select_related = ["profile__department"]
    list_filter = ["profile__role", "is_active", "is_staff"]

    @admin.display(description=_("角色"))
    def get_role(self, user):
        profile = getattr(user, "profile", None)
        return profile.get_role_display() if profile else "—"

    @admin.display(description=_("所在单位"))
    def get_department(self, user):
        profile = getattr(user, "profile", None)
        return profile.department if profile and profile.department else "—"


@admin.register(Profile)
class ProfileAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "department", "proposer", "can_sign_off"]
    list_filter = ["role", "can_sign_off", "department"]
    list_select_related = ["user", "department", "proposer"]
    search_fields = ["user__username", "department__name", "proposer__name"]
    autocomplete_fields = ["department", "proposer", "files_for"]
    raw_id_fields = ["user"]


@admin.register(ProposalAttachment)
class ProposalAttachmentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "proposal", "uploaded_at"]
    list_select_related = ["proposal"]
    search_fields = ["name", "proposal__number", "proposal__title"]
    raw_id_fields = ["proposal"]


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(admin.ModelAdmin):
    list_display = ["assignment", "previous_due_on", "new_due_on", "granted_by", "granted_at"]
    list_select_related = ["assignment__department", "granted_by"]
    search_fields = ["assignment__proposal__number", "reason"]
    date_hierarchy = "granted_at"
    raw_id_fields = ["assignment", "granted_by"]


@admin.register(Chase)
class ChaseAdmin(admin.ModelAdmin):
    list_display = ["assignment", "chased_by", "chased_at"]
    list_select_related = ["assignment__department", "chased_by"]
    search_fields = ["assignment__proposal__number", "assignment__department__name", "note"]
    date_hierarchy = "chased_at"
    raw_id_fields = ["assignment", "chased_by"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """The timeline is append-only: readable here, never edited."""

    list_display = ["created_at", "proposal", "kind", "department", "actor", "is_public"]
    list_filter = ["kind", "is_public"]
    list_select_related = ["proposal", "department", "actor"]
    search_fields = ["proposal__number", "proposal__title", "message"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    list_display = ["key", "sent_at"]
    search_fields = ["key"]
    date_hierarchy = "sent_at"


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "proposal", "confirmed_at", "created_at"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["proposal"]
    search_fields = ["email", "proposal__number", "proposal__title"]
    raw_id_fields = ["proposal"]
    readonly_fields = ["token"]


@admin.register(IntakeBatch)
class IntakeBatchAdmin(admin.ModelAdmin):
    """Excel uploads of proposals: looked at, or deleted when stuck; the rows are the import's own."""

    list_display = ["file_name", "status", "created_by", "created_at", "created_count"]
    list_filter = ["status"]
    list_select_related = ["created_by"]
    search_fields = ["file_name", "=sha256"]
    raw_id_fields = ["created_by"]
    readonly_fields = ["sha256", "rows", "decided_at", "created_count"]
    date_hierarchy = "created_at"


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["proposal", "position", "text"]
    list_select_related = ["proposal"]
    search_fields = ["text", "=proposal__number"]
    raw_id_fields = ["proposal"]


@admin.register(ProposalLead)
class ProposalLeadAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "created_at", "screened_at"]
    list_filter = ["status"]
    search_fields = ["title", "description"]
    readonly_fields = ["created_at", "screened_at", "screened_by"]
@admin.register(CosignInvitation)
class CosignInvitationAdmin(admin.ModelAdmin):
    list_display = ["proposal", "proposer", "position", "status", "invited_at", "answered_at"]
    list_filter = ["status"]
    list_select_related = ["proposal", "proposer"]
    search_fields = ["proposal__title", "proposer__name"]
    raw_id_fields = ["proposal"]
    autocomplete_fields = ["proposer"]


@admin.register(ProposalVersion)
class ProposalVersionAdmin(admin.ModelAdmin):
    """What each submission said; kept for the record, so read-only."""

    list_display = ["proposal", "number", "title", "submitted_at", "submitted_by"]
    list_select_related = ["proposal", "submitted_by"]
    search_fields = ["proposal__number", "title"]
    raw_id_fields = ["proposal", "submitted_by"]

    def has_change_permission(self, request, obj=None):
        return False
