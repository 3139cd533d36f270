from django.urls import path

from accounts.api import admin_views

urlpatterns = [
    path("users/", admin_views.AdminUserList.as_view(), name="admin-users"),
    path("users/<int:pk>/", admin_views.AdminUserDetail.as_view(), name="admin-user-detail"),
    path("users/<int:pk>/security-log/", admin_views.AdminUserSecurityLog.as_view(), name="admin-user-security-log"),
    path("users/<int:pk>/mfa/reset/", admin_views.AdminUserMFAReset.as_view(), name="admin-user-mfa-reset"),
]
