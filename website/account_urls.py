"""The password pages beside the admin's login, at the root of the URL names: Django's admin
shows "Forgotten your password?" when `admin_password_reset` reverses, and Django's reset views
reverse the other three by these names."""

from django.urls import path

from . import accounts

urlpatterns = [
    path("password-reset/", accounts.password_reset, name="admin_password_reset"),
    path("password-reset/sent/", accounts.password_reset_done, name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        accounts.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password-set/", accounts.password_reset_complete, name="password_reset_complete"),
]
