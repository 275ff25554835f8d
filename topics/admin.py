import re

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from simple_history.admin import SimpleHistoryAdmin

from topics import loader, packs, versions
from topics.models import (
    Citation,
    ContentSnapshot,
    Disagreement,
    DoctorQuestion,
    Evidence,
    HistoryChoice,
    HistoryQuestion,
    KnowledgeStatement,
    Option,
    RedFlag,
    Risk,
    Topic,
    ValueStatement,
)


class TopicChildInline(admin.StackedInline):
    extra = 0
    show_change_link = True


class OptionInline(TopicChildInline):
    model = Option
    fields = ("order", "key", "title", "short_title", "is_wait")


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 0
    fields = ("key", "authors", "year", "title", "journal", "volume_pages", "doi", "url")


class DisagreementInline(TopicChildInline):
    model = Disagreement
    filter_horizontal = ("citations",)


class RedFlagInline(admin.TabularInline):
    model = RedFlag
    extra = 0
    fields = ("order", "key", "tier", "text")


class HistoryQuestionInline(admin.TabularInline):
    model = HistoryQuestion
    extra = 0
    show_change_link = True
    fields = ("order", "key", "kind", "screen", "text", "sheet_label")


class KnowledgeInline(TopicChildInline):
    model = KnowledgeStatement
    filter_horizontal = ("citations",)


class ValueInline(TopicChildInline):
    model = ValueStatement
    filter_horizontal = ("points_toward",)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        """Offer only the options of this topic."""
        topic_id = request.resolver_match.kwargs.get("object_id")
        if db_field.name == "points_toward" and topic_id:
            kwargs["queryset"] = Option.objects.filter(topic_id=topic_id)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class DoctorQuestionInline(admin.TabularInline):
    model = DoctorQuestion
    extra = 0


class HistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's admin, answering 404, not 500, for a history address whose
    object or version is not a number (the library passes them to the database as they are)."""

    def history_view(self, request, object_id, extra_context=None):
        _a_number_or_404(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        _a_number_or_404(object_id, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


def _a_number_or_404(*values):
    if not all(re.fullmatch(r"[0-9]{1,18}", str(value)) for value in values):
        raise Http404("No such record.")


class ContentVersionMixin:
    """Keeps the topic's content version true after any edit, move or delete, and guards
    publishing. Patient pages cache content by version, so a missed refresh would show stale
    content."""

    # A child's relation to its topic; None on the topic's own admin.
    topic_field = None

    def topic_of(self, obj):
        return getattr(obj, self.topic_field) if self.topic_field else obj

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self._content_changed(request, self.topic_of(form.instance))
        # A child moved to another topic changes the topic it left as well.
        if change and self.topic_field and self.topic_field in form.changed_data:
            for left in Topic.objects.filter(pk=form.initial.get(self.topic_field)):
                self._content_changed(request, left)

    def delete_model(self, request, obj):
        topic = self.topic_of(obj)
        super().delete_model(request, obj)
        if self.topic_field:
            self._content_changed(request, topic)

    def delete_queryset(self, request, queryset):
        topic_ids = (
            set(queryset.values_list(self.topic_field, flat=True)) if self.topic_field else ()
        )
        super().delete_queryset(request, queryset)
        for topic in Topic.objects.filter(pk__in=topic_ids):
            self._content_changed(request, topic)

    def _content_changed(self, request, topic):
        loader.refresh_content_version(topic)
        if topic.is_published:
            try:
                packs.validate_pack(loader.export_topic(topic), filename=topic.slug)
            except packs.PackError as exc:
                Topic.objects.filter(pk=topic.pk).update(status=Topic.Status.DRAFT)
                self.message_user(
                    request,
                    f"{topic.title} was saved as a draft, because it is missing required "
                    "content: " + "; ".join(e.split(": ", 1)[1] for e in exc.errors),
                    messages.ERROR,
                )


@admin.register(Topic)
class TopicAdmin(ContentVersionMixin, HistoryAdmin):
    list_display = (
        "title",
        "language",
        "translations_status",
        "status",
        "last_reviewed",
        "next_review_due",
        "review_overdue",
        "content_version",
        "edited_since_load",
    )
    list_filter = ("status", "language", "next_review_due")
    search_fields = ("title", "slug", "decision", "condition")
    readonly_fields = (
        "content_version",
        "pack_version",
        "updated_at",
        "language",
        "translations_status",
        "translated_by",
        "review_note",
    )
    prepopulated_fields = {"slug": ("title",)}
    fieldsets = (
        (None, {"fields": ("title", "slug", "status", "decision", "condition", "audience")}),
        ("Patient text", {"fields": ("summary", "background", "minutes")}),
        (
            "Dates and policies (IPDAS)",
            {
                "fields": (
                    "published",
                    "last_reviewed",
                    "evidence_searched",
                    "next_review_due",
                    "update_policy",
                    "funding",
                    "authors",
                    "reviewers",
                    "uncertainty",
                )
            },
        ),
        (
            "Language and translations",
            {"fields": ("language", "translations_status", "translated_by", "review_note")},
        ),
        ("Version", {"fields": ("content_version", "pack_version", "updated_at")}),
    )
    inlines = (
        OptionInline,
        CitationInline,
        DisagreementInline,
        RedFlagInline,
        HistoryQuestionInline,
        KnowledgeInline,
        ValueInline,
        DoctorQuestionInline,
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.select_related("translation_of").prefetch_related("translations")

    @admin.display(description="Translations")
    def translations_status(self, obj):
        """For a source, each translation and whether it is current with it; for a
        translation, its source and whether it is current."""
        if obj.translation_of_id:
            source = obj.translation_of
            if obj.is_current_translation:
                return f"Translation of {source.title}: current with it"
            return (
                f"Translation of {source.title}: OUT OF DATE (translates version "
                f"{obj.source_version}; the source is now {source.content_version}). Patients "
                "are offered the source language only until it is updated."
            )
        found = [
            f"{t.language}: {'current' if t.is_current_translation else 'OUT OF DATE'}"
            for t in obj.translations.all()
        ]
        return "; ".join(found) or "None"

    @admin.display(boolean=True, description="Review overdue")
    def review_overdue(self, obj):
        return obj.next_review_due < timezone.localdate()

    @admin.display(boolean=True, description="Edited since pack load")
    def edited_since_load(self, obj):
        return obj.edited_since_load

    # --- looking back: every change to the topic's content, and each version as it was ---

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/content-history/",
                view(self.content_history_view),
                name="topics_topic_content_history",
            ),
            path(
                "<path:object_id>/versions/<slug:version>/",
                view(self.version_view),
                name="topics_topic_version",
            ),
            *super().get_urls(),
        ]

    def _context(self, request, topic, title):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": topic,
            "topic": topic,
            "title": title,
        }

    def content_history_view(self, request, object_id):
        """Who changed what in the topic and all its content, when, with the previous values."""
        topic = get_object_or_404(Topic, pk=object_id)
        if not self.has_view_permission(request, topic):
            raise PermissionDenied
        before = parse_datetime(request.GET.get("before", "")) or None
        changes, older = versions.topic_changes(topic, before=before)
        context = self._context(request, topic, f"Content history: {topic.title}")
        context |= {
            "changes": changes,
            "older": older,
            "snapshots": topic.snapshots.all(),
            "can_view_versions": request.user.has_perm("topics.view_contentsnapshot"),
        }
        return TemplateResponse(request, "admin/topics/topic/content_history.html", context)

    def version_view(self, request, object_id, version):
        """The topic's content at one content version, as it was."""
        topic = get_object_or_404(Topic, pk=object_id)
        if not request.user.has_perm("topics.view_contentsnapshot"):
            raise PermissionDenied
        pack = versions.content_at(topic, version)
        if pack is None:
            raise Http404("That content version was not kept.")
        snapshot = ContentSnapshot.objects.get(topic=topic, version=version)
        context = self._context(request, topic, f"{topic.title}: content version {version}")
        context |= {
            "version": version,
            "snapshot": snapshot,
            "is_current": version == topic.content_version,
            "outline": versions.outline(pack),
        }
        return TemplateResponse(request, "admin/topics/topic/version.html", context)


