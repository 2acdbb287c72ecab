"""The desk's unread counts: ``{{ unread|unread_on:application }}`` (or an exchange, an offer)."""

from django import template

register = template.Library()


@register.filter
def unread_on(unread, obj):
    """Unread messages on ``obj`` (``exchanges.selectors.UnreadMessages.on``); 0 without counts."""
    return unread.on(obj) if unread else 0
