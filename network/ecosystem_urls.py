from django.urls import path

from . import ecosystem_views as views

app_name = "ecosystem"

urlpatterns = [
    path("", views.ecosystem_map, name="map"),
    path("map.json", views.ecosystem_json, name="map_json"),
    path("reports/", views.reports, name="reports"),
    path("reports.csv", views.reports_csv, name="reports_csv"),
]
