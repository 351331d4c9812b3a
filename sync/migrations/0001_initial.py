"""The sync app takes over tracking's SyncCursor and SyncRun tables (renamed, data kept), gives
cursors an opaque provider state, and moves the claim columns off UserIntegration into SyncClaim."""

import django.db.models.deletion
from django.db import migrations, models

TRIGGERS = [
    ("switched_on", "Switched on"),
    ("token_saved", "New token"),
    ("company_enabled", "Company integration turned on"),
    ("schedule", "Schedule"),
    ("manual", "Sync now"),
    ("webhook", "Webhook"),
    ("command", "Command line"),
    ("follow_up", "Follow-up"),
]
STATUSES = [("running", "Running"), ("retrying", "Retrying"), ("succeeded", "Succeeded"), ("failed", "Failed")]


def cursor_state_from_columns(apps, schema_editor):
    SyncCursor = apps.get_model("sync", "SyncCursor")
    for cursor in SyncCursor.objects.all():
        state = {}
        if cursor.project_version is not None:
            state["version"] = cursor.project_version
        if cursor.updated_after is not None:
            state["since"] = cursor.updated_after.isoformat()
        cursor.state = state
        cursor.save(update_fields=["state"])


def claims_from_user_integrations(apps, schema_editor):
    UserIntegration = apps.get_model("integrations", "UserIntegration")
    SyncClaim = apps.get_model("sync", "SyncClaim")
    SyncClaim.objects.bulk_create(
        [
            SyncClaim(
                user_integration_id=personal.pk,
                state=personal.sync_state or "idle",
                task_id=personal.sync_task_id,
                state_at=personal.sync_state_at,
                follow_up=personal.sync_follow_up,
                last_succeeded_at=personal.last_synced_at,
            )
            for personal in UserIntegration.objects.all()
        ]
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("integrations", "0002_whole_values"),
        ("tracking", "0005_sync_models_move_to_sync_kind"),
    ]
    run_before = [
        ("integrations", "0003_provider_settings_and_claims_moved"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SyncCursor",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("project_external_id", models.CharField(max_length=255)),
                        ("scope", models.CharField(blank=True, max_length=20)),
                        ("project_version", models.BigIntegerField(null=True)),
                        ("updated_after", models.DateTimeField(null=True)),
                        ("is_accessible", models.BooleanField(default=True)),
                        (
                            "user_integration",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="cursors",
                                to="integrations.userintegration",
                            ),
                        ),
                    ],
                    options={"db_table": "tracking_synccursor"},
                ),
                migrations.AddConstraint(
                    model_name="synccursor",
                    constraint=models.UniqueConstraint(
                        fields=("user_integration", "project_external_id"), name="one_cursor_per_project"
                    ),
                ),
                migrations.CreateModel(
                    name="SyncRun",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("celery_task_id", models.CharField(blank=True, db_index=True, max_length=64)),
                        ("trigger", models.CharField(choices=TRIGGERS, max_length=20)),
                        ("status", models.CharField(choices=STATUSES, default="running", max_length=16)),
                        ("started_at", models.DateTimeField(auto_now_add=True)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        ("progress", models.PositiveSmallIntegerField(default=0)),
                        ("created_count", models.PositiveIntegerField(default=0)),
                        ("updated_count", models.PositiveIntegerField(default=0)),
                        ("closed_count", models.PositiveIntegerField(default=0)),
                        ("requests_count", models.PositiveIntegerField(default=0)),
                        ("attempts", models.PositiveSmallIntegerField(default=1)),
                        ("error", models.TextField(blank=True)),
                        ("warnings", models.JSONField(blank=True, default=list)),
                        (
                            "user_integration",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="sync_runs",
                                to="integrations.userintegration",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-started_at", "-id"],
                        "db_table": "tracking_syncrun",
                        "indexes": [
                            models.Index(
                                fields=["user_integration", "-started_at"], name="tracking_sy_user_in_133847_idx"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="synccursor", table=None),
        migrations.AlterModelTable(name="syncrun", table=None),
        migrations.RenameIndex(
            model_name="syncrun", new_name="sync_run_latest", old_name="tracking_sy_user_in_133847_idx"
        ),
        migrations.AddField(model_name="synccursor", name="state", field=models.JSONField(blank=True, default=dict)),
        migrations.RunPython(cursor_state_from_columns, migrations.RunPython.noop),
        migrations.RemoveField(model_name="synccursor", name="project_version"),
        migrations.RemoveField(model_name="synccursor", name="updated_after"),
        migrations.CreateModel(
            name="SyncClaim",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "state",
                    models.CharField(
                        choices=[("idle", "Idle"), ("queued", "Queued"), ("running", "Running")],
                        default="idle",
                        max_length=10,
                    ),
                ),
                ("task_id", models.CharField(blank=True, max_length=64)),
                ("state_at", models.DateTimeField(blank=True, null=True)),
                ("follow_up", models.BooleanField(default=False)),
                ("last_succeeded_at", models.DateTimeField(blank=True, null=True)),
                (
                    "user_integration",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sync_claim",
                        to="integrations.userintegration",
                    ),
                ),
            ],
        ),
        migrations.RunPython(claims_from_user_integrations, migrations.RunPython.noop),
    ]
