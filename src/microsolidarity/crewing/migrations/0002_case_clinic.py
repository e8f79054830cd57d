"""Ship the Case Clinic meeting format."""

from django.db import migrations


def add_formats(apps, schema_editor):
    from microsolidarity.crewing.meeting_formats import SHIPPED_FORMATS

    MeetingTemplate = apps.get_model("crewing", "MeetingTemplate")
    for shipped in SHIPPED_FORMATS:
        MeetingTemplate.objects.get_or_create(
            congregation=None,
            name=shipped["name"],
            defaults={
                "description": shipped["description"],
                "steps": shipped["steps"],
                "journal_prompt": shipped["journal_prompt"],
            },
        )


def remove_formats(apps, schema_editor):
    from microsolidarity.crewing.meeting_formats import SHIPPED_FORMATS

    MeetingTemplate = apps.get_model("crewing", "MeetingTemplate")
    names = [shipped["name"] for shipped in SHIPPED_FORMATS]
    MeetingTemplate.objects.filter(congregation=None, name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [("crewing", "0001_initial")]

    operations = [migrations.RunPython(add_formats, remove_formats)]
