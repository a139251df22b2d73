from django.urls import path

from episodes import views

app_name = "episodes"

urlpatterns = [
    path("caseload/", views.caseload_page, name="caseload"),
    path("episodes/visits/import/", views.visits_import, name="visits_import"),
    path("episodes/new/<uuid:evaluation_id>/", views.episode_open, name="open"),
    path("episodes/<uuid:public_id>/", views.episode_detail, name="detail"),
    path("episodes/<uuid:public_id>/visits/", views.visit_add, name="visit_add"),
    path("episodes/<uuid:public_id>/visits/<uuid:visit_id>/void/", views.visit_void, name="visit_void"),
    path("episodes/<uuid:public_id>/verbal-order/", views.verbal_order, name="verbal_order"),
    path("episodes/<uuid:public_id>/recertification/", views.recertification_start, name="recertification"),
    path("episodes/<uuid:public_id>/discharge/", views.episode_discharge, name="discharge"),
    path(
        "episodes/<uuid:public_id>/certifications/<uuid:certification_id>/send/",
        views.certification_send,
        name="certification_send",
    ),
    path(
        "episodes/<uuid:public_id>/certifications/<uuid:certification_id>/paper/",
        views.certification_paper,
        name="certification_paper",
    ),
    path(
        "episodes/<uuid:public_id>/certifications/<uuid:certification_id>/fax/<uuid:sending_id>/cover.pdf",
        views.fax_cover,
        name="fax_cover",
    ),
    path(
        "episodes/<uuid:public_id>/certifications/<uuid:certification_id>/document",
        views.certification_document,
        name="certification_document",
    ),
    path("sign/<str:token>", views.sign_page, name="sign"),
    path("sign/<str:token>/plan.pdf", views.sign_plan_pdf, name="sign_plan_pdf"),
]
