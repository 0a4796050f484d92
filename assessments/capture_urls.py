from django.urls import path

from . import capture_views as views

app_name = "capture"

urlpatterns = [
    path("offerings/<slug:slug>/", views.offering_plan, name="offering_plan"),
    path("offerings/<slug:slug>/modules/<int:module_id>/", views.module_plan, name="module_plan"),
    path("seminars/<int:series_id>/", views.series_plan, name="series_plan"),
    path("check-in/<str:token>/", views.check_in, name="check_in"),
    path("reports/offerings/<slug:slug>/", views.offering_report, name="offering_report"),
    path("reports/offerings/<slug:slug>/plans.csv", views.offering_report_csv, name="offering_report_csv"),
    path("reports/institutions/<slug:short_name>/", views.institution_report, name="institution_report"),
    path(
        "reports/institutions/<slug:short_name>/plans.csv", views.institution_report_csv,
        name="institution_report_csv",
    ),
]
