"""The demo site's organisations, people, offers, applications and the exchanges that the
accepted ones became (the first half of ``manage.py seed_demo``).

Among them the seed's exchange: Borås Stad hosted Vestland County Council for 1.5 days of job
shadowing on 12–13 May 2025; it is completed, both sides wrote their follow-up and the
secretariat published its case study (``exchange_records``). Running the command again brings
the demo rows back to the same state (rows are keyed on slug, email, host and title, offer and
sending organisation, application) and creates no duplicates; rows it does not know are left
alone.

The rows are written directly through the ORM, validated with ``full_clean()``, not through
the services: the history lies in the past (which the services rightly refuse) and no email
is sent for demo data.
"""

import datetime
import time
from collections import Counter

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Case, Count, Sum, Value, When
from django.utils import timezone

from exchanges import matching
from exchanges.matching import vectors
from exchanges.models import (
    Application,
    ApplicationHistory,
    CaseStudy,
    Exchange,
    FollowUp,
    Offer,
    OfferProfileMatch,
)
from matchmaking.models import (
    ExchangeType,
    InterestProfile,
    Language,
    Membership,
    Organisation,
    Theme,
    User,
)
from matchmaking.personal_data import NOTICE_VERSION
from matchmaking.vocabularies import EXCHANGE_TYPES

from .exchange_records import Accepted, ExchangeSeeder
from .organisations import ORGANISATIONS
from .plan import (
    DAY,
    DEMO_USERS,
    ORGANISATIONS_WITH_DEMO_ADMIN,
    USER_LANGUAGE,
    Planner,
    coordinator_email,
    organisation_slug,
    primary_email,
)
from .profiles import PROFILES
from .rows import set_timestamps, upsert

DEMO_PASSWORD = "demo-pass-2026"
# When the demo's people agreed to the privacy notice: fixed, so that a second run changes
# nothing.
DEMO_CONSENT_AT = datetime.datetime(2026, 1, 12, 9, 0, tzinfo=datetime.UTC)
# A fixed salt gives the same hash on every run: hashed once, compared as a string.
DEMO_PASSWORD_SALT = "earlalldemo2026"


