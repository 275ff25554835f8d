from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.cache import never_cache

from decisionaid import staff, views

# Patient pages are never cached: after the tablet is handed back, the browser's Back button
# must not show the previous patient's answers.
journey = (
    [
        path("t/<slug:slug>/", never_cache(views.welcome), name="welcome"),
        path("t/<slug:slug>/start/", never_cache(views.start), name="start"),
        path("visit/", never_cache(views.resume), name="resume"),
        path("visit/safety/alert/", never_cache(views.safety_alert), name="safety_alert"),
        path("visit/understanding/feedback/", never_cache(views.feedback), name="feedback"),
        path("visit/review/", never_cache(views.review), name="review"),
        path("visit/finished/", never_cache(views.finished), name="finished"),
        path("visit/end/", never_cache(views.end), name="end"),
        path("text-size/", never_cache(views.text_size), name="text_size"),
        path("visit/<slug:stage>/", never_cache(views.stage), name="stage"),
    ],
    "journey",
)

staff_urls = (
    [
        path("", staff.visits, name="visits"),
        path("find/", staff.find, name="find"),
        path("sheet/<slug:token>/", staff.sheet, name="sheet"),
        path("sheet/<slug:token>/pdf/", staff.sheet_pdf, name="sheet_pdf"),
    ],
    "staff",
)

urlpatterns = [
    path("", never_cache(views.home), name="home"),
    path("", include(journey)),
    path("topics/", include("topics.urls")),
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("staff/", include(staff_urls)),
]
