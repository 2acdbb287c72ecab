"""What a person's browser would post back from an admin change page, unchanged."""


def _value(bound_field):
    value = bound_field.value()
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value]
    if value is True:
        return "on"
    if value is False:
        return ""
    return str(value)


def _form_data(form):
    data = {}
    for bound_field in form:
        if bound_field.field.disabled:
            continue
        value = _value(bound_field)
        if value == "" and bound_field.widget_type == "checkbox":
            continue  # an unticked box is not sent
        data[bound_field.html_name] = value
    return data


def change_form_data(response):
    """The fields of an admin change page's form and inlines, as the page shows them."""
    context = response.context
    data = _form_data(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for form in formset.forms:
            data.update(_form_data(form))
    return data
