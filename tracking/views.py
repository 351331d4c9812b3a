from django.shortcuts import render

from companies.tenancy import membership_required


@membership_required()
def dashboard(request):
    return render(request, "tracking/dashboard.html", {"page": "dashboard"})
