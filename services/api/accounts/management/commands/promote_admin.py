"""Give an existing account the admin role (the user administration API, /api/admin/users/).

The first administrator cannot be made through the API: run
`python manage.py promote_admin ada@example.com` on a trusted machine. The role does not reach
the Django admin (/admin/), which is for superusers only (`manage.py createsuperuser`).
"""

from django.core.management.base import BaseCommand, CommandError

from accounts import roles
from accounts.models import User
from core.email_address import normalize_email


class Command(BaseCommand):
    help = "Give an existing, confirmed account the admin role."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = User.objects.filter(email=normalize_email(email)).first()
        if user is None:
            raise CommandError(f"no account with the address {email!r}")
        roles.give_role(user, roles.ADMIN)
        self.stdout.write(f"{user.email} is now an admin")
