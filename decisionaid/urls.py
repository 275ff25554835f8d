from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from decisionaid import ops, views

journey = (
    [
        path("t/<slug:slug>/", views.welcome, name="welcome"),
        path("t/<slug:slug>/start/", views.start, name="start"),
        path("visit/", views.resume, name="resume"),
        path("visit/safety/alert/", views.safety_alert, name="safety_alert"),
        path("visit/understanding/feedback/", views.feedback, name="feedback"),
        path("visit/review/", views.review, name="review"),
        path("visit/finished/", views.finished, name="finished"),
        path("visit/end/", views.end, name="end"),
        path("visit/<slug:stage>/", views.stage, name="stage"),
    ],
    "journey",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("", include(journey)),
    path("about/", views.about, name="about"),
    path("topics/", include("topics.urls")),
    path("healthz", ops.healthz, name="healthz"),
    path(settings.ADMIN_PATH, admin.site.urls),
]
