"""Decision numbering becomes a choice: the boolean's True is «1.1.» (hierarchical), False is none;
«restarting in each item» is new. The old column is copied and dropped, nothing is lost."""

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


def forward(apps, schema_editor):
    Body = apps.get_model("members", "Body")
    Body.objects.filter(numbered_old=False).update(decision_numbering="none")
    Body.objects.filter(numbered_old=True).update(decision_numbering="hierarchical")


def backward(apps, schema_editor):
    Body = apps.get_model("members", "Body")
    Body.objects.update(numbered_old=True)
    Body.objects.filter(decision_numbering="none").update(numbered_old=False)


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0004_body_protocol_structure'),
    ]

    operations = [
        migrations.RenameField(model_name='body', old_name='decision_numbering', new_name='numbered_old'),
        migrations.AddField(
            model_name='body',
            name='decision_numbering',
            field=models.CharField(choices=NUMBERINGS, default='hierarchical', help_text='«1.1.» with the item\'s number, «1.» restarting in each item, or none.', max_length=20, verbose_name='decision numbers'),
        ),
        migrations.RunPython(forward, backward),
        migrations.RemoveField(model_name='body', name='numbered_old'),
        migrations.AlterField(
            model_name='body',
            name='protocol_layout',
            field=models.CharField(choices=LAYOUTS, default='per_item', max_length=20, verbose_name='protocol layout'),
        ),
    ]
