"""The /api/v1/ JSON API: one NinjaAPI that mounts each app's router.

Errors have one shape everywhere (lms.api.errors). Only lms.urls imports this module: the routers
import lms.api.auth and lms.api.errors, never the root, so there is no import circle."""

from ninja import NinjaAPI

from certificates.api import router as certificates_router
from courses.api import router as courses_router
from courses.offline.api import router as offline_router
from lms.api.auth import router as auth_router
from lms.api.errors import exception_handlers_add, openapi_common_responses_add


class LmsNinjaAPI(NinjaAPI):
    """The schema also lists the answers every operation can give before its handler runs."""

    def get_openapi_schema(self, **kwargs):
        return openapi_common_responses_add(super().get_openapi_schema(**kwargs))


api = LmsNinjaAPI(
    title="TOT LMS API",
    version="1",
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
exception_handlers_add(api)

# The token endpoints first, as the schema has always listed them.
api.add_router("/", auth_router)
api.add_router("/", courses_router)
api.add_router("/", offline_router)
api.add_router("/", certificates_router)
