from django.urls import path

from . import adoption_views as views

app_name = "adoptions"

urlpatterns = [
    path("", views.index, name="index"),
    path("course/<int:course_id>/adopt/", views.adopt, name="adopt"),
    path("course/<int:course_id>/adopters/", views.adopters, name="adopters"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/retry/", views.retry, name="retry"),
    path("<int:pk>/status/", views.record_status, name="status"),
    path("<int:pk>/changes/", views.changes, name="changes"),
    path("<int:pk>/changes/<int:lineage_pk>/", views.change, name="change"),
    path("<int:pk>/changes/<int:lineage_pk>/pull/", views.pull, name="pull"),
    path("<int:pk>/changes/<int:lineage_pk>/decline/", views.decline, name="decline"),
    path("<int:pk>/new/<int:source_pk>/pull/", views.pull_new, name="pull_new"),
    path("<int:pk>/new/<int:source_pk>/decline/", views.decline_new, name="decline_new"),
]
