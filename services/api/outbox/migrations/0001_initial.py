# The outbox moved here from core: the model's state moves, its table (core_outboxemail) stays.

import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("core", "0003_outbox_claims"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutboxEmail",
                    fields=[
                        ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ("kind", models.CharField(max_length=64)),
                        ("to", models.EmailField(max_length=254)),
                        ("payload", models.JSONField(null=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("expires_at", models.DateTimeField(null=True)),
                        ("enqueued_at", models.DateTimeField(null=True)),
                        ("claimed_until", models.DateTimeField(null=True)),
                        ("publish_attempts", models.PositiveIntegerField(default=0)),
                        ("last_error", models.CharField(blank=True, max_length=200)),
                    ],
                    options={
                        "db_table": "core_outboxemail",
                        "indexes": [
                            models.Index(fields=["enqueued_at", "created_at"], name="outbox_pending_idx"),
                            models.Index(fields=["to", "created_at"], name="outbox_recipient_idx"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
