from django.urls import path

from . import views

app_name = "integrations"

urlpatterns = [
    path("company/", views.company_list, name="company-list"),
    path("mine/", views.mine, name="mine"),
]
