"""The /api/v1/ JSON API: one NinjaAPI that mounts each app's router."""

from ninja import NinjaAPI

from certificates.api import router as certificates_router
from courses.api import router as courses_router

api = NinjaAPI(
    title="TOT LMS API",
    version="1",
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("/", courses_router)
api.add_router("/", certificates_router)
