"""Sign-in, sign-out, password change and the two-factor pages.

Django's own names (login, logout, password_change, password_change_done) stay outside any
namespace: LOGIN_URL, the admin and Django's templates reverse them by these names. The
two-factor pages are accounts:otp_setup and accounts:otp_verify.
"""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views
from accounts.forms import LoginForm

two_factor_patterns = (
    [
        path("setup/", views.otp_setup, name="otp_setup"),
        path("verify/", views.otp_verify, name="otp_verify"),
    ],
    "accounts",
)

# Form views answer GET and POST only (a class-based FormView would take PUT as POST).
FORM_METHODS = ["get", "head", "post", "options"]

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, http_method_names=FORM_METHODS),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(http_method_names=FORM_METHODS), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("two-factor/", include(two_factor_patterns)),
    # Forgotten password (Django's names, like login's).
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/sent/", views.password_reset_done, name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password/reset/complete/", views.password_reset_complete, name="password_reset_complete"),
]
