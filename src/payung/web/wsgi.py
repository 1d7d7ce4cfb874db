"""The WSGI entry point production serves (``gunicorn payung.web.wsgi``).

Each worker process loads the application, then the national region table that nearly every
page reads (91 600 ``Region`` objects), and then moves everything loaded so far out of the
cyclic garbage collector's sight (``gc.freeze``). Without it, each full collection walked
about half a million long-lived objects, 200-500 ms during which every thread of the worker
waited: under 50 users that pause was the slowest tail of most pages (issue 16, target 4).
Frozen objects are still freed by reference counting; only the collector skips them.

Before freezing, the worker also does what its first requests would otherwise do while
every other thread of the process waited on them: it imports every app's views through the
URL configuration, reads the Indonesian message catalogues and compiles Payung's templates
into the cached loader. A fresh worker's first decision list took 1.0-1.5 s, 0.27 s after it.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payung.web.settings")
application = get_wsgi_application()


def _first_requests_work() -> None:
    """Load now, once, what the first requests would each wait for (none of it reads the
    database, so a worker still starts while the database is away)."""
    from pathlib import Path

    from django.conf import settings
    from django.template import engines
    from django.urls import reverse
    from django.utils import translation

    import payung
    from payung.domain import wilayah

    wilayah.lookup("36")  # the region table loads on first use
    reverse("web:home")  # imports every URL module, and so every view module
    with translation.override(settings.LANGUAGE_CODE):
        translation.gettext("Beranda")  # reads the message catalogues of every app
    if settings.DEBUG:
        return  # templates are read afresh for every request then: nothing to keep
    for folder in Path(payung.__file__).parent.glob("*/templates"):
        for template in sorted(folder.rglob("*.html")):
            for engine in engines.all():
                engine.get_template(template.relative_to(folder).as_posix())


def _long_lived_freeze() -> None:
    _first_requests_work()
    gc.collect()
    gc.freeze()


_long_lived_freeze()
