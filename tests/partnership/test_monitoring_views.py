"""The monitoring's pages: the public figures, the dashboard and who sees it, the links to the
records behind each figure, the baseline page and the downloads read back."""

import csv
import io
import re
from html import unescape

import openpyxl
import pytest
from django.core.cache import cache
from django.urls import reverse

from matchmaking.models import Membership
from partnership.models import VetLearnerBaseline
from partnership.tasks import refresh_monitoring_figures
from tests.factories import MembershipFactory, UserFactory
from tests.partnership.monitoring_world import build_monitoring_world

pytestmark = pytest.mark.django_db

FIGURES = reverse("partnership:figures")
DASHBOARD = reverse("partnership:dashboard")
BASELINE = reverse("partnership:baseline")


@pytest.fixture
def world(db):
    return build_monitoring_world()


def _admin_of(organisation, role=Membership.Role.ADMIN):
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def _text(response):
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_the_public_page_shows_aggregates_and_suppresses_small_counts(client, world):
    text = _text(client.get(FIGURES))

    # 15 participants in all; Vestland's region sent 3 and Valencia's 2: fewer than 5.
    assert "The partnership in figures" in text
    assert "NO0A Vestlandet 1 fewer than 5 fewer than 5 –" in text
    assert "SE23 Västsverige 2 10 fewer than 5 –" in text
    assert "15" in text
    # No organisation is named, and the records are not linked.
    assert "Borås Stad" not in text
    assert "/admin/" not in client.get(FIGURES).content.decode()


def test_the_public_page_says_where_there_is_no_baseline(client, world):
    text = _text(client.get(FIGURES))
    # With a baseline; the share is not computed from a count under 5.
    assert "SE23 Västsverige 2025 fewer than 5 200 –" in text
    assert "NO0A Vestlandet 2025 0 1,000 0.0 %" in text

    VetLearnerBaseline.objects.filter(region="SE23").delete()
    cache.clear()  # the figures are cached for MONITORING_CACHE_SECONDS

    text = _text(client.get(FIGURES))
    assert "SE23 Västsverige 2025 fewer than 5 no baseline no baseline" in text
    assert "Västsverige (2025) — no baseline" in text  # the chart's bar


def test_the_home_page_and_the_partnership_link_to_the_figures(client, db):
    assert FIGURES in client.get(reverse("home")).content.decode()
    assert FIGURES in client.get(reverse("partnership:about")).content.decode()


def test_the_dashboard_is_unsuppressed_for_the_secretariat(login, secretariat, world):
    text = _text(login(secretariat).get(DASHBOARD))

    assert "NO0A Vestlandet 1 3 1 33.3 %" in text
    assert "SE23 Västsverige 2025 4 200 2.0 %" in text


def test_the_dashboard_needs_a_sign_in(client, db):
    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_dashboard_refuses_a_coordinator_and_an_outsider(login, world):
    coordinator = _admin_of(world.boras, Membership.Role.COORDINATOR)

    assert login(coordinator).get(DASHBOARD).status_code == 403
    assert login(UserFactory()).get(DASHBOARD).status_code == 403


def test_a_member_admin_sees_its_own_region_only(login, world):
    client = login(_admin_of(world.vestland))

    text = _text(client.get(DASHBOARD))
    assert "NO0A Vestlandet 1 3 1 33.3 %" in text
    assert "Västsverige 2" not in text.split("Mobilities by NUTS 2 region")[1]
    # Asking for another region is refused next to the field, not shown.
    refused = client.get(DASHBOARD, {"region": "SE23"})
    assert "Select a valid choice" in _text(refused)
    assert "SE23 Västsverige 2 10" not in _text(refused)
    # And no admin links for a member admin.
    assert "/admin/" not in client.get(DASHBOARD).content.decode()


def test_a_figure_links_to_the_admin_list_of_the_rows_it_counts(login, secretariat, world):
    client = login(secretariat)
    page = client.get(DASHBOARD, {"year": "2025"}).content.decode()
    link = unescape(
        re.search(
            r'href="(/admin/exchanges/exchange/\?[^"]*start_date__year=2025[^"]*)"', page
        ).group(1)
    )

    changelist = client.get(link)

    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count == 2  # #1 and #2; #4 is cancelled


def test_a_region_and_category_link_lists_its_rows(login, secretariat, world):
    client = login(secretariat)
    page = unescape(client.get(DASHBOARD, {"region": "SE23"}).content.decode())
    region_link = re.search(
        r'href="(/admin/exchanges/exchange/\?[^"]*sender__nuts_code__startswith=SE23[^"]*)"', page
    ).group(1)
    category_link = re.search(
        r'href="(/admin/exchanges/exchange/\?[^"]*fewer_opportunity_counts__category__id__exact=\d+[^"]*)"',
        page,
    ).group(1)

    assert client.get(region_link).context["cl"].result_count == 2
    assert client.get(category_link).context["cl"].result_count == 1


def test_a_member_admin_records_its_regions_baseline(login, world):
    user = _admin_of(world.vestland)
    client = login(user)

    response = client.post(
        BASELINE, {"region": "NO0A", "year": "2024", "vet_learners": "900", "source": "SSB"}
    )

    assert response.status_code == 302
    baseline = VetLearnerBaseline.objects.get(region="NO0A", year=2024)
    assert (baseline.vet_learners, baseline.entered_by) == (900, user)


