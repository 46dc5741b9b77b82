from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [
    path("", views.task_list, name="list"),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("assignments/<int:pk>/update/", views.assignment_update, name="update"),
    path("assignments/<int:pk>/reopen/", views.assignment_reopen, name="reopen"),
    path("assignments/<int:pk>/extension/", views.extension_request, name="extension_request"),
    path("extensions/", views.extension_list, name="extensions"),
    path("extensions/<int:pk>/opinion/", views.extension_opinion, name="extension_opinion"),
]
