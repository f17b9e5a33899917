"""The client's address, for login throttling and rate limits: one definition both use."""

from django.conf import settings


def client_ip(request):
    """REMOTE_ADDR, or behind TRACKER_PROXY_COUNT proxies the address the outermost one saw.

    Each trusted proxy appends the address it received from to X-Forwarded-For, so the client is the
    Nth entry from the right; anything further left was written by the client and is not trusted.
    """
    count = settings.TRACKER_PROXY_COUNT
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def ratelimit_key(group, request):
    return client_ip(request)
