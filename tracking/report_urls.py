from django.urls import path

from . import report_views

app_name = "reports"

urlpatterns = [
    path("", report_views.timesheet, name="timesheet"),
    path("timesheet.csv", report_views.timesheet_csv, name="timesheet-csv"),
    path("projects/", report_views.projects, name="projects"),
    path("projects.csv", report_views.projects_csv, name="projects-csv"),
    path("entries/", report_views.entries, name="entries"),
    path("entries.csv", report_views.entries_csv, name="entries-csv"),
]
