"""Integration state for pages of other apps, which know nothing of this one but its templates.

- ``{% integration_banners %}``: one line per integration of the signed-in member that does not
  sync although they set it up (token rejected, company integration turned off), decided by
  `integrations.state` like everything else on Your Integration. Nothing when all is well.
"""

from django import template

from ..state import states_for

register = template.Library()


@register.inclusion_tag("integrations/_banners.html", takes_context=True)
def integration_banners(context):
    membership = getattr(context.get("request"), "membership", None)
    states = states_for(membership) if membership else []
    return {"banners": [state for state in states if state.banner]}
