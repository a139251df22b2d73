from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0006_denied_and_account_actions'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='hash',
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='listed_patient_ids',
            field=models.JSONField(blank=True, default=list, help_text='For a read of a list: the patients it showed (one event per list, not one per row).', verbose_name='patients listed'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='previous_hash',
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
    ]
