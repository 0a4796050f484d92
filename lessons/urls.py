from django.urls import path

from . import views

app_name = "lessons"

urlpatterns = [
    path("<int:page_id>/complete/", views.complete, name="complete"),
    path("<int:page_id>/undo/", views.undo, name="undo"),
]
