from django.contrib.auth import views as auth_views
from django.urls import path

from payung.accounts import views
from payung.accounts.forms import LoginForm

app_name = "accounts"

urlpatterns = [
    path(
        "masuk/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("kata-sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path("dua-langkah/", views.otp_verify, name="otp_verify"),
    path("dua-langkah/daftar/", views.otp_enrol, name="otp_enrol"),
]
