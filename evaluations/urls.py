from django.urls import path

from evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("patients/<uuid:patient_id>/evaluations/new/", views.evaluation_start, name="start"),
    path("evaluations/<uuid:public_id>/", views.evaluation_detail, name="detail"),
    path("evaluations/<uuid:public_id>/sign/", views.evaluation_sign, name="sign"),
    path("evaluations/<uuid:public_id>/return/", views.evaluation_return, name="return"),
    path("evaluations/<uuid:public_id>/report/", views.evaluation_report, name="report"),
    path("evaluations/<uuid:public_id>/report.pdf", views.evaluation_report_pdf, name="report_pdf"),
    path("evaluations/<uuid:public_id>/addenda/", views.evaluation_addendum, name="addendum"),
    path("evaluations/<uuid:public_id>/date/", views.evaluation_date, name="date"),
    path("evaluations/<uuid:public_id>/discard/", views.evaluation_discard, name="discard"),
    path("evaluations/<uuid:public_id>/<slug:section>/", views.evaluation_section, name="section"),
    path(
        "evaluations/<uuid:public_id>/<slug:section>/autosave/",
        views.evaluation_section_autosave,
        name="section_autosave",
    ),
    path(
        "evaluations/<uuid:public_id>/<slug:section>/unsaved/discard/",
        views.evaluation_section_discard,
        name="section_discard",
    ),
]
