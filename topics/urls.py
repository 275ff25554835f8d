from django.urls import path

from topics import views

app_name = "topics"
urlpatterns = [
    path("<slug:slug>/", views.overview, name="overview"),
]
