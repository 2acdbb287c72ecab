"""A stored match's breakdown, said in words a coordinator trusts.

The one place that turns a breakdown (see ``exchanges.matching.storage``) into sentences, for
the pages and the emails alike. It reads nothing from the database, and it translates at the
moment it is called, so an email gets the reasons in its recipient's language.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext, ngettext, pgettext_lazy

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


def reasons(breakdown, *, viewer="seeker") -> list[str]:
    """The reasons a pair fits, best first; an excluded pair's one reason is its exclusion.

    ``viewer`` is who reads them: the sending side (``"seeker"``: recommendations, alerts) or
    the host (``"host"``: its applications and the organisations that may be interested).
    """
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
        said.append(_("similar wording in the descriptions"))
    return said


def _dates(breakdown):
    overlap = breakdown.get("date_overlap_days") or 0
    window = breakdown.get("seeker_window_days")
    if not window or overlap <= 0:
        return []  # no window asked for: any dates suit
    if overlap >= window:
        return [_("dates overlap fully")]
    return [
        ngettext(
            "dates overlap for %(days)d day", "dates overlap for %(days)d days", overlap
        )
        % {"days": overlap}
    ]


def sentence(breakdown, *, viewer="seeker") -> str:
    """The reasons on one line, e.g. "Shared themes: Inclusion · dates overlap fully"."""
    return SEPARATOR.join(reasons(breakdown, viewer=viewer))

