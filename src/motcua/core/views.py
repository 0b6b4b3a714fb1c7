from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse

from motcua.core.outage import retry_after


def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers; 503 with Retry-After when it does not, for load balancers and probes."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        response = JsonResponse({"status": "unavailable", "database": "down"}, status=503)
        response["Retry-After"] = retry_after()
        response["Cache-Control"] = "no-store"
        return response
    return JsonResponse({"status": "ok"})
