"""The user administration API (/api/admin/users/), for users whose role allows it."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema
from rest_framework import filters, generics, serializers, status
from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissions
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import mfa, security_log, sessions
from accounts.api.permissions import RecentAuthentication
from accounts.api.serializers import SecurityEventSerializer
from accounts.models import User
from accounts.roles import ADMIN, ASSIGNABLE
from core.fields import StrictSlugRelatedField
from core.pagination import NewestFirstCursorPagination


class RoleField(StrictSlugRelatedField):
    """A role name. Answers list every group a user is in; requests may only name ASSIGNABLE."""


class RoleFieldSchema(OpenApiSerializerFieldExtension):
    target_class = RoleField

    def map_serializer_field(self, auto_schema, direction):
        return {"type": "string", "enum": list(ASSIGNABLE)} if direction == "request" else {"type": "string"}


class UserAdminPermission(DjangoModelPermissions):
    """Reading needs accounts.view_user, changing needs accounts.change_user (the admin role has both)."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_object_permission(self, request, view, obj):
        # The admin role manages accounts, not the superusers above it: it could otherwise lock
        # them out (deactivate them, strip their roles) and leave nobody to undo it.
        return request.method in SAFE_METHODS or not obj.is_superuser or request.user.is_superuser


class AdminUserSerializer(serializers.ModelSerializer):
    roles = RoleField(
        source="groups",
        many=True,
        slug_field="name",
        queryset=Group.objects.filter(name__in=ASSIGNABLE),
        required=False,
    )
    mfa_enabled = serializers.BooleanField(read_only=True, help_text="Whether the user has a second factor.")

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "username",
            "first_name",
            "last_name",
            "is_active",
            "email_confirmed",
            "date_joined",
            "last_login",
            "roles",
            "mfa_enabled",
        ]
        read_only_fields = [
            "id",
            "email",
            "username",
            "first_name",
            "last_name",
            "email_confirmed",
            "date_joined",
            "last_login",
        ]

    def validate_is_active(self, value):
        if not isinstance(self.initial_data.get("is_active"), bool):
            raise serializers.ValidationError(_("Must be true or false."))
        if value is False and self.instance == self.context["request"].user:
            raise serializers.ValidationError(_("You cannot deactivate your own account."))
        return value

    def validate_roles(self, groups):
        if not isinstance(self.initial_data.get("roles"), list):
            # DRF would read an object's keys as the list; only a real list is accepted.
            raise serializers.ValidationError(_("Must be a list of role names."))
        names = {group.name for group in groups}
        if self.instance == self.context["request"].user and ADMIN not in names:
            raise serializers.ValidationError(_("You cannot remove your own admin role."))
        return groups

    def update(self, instance, validated_data):
        with transaction.atomic():
            groups = validated_data.pop("groups", None)
            was_active = instance.is_active
            instance = super().update(instance, validated_data)
            if instance.is_active != was_active:
                kind = security_log.ACCOUNT_REACTIVATED if instance.is_active else security_log.ACCOUNT_DEACTIVATED
                security_log.record_for_administrator(instance, kind)
            if groups is not None:
                before = set(instance.groups.values_list("name", flat=True))
                # Only the assignable roles are set: other groups (made in the Django admin) stay.
                instance.groups.remove(
                    *instance.groups.filter(name__in=ASSIGNABLE).exclude(pk__in=[g.pk for g in groups])
                )
                instance.groups.add(*groups)
                after = set(instance.groups.values_list("name", flat=True))
                if after != before:
                    security_log.record_for_administrator(instance, security_log.ROLES_CHANGED, roles=sorted(after))
            if not instance.is_active:
                # Deactivation takes effect at once: every token goes.
                sessions.revoke_all(instance)
        return instance


class AdminUserList(generics.ListAPIView):
    queryset = mfa.with_mfa_enabled(User.objects.prefetch_related("groups").order_by("id"))
    serializer_class = AdminUserSerializer
    permission_classes = [UserAdminPermission]
    filter_backends = [filters.SearchFilter]
    search_fields = ["email", "username", "first_name", "last_name"]


class AdminUserDetail(generics.RetrieveUpdateAPIView):
    queryset = mfa.with_mfa_enabled(User.objects.prefetch_related("groups"))
    serializer_class = AdminUserSerializer
    permission_classes = [UserAdminPermission]
    http_method_names = ["get", "patch", "head", "options"]


class MFAResetPermission(UserAdminPermission):
    """A reset changes the user: accounts.change_user, like a PATCH. Never one's own: that would
    turn off an admin's second factor without one (attack finding), which the security page asks."""

    perms_map = {**UserAdminPermission.perms_map, "POST": ["%(app_label)s.change_%(model_name)s"]}
    message = _("Not your own account's: turn your second factors off on your security page.")

    def has_object_permission(self, request, view, obj):
        return obj != request.user and super().has_object_permission(request, view, obj)


class AdminUserMFAReset(APIView):
    # An APIView, not a GenericAPIView: it has no serializer, which OPTIONS (DRF's metadata)
    # would ask a generic view for, and answer 500 (fuzz finding).
    permission_classes = [MFAResetPermission, RecentAuthentication]
    reauthenticated_methods = ("POST",)  # a sensitive action (accounts/reauthentication.py)
    queryset = User.objects.all()  # for DjangoModelPermissions

    @extend_schema(
        request=None,
        responses={204: None},
        tags=["admin"],
        description="Removes every second factor and recovery code of the user (who lost them), records it in "
        "Django admin's log and mails the user. Secrets are never readable, not even here. Not for one's own "
        "account (403).",
    )
    def post(self, request, pk):
        user = get_object_or_404(User, pk=pk)
        self.check_object_permissions(request, user)
        mfa.reset(user, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AdminUserSecurityLog(generics.ListAPIView):
    """Any user's security log, for administrators (accounts.view_user), in the owner's shape."""

    serializer_class = SecurityEventSerializer
    pagination_class = NewestFirstCursorPagination
    permission_classes = [UserAdminPermission]
    queryset = User.objects.all()  # for DjangoModelPermissions

    @extend_schema(tags=["admin"], description="The user's security events, newest first (follow `next`).")
    def get(self, request, pk):
        page = self.paginate_queryset(security_log.events(get_object_or_404(User, pk=pk)))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
