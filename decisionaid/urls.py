from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from decisionaid import api, insights, ops, staff, views

# Every page here except the read-only topic overview and /about/ is sent with
# Cache-Control: no-store (decisionaid.middleware), so after the tablet is handed back the
# browser's Back button cannot show the previous patient's answers.
journey = (
    [
        path("t/<slug:slug>/", views.welcome, name="welcome"),
        path("t/<slug:slug>/start/", views.start, name="start"),
        path("visit/", views.resume, name="resume"),
        path("visit/safety/emergency/", views.emergency, name="emergency"),
        path("visit/safety/alert/", views.safety_alert, name="safety_alert"),
        path("visit/understanding/feedback/", views.feedback, name="feedback"),
        path("visit/review/", views.review, name="review"),
        path("visit/finished/", views.finished, name="finished"),
        path("visit/end/", views.end, name="end"),
        path("text-size/", views.text_size, name="text_size"),
        path("language/", views.language, name="language"),
        path("visit/<slug:stage>/", views.stage, name="stage"),
        path("visit/<slug:stage>/<int:screen>/", views.stage, name="stage_screen"),
    ],
    "journey",
)

staff_urls = (
    [
        path("", staff.visits, name="visits"),
        path("find/", staff.find, name="find"),
        path("sheet/<slug:token>/", staff.sheet, name="sheet"),
        path("sheet/<slug:token>/pdf/", staff.sheet_pdf, name="sheet_pdf"),
        path("sheet/<slug:token>/fhir/", staff.sheet_fhir, name="sheet_fhir"),
        path("insights/", insights.insights, name="insights"),
        path("insights/csv/", insights.insights_csv, name="insights_csv"),
    ],
    "staff",
)

# The read-only FHIR API (decisionaid/api.py, docs/FHIR.md). FHIR addresses end without "/".
fhir_urls = (
    [
        path("", api.unknown, name="root"),
        path("Questionnaire/<slug:slug>", api.questionnaire, name="questionnaire"),
        path(
            "Questionnaire/<slug:slug>/_history/<slug:version>",
            api.questionnaire,
            name="questionnaire_version",
        ),
        path("QuestionnaireResponse", api.questionnaire_response_search, name="search"),
        path(
            "QuestionnaireResponse/<str:fhir_id>",
            api.questionnaire_response,
            name="questionnaire_response",
        ),
        path("<path:path>", api.unknown),
    ],
    "fhir",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("", include(journey)),
    path("about/", views.about, name="about"),
    path("topics/", include("topics.urls")),
    path("healthz", ops.healthz, name="healthz"),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("staff/", include(staff_urls)),
    path("api/fhir/", include(fhir_urls)),
]
