"""Entities and topics: plain records without rules of their own."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from claims.models import (
    Alias,
    Entity,
    Topic,
)
from claims.search import (
    search_entities,
    search_topics,
)


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 0
    fields = ("name",)


@admin.register(Entity)
class EntityAdmin(SimpleHistoryAdmin):
    list_display = ("name", "name_zh", "kind", "slug")
    list_filter = ("kind",)
    # get_search_results searches these through claims.search: 馬斯克 finds 马斯克 and Musk.
    search_fields = ("name", "name_zh", "aliases__folded")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (AliasInline,)

    def get_search_results(self, request, queryset, search_term):
        return search_entities(queryset, search_term), False


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "name_zh", "slug")
    # get_search_results searches these through claims.search.
    search_fields = ("name", "name_zh", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def get_search_results(self, request, queryset, search_term):
        return search_topics(queryset, search_term), False
