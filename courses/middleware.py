"""Request middleware of the courses app."""

from courses import content_cache


class CachedSiteMiddleware:
    """Give Wagtail the request's site, with its root page, from the shared content cache
    (courses.content_cache.site_for_request) instead of three queries on every page request.
    Wagtail's Site.find_for_request keeps the site of a request in `request._wagtail_site`, and
    reads it from there. Not for the admin, which works on the tree itself.

    After CommonMiddleware: the host has passed ALLOWED_HOSTS, so a forged Host header makes no
    cache entry."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if content_cache.enabled() and not request.path_info.startswith("/admin/"):
            request._wagtail_site = content_cache.site_for_request(request)
        return self.get_response(request)
