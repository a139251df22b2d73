from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0005_sign_failed_action'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='auditevent',
            name='audit_action_known',
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('create', 'Create'), ('update', 'Update'), ('archive', 'Archive'), ('restore', 'Restore'), ('view', 'View'), ('search', 'Search'), ('export', 'Export'), ('sign', 'Sign'), ('sign_failed', 'Failed signature (wrong password)'), ('addendum', 'Addendum'), ('login', 'Log in'), ('logout', 'Log out'), ('login_failed', 'Failed log in'), ('token_issued', 'API token issued'), ('token_revoked', 'API token revoked'), ('denied', 'Access denied'), ('deactivate', 'Account deactivated'), ('reactivate', 'Account reactivated'), ('password_set', 'Password set by an admin'), ('access_changed', 'Groups or permissions changed')], max_length=20),
        ),
        migrations.AddConstraint(
            model_name='auditevent',
            constraint=models.CheckConstraint(condition=models.Q(('action__in', ['create', 'update', 'archive', 'restore', 'view', 'search', 'export', 'sign', 'sign_failed', 'addendum', 'login', 'logout', 'login_failed', 'token_issued', 'token_revoked', 'denied', 'deactivate', 'reactivate', 'password_set', 'access_changed'])), name='audit_action_known'),
        ),
    ]
