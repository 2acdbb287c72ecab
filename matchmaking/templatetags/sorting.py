"""Lists sorted as the reader reads them: ``{{ organisation.languages.all|by_name|join:", " }}``."""

from django import template

from matchmaking.search import sort_key

register = template.Library()


@register.filter
def by_name(items, key=""):
    """``items`` sorted by their name in the active language (``str(item)``, or ``item[key]``
    for dictionaries such as the language switcher's), accents and case aside."""
    if key:
        return sorted(items, key=lambda item: sort_key(item[key]))
    return sorted(items, key=lambda item: sort_key(str(item)))
