"""Administrators manage people, ministries, bureaus and journalists here; the audit log is
read-only for everyone."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from pressroom.releases import store
from pressroom.releases.models import Bureau, BureauName, Ministry, MinistryName

from .models import AuditEntry, Draft, Journalist, Officer, PreviewGrant


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown in the admin, changed only by the newsroom's own pages (and the audit log never)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OfficerInline(admin.StackedInline):
    model = Officer
    can_delete = False
    filter_horizontal = ["ministries"]


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class OfficerUserAdmin(UserAdmin):
    inlines = [OfficerInline]


class MinistryNameInline(admin.TabularInline):
    """Its name in each language, as that language's pages print it."""

    model = MinistryName
    extra = 1


class BureauNameInline(admin.TabularInline):
    model = BureauName
    extra = 1


class OwnerAdmin(admin.ModelAdmin):
    """Ministries and bureaus are saved through the record's writer: a rename reindexes
    their releases (search, feeds, pages) in the same transaction."""

    search_fields = ["name", "names__name"]

    def save_model(self, request, obj, form, change):
        store.save_owner(obj)


@admin.register(Ministry)
class MinistryAdmin(OwnerAdmin):
    list_display = ["name", "slug", "pib_id"]
    inlines = [MinistryNameInline]


@admin.register(Bureau)
class BureauAdmin(OwnerAdmin):
    list_display = ["name", "slug"]
    inlines = [BureauNameInline]


@admin.register(Journalist)
class JournalistAdmin(admin.ModelAdmin):
    list_display = ["name", "outlet", "email", "accredited"]
    list_filter = ["accredited"]
    search_fields = ["name", "email", "outlet"]


@admin.register(Draft)
class DraftAdmin(ReadOnlyAdmin):
    """To look at; the newsroom's own pages change drafts, so the workflow is never skipped."""

    list_display = ["title", "ministry", "state", "scheduled_for", "release"]
    list_filter = ["state", "ministry"]


@admin.register(PreviewGrant)
class PreviewGrantAdmin(admin.ModelAdmin):
    list_display = ["journalist", "draft", "expires_at", "revoked"]

    def has_add_permission(self, request):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_name", "action", "draft", "release_id", "from_state", "to_state"]
    list_filter = ["action"]
