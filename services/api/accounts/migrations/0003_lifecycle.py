"""Session tokens, reset codes, confirmation purposes, and the admin role's permissions."""
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models
import django.db.models.deletion
import uuid

from accounts.roles import ADMIN


def grant_admin_permissions(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admin, _ = Group.objects.get_or_create(name=ADMIN)
    admin.permissions.add(
        *Permission.objects.filter(content_type__app_label="accounts", codename__in=["view_user", "change_user"])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuthToken",
            fields=[
                ("digest", models.CharField(max_length=128, primary_key=True, serialize=False)),
                ("token_key", models.CharField(db_index=True, max_length=25)),
                ("created", models.DateTimeField(auto_now_add=True)),
                ("expiry", models.DateTimeField(blank=True, null=True)),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("session_started_at", models.DateTimeField()),
                ("last_seen", models.DateTimeField(null=True)),
                ("user_agent", models.CharField(blank=True, max_length=256)),
                ("ip", models.GenericIPAddressField(null=True)),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                           related_name="auth_token_set", to=settings.AUTH_USER_MODEL)),
            ],
            options={"indexes": [models.Index(fields=["expiry"], name="authtoken_expiry_idx")]},
        ),
        migrations.AddField(
            model_name="emailconfirmation",
            name="purpose",
            field=models.CharField(choices=[("signup", "signup"), ("change", "change")], default="signup",
                                   max_length=10),
        ),
        migrations.CreateModel(
            name="PasswordResetCode",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code_hash", models.CharField(max_length=64)),
                ("state", models.CharField(max_length=64)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("expires_at", models.DateTimeField()),
                ("failed_attempts", models.PositiveSmallIntegerField(default=0)),
                ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE,
                                              related_name="password_reset_code", to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.RunPython(grant_admin_permissions, migrations.RunPython.noop),
    ]
