from django.urls import path

from patients import views

app_name = "patients"

urlpatterns = [
    path("", views.patient_list, name="list"),
    path("new/", views.patient_register, name="register"),
    path("import/", views.patient_import, name="import"),
    path("import/<uuid:public_id>/", views.patient_import_detail, name="import_detail"),
    path("<uuid:public_id>/", views.patient_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.patient_edit, name="edit"),
    path("<uuid:public_id>/archive/", views.patient_archive, name="archive"),
    path("<uuid:public_id>/restore/", views.patient_restore, name="restore"),
    path("<uuid:public_id>/audit/", views.patient_audit_trail, name="audit"),
]
