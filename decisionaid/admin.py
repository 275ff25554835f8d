from django.contrib import admin
from django.template.response import TemplateResponse

from decisionaid.models import ApiKey, SheetAccess


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys for the FHIR API. A new key is shown once, on the page after "Save"."""

    list_display = ("name", "prefix", "is_active", "expires_at", "created_at", "last_used_at")
    list_filter = ("is_active",)
    search_fields = ("name", "prefix")
    readonly_fields = ("prefix", "created_at", "last_used_at")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("name", "expires_at")
        return ("name", "prefix", "is_active", "expires_at", "created_at", "last_used_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.new_key = obj.set_new_key()
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        """Show the key this once, instead of redirecting: it is stored nowhere, not even in
        a message cookie."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "api_key": obj,
            "key": obj.new_key,
            "title": f"API key {obj.name} created",
        }
        return TemplateResponse(request, "admin/decisionaid/apikey/created.html", context)


@admin.register(SheetAccess)
class SheetAccessAdmin(admin.ModelAdmin):
    """Who read which sheet: for superusers only, and read-only."""

    list_display = ("at", "reader", "kind", "visit_code")
    list_filter = ("kind", "at")
    search_fields = ("visit_code", "reader")
    date_hierarchy = "at"

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