class SiteSeeder:
    """The organisations, people, offers, applications, exchanges and interest profiles."""

    def __init__(self, *, stdout, style):
        self.stdout, self.style = stdout, style

    def seed(self):
        started = time.monotonic()
        plans = Planner(timezone.localdate()).plan()
        self.check_plan(plans)
        with transaction.atomic():
            self.load_vocabularies()
            self.password = make_password(DEMO_PASSWORD, DEMO_PASSWORD_SALT)
            self.organisations = {
                data["key"]: self.seed_organisation(data) for data in ORGANISATIONS
            }
            self.users = self.seed_users()
            self.accepted, self.not_accepted = [], []
            for plan in plans:
                self.seed_offer(plan)
            ExchangeSeeder(today=timezone.localdate(), users=self.users).seed(
                self.accepted, self.not_accepted
            )
            for data in PROFILES:
                self.seed_profile(data)
            # The worker would embed and score on its own after each change; the demo is
            # written directly, so it is done here, in-process, once everything is in place
            # (the texts' vectors only when MATCHING_VECTORS is on: about a minute).
            for kind, model in vectors.KINDS.items():
                vectors.refresh(kind, model.objects.all())
            matching.rescore_all()
        self.print_summary(time.monotonic() - started)

    def check_plan(self, plans):
        missing = {slug for slug, _name in EXCHANGE_TYPES} - {
            p.values["exchange_type"] for p in plans
        }
        if missing or len(plans) < 60:
            raise CommandError(
                f"The demo plan is incomplete: {len(plans)} offers, "
                f"exchange types missing: {sorted(missing)}."
            )

    def load_vocabularies(self):
        self.languages = Language.objects.in_bulk(field_name="code")
        self.themes = Theme.objects.in_bulk(field_name="slug")
        self.exchange_types = ExchangeType.objects.in_bulk(field_name="slug")
        if not (self.languages and self.themes and self.exchange_types):
            raise CommandError("The vocabularies are missing: run `manage.py migrate` first.")

    def pick(self, table, keys, what):
        try:
            return [table[key] for key in keys]
        except KeyError as error:
            raise CommandError(f"Unknown {what} {error}: run `manage.py migrate`.") from None

    # Organisations and people -------------------------------------------------------------

    def seed_organisation(self, data):
        slug = organisation_slug(data)
        organisation, _created = upsert(
            Organisation,
            {"slug": slug},
            {
                "name": data["name"],
                "kind": data["kind"],
                "country": data["country"],
                "region_name": data["region"],
                "nuts_code": data["nuts"],
                "city": data["city"],
                "website": data.get("website", ""),
                "description": data["description"],
                "contact_email": f"mobility@{slug[:63].strip('-')}.example.org",
                "is_suspended": False,
                "suspension_reason": "",
                "suspended_at": None,
            },
        )
        organisation.languages.set(self.pick(self.languages, data["languages"], "language"))
        return organisation

    def seed_user(
        self, email, first_name, last_name, *, is_staff=False, is_superuser=False, language="en"
    ):
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=None)
        user, _created = upsert(
            User,
            {"pk": user.pk},
            {
                "first_name": first_name,
                "last_name": last_name,
                "password": self.password,
                "is_staff": is_staff,
                "is_superuser": is_superuser,
                "is_active": True,
                "preferred_language": language,
                # As if they had signed up: agreed to the privacy notice in use.
                "privacy_consent_at": DEMO_CONSENT_AT,
                "privacy_notice_version": NOTICE_VERSION,
            },
        )
        # allauth requires a verified address (ACCOUNT_EMAIL_VERIFICATION = "mandatory").
        address = EmailAddress.objects.filter(email__iexact=email).first()
        if (
            address is None
            or address.user_id != user.pk
            or not (address.verified and address.primary)
        ):
            EmailAddress.objects.filter(user=user, primary=True).exclude(
                email__iexact=email
            ).update(primary=False)
            EmailAddress.objects.filter(email__iexact=email).exclude(user=user).delete()
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
        return user

    def seed_membership(self, user, key, role):
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=self.organisations[key], defaults={"role": role}
        )
        if not created and membership.role != role:
            membership.role = role
            membership.save(update_fields=["role"])

    def seed_users(self):
        users = {}
        for email, first, last, _about, staff, superuser, memberships in DEMO_USERS:
            user = self.seed_user(email, first, last, is_staff=staff, is_superuser=superuser)
            for key, role in memberships:
                self.seed_membership(user, key, role)
            users[email] = user
        secretariat, _created = Group.objects.get_or_create(name="Secretariat")
        users["secretariat@demo.earlall.eu"].groups.add(secretariat)
        for data in ORGANISATIONS:
            if data["key"] in ORGANISATIONS_WITH_DEMO_ADMIN:
                continue
            email = coordinator_email(data)
            first, last = data["person"]
            user = self.seed_user(
                email, first, last, language=USER_LANGUAGE.get(data["country"], "en")
            )
            self.seed_membership(user, data["key"], Membership.Role.ADMIN)
            users[email] = user
        return users

    # Offers and applications --------------------------------------------------------------

    def seed_offer(self, plan):
        host = self.organisations[plan.host]
        values = dict(plan.values)
        values["exchange_type"] = self.pick(
            self.exchange_types, [values["exchange_type"]], "exchange type"
        )[0]
        values["created_by"] = self.users[primary_email(plan.host)]
        values["city"], values["region_name"] = host.city, host.region_name
        values.setdefault("fewer_opportunities_support", "")
        offer, created = upsert(Offer, {"organisation": host, "title": values.pop("title")}, values)
        offer.themes.set(self.pick(self.themes, plan.themes, "theme"))
        offer.languages.set(self.pick(self.languages, plan.languages, "language"))
        set_timestamps(
            offer, created_at=plan.created_at, updated_at=offer.published_at or plan.created_at
        )

        # Accepted participants never exceed the capacity, also counting acceptances of
        # applications the seed does not know (written outside the services); if they leave
        # no room, the seed's acceptance becomes a shortlisting or a refusal.
        planned = [self.organisations[a.sender].pk for a in plan.applications]
        accepted = (
            0
            if created
            else (
                offer.applications.holding_places()
                .exclude(organisation__in=planned)
                .aggregate(n=Sum("participants"))["n"]
                or 0
            )
        )
        for application in plan.applications:
            values, steps = dict(application.values), list(application.steps)
            if values["status"] == Application.Status.ACCEPTED:
                if accepted + values["participants"] > offer.capacity:
                    values["status"], steps = self.downgrade(offer, steps)
                else:
                    accepted += values["participants"]
            seeded = self.seed_application(offer, application, values, steps)
            if seeded.status == Application.Status.ACCEPTED:
                self.accepted.append(
                    Accepted(plan.host, application.sender, plan.themes, seeded, steps)
                )
            else:
                self.not_accepted.append(seeded.pk)

    def downgrade(self, offer, steps):
        status = (
            Application.Status.SHORTLISTED
            if offer.status == Offer.Status.PUBLISHED
            else Application.Status.DECLINED
        )
        _accepted, actor, _message, at = steps[-1]
        steps = steps[:-1]
        if steps[-1][0] != status:
            steps.append((status, actor, "", at))
        return status, steps

    def seed_application(self, offer, plan, values, steps):
        sender = self.organisations[plan.sender]
        values["submitted_by"] = self.users[steps[0][1]]
        application, _created = upsert(
            Application, {"offer": offer, "organisation": sender}, values
        )
        application.languages.set(self.pick(self.languages, plan.languages, "language"))
        existing = list(application.history.order_by("created_at", "pk"))
        if [entry.kind for entry in existing] != [step[0] for step in steps]:
            application.history.all().delete()
            existing = ApplicationHistory.objects.bulk_create(
                ApplicationHistory(application=application, kind=kind, created_at=at)
                for kind, _actor, _message, at in steps
            )
        stale = {
            entry.pk: (self.users[actor_email].pk, message, at)
            for entry, (_kind, actor_email, message, at) in zip(existing, steps)
            if (entry.actor_id, entry.note, entry.created_at)
            != (self.users[actor_email].pk, message, at)
        }
        if stale:  # one UPDATE for the whole history
            ApplicationHistory.objects.filter(pk__in=stale).update(
                **{
                    name: Case(
                        *(When(pk=pk, then=Value(row[i])) for pk, row in stale.items()),
                        output_field=ApplicationHistory._meta.get_field(field),
                    )
                    for i, (name, field) in enumerate(
                        (
                            ("actor_id", "actor"),
                            ("note", "note"),
                            ("created_at", "created_at"),
                        )
                    )
                }
            )
        set_timestamps(application, created_at=steps[0][3], updated_at=steps[-1][3])
        return application

    # Interest profiles ---------------------------------------------------------------------

    def seed_profile(self, data):
        today = timezone.localdate()
        window = data["window"]
        profile, _created = upsert(
            InterestProfile,
            {"organisation": self.organisations[data["organisation"]], "name": data["name"]},
            {
                "countries_wanted": sorted(data["countries"]),  # stored sorted
                "available_from": today + window[0] * DAY if window else None,
                "available_until": today + window[1] * DAY if window else None,
                "participants": data["participants"],
                "fewer_opportunity_participants": data["fewer_opportunity_participants"],
                "description": data["description"],
                "alert": data["alert"],
            },
        )
        profile.exchange_types.set(
            self.pick(self.exchange_types, data["exchange_types"], "exchange type")
        )
        profile.themes.set(self.pick(self.themes, data["themes"], "theme"))
        profile.languages.set(self.pick(self.languages, data["languages"], "language"))
        return profile

    # Summary ------------------------------------------------------------------------------

    def print_summary(self, seconds):
        out = self.stdout
        organisations = Organisation.objects.count()
        countries = Organisation.objects.values("country").distinct().count()
        offers = Counter(dict(Offer.objects.values_list("status").annotate(n=Count("pk"))))
        applications = Counter(
            dict(Application.objects.values_list("status").annotate(n=Count("pk")))
        )
        out.write(self.style.SUCCESS(f"Demo data ready in {seconds:.1f} s."))
        out.write(f"Organisations: {organisations} in {countries} countries")
        out.write(
            f"Offers: {sum(offers.values())} ("
            + ", ".join(f"{offers[s]} {s}" for s in Offer.Status.values)
            + ")"
        )
        out.write(
            f"Applications: {sum(applications.values())} ("
            + ", ".join(f"{applications[s]} {s}" for s in Application.Status.values)
            + ")"
        )
        exchanges = Counter(dict(Exchange.objects.values_list("status").annotate(n=Count("pk"))))
        case_studies = Counter(
            dict(CaseStudy.objects.values_list("status").annotate(n=Count("pk")))
        )
        out.write(
            f"Exchanges: {sum(exchanges.values())} ("
            + ", ".join(f"{exchanges[s]} {s}" for s in Exchange.Status.values)
            + f"); follow-ups: {FollowUp.objects.count()}; case studies: "
            f"{case_studies[CaseStudy.Status.PUBLISHED]} published, "
            f"{case_studies[CaseStudy.Status.DRAFT]} in review"
        )
        out.write(
            f"Interest profiles: {InterestProfile.objects.count()}; matches: "
            f"{OfferProfileMatch.objects.count()}; applications scored: "
            f"{Application.objects.filter(scored_at__isnull=False).count()}"
        )
        out.write(f"Demo logins, password {DEMO_PASSWORD!r}:")
        for email, _first, _last, about, *_rest in DEMO_USERS:
            out.write(f"  {email:<30} {about}")
        out.write(
            "  coordinator@<organisation-slug>.demo.earlall.eu: admin of each other "
            "organisation, same password"
        )
