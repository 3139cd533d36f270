# The outbox model now belongs to the outbox app (outbox/migrations/0001_initial.py); its table
# stays where it is, so only the migration state changes here.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_outbox_claims"),
        ("outbox", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="OutboxEmail")],
            database_operations=[],
        ),
    ]
