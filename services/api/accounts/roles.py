"""The roles: the one home of their names. A role is a Django group (migrations 0002 and 0003
create them and give the admin role its permissions)."""

from typing import TYPE_CHECKING

from django.contrib.auth.models import Group

if TYPE_CHECKING:  # the migrations import the names: no models at import time
    from accounts.models import User

MEMBER = "member"  # every account, from sign-up
ADMIN = "admin"  # the user administration API (/api/admin/users/); not the Django admin
# The only groups the admin API assigns (and the schema lists).
ASSIGNABLE = (ADMIN, MEMBER)


def give_role(user: "User", name: str) -> None:
    user.groups.add(Group.objects.get_or_create(name=name)[0])
