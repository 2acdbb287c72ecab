"""Small counts on public pages: any count of people under 5 is shown as "fewer than 5", so
that no participant can be singled out in a small region; shares built on such a count are
not shown either."""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

SUPPRESS_UNDER = 5


def is_suppressed(count) -> bool:
    return count is not None and 0 < count < SUPPRESS_UNDER


def people(count, *, public: bool) -> str:
    if count is None:
        return "–"
    if public and is_suppressed(count):
        return _("fewer than 5")
    return number_format(count, force_grouping=True)


def percent(fraction: Decimal | None) -> str:
    if fraction is None:
        return "–"
    return _("%(value)s %%") % {"value": number_format(fraction * 100, decimal_pos=1)}
