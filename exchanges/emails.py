"""One function per email of the exchanges app."""

from django.conf import settings
from django.urls import reverse

from matchmaking import outbox

from .models import Application
from .tokens import unsubscribe_token


def _application_email(name, entry, recipients):
    application = entry.application
    return outbox.queue(
        name,
        recipients,
        {
            "application": application,
            "offer": application.offer,
            "entry": entry,
            "url": settings.SITE_URL + application.get_absolute_url(),
        },
        key=f"application_status:{entry.pk}",
    )


def application_received(entry):
    """The host's coordinators learn of a new application."""
    host = entry.application.offer.organisation
    return _application_email("application_received", entry, outbox.recipients_of(host))


def application_decided(entry):
    """The applicant's coordinators learn that the host shortlisted, accepted or declined."""
    applicant = entry.application.organisation
    return _application_email("application_decided", entry, outbox.recipients_of(applicant))


def application_withdrawn(entry):
    """The host's coordinators learn that an applicant withdrew."""
    host = entry.application.offer.organisation
    return _application_email("application_withdrawn", entry, outbox.recipients_of(host))


_BY_STATUS = {
    Application.Status.SUBMITTED: application_received,
    Application.Status.SHORTLISTED: application_decided,
    Application.Status.ACCEPTED: application_decided,
    Application.Status.DECLINED: application_decided,
    Application.Status.WITHDRAWN: application_withdrawn,
}


def application_status_changed(entry):
    return _BY_STATUS[entry.kind](entry)


# Matches: alerts, digests and invitations


def _site(path):
    return settings.SITE_URL + path


def unsubscribe_url(profile):
    return _site(reverse("exchanges:profile_unsubscribe", args=[unsubscribe_token(profile)]))


def _unsubscribe_headers(url):
    # RFC 2369 and RFC 8058: mail clients show an "unsubscribe" button that POSTs to the URL.
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _profile_links(profile):
    unsubscribe = unsubscribe_url(profile)
    links = {
        "profile_url": _site(reverse("exchanges:profile_edit", args=[profile.pk])),
        "unsubscribe_url": unsubscribe,
        "recommendations_url": _site(reverse("exchanges:recommendations")),
    }
    return links, _unsubscribe_headers(unsubscribe)


def offer_alert(*, offer, profile, breakdown):
    """A newly published offer fits one of the organisation's interest profiles.

    One email per offer and organisation, however many of its profiles the offer fits.
    """
    links, headers = _profile_links(profile)
    return outbox.queue(
        "offer_alert",
        outbox.recipients_of(profile.organisation),
        {
            "offer": offer,
            "host": offer.organisation,
            "profile": profile,
            "breakdown": breakdown,
            "url": _site(offer.get_absolute_url()),
            **links,
        },
        key=f"offer_alert:{offer.pk}:{profile.organisation_id}",
        headers=headers,
    )


def weekly_digest(*, profile, matches, week):
    """The week's new offers that fit a profile whose organisation wants a digest.

    ``matches`` is a list of ``(offer, breakdown)``, best first; ``week`` names the ISO week,
    so that a digest is sent once per profile and week.
    """
    links, headers = _profile_links(profile)
    return outbox.queue(
        "weekly_digest",
        outbox.recipients_of(profile.organisation),
        {
            "profile": profile,
            "items": [
                {
                    "offer": offer,
                    "host": offer.organisation,
                    "breakdown": breakdown,
                    "url": _site(offer.get_absolute_url()),
                }
                for offer, breakdown in matches
            ],
            "url": links["recommendations_url"],
            **links,
        },
        key=f"weekly_digest:{profile.pk}:{week}",
        headers=headers,
    )


def invitation_to_apply(invitation):
    """A host invites an organisation that may be interested to apply to its offer."""
    offer = invitation.offer
    return outbox.queue(
        "invitation_to_apply",
        outbox.recipients_of(invitation.organisation),
        {
            "invitation": invitation,
            "offer": offer,
            "host": offer.organisation,
            "organisation": invitation.organisation,
            "url": _site(offer.get_absolute_url()),
        },
        key=f"invitation_to_apply:{invitation.pk}",
    )


