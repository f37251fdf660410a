"""The production settings plus the benchmark's pieces, used only by `make bench` (DJANGO_SETTINGS_MODULE=bench.settings).

The benchmark app is installed only here, so its commands (which write thousands of rows without the
services) and its one-query page never exist on a real site.
"""

from ageo_network.settings import *  # noqa: F403
from ageo_network.settings import INSTALLED_APPS, MIDDLEWARE

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"
# Outermost, so it counts every query of the request, the middleware's own included.
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
