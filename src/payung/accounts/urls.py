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
    # The administrator's pages (issue 9): staff accounts and logins, no beneficiary data.
    path("pengguna/", views.user_list, name="user_list"),
    path("pengguna/baru/", views.user_create, name="user_create"),
    path("pengguna/riwayat-masuk/", views.login_history, name="login_history"),
    path("pengguna/<int:pk>/", views.user_detail, name="user_detail"),
    path("pengguna/<int:pk>/nonaktifkan/", views.user_deactivate, name="user_deactivate"),
    path("pengguna/<int:pk>/aktifkan/", views.user_reactivate, name="user_reactivate"),
    path("pengguna/<int:pk>/buka-kunci/", views.user_unlock, name="user_unlock"),
    path(
        "pengguna/<int:pk>/atur-ulang-sandi/",
        views.user_password_reset,
        name="user_password_reset",
    ),
    path(
        "pengguna/<int:pk>/atur-ulang-dua-langkah/",
        views.user_second_factor_reset,
        name="user_second_factor_reset",
    ),
]
