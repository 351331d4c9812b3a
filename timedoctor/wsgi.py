"""The WSGI application, as gunicorn loads it.

Once Django is set up and the URLconf imported (every view with it), the objects made so far live as
long as the process. `gc.freeze()` moves them out of the garbage collector's sight: otherwise each
full collection during a request scans them all again, about 120,000 objects, which on a report of
thousands of lines was 70 of its 250 ms. Garbage is collected first, so none of it is kept for good.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timedoctor.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 (imports the URLconf and every view now, not in the first request)
gc.collect()
gc.freeze()
