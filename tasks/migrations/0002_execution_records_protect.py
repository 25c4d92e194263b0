# on_delete only: no change to the database schema.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0004_move_documents_and_reports_out'),
        ('tasks', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='assignmentreport',
            name='assignment',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reports', to='meetings.assignment', verbose_name='assignment'),
        ),
        migrations.AlterField(
            model_name='deadlineextension',
            name='assignment',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='extensions', to='meetings.assignment', verbose_name='assignment'),
        ),
    ]
