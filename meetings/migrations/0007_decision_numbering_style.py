"""A protocol's own decision numbering becomes a choice (empty: the body's): the boolean's True is
«1.1.» (hierarchical), False is none, empty stays empty; history rows are converted alike."""

from django.db import migrations, models

LAYOUTS = [
    ('per_item', 'Per item: «СЛУШАЛИ», «ВЫСТУПИЛИ», «РЕШИЛИ»'),
    ('single_block', 'One «РЕШИЛИ» block after all agenda items'),
    ('heard', '«Заслушав выступление …, РЕШИЛИ:», the speaker in brackets'),
    ('question', '«Вопрос №1: …», «РЕШЕНИЕ:» under every item'),
]
NUMBERINGS = [
    ('hierarchical', "With the item's number (1.1., 1.2.)"),
    ('per_item', 'Restarting in each item (1., 2.)'),
    ('none', 'Without numbers'),
]
MODELS = ("Meeting", "HistoricalMeeting")


def forward(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("meetings", name)
        model.objects.filter(numbered_old=True).update(decision_numbering="hierarchical")
        model.objects.filter(numbered_old=False).update(decision_numbering="none")


def backward(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("meetings", name)
        model.objects.filter(decision_numbering="none").update(numbered_old=False)
        model.objects.exclude(decision_numbering__in=["", "none"]).update(numbered_old=True)


def field():
    return models.CharField(blank=True, choices=NUMBERINGS, help_text="Empty means the body's setting.",
                            max_length=20, verbose_name='decision numbers')


def layout():
    return models.CharField(blank=True, choices=LAYOUTS, help_text="Empty means the body's layout.",
                            max_length=20, verbose_name='protocol layout')


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0006_protocol_structure'),
        ('members', '0005_decision_numbering_style'),
    ]

    operations = [
        migrations.RenameField(model_name='meeting', old_name='decision_numbering', new_name='numbered_old'),
        migrations.RenameField(model_name='historicalmeeting', old_name='decision_numbering', new_name='numbered_old'),
        migrations.AddField(model_name='meeting', name='decision_numbering', field=field()),
        migrations.AddField(model_name='historicalmeeting', name='decision_numbering', field=field()),
        migrations.RunPython(forward, backward),
        migrations.RemoveField(model_name='meeting', name='numbered_old'),
        migrations.RemoveField(model_name='historicalmeeting', name='numbered_old'),
        migrations.AlterField(model_name='meeting', name='protocol_layout', field=layout()),
        migrations.AlterField(model_name='historicalmeeting', name='protocol_layout', field=layout()),
    ]
