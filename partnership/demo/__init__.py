"""The demo data, all of it in one place: ``python manage.py seed_demo``.

``organisations_and_offers`` writes the organisations, people, offers, applications, their
exchanges (``exchange_records``) and the interest profiles, then scores them;
``partnership`` adds the Regional Skills Partnership on top (members, promoters, events);
``monitoring`` three past years of exchanges and VET-learner baselines for the dashboard;
``messages`` the message threads between the two sides of a few applications.
``rounds`` a confirmed call round and an open one.
The other modules are data: ``organisations``, ``offers`` and ``story`` (the texts),
``plan`` (which offer gets which applications), ``profiles``, ``exchange_texts``; ``rows``
holds the idempotent upsert both halves use.
"""

from .messages import MessageSeeder
from .monitoring import MonitoringSeeder
from .organisations_and_offers import SiteSeeder
from .partnership import PartnershipSeeder
from .rounds import RoundSeeder


def seed(*, stdout, style):
    """Write the whole demo; running it again brings the demo rows back to the same state."""
    SiteSeeder(stdout=stdout, style=style).seed()
    PartnershipSeeder(stdout=stdout).seed()
    MonitoringSeeder(stdout=stdout).seed()
    MessageSeeder(stdout=stdout).seed()
    RoundSeeder(stdout=stdout).seed()
