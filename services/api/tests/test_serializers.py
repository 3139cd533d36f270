"""Hand-written representations give exactly what DRF's field-by-field one would."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group
from rest_framework import serializers

from accounts.api.serializers import UserSerializer

pytestmark = pytest.mark.django_db


def generic(serializer_class, instance):
    """DRF's own representation: every declared and model field, built and asked in turn."""
    return serializers.ModelSerializer.to_representation(serializer_class(instance), instance)


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"username": "ada", "first_name": "Ada", "last_name": "Lovelace", "language": "de"},
        {"username": None, "confirmed": False},
        {"date_joined": datetime(2027, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)},
    ],
)
def test_the_user_representation_is_drfs(make_user, extra):
    user = make_user(**extra)
    user.groups.add(Group.objects.get_or_create(name="member")[0], Group.objects.get_or_create(name="admin")[0])
    fast = UserSerializer(user).data
    assert fast == generic(UserSerializer, user)
    assert list(fast) == list(UserSerializer().fields)  # the same keys, in the schema's order
    assert fast["roles"] == ["admin", "member"]
