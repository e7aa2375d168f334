from django.urls import path

from certificates import admin_views

app_name = "certificates_admin"

urlpatterns = [
    path("", admin_views.certificate_index, name="index"),
    path("issue/", admin_views.certificate_issue_one, name="issue"),
    path("<int:pk>/revoke/", admin_views.certificate_revoke, name="revoke"),
    path("<int:pk>/reissue/", admin_views.certificate_reissue, name="reissue"),
    path("batches/", admin_views.batch_index, name="batches"),
    path("batches/<int:pk>/", admin_views.batch_detail, name="batch"),
    path("batches/<int:pk>/zip/", admin_views.batch_zip, name="batch_zip"),
    path("service-points/", admin_views.service_point_index, name="service_points"),
    path("service-points/<int:pk>/zip/", admin_views.service_point_zip, name="service_point_zip"),
]
