from django.urls import path

from . import institution_views as views

app_name = "institutions"

urlpatterns = [
    path("<slug:short_name>/manage/", views.manage, name="manage"),
    path("<slug:short_name>/manage/members/add/", views.add_member, name="add_member"),
    path("<slug:short_name>/manage/members/<int:pk>/role/", views.change_role, name="change_role"),
    path("<slug:short_name>/manage/members/<int:pk>/remove/", views.remove_member, name="remove_member"),
]
