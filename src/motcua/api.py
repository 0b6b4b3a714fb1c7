"""The REST API: one NinjaAPI that mounts each app's router under /api/v1."""

from motcua.catalog.api import router as procedures_router
from motcua.core.api import UnicodeJSONRenderer, install_error_handlers
from motcua.core.input import StrictJSONParser
from motcua.core.openapi import DocumentedAPI
from motcua.delivery.api import OutboxAccess, outbox_router
from motcua.dossiers.api import files_router, lookup_router
from motcua.dossiers.api import router as dossiers_router
from motcua.exchange.api import router as edxml_router
from motcua.org.api import delegations_router
from motcua.org.api import router as org_router
from motcua.org.api_token import router as token_router
from motcua.org.auth import api_auth
from motcua.org.selectors import may_steer_operations, may_watch_operations
from motcua.privacy.api import router as audit_router
from motcua.signing.api import results_router
from motcua.signing.api import router as verify_router
from motcua.stats.api_indicators import router as indicators_router
from motcua.stats.api_report import router as report_router
from motcua.worktime.api import router as calendar_router

api = DocumentedAPI(
    title="motcua API",
    version="1",
    description="Administrative procedures, dossiers and the working calendar of a one-stop platform.",
    urls_namespace="api-v1",
    docs_url="/docs",
    renderer=UnicodeJSONRenderer(),
    parser=StrictJSONParser(),
)
install_error_handlers(api)
api.add_router("/procedures", procedures_router)
api.add_router("/", org_router)
api.add_router("/auth", token_router)
api.add_router("/calendar", calendar_router)
api.add_router("/delegations", delegations_router)
api.add_router("/files", files_router)
api.add_router("/dossiers", dossiers_router)
api.add_router("/dossiers", results_router)
api.add_router("/lookup", lookup_router)
api.add_router("/audit", audit_router)
api.add_router("/stats", report_router)
api.add_router("/stats", indicators_router)
api.add_router("/verify", verify_router)
api.add_router("/outbox", outbox_router(api_auth, OutboxAccess(may_watch_operations, may_steer_operations)))
api.add_router("/edxml", edxml_router)
