"""The Jinja2 environment of the few templates that render thousands of rows (the report tables in
tracking/jinja2/): Django's template engine spends ~0.1 ms a row there, Jinja2's compiled templates
a tenth of that. Every other page is a Django template; these partials are rendered into them with
`tracking.report_tables`. Values are escaped (autoescape), and an unknown name is an error.

The filters are the ones the Django templates use: `duration` (the viewer's unit), `in_person_zone`
(the viewer's zone), `shorten` (a long title cut with an ellipsis).
"""

from typing import Any

import jinja2

from companies.templatetags.person_tags import duration, in_person_zone
from tracking.templatetags.report_tags import shorten


def environment(**options: Any) -> jinja2.Environment:
    options["undefined"] = jinja2.StrictUndefined
    env = jinja2.Environment(**options)
    env.filters.update(duration=duration, in_person_zone=in_person_zone, shorten=shorten)
    return env
