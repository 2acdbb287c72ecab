"""The Secretariat group's grants: declared once in ``SECRETARIAT_PERMISSIONS`` and applied by
the post_migrate hook of the partnership app."""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_migrate

from partnership.permissions import SECRETARIAT_GROUP, SECRETARIAT_PERMISSIONS


def _granted():
    group = Group.objects.get(name=SECRETARIAT_GROUP)
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def _run_the_hook():
    post_migrate.send(
        sender=apps.get_app_config("partnership"),
        app_config=apps.get_app_config("partnership"),
        verbosity=0,
        interactive=False,
        using="default",
        apps=apps,
        plan=[],
    )


def test_after_migrate_the_group_holds_exactly_the_declared_permissions(db):
    assert _granted() == SECRETARIAT_PERMISSIONS


def test_a_permission_taken_away_by_hand_comes_back_when_the_hook_runs(db):
    group = Group.objects.get(name=SECRETARIAT_GROUP)
    publish = Permission.objects.get(
        content_type__app_label="exchanges", codename="publish_casestudy"
    )
    group.permissions.remove(publish)

    _run_the_hook()

    assert _granted() == SECRETARIAT_PERMISSIONS


def test_a_permission_added_by_hand_is_taken_away_when_the_hook_runs(db):
    group = Group.objects.get(name=SECRETARIAT_GROUP)
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="matchmaking", codename="delete_organisation"
        )
    )

    _run_the_hook()
    _run_the_hook()

    assert _granted() == SECRETARIAT_PERMISSIONS
