"""The WSGI entry point production serves (``gunicorn payung.web.wsgi``).

Each worker process loads the application, then the national region table that nearly every
page reads (91 600 ``Region`` objects), and then moves everything loaded so far out of the
cyclic garbage collector's sight (``gc.freeze``). Without it, each full collection walked
about half a million long-lived objects, 200-500 ms during which every thread of the worker
waited: under 50 users that pause was the slowest tail of most pages (issue 16, target 4).
Frozen objects are still freed by reference counting; only the collector skips them.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payung.web.settings")
application = get_wsgi_application()


def _long_lived_freeze() -> None:
    from payung.domain import wilayah

    wilayah.lookup("36")  # the region table loads on first use; load it now, before freezing
    gc.collect()
    gc.freeze()


_long_lived_freeze()
