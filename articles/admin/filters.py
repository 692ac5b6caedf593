"""The changelist's own filters: trash and schedule."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone

from ..models import Status


class TrashFilter(admin.SimpleListFilter):
    title = "trash"
    parameter_name = "trash"

    def lookups(self, request, model_admin):
        return [("only", "In the trash")]

    def queryset(self, request, queryset):
        if self.value() == "only":
            return queryset.trashed()
        return queryset.not_trashed()


class ScheduleFilter(admin.SimpleListFilter):
    title = "schedule"
    parameter_name = "schedule"

    def lookups(self, request, model_admin):
        return [("scheduled", "Scheduled"), ("live", "Live now"), ("expired", "Expired")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "scheduled":
            return queryset.scheduled(now)
        if self.value() == "live":
            return queryset.live(now)
        if self.value() == "expired":
            return queryset.filter(status=Status.PUBLISHED, expire_at__lte=now)
        return queryset
