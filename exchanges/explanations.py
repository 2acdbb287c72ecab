"""A stored match's breakdown, said in words a coordinator trusts.

The one place that turns a breakdown (see ``exchanges.matching.breakdowns``) into sentences,
for the pages and the emails alike. It translates at the moment it is called, so an email gets
the reasons in its recipient's language.

A breakdown in full (an application's, or one scored on the fly) holds every fact. A stored
match's is slim: its components and reciprocity facts only; ``facts`` completes it from the
offer and the interest profile as they are now (their themes, languages, dates and support
for participants with fewer opportunities). It reads what the two objects hold: prefetch
their ``themes`` and ``languages`` when showing many matches.
"""

from dataclasses import dataclass

from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext as _

from matchmaking.scoring import COMPONENTS
from matchmaking.scoring.components import date_facts
from matchmaking.vocabularies import LANGUAGES

SLIM_VERSION = 2  # exchanges.matching.breakdowns.SLIM_VERSION

# Why a pair was excluded, by the engine's Exclusion name.
EXCLUSIONS = {
    "EXCHANGE_TYPE": pgettext_lazy("exclusion", "not an exchange type sought"),
    "DATES": pgettext_lazy("exclusion", "no dates in common"),
    "LANGUAGE": pgettext_lazy("exclusion", "no working language in common"),
    "CAPACITY": pgettext_lazy("exclusion", "more participants than places left"),
    "COUNTRY": pgettext_lazy("exclusion", "not in a country wanted"),
    "SAME_ORGANISATION": pgettext_lazy("exclusion", "the same organisation"),
}

SEPARATOR = " · "
# Below this text similarity, "similar wording" would oversell a chance overlap of words.
TEXT_SIMILARITY_WORTH_SAYING = 0.2


def _names(msgids):
    # Stored as the vocabulary's own names, which are the translation catalogue's msgids.
    return ", ".join(gettext(name) for name in msgids)


def facts(breakdown, *, offer=None, profile=None) -> dict:
    """The breakdown with every fact ``reasons`` says: a breakdown in full as it is; a slim
    one (a stored match's) completed from ``offer`` and ``profile``."""
    if not breakdown or breakdown.get("version") != SLIM_VERSION:
        return breakdown or {}
    said = {
        "components": dict(zip(COMPONENTS, breakdown.get("components") or ())),
        "exclusion": "NONE",
        "past_partners": bool(breakdown.get("past_partners")),
        "host_seeks_what_seeker_hosts": bool(breakdown.get("host_seeks_what_seeker_hosts")),
    }
    if offer is None or profile is None:
        return said
    # The names in the order of the vocabularies, as the engine's columns have them.
    profile_themes = {theme.pk for theme in profile.themes.all()}
    themes = sorted(
        (t for t in offer.themes.all() if t.pk in profile_themes),
        key=lambda t: (t.position, t.name, t.pk),
    )
    profile_languages = {language.pk for language in profile.languages.all()}
    languages = sorted(
        (lang for lang in offer.languages.all() if lang.pk in profile_languages),
        key=lambda lang: (lang.name, lang.pk),
    )
    # The engine's arithmetic, on this pair's dates as the loaders give them to it.
    has_window = bool(profile.available_from and profile.available_until)
    overlap, window = date_facts(
        offer.available_from.toordinal(),
        offer.available_until.toordinal(),
        has_window,
        profile.available_from.toordinal() if has_window else 0,
        profile.available_until.toordinal() if has_window else 0,
    )
    said.update(
        shared_themes=[t.name for t in themes],
        shared_languages=[lang.name for lang in languages],
        date_overlap_days=int(overlap),
        seeker_window_days=int(window) if has_window else None,
        fewer_opportunities=[
            bool(offer.supports_fewer_opportunities),
            profile.fewer_opportunity_participants,
        ],
        # As the engine saw them: the vectors when both texts have one.
        text_by_vectors=bool(offer.text_vector) and bool(profile.text_vector),
        text_languages=[offer.text_language or None, profile.text_language or None],
    )
    return said


def of_match(match) -> dict:
    """The facts of an ``OfferProfileMatch`` (its offer and profile loaded)."""
    return facts(match.breakdown, offer=match.offer, profile=match.profile)


def _facts(breakdown, offer, profile):
    if hasattr(breakdown, "breakdown"):  # a match
        return of_match(breakdown)
    return facts(breakdown, offer=offer, profile=profile)


