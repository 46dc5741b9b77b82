from django.urls import path

from . import views

app_name = "agencies"
urlpatterns = [
    path("", views.agency_list, name="list"),
    path("alias-proposals/", views.alias_proposals, name="alias_proposals"),
    path("alias-proposals/<int:pk>/decide/", views.alias_decide, name="alias_decide"),
    path("<str:code>/", views.agency_detail, name="detail"),
    path("<str:code>/edit/", views.agency_edit, name="edit"),
    path("<str:code>/propose-alias/", views.alias_propose, name="alias_propose"),
]
