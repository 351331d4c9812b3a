"""Integration state for pages of other apps, which know nothing of this one but its templates.

- ``{% integration_banners %}``: one line per integration of the signed-in member that does not
  sync although they set it up (token rejected, company integration turned off), decided by
  `integrations.state` like everything else on Your Integration. Nothing when all is well.
- ``{% integration_next_step %}``: the task picker's empty state: the real next step for this
  member, from the same states (wait for or ask for the company integration, link, paste a new
  token, switch back on, or wait for something to be assigned).
"""

from django import template

from ..state import ACTIVE, COMPANY_OFF, states_for

register = template.Library()


@register.inclusion_tag("integrations/_banners.html", takes_context=True)
def integration_banners(context):
    membership = getattr(context.get("request"), "membership", None)
    states = states_for(membership) if membership else []
    return {"banners": [state for state in states if state.banner]}


@register.inclusion_tag("integrations/_next_step.html", takes_context=True)
def integration_next_step(context):
    membership = getattr(context.get("request"), "membership", None)
    states = states_for(membership) if membership else []
    return {
        "active": [state for state in states if state.key == ACTIVE],
        "to_link": [state for state in states if state.key not in (ACTIVE, COMPANY_OFF)],
        "company_off": [state for state in states if state.key == COMPANY_OFF],
        "is_company_admin": bool(membership and membership.is_company_admin),
        "company": membership.company if membership else None,
    }
