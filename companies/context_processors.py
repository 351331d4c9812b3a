from .menu import COMPANY_MENU, LEFT_MENU, visible_items
from .models import Membership


def company_shell(request):
    """What the app layout needs: the company, the two menus and the person's other companies."""
    membership = getattr(request, "membership", None)
    if not membership:
        return {}
    other_memberships = (
        Membership.objects.active().filter(user=request.user).exclude(pk=membership.pk).select_related("company")
    )
    return {
        "membership": membership,
        "company": membership.company,
        "left_menu": visible_items(LEFT_MENU, membership),
        "company_menu": visible_items(COMPANY_MENU, membership),
        "other_memberships": other_memberships,
    }
