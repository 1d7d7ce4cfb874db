"""The web application: Django settings, root URLs, WSGI/ASGI, the base templates."""
