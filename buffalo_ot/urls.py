from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from accounts import views as account_views
from accounts.api.views import TokenView
from accounts.forms import LoginForm
from buffalo_ot import views
from episodes.api.views import CaseloadView, CertificationViewSet, EpisodeViewSet
from evaluations.api.instruments import InstrumentViewSet
from evaluations.api.views import EvaluationReportView, EvaluationViewSet
from occupations.api.views import CATALOGUE_VIEWSETS
from patients.api.views import PatientViewSet

router = SimpleRouter(use_regex_path=False)
router.register("patients", PatientViewSet, basename="patient")
router.register("evaluations", EvaluationViewSet, basename="evaluation")
router.register("episodes", EpisodeViewSet, basename="episode")
router.register("certifications", CertificationViewSet, basename="certification")
router.register("instruments", InstrumentViewSet, basename="instrument")
for kind, viewset in CATALOGUE_VIEWSETS.items():
    router.register(f"catalogues/{kind}", viewset, basename=f"catalogue-{kind}")

api_urls = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("caseload/", CaseloadView.as_view(), name="caseload"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's script is served as a file (the split view), so the policy needs no inline
    # script; the UI styles its own elements inline, on this page only.
    path(
        "docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
    path("evaluations/<uuid:id>/report.pdf", EvaluationReportView.as_view(), name="evaluation-report-pdf"),
    *router.urls,
]

admin.site.site_header = "Buffalo OT — clinic administration"
admin.site.site_title = "Buffalo OT admin"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", account_views.password_change, name="password_change"),
    path("accounts/password_change/done/", account_views.password_change_done, name="password_change_done"),
    path("patients/", include("patients.urls")),
    path("", include("evaluations.urls")),
    path("", include("episodes.urls")),
    path("admin/", admin.site.urls),
    path("fhir/r4/", include("fhir_r4.urls")),
    path("api/v1/", include((api_urls, "api"))),
    re_path(r"^api/", views.api_not_found),  # after every API route: anything else is a JSON 404
]

handler400 = "buffalo_ot.views.bad_request"
handler403 = "buffalo_ot.views.permission_denied"
handler404 = "buffalo_ot.views.page_not_found"
handler500 = "buffalo_ot.views.server_error"
