"""Trainer phone numbers in the one normal form of `courses.people.phones` ("62…", digits only).

The profile form used to store "+62…", the demo seed stored numbers as typed; numbers that do not
read as Indonesian numbers are left as they are (a coordinator sees and corrects them)."""

from django.core.exceptions import ValidationError
from django.db import migrations


def phones_normalise(apps, schema_editor):
    from courses.people.phones import phone_normalise

    TrainerProfile = apps.get_model("courses", "TrainerProfile")
    for profile in TrainerProfile.objects.exclude(phone="").only("pk", "phone").iterator():
        try:
            normal = phone_normalise(profile.phone)
        except ValidationError:
            continue
        if normal != profile.phone:
            TrainerProfile.objects.filter(pk=profile.pk).update(phone=normal)


class Migration(migrations.Migration):
    dependencies = [("courses", "0007_trainer_profile_names")]

    operations = [migrations.RunPython(phones_normalise, migrations.RunPython.noop)]
