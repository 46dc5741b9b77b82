from django.urls import path

from .views import emulation, imports, needs, overview, projects, reallocation

app_name = "investment"
urlpatterns = [
    path("", overview.home, name="home"),
    path("investors/<int:pk>/", overview.investor_detail, name="investor"),
    path("projects/", projects.project_list, name="projects"),
    path("projects/<str:code>/", projects.project_detail, name="project"),
    path("projects/<str:code>/schedule/", projects.project_schedule, name="schedule"),
    path("import/", imports.import_upload, name="import"),
    path("import/<int:pk>/", imports.import_job, name="job"),
    path("import/<int:pk>/confirm/", imports.import_confirm, name="confirm"),
    path("reallocation/", reallocation.proposal_list, name="reallocation"),
    path("reallocation/<int:pk>/", reallocation.proposal_detail, name="proposal"),
    path("projects/<str:code>/need/", needs.project_need, name="need"),
    path("emulation/", emulation.emulation_lists, name="emulation"),
]