# The exchange after acceptance


def _both_sides(exchange):
    return outbox.recipients_of(exchange.host) + outbox.recipients_of(exchange.sender)


def _exchange_email(name, exchange, *, key, url=None, **context):
    return outbox.queue(
        name,
        _both_sides(exchange),
        {
            "exchange": exchange,
            "offer": exchange.application.offer,
            "url": settings.SITE_URL + (url or exchange.get_absolute_url()),
            **context,
        },
        key=key,
    )


def exchange_in_a_week(exchange):
    """Both sides, 7 days before the start: the programme, the practical notes, the calendar."""
    return _exchange_email(
        "exchange_in_a_week",
        exchange,
        # One per start date: moved, the exchange is told again a week before its new start.
        key=f"exchange_in_a_week:{exchange.pk}:{exchange.start_date.isoformat()}",
        calendar_url=settings.SITE_URL
        + reverse("exchanges:exchange_calendar", kwargs={"pk": exchange.pk}),
    )


def exchange_cancelled(exchange):
    return _exchange_email("exchange_cancelled", exchange, key=f"exchange_cancelled:{exchange.pk}")


def follow_up_due(exchange):
    """Both sides, on the end date: write what you learnt."""
    return _exchange_email(
        "follow_up_due",
        exchange,
        key=f"follow_up_due:{exchange.pk}",
        url=reverse("exchanges:follow_up", kwargs={"pk": exchange.pk}),
    )


def follow_up_reminder(exchange, *, missing_sides):
    """14 days after the end, to the sides whose follow-up is still missing."""
    recipients = []
    if "host" in missing_sides:
        recipients += outbox.recipients_of(exchange.host)
    if "sending" in missing_sides:
        recipients += outbox.recipients_of(exchange.sender)
    return outbox.queue(
        "follow_up_reminder",
        recipients,
        {
            "exchange": exchange,
            "offer": exchange.application.offer,
            "url": settings.SITE_URL + reverse("exchanges:follow_up", kwargs={"pk": exchange.pk}),
        },
        key=f"follow_up_reminder:{exchange.pk}",
    )


def case_study_published(case_study):
    exchange = case_study.exchange
    return _exchange_email(
        "case_study_published",
        exchange,
        key=f"case_study_published:{case_study.pk}",
        url=case_study.get_absolute_url(),
        case_study=case_study,
    )


# Messages between the two sides


def thread_messages(*, message, reader, organisation, page, send_at=None):
    """``organisation``, the other side, learns of new messages on an application (or on its
    exchange, ``page``): ``message`` and those its writer's organisation adds to the thread
    until the email goes (``send_at``, None for at once), listed when it is rendered
    (``Message.gathered``). One row per message and reader; ``exchanges.services.messages``
    decides when one is needed."""
    application = message.thread.application
    return outbox.queue(
        "thread_messages",
        [outbox.Recipient.for_user(reader)],
        {
            "message": message,
            "application": application,
            "offer": application.offer,
            "writer": message.organisation,
            "organisation": organisation,
            "url": _site(page.get_absolute_url() + "#messages"),
        },
        key=f"thread_messages:{message.pk}",
        send_at=send_at,
    )


# Call rounds


def round_result(placement):
    """A sender learns where the round placed it, or why it was not placed."""
    call_round = placement.proposal.call_round
    return outbox.queue(
        "round_result",
        outbox.recipients_of(placement.organisation),
        {
            "call_round": call_round,
            "placement": placement,
            "url": _site(call_round.get_absolute_url()),
        },
        key=f"round_result:{placement.proposal_id}:{placement.organisation_id}",
    )


def round_hosted(*, call_round, host, placements):
    """A host learns which applications the round placed at its offers."""
    return outbox.queue(
        "round_hosted",
        outbox.recipients_of(host),
        {
            "call_round": call_round,
            "host": host,
            "placements": list(placements),
            "url": _site(reverse("exchanges:round_host_ranking", args=[call_round.pk])),
        },
        key=f"round_hosted:{call_round.proposal.pk}:{host.pk}",
    )
