from django.urls import path

from . import views, views_reallocation

app_name = "investment"
urlpatterns = [
    path("", views.home, name="home"),
    path("investors/<int:pk>/", views.investor_detail, name="investor"),
    path("projects/", views.project_list, name="projects"),
    path("projects/<str:code>/", views.project_detail, name="project"),
    path("projects/<str:code>/schedule/", views.project_schedule, name="schedule"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_job, name="job"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="confirm"),
    path("reallocation/", views_reallocation.proposal_list, name="reallocation"),
    path("reallocation/<int:pk>/", views_reallocation.proposal_detail, name="proposal"),
    path("projects/<str:code>/need/", views_reallocation.project_need, name="need"),
    path("emulation/", views_reallocation.emulation_lists, name="emulation"),
]
