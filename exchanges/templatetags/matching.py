"""Showing a match in a template: ``{{ match|reasons }}``, ``{{ match.score|fit }}``."""

from django import template

from exchanges import explanations

register = template.Library()


@register.filter
def reasons(breakdown, viewer="seeker"):
    """The reasons of a breakdown, or of an ``OfferProfileMatch`` (whose stored breakdown is
    completed from its offer and profile), as a list of sentences (see exchanges.explanations).
    """
    return explanations.reasons(breakdown, viewer=viewer)


@register.filter
def fit(score):
    """A score in [0, 1] as a whole percentage, e.g. 0.734 → "73 %"."""
    if score is None:
        return ""
    return f"{round(score * 100)}\u00a0%"
