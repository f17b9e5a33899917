from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    CoHandlingOpinion,
    Commitment,
    CommitmentCitation,
    CommitmentProgress,
    Feedback,
    FollowUpAnswer,
    FollowUpRound,
    FollowUpTask,
    Response,
    ResponseItem,
)


class ResponseItemInline(admin.StackedInline):
    model = ResponseItem
    extra = 0
    fields = ["parent", "position", "number_label", "heading", "paragraphs"]
    show_change_link = True  # commitments are edited on the item's own page

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A sub-item's parent is an item of the same reply.
        if db_field.name == "parent" and request.resolver_match:
            response_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = ResponseItem.objects.filter(response_id=response_id, parent__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Response)
class ResponseAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "department", "version", "status", "disclosure", "result_class", "issued_on"]
    list_filter = ["status", "disclosure", "result_class", "department"]
    list_select_related = ["department"]
    search_fields = ["title", "document_number", "proposal__number", "proposal__title"]
    date_hierarchy = "issued_on"
    raw_id_fields = ["proposal", "supersedes", "issued_by"]
    autocomplete_fields = ["department"]
    readonly_fields = ["lock_version"]
    inlines = [ResponseItemInline]
    fieldsets = [
        (None, {"fields": ["proposal", "department", "version", "status", "disclosure", "result_class"]}),
        ("文头", {"fields": ["document_number", "signed_by"]}),
        ("正文", {"fields": ["title", "salutation", "opening", "closing"]}),
        ("落款", {"fields": ["signoff_unit", "issued_on", "review_note", "published_on"]}),
        (
            "联系与抄送",
            {"fields": ["contact_unit", "contact_person", "contact_phone", "contact_postcode", "copied_to"]},
        ),
    ]


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0
    fields = ["position", "text", "owner", "due_on", "status"]
    autocomplete_fields = ["owner"]


@admin.register(ResponseItem)
class ResponseItemAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "response", "parent", "position"]
    list_select_related = ["response", "parent"]
    search_fields = ["heading", "paragraphs", "response__proposal__number"]
    raw_id_fields = ["response", "parent"]
    inlines = [CommitmentInline]


class CommitmentProgressInline(admin.TabularInline):
    model = CommitmentProgress
    extra = 0
    fields = ["reported_on", "status", "text", "reported_by"]
    raw_id_fields = ["reported_by"]


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "owner", "due_on", "status"]
    list_filter = ["status", "owner"]
    list_select_related = ["owner"]
    search_fields = ["text", "item__response__proposal__number"]
    date_hierarchy = "due_on"
    raw_id_fields = ["item"]
    autocomplete_fields = ["owner"]
    inlines = [CommitmentProgressInline]


@admin.register(CoHandlingOpinion)
class CoHandlingOpinionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "assignment", "status", "submitted_on"]
    list_filter = ["status"]
    list_select_related = ["assignment__department", "assignment__proposal"]
    search_fields = ["text", "assignment__proposal__number", "assignment__department__name"]
    raw_id_fields = ["assignment", "author"]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["__str__", "response", "rating", "contacted", "submitted_on"]
    list_filter = ["rating", "contacted", "contact_method"]
    list_select_related = ["proposer", "response"]
    search_fields = ["proposer__name", "response__proposal__number", "comments"]
    date_hierarchy = "submitted_on"
    raw_id_fields = ["response", "recorded_by"]
    autocomplete_fields = ["proposer"]


@admin.register(CommitmentProgress)
class CommitmentProgressAdmin(admin.ModelAdmin):
    list_display = ["commitment", "reported_on", "status", "reported_by"]
    list_filter = ["status"]
    list_select_related = ["commitment", "reported_by"]
    search_fields = ["text", "commitment__text"]
    date_hierarchy = "reported_on"
    raw_id_fields = ["commitment", "reported_by"]


@admin.register(CommitmentCitation)
class CommitmentCitationAdmin(admin.ModelAdmin):
    list_display = ["commitment", "proposal", "created_at"]
    list_select_related = ["commitment", "proposal"]
    search_fields = ["proposal__number", "proposal__title", "commitment__text"]
    raw_id_fields = ["commitment", "proposal"]


# 回头看: rounds are run from /followup/; the admin is for looking up and correcting records.
class FollowUpTaskInline(admin.TabularInline):
    model = FollowUpTask
    extra = 0
    fields = ["department", "answered_at", "answered_by", "chase_count", "last_chased_at"]
    raw_id_fields = ["answered_by"]
    autocomplete_fields = ["department"]


@admin.register(FollowUpRound)
class FollowUpRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "session", "result_classes", "deadline", "status"]
    list_filter = ["status"]
    list_select_related = ["session__committee"]
    search_fields = ["title"]
    raw_id_fields = ["opened_by", "closed_by"]
    inlines = [FollowUpTaskInline]


@admin.register(FollowUpTask)
class FollowUpTaskAdmin(admin.ModelAdmin):
    list_display = ["round", "department", "answered_at", "chase_count"]
    list_select_related = ["round", "department"]
    search_fields = ["round__title", "department__name"]
    raw_id_fields = ["round", "answered_by"]
    autocomplete_fields = ["department"]


@admin.register(FollowUpAnswer)
class FollowUpAnswerAdmin(admin.ModelAdmin):
    list_display = ["commitment", "task", "outcome", "new_due_on"]
    list_filter = ["outcome"]
    list_select_related = ["commitment", "task__round", "task__department"]
    search_fields = ["commitment__text", "task__department__name"]
    raw_id_fields = ["task", "commitment"]
