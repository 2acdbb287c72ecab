"""Celery tasks of the core app. Each takes ids, loads the objects, and sends one email."""

from celery import shared_task

from . import emails
from .models import Invitation, Membership, Organisation

RETRY = {"autoretry_for": (OSError,), "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRY)
def send_membership_added(membership_id):
    membership = Membership.objects.select_related("user", "organisation").filter(pk=membership_id).first()
    if membership is not None:
        emails.membership_added(membership)


@shared_task(**RETRY)
def send_invitation(invitation_id):
    invitation = Invitation.objects.select_related("organisation", "invited_by").filter(pk=invitation_id).first()
    if invitation is not None:
        emails.invitation(invitation)


@shared_task(**RETRY)
def send_organisation_suspended(organisation_id):
    organisation = Organisation.objects.filter(pk=organisation_id, is_suspended=True).first()
    if organisation is not None:
        emails.organisation_suspended(organisation)


@shared_task(**RETRY)
def send_organisation_unsuspended(organisation_id):
    organisation = Organisation.objects.filter(pk=organisation_id, is_suspended=False).first()
    if organisation is not None:
        emails.organisation_unsuspended(organisation)
