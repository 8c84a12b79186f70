from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from haven.ops.health import health


@never_cache
@require_safe
def healthz(request):
    """For a load balancer and for monitoring: 200 when the database, the task queue and a
    worker are fine, 503 naming what is not. No sign-in, and nothing about any agency."""
    results = health()
    failing = {name: problem for name, problem in results.items() if problem}
    body = {
        "status": "failing" if failing else "ok",
        "checks": {name: problem or "ok" for name, problem in results.items()},
    }
    if failing:
        body["failing"] = sorted(failing)
    return JsonResponse(body, status=503 if failing else 200)
