from django.urls import path

from . import views

app_name = "deadlines"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.dossier_new, name="new"),
    path("import/", views.dossier_import, name="import"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("calendar/<int:pk>/remove/", views.override_remove, name="override_remove"),
    path("<int:pk>/", views.dossier_detail, name="detail"),
    path("<int:pk>/<str:event>/", views.dossier_event, name="event"),
]
