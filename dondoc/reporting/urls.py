from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("open/", views.report_open, name="open"),
    path("consolidated/", views.consolidated_report, name="consolidated"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/v/<int:number>/", views.report_version, name="version"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]
