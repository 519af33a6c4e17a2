"""Posting admin forms back the way a browser would."""

from django.urls import reverse


def field_values(form, data: dict) -> None:
    for name, field in form.fields.items():
        if field.disabled:
            continue  # a browser posts no value for it and Django uses the initial one
        value = form[name].value()
        if isinstance(value, list | tuple):
            data[form.add_prefix(name)] = [str(v) for v in value]
        else:
            data[form.add_prefix(name)] = "" if value is None else str(value)


def posted_back(response) -> dict:
    """The data the page's change form would post unchanged, inline formsets included."""
    data = {}
    field_values(response.context["adminform"].form, data)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{formset.prefix}-{name}"] = str(formset.management_form[name].value())
        for form in formset.forms:
            field_values(form, data)
    return data


def with_new_inline_row(data: dict, prefix: str, **fields) -> dict:
    """The data with one more inline row, as "Add another" makes it."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data = {**data, f"{prefix}-TOTAL_FORMS": str(index + 1)}
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = str(value)
    return data


def admin_url(obj_or_model, view: str, *args) -> str:
    opts = obj_or_model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)
