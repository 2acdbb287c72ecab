"""Signed tokens for links that work without signing in: the one-click unsubscribe of alerts.

A token carries one profile id, signed with the site's secret and a salt of its own purpose,
so it can neither be forged nor reused for another profile or another kind of link.
"""

from datetime import timedelta

from django.core import signing

UNSUBSCRIBE_SALT = "exchanges.interest-profile.unsubscribe"
# An unsubscribe link works for a year; after that the person signs in to change the alerts.
UNSUBSCRIBE_MAX_AGE = timedelta(days=365)


class TokenExpired(Exception):
    """The token is ours but older than it may be."""


def unsubscribe_token(profile) -> str:
    return signing.dumps({"profile": profile.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def profile_id_from_unsubscribe_token(token) -> int | None:
    """The profile id a token was made for, or None if it was not made by us for this.

    Raises ``TokenExpired`` for a genuine token older than ``UNSUBSCRIBE_MAX_AGE``.
    """
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.SignatureExpired as error:
        raise TokenExpired from error
    except signing.BadSignature:
        return None
    profile_id = payload.get("profile") if isinstance(payload, dict) else None
    return profile_id if isinstance(profile_id, int) else None
