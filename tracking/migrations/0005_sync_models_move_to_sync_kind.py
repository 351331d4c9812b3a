"""SyncCursor and SyncRun now belong to the sync app (its 0001 takes over the tables); a task's
`story_type` is the generic `kind`."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0004_whole_values"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="SyncCursor"),
                migrations.DeleteModel(name="SyncRun"),
            ],
            database_operations=[],
        ),
        migrations.RenameField(model_name="task", old_name="story_type", new_name="kind"),
    ]