class EvidenceInline(admin.StackedInline):
    model = Evidence
    extra = 0
    filter_horizontal = ("citations",)
    fieldsets = (
        (None, {"fields": ("kind", "order", "text", "certainty", "certainty_note", "citations")}),
        (
            "Numbers (optional: people or points on a scale, never both; see SCHEMA.md)",
            {"classes": ("collapse",), "fields": ("numbers",)},
        ),
    )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return _citations_of_parent_topic(self, db_field, request, **kwargs)


class RiskInline(admin.StackedInline):
    model = Risk
    extra = 0
    filter_horizontal = ("citations",)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return _citations_of_parent_topic(self, db_field, request, **kwargs)


def _citations_of_parent_topic(inline, db_field, request, **kwargs):
    """Offer only the citations of the option's own topic."""
    option_id = request.resolver_match.kwargs.get("object_id")
    if db_field.name == "citations" and option_id:
        kwargs["queryset"] = Citation.objects.filter(topic__options__pk=option_id)
    return admin.StackedInline.formfield_for_manytomany(inline, db_field, request, **kwargs)


@admin.register(Option)
class OptionAdmin(ContentVersionMixin, HistoryAdmin):
    list_display = ("title", "topic", "order", "is_wait", "evidence_count")
    list_filter = ("topic", "is_wait")
    search_fields = ("title", "involves", "topic__title")
    list_select_related = ("topic",)
    inlines = (EvidenceInline, RiskInline)
    fieldsets = (
        (None, {"fields": ("topic", "order", "key", "title", "short_title", "is_wait")}),
        ("What it is like", {"fields": ("involves", "living_with", "watch_for")}),
        ("Practical issues", {"fields": ("visits", "time_needed", "cost")}),
        ("Numbers", {"fields": ("no_numbers_reason",)}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(num_evidence=Count("evidence"))

    @admin.display(description="Evidence statements", ordering="num_evidence")
    def evidence_count(self, obj):
        return obj.num_evidence

    topic_field = "topic"


class HistoryChoiceInline(admin.TabularInline):
    model = HistoryChoice
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        question_id = request.resolver_match.kwargs.get("object_id")
        if db_field.name == "tailoring_option" and question_id:
            kwargs["queryset"] = Option.objects.filter(topic__history_questions__pk=question_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(HistoryQuestion)
class HistoryQuestionAdmin(ContentVersionMixin, HistoryAdmin):
    list_display = ("text", "topic", "order")
    list_filter = ("topic",)
    search_fields = ("text", "key")
    inlines = (HistoryChoiceInline,)

    topic_field = "topic"


@admin.register(Citation)
class CitationAdmin(ContentVersionMixin, HistoryAdmin):
    list_display = ("__str__", "title", "journal", "topic")
    list_filter = ("topic", "year")
    search_fields = ("authors", "title", "journal", "key")

    topic_field = "topic"
