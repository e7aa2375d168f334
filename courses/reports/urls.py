from django.urls import path

from courses.reports import views

app_name = "coordinator_reports"

urlpatterns = [
    path("titik-layanan/", views.service_points, name="service_points"),
    path("kursus/", views.course, name="course"),
    path("aktivitas/", views.activity, name="activity"),
]
