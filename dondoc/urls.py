from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from dondoc.accounts import views as account_views
from dondoc.core import views as core_views
from dondoc.home import views as home_views
from dondoc.jobs import views as job_views

admin.site.site_header = "dondoc"
admin.site.site_title = "dondoc"

urlpatterns = [
    path("", home_views.home, name="home"),
    path("healthz", home_views.healthz, name="healthz"),
    path("ops/", home_views.operations_page, name="ops"),
    path("audit/", core_views.audit_list, name="audit"),
    path("jobs/", job_views.job_list, name="jobs"),
    path("agencies/", include("dondoc.accounts.urls")),
    path("programs/", include("dondoc.programs.urls")),
    path("tasks/", include("dondoc.programs.task_urls")),
    path("deadlines/", include("dondoc.deadlines.urls")),
    path("reports/", include("dondoc.reporting.urls")),
    path("investment/", include("dondoc.investment.urls")),
    path("petitions/", include("dondoc.petitions.urls")),
    path("p/", include("dondoc.petitions.public_urls")),
    path("settings/organisation/", account_views.organisation, name="organisation"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