def exclusion(breakdown) -> str:
    """Why the pair is excluded, or "" if it is not."""
    name = breakdown.get("exclusion") or "NONE"
    if name == "CAPACITY" and breakdown.get("capacity"):
        participants, places_left = breakdown["capacity"]
        return ngettext(
            "more participants than places left (%(participants)d for %(places)d place)",
            "more participants than places left (%(participants)d for %(places)d places)",
            places_left,
        ) % {"participants": participants, "places": places_left}
    reason = EXCLUSIONS.get(name)
    return str(reason) if reason else ""


def reasons(breakdown, *, viewer="seeker", offer=None, profile=None) -> list[str]:
    """The reasons a pair fits, best first; an excluded pair's one reason is its exclusion.

    ``breakdown``: a breakdown, with the ``offer`` and ``profile`` it is about when it is a
    stored match's (see ``facts``), or an ``OfferProfileMatch``. ``viewer`` is who reads
    them: the sending side (``"seeker"``: recommendations, alerts) or the host (``"host"``:
    its applications and the organisations that may be interested).
    """
    breakdown = _facts(breakdown, offer, profile)
    if not breakdown:
        return []
    excluded = exclusion(breakdown)
    if excluded:
        return [excluded]
    said = []
    themes = breakdown.get("shared_themes") or []
    if themes:
        said.append(
            ngettext("Shared theme: %(names)s", "Shared themes: %(names)s", len(themes))
            % {"names": _names(themes)}
        )
    said.extend(_dates(breakdown))
    languages = breakdown.get("shared_languages") or []
    if languages:
        said.append(
            ngettext("language: %(names)s", "languages: %(names)s", len(languages))
            % {"names": _names(languages)}
        )
    supports, brings = breakdown.get("fewer_opportunities") or (False, 0)
    if supports and brings:
        said.append(_("supports participants with fewer opportunities"))
    if breakdown.get("past_partners"):
        said.append(_("you have worked together before"))
    if breakdown.get("host_seeks_what_seeker_hosts"):
        said.append(
            _("the host looks for exchanges of a kind you host")
            if viewer == "seeker"
            else _("they host exchanges of a kind you look for")
        )
    if (breakdown.get("components") or {}).get("text", 0) >= TEXT_SIMILARITY_WORTH_SAYING:
        said.append(_text(breakdown))
    return said


def _text(breakdown):
    """Why the texts fit: the sentence vectors compare subjects, across languages too."""
    if not breakdown.get("text_by_vectors"):
        return _("similar wording in the descriptions")
    first, second = (list(breakdown.get("text_languages") or ()) + [None, None])[:2]
    if first and second and first != second:
        return _("similar subject, written in %(first)s and %(second)s") % {
            "first": _language_name(first),
            "second": _language_name(second),
        }
    return _("similar subject")


def _language_name(code):
    name = dict(LANGUAGES).get(code)
    return str(name) if name is not None else code


def _dates(breakdown):
    overlap = breakdown.get("date_overlap_days") or 0
    window = breakdown.get("seeker_window_days")
    if not window or overlap <= 0:
        return []  # no window asked for: any dates suit
    if overlap >= window:
        return [_("dates overlap fully")]
    return [
        ngettext("dates overlap for %(days)d day", "dates overlap for %(days)d days", overlap)
        % {"days": overlap}
    ]


def sentence(breakdown, *, viewer="seeker", offer=None, profile=None) -> str:
    """The reasons on one line, e.g. "Shared themes: Inclusion · dates overlap fully"."""
    return SEPARATOR.join(reasons(breakdown, viewer=viewer, offer=offer, profile=profile))


# How the score adds up ---------------------------------------------------------------------
#
# A score is Σ wᵢ·cᵢ over the components (the weights normalised to sum to 1), so each
# component contributes wᵢ·cᵢ of it. ``contributions`` names the largest, in the voice of who
# reads them: the host sees why the applicant fits its offer; the sending side sees why the
# host may want them (what they bring, reciprocity). The parts are whole percentage points
# that add up to the score as shown (``percent``), rounding included: the exact parts are
# scaled to the shown score (they differ from it only by the thousandths a stored breakdown
# keeps, or when the weights changed since the pair was scored) and rounded by largest
# remainder.

NAMED_FACTORS = 4  # and "other factors"; five named when there are just five
# When two components add the same, the one the reader cares about more comes first.
PRIORITY = {
    "host": (
        "themes",
        "text",
        "fields",
        "dates",
        "languages",
        "fewer_opportunities",
        "reciprocity",
        "capacity",
        "cross_border",
    ),
    "seeker": (
        "reciprocity",
        "fewer_opportunities",
        "cross_border",
        "capacity",
        "themes",
        "text",
        "fields",
        "dates",
        "languages",
    ),
}


def percent(score) -> int:
    """The score (0–1) as the whole percentage the pages show."""
    return round(score * 100)


