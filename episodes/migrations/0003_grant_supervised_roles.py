"""Assistants and students see episodes and record visits, as therapists do; they do not send
plans for certification."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_episode", "view_visit", "view_certification", "view_sending", "add_visit", "change_visit"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    episodes = Permission.objects.filter(content_type__app_label="episodes", codename__in=CODENAMES)
    for role in ("Occupational therapy assistant", "Student"):
        Group.objects.get(name=role).permissions.add(*episodes)


class Migration(migrations.Migration):
    dependencies = [
        ("episodes", "0002_grant_role_permissions"),
        ("accounts", "0005_supervised_roles"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
