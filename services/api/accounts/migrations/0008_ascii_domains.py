"""Stored addresses with an IDN domain get it in ASCII (A-label) form, the one form addresses
are now stored, compared and mailed in (core.email_address.normalize_email). An address whose ASCII
form already belongs to another account is left as it is (and logged): merging two accounts is
not a migration's decision."""
import logging

from django.db import migrations

from core.email_address import ascii_domain

logger = logging.getLogger(__name__)


def to_ascii_domains(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailConfirmation = apps.get_model("accounts", "EmailConfirmation")
    for user in User.objects.exclude(email__regex=r"^[ -~]*$").only("id", "email"):
        converted = ascii_domain(user.email)
        if converted == user.email:
            continue
        if User.objects.filter(email=converted).exists():
            logger.warning("user %s: %s is another account's address; left as it is", user.id, converted)
            continue
        User.objects.filter(pk=user.pk).update(email=converted)
    for confirmation in EmailConfirmation.objects.exclude(email__regex=r"^[ -~]*$").only("id", "email"):
        EmailConfirmation.objects.filter(pk=confirmation.pk).update(email=ascii_domain(confirmation.email))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_email_rule")]

    operations = [migrations.RunPython(to_ascii_domains, migrations.RunPython.noop)]
