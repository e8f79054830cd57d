from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("gatherings", "0003_hidden_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="gathering",
            name="call_link_audience",
            field=models.CharField(
                choices=[
                    ("going", "People who said they're going"),
                    ("members", "All members of the group"),
                ],
                default="going",
                max_length=16,
                verbose_name="who sees the call link",
            ),
        ),
    ]
