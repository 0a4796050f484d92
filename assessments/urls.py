from django.urls import path

from . import gradebook_views, views

app_name = "quizzes"

urlpatterns = [
    path("<int:page_id>/start/", views.start, name="start"),
    path("attempts/<int:attempt_id>/", views.attempt_page, name="attempt"),
    path("attempts/<int:attempt_id>/answer/", views.save, name="save"),
    path("attempts/<int:attempt_id>/submit/", views.submit, name="submit"),
    path("attempts/<int:attempt_id>/review/", views.review, name="review"),
    path("attempts/<int:attempt_id>/abandon/", views.abandon, name="abandon"),
    path("offering/<slug:slug>/gradebook/", gradebook_views.gradebook, name="gradebook"),
    path("offering/<slug:slug>/gradebook.csv", gradebook_views.gradebook_csv, name="gradebook_csv"),
    path("offering/<slug:slug>/grading/", gradebook_views.grading_queue, name="grading"),
    path("responses/<int:response_id>/grade/", gradebook_views.grade, name="grade"),
]
