"""Serve public pages to anonymous visitors from the cache, keyed by the versions of what they read.

A page declares the scopes it reads (`reads`, a function of the request and the URL's arguments;
`all` is always added). A page is the same for every visitor who carries no session: the key is the
versions of those scopes (one query), the day
(what is overdue changes at midnight), the language, the path and the query parameters the page
reads (`params`). A query string with any other parameter, or a parameter given twice, is redirected
to the canonical URL without them, so junk URLs (`/stats/?bust=1`, `?bust=2`, …) cannot fill the
cache with copies of one page. A committed write changes the versions of
the scopes it touches (signals.py), so a cached page is never older than the data it shows, and a
write to one proposal leaves every other proposal's pages cached; PUBLIC_PAGE_CACHE_SECONDS
only bounds memory. Signed-in users, visitors with a pending message, other methods and any answer but a
plain 200 HTML page go through the view as usual.
"""

import functools
import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.utils import timezone
from django.utils.translation import get_language

from . import scopes
from .models import PageVersion

# Cookies that do not change what a public page shows (the language is part of the key).
NEUTRAL_COOKIES = {settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
CACHE_ALIAS = "default"


def is_cacheable_request(request):
    return request.method in ("GET", "HEAD") and not (set(request.COOKIES) - NEUTRAL_COOKIES)


def canonical_query(query, params):
    """The query string as the page reads it: its known parameters, once each (the last value, as
    QueryDict.get() reads it), in the order `params` names them."""
    return urlencode([(name, query[name]) for name in params if name in query])


def is_canonical(query, params):
    return all(name in params and len(query.getlist(name)) == 1 for name in query)


def reads_lists(request, **kwargs):
    return [scopes.LISTS]


def reads_object(kind, kwarg="pk"):
    """The scopes of a page about one object: `<kind>:<the URL's pk>`."""

    def reads(request, **kwargs):
        return [scopes.scope(kind, kwargs[kwarg])]

    return reads


def page_key(request, tokens, params):
    versions = ",".join(f"{scope}={token}" for scope, token in sorted(tokens.items()))
    page = f"{versions}|{request.path}?{canonical_query(request.GET, params)}"
    digest = hashlib.sha256(page.encode()).hexdigest()
    return f"pagecache:{timezone.localdate().isoformat()}:{get_language()}:{digest}"


def is_cacheable_response(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and response.get("Content-Type", "").startswith("text/html")
    )


def cache_public_page(view=None, *, params=(), reads=reads_lists):
    """Cache `view` for anonymous visitors; `params` names every query parameter it reads, `reads`
    returns the scopes it reads, from the request and the URL's keyword arguments."""
    if view is None:
        return functools.partial(cache_public_page, params=params, reads=reads)
    params = tuple(params)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method in ("GET", "HEAD") and not is_canonical(request.GET, params):
            query = canonical_query(request.GET, params)
            return HttpResponsePermanentRedirect(f"{request.path}?{query}" if query else request.path)
        seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
        if not seconds or not is_cacheable_request(request):
            return view(request, *args, **kwargs)
        cache = caches[CACHE_ALIAS]
        tokens = PageVersion.objects.tokens([scopes.ALL, *reads(request, **kwargs)])
        key = page_key(request, tokens, params)
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if is_cacheable_response(response):
            cache.set(key, (response.content, response["Content-Type"]), seconds)
        return response

    return wrapper