@dataclass(frozen=True)
class Contribution:
    label: str
    points: int  # whole percentage points of the shown score
    component: str  # its component's name, or "" for the other factors together


def contributions(
    breakdown, weights, *, score=None, viewer="seeker", offer=None, profile=None
) -> list[Contribution]:
    """At most five factors whose points add up to ``percent(score)``, the largest first.

    ``breakdown`` as for ``reasons``; ``weights`` the engine's ``Weights`` in use;
    ``score`` the total shown (by default the breakdown's own, or the match's).
    """
    if score is None:
        score = getattr(breakdown, "score", None)
    said = _facts(breakdown, offer, profile)
    if not said or exclusion(said):
        return []
    if score is None:
        score = said.get("total", 0.0)
    target = percent(score)
    values = said.get("components") or {}
    normalised = dict(zip(COMPONENTS, weights.normalised().tolist()))
    parts = {name: normalised[name] * float(values.get(name) or 0.0) for name in COMPONENTS}
    order = PRIORITY.get(viewer, PRIORITY["seeker"])
    ranked = sorted(
        (name for name in COMPONENTS if parts[name] > 0),
        key=lambda name: (-parts[name], order.index(name) if name in order else len(order)),
    )
    total = sum(parts[name] for name in ranked)
    if target <= 0 or total <= 0:
        return []
    named = ranked if len(ranked) <= NAMED_FACTORS + 1 else ranked[:NAMED_FACTORS]
    shares = [parts[name] for name in named]
    if len(named) < len(ranked):
        shares.append(sum(parts[name] for name in ranked[len(named) :]))
    points = _largest_remainder([share / total * target for share in shares], target)
    result = [
        Contribution(_factor(name, said, viewer), p, name)
        for name, p in zip(named, points)
        if p > 0
    ]
    if len(named) < len(ranked) and points[-1] > 0:
        result.append(Contribution(_("other factors"), points[-1], ""))
    return result


def _largest_remainder(exact, target):
    """Whole numbers summing to ``target``, each the floor of its exact value or one more
    (the largest remainders get the one more; ties go to the earlier)."""
    floors = [int(value) for value in exact]
    short = target - sum(floors)
    by_remainder = sorted(range(len(exact)), key=lambda k: (-(exact[k] - floors[k]), k))
    for k in by_remainder[:short]:
        floors[k] += 1
    return floors


def _factor(name, said, viewer):
    """One component's part, in the reader's words."""
    host = viewer == "host"
    if name == "themes":
        themes = said.get("shared_themes") or []
        if themes:
            return ngettext("Shared theme: %(names)s", "Shared themes: %(names)s", len(themes)) % {
                "names": _names(themes)
            }
        return _("shared themes")
    if name == "text":
        return _("similar wording in the descriptions")
    if name == "dates":
        return (_dates(said) or [_("the dates suit")])[0]
    if name == "languages":
        languages = said.get("shared_languages") or []
        if languages:
            return ngettext("language: %(names)s", "languages: %(names)s", len(languages)) % {
                "names": _names(languages)
            }
        return _("no language constraint")
    if name == "capacity":
        return _("the group fits the places left")
    if name == "fewer_opportunities":
        supports, brings = said.get("fewer_opportunities") or (False, 0)
        if supports and brings:
            return (
                ngettext(
                    "brings %(count)d participant with fewer opportunities, whom you support",
                    "brings %(count)d participants with fewer opportunities, whom you support",
                    brings,
                )
                if host
                else ngettext(
                    "you bring %(count)d participant with fewer opportunities, whom they support",
                    "you bring %(count)d participants with fewer opportunities, whom they support",
                    brings,
                )
            ) % {"count": brings}
        return _("no special support needed")
    if name == "cross_border":
        return _("from another country") if host else _("you come from another country")
    if name == "reciprocity":
        if said.get("host_seeks_what_seeker_hosts"):
            return (
                _("they host exchanges of a kind you look for")
                if host
                else _("you host exchanges of a kind they look for")
            )
        return _("you have worked together before")
    if name == "fields":
        return _("fields of education in common")
    return name.replace("_", " ")


def adds_up(parts, score) -> str:
    """The parts on one line with the shown score, e.g.
    "Shared theme: Inclusion +30 · dates overlap fully +15 = 45 %"."""
    if not parts:
        return ""
    said = SEPARATOR.join(
        _("%(factor)s +%(points)d") % {"factor": part.label, "points": part.points}
        for part in parts
    )
    return _("%(parts)s = %(fit)s") % {"parts": said, "fit": f"{percent(score)}\u00a0%"}
