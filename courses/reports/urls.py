from django.urls import path

from courses.reports import views

app_name = "coordinator_reports"

urlpatterns = [
    path("titik-layanan/", views.service_points, name="service_points"),
    path("kursus/", views.course, name="course"),
    path("aktivitas/", views.activity, name="activity"),
    path("hasil-belajar/", views.outcomes, name="outcomes"),
    path("komentar-penilaian/", views.evaluation_comments, name="evaluation_comments"),
]
