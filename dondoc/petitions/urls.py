from django.urls import path

from . import views

app_name = "petitions"
urlpatterns = [
    path("", views.petition_list, name="list"),
    path("new/", views.petition_new, name="new"),
    path("similar/", views.similar, name="similar"),
    path("categories/", views.categories, name="categories"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/", views.petition_detail, name="detail"),
    path("<int:pk>/contact/", views.petition_contact, name="contact"),
    path("<int:pk>/route/", views.petition_route, name="route"),
    path("<int:pk>/update/", views.petition_update, name="update"),
    path("<int:pk>/answer/", views.petition_answer, name="answer"),
    path("<int:pk>/publish/", views.petition_publish, name="publish"),
    path("<int:pk>/close/", views.petition_close, name="close"),
    path("<int:pk>/escalate/", views.petition_escalate, name="escalate"),
    path("<int:pk>/decide/", views.petition_decide, name="decide"),
    path("<int:pk>/merge/", views.petition_merge, name="merge"),
    path("<int:pk>/attach/", views.petition_attach, name="attach"),
]
