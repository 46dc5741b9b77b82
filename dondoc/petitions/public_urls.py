from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("<str:code>/", views.public_status, name="petition"),
]
