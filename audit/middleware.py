"""`Cache-Control: no-store` on every response for which an access-log row was written.

The access helpers log every read of confidential data (and every refusal), so "a row was written"
is exactly "this page came from an access helper": the case file, a referral packet, the intake, the
audit screens, and later the minutes of a case-review meeting. Such a page must not stay in the
browser cache of a shared office PC after sign-out.
"""

from django.utils.cache import add_never_cache_headers, patch_cache_control

from audit.services import LOGGED_ATTR


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, LOGGED_ATTR, False):
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response
