from django import template
from django.utils.html import format_html

from partnership.monitoring import suppression

register = template.Library()


@register.filter
def people(count, public=False):
    """A count of people; on a public page one under 5 reads "fewer than 5"."""
    return suppression.people(count, public=bool(public))


@register.filter
def percent(fraction):
    return suppression.percent(fraction)


@register.filter
def public_share(row_part, public=False):
    """True when a share built on this count may be shown (not on a suppressed count)."""
    return not (public and suppression.is_suppressed(row_part))


@register.simple_tag(takes_context=True)
def figure(context, count, link="", people=True):
    """A figure: suppressed under 5 on the public page when it counts people, a link to the
    records behind it on the secretariat's dashboard."""
    text = suppression.people(count, public=bool(context.get("public")) and people)
    if context.get("whole") and link:
        return format_html('<a href="{}">{}</a>', link, text)
    return text
