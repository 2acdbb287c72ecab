"""Showing a match in a template: ``{{ match|reasons }}``, ``{{ match.score|fit }}``."""

from django import template

from exchanges import explanations, matching

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
    return f"{explanations.percent(score)}\u00a0%"


@register.simple_tag(takes_context=True)
def fit_adds_up(context, breakdown, score=None, viewer="seeker"):
    """How a score adds up, e.g. "Shared theme: Inclusion +30 · dates overlap fully +15 =
    45 %": at most five factors in the voice of ``viewer`` ("seeker" or "host"), whose points
    add up to the fit shown (see exchanges.explanations.contributions). ``breakdown`` as for
    ``reasons``; ``score`` the fit shown, by default the match's. The weights in use are read
    once per page."""
    weights = context.render_context.get(_WEIGHTS)
    if weights is None:
        weights = context.render_context[_WEIGHTS] = matching.weights()
    if score is None:
        score = getattr(breakdown, "score", None)
    if score is None:
        return ""
    parts = explanations.contributions(breakdown, weights, score=score, viewer=viewer)
    return explanations.adds_up(parts, score)


_WEIGHTS = "exchanges.matching.weights"
