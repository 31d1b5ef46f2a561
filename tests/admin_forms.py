"""What an admin change form posts as it stands, as a browser would send it, for tests."""


def _add(data, form, name):
    field = form.fields[name]
    bound = form[name]
    value = bound.value()
    key = form.add_prefix(name)
    if getattr(field.widget, "input_type", None) == "file":
        return
    if getattr(field.widget, "widgets", None):
        parts = value if isinstance(value, list) else field.widget.decompress(value)
        for index, part in enumerate(parts):
            data[f"{key}_{index}"] = "" if part is None else str(part)
    elif isinstance(value, bool):
        if value:
            data[key] = "on"
    elif isinstance(value, list | tuple):
        data[key] = [str(v) for v in value]
    else:
        data[key] = "" if value is None else str(value)


def _add_form(data, form):
    for name in form.fields:
        _add(data, form, name)


def admin_form_data(client, url):
    """The change form at `url` as posted unchanged: the form, and every inline formset."""
    response = client.get(url)
    assert response.status_code == 200, url
    data = {}
    _add_form(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _add_form(data, formset.management_form)
        for form in formset.forms:
            _add_form(data, form)
    return data
