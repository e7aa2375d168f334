from django.urls import path

from courses.editors import views

app_name = "item_statistics"

urlpatterns = [
    path("<str:page_id>/", views.quiz_item_statistics, name="lesson"),
    path("<str:page_id>/<str:quiz_id>/", views.quiz_item_statistics, name="quiz"),
]
