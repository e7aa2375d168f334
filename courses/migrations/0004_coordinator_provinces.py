from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_progress_and_coordinators"),
    ]

    operations = [
        migrations.AddField(
            model_name="coordinatorprofile",
            name="provinces",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Semua titik layanan di provinsi ini, termasuk yang ditambahkan kemudian.",
                verbose_name="provinsi",
            ),
        ),
    ]
