# Issue 13: decisions and assignments store their meeting's cluster (filters and counts without
# three joins), assignments a database-computed urgency rank, with indexes for the lists.

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Q, Subquery


def fill_clusters(apps, schema_editor):
    AgendaItem = apps.get_model("meetings", "AgendaItem")
    Decision = apps.get_model("meetings", "Decision")
    Assignment = apps.get_model("meetings", "Assignment")
    Decision.objects.update(
        cluster_id=Subquery(AgendaItem.objects.filter(pk=OuterRef("agenda_item_id")).values("meeting__cluster_id")[:1])
    )
    Assignment.objects.update(cluster_id=Subquery(Decision.objects.filter(pk=OuterRef("decision_id")).values("cluster_id")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0005_assignment_decision_protect'),
        ('members', '0003_move_calendar_token_out'),
    ]

    operations = [
        migrations.AddField(
            model_name='decision',
            name='cluster',
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='members.cluster', verbose_name='cluster'),
        ),
        migrations.AddField(
            model_name='assignment',
            name='cluster',
            field=models.ForeignKey(db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='members.cluster', verbose_name='cluster'),
        ),
        migrations.RunPython(fill_clusters, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name='decision',
            name='cluster',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='members.cluster', verbose_name='cluster'),
        ),
        migrations.AlterField(
            model_name='assignment',
            name='cluster',
            field=models.ForeignKey(db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='members.cluster', verbose_name='cluster'),
        ),
        migrations.AddField(
            model_name='assignment',
            name='urgency_rank',
            field=models.GeneratedField(db_persist=True, expression=models.Case(models.When(Q(('deadline__isnull', False), ('status__in', ['assigned', 'in_progress', 'returned'])), then=models.Value(1)), models.When(status='reported', then=models.Value(2)), models.When(status__in=['assigned', 'in_progress', 'returned'], then=models.Value(3)), models.When(status='accepted', then=models.Value(4)), default=models.Value(5)), output_field=models.PositiveSmallIntegerField(), verbose_name='urgency'),
        ),
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(fields=['cluster', 'urgency_rank', 'deadline', 'id'], name='assignment_cluster_urgency'),
        ),
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(fields=['urgency_rank', 'deadline', 'id'], name='assignment_urgency'),
        ),
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(fields=['deadline', 'id'], name='assignment_deadline_id'),
        ),
    ]
