"""The REST API: one NinjaAPI that mounts each app's router under /api/v1."""

from ninja import NinjaAPI

from motcua.core.api import install_error_handlers
from motcua.worktime.api import router as calendar_router

api = NinjaAPI(
    title="motcua API",
    version="1",
    description="Administrative procedures, dossiers and the working calendar of a one-stop platform.",
    urls_namespace="api-v1",
    docs_url="/docs",
)
install_error_handlers(api)
api.add_router("/calendar", calendar_router)
