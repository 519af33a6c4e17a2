"""The admin's autocomplete, with each result's text chosen by its ModelAdmin.

Django's autocomplete shows `str(obj)`, which for a quote is cut to 60 characters, often
before the figure a reviewer is looking for. A ModelAdmin with an `autocomplete_text(obj)`
method says what its results read instead; the others keep `str(obj)`.
"""

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView


class AutocompleteView(AutocompleteJsonView):
    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        text = getattr(self.model_admin, "autocomplete_text", None)
        if text is not None:
            result["text"] = text(obj)
        return result


def autocomplete_view(request):
    return AutocompleteView.as_view(admin_site=admin.site)(request)
