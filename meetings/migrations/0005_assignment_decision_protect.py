# on_delete only: no change to the database schema.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0004_move_documents_and_reports_out'),
    ]

    operations = [
        migrations.AlterField(
            model_name='assignment',
            name='decision',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assignments', to='meetings.decision', verbose_name='decision'),
        ),
    ]
