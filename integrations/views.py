from django.shortcuts import render

from companies.tenancy import admin_required, membership_required


@admin_required
def company_list(request):
    return render(request, "integrations/company_list.html", {"page": "company-integrations"})


@membership_required()
def mine(request):
    return render(request, "integrations/mine.html", {"page": "your-integration"})
