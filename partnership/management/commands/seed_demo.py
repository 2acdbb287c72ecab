"""``python manage.py seed_demo``: the demo site's data (see ``partnership.demo``)."""

from django.core.management.base import BaseCommand

from partnership import demo


class Command(BaseCommand):
    help = (
        "Create or refresh the demo data: about 40 organisations, 70 offers, applications in "
        "every state, their exchanges, the Borås–Vestland case study, the partnership's "
        "members, promoters and events, and one demo login per role."
    )

    def handle(self, *args, **options):
        demo.seed(stdout=self.stdout, style=self.style)
