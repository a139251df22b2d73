"""Therapists open episodes, record visits and send plans for certification; the front desk records
visits (the schedule's outcome) and sees episodes and their clock; clinic admins see everything,
and the background jobs."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW = ["view_episode", "view_visit", "view_certification", "view_sending"]
THERAPIST = [*VIEW, "add_episode", "change_episode", "add_visit", "change_visit", "send_certification"]
FRONT_DESK = [*VIEW, "add_visit", "change_visit"]
CLINIC_ADMIN = [*VIEW, "view_all_episodes"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    episodes = Permission.objects.filter(content_type__app_label="episodes")
    for role, codenames in (("Therapist", THERAPIST), ("Front desk", FRONT_DESK), ("Clinic admin", CLINIC_ADMIN)):
        Group.objects.get(name=role).permissions.add(*episodes.filter(codename__in=codenames))
    # Clinic admins see the background jobs, failed ones included, in the admin.
    jobs = Permission.objects.filter(content_type__app_label="django_tasks_database", codename__startswith="view_")
    Group.objects.get(name="Clinic admin").permissions.add(*jobs)


class Migration(migrations.Migration):
    dependencies = [
        ("episodes", "0001_initial"),
        ("accounts", "0002_create_roles"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),  # pinned: "__latest__" moves
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
