"""Permissions every authenticated view runs (settings: DEFAULT_PERMISSION_CLASSES)."""

from rest_framework.permissions import BasePermission

from accounts import reauthentication


class RecentAuthentication(BasePermission):
    """The view's `reauthenticated_methods` (sensitive actions) need a session that authenticated
    recently (accounts/reauthentication.py); answered as 403 `reauthentication_required`.
    Checked before the view runs, so a refused action has changed nothing."""

    def has_permission(self, request, view):
        if request.method in getattr(view, "reauthenticated_methods", ()):
            reauthentication.require_recent(request.auth)
        return True