def test_a_member_admin_cannot_record_another_regions_baseline(login, world):
    client = login(_admin_of(world.vestland))

    response = client.post(BASELINE, {"region": "SE23", "year": "2024", "vet_learners": "900"})

    assert "Select a valid choice" in _text(response)
    assert not VetLearnerBaseline.objects.filter(region="SE23", year=2024).exists()


def test_a_baseline_of_zero_learners_is_refused_next_to_the_field(login, secretariat, world):
    response = login(secretariat).post(
        BASELINE, {"region": "SE23", "year": "2024", "vet_learners": "0"}
    )

    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1" in _text(response)


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_exchange_export_reads_back_with_the_counted_rows(login, secretariat, world):
    client = login(secretariat)

    rows = _csv(
        client.get(reverse("partnership:export", args=["exchanges", "csv"]), {"year": "2025"})
    )
    workbook = openpyxl.load_workbook(
        io.BytesIO(
            client.get(
                reverse("partnership:export", args=["exchanges", "xlsx"]), {"year": "2025"}
            ).content
        )
    )

    assert rows[0][:3] == ["id", "offer", "exchange type"]
    assert sorted(int(row[0]) for row in rows[1:]) == sorted(e.pk for e in world.exchanges[:2])
    sheet = list(workbook.active.values)
    assert [row[0] for row in sheet[1:]] == [int(row[0]) for row in rows[1:]]


def test_the_beneficiary_module_export_lists_completed_exchanges(login, secretariat, world):
    rows = _csv(login(secretariat).get(reverse("partnership:export", args=["beneficiary", "csv"])))
    header, body = rows[0], rows[1:]

    assert header[:6] == [
        "Activity type",
        "Start date",
        "End date",
        "Duration (days)",
        "Number of participants",
        "Participants with fewer opportunities",
    ]
    by_start = {row[1]: dict(zip(header, row, strict=True)) for row in body}
    assert sorted(by_start) == ["2024-04-01", "2024-10-01", "2025-05-12"]  # completed only
    shadowing = by_start["2025-05-12"]
    assert shadowing["Activity type"] == "SM-JOB-SHDW"
    assert shadowing["Fewer opportunities: Economic barriers"] == "1"
    assert shadowing["Fewer opportunities: Geographical barriers"] == "1"
    assert (shadowing["Sending NUTS code"], shadowing["Receiving NUTS code"]) == ("NO0A2", "SE232")
    assert by_start["2024-04-01"]["Activity type"] == "LM-SHORT-VET"


def test_a_member_admin_downloads_its_own_organisations_records(login, world):
    rows = _csv(
        login(_admin_of(world.vestland)).get(
            reverse("partnership:export", args=["exchanges", "csv"])
        )
    )

    # Vestland sent #1 and hosted #2 and #5; Borås's exchange with Valencia (#3) is not its.
    assert sorted(int(row[0]) for row in rows[1:]) == sorted(
        world.exchanges[i].pk for i in (0, 1, 4)
    )


@pytest.mark.parametrize(
    ("model", "action"),
    [
        ("exchanges/exchange", "export_csv"),
        ("exchanges/offer", "export_xlsx"),
        ("exchanges/application", "export_csv"),
        ("matchmaking/organisation", "export_xlsx"),
    ],
)
def test_the_admin_lists_export_the_selected_rows(login, secretariat, world, model, action):
    app_label, model_name = model.split("/")
    changelist = reverse(f"admin:{app_label}_{model_name}_changelist")
    from django.apps import apps

    rows = apps.get_model(app_label, model_name).objects.order_by("pk")[:2]
    selected = [str(row.pk) for row in rows]

    response = login(secretariat).post(changelist, {"action": action, "_selected_action": selected})

    if action == "export_csv":
        ids = [row[0] for row in _csv(response)[1:]]
    else:
        sheet = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
        ids = [str(row[0]) for row in sheet[1:]]
    assert ids == selected


def test_the_figures_are_cached_and_a_recorded_baseline_shows_at_once(
    login, world, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    client = login(_admin_of(world.vestland))
    assert "NO0A Vestlandet 2025 0 1,000 0.0 %" in _text(client.get(FIGURES))
    with django_assert_max_num_queries(3):  # the session and the user; no figure counted
        client.get(FIGURES)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(BASELINE, {"region": "NO0A", "year": "2025", "vet_learners": "2000"})

    text = _text(client.get(FIGURES))
    assert "NO0A Vestlandet 2025 0 2,000 0.0 %" in text, text[
        text.find("NO0A Vestlandet 2025") : text.find("NO0A Vestlandet 2025") + 80
    ]


def test_the_worker_counts_the_figures_ahead_so_no_visitor_waits(
    client, world, django_assert_max_num_queries
):
    cache.clear()
    refresh_monitoring_figures()

    for language in ("en", "sv"):
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        with django_assert_max_num_queries(1):  # nothing counted: read from the cache
            response = client.get(FIGURES)
        assert "NO0A Vestlandet 2025" in _text(response)


def test_the_refresh_is_on_the_beat_schedule(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["monitoring-figures"]

    assert schedule["task"] == "partnership.tasks.refresh_monitoring_figures"
    assert schedule["schedule"] == settings.MONITORING_CACHE_SECONDS
