"""/metrics: the site's counters in Prometheus' text format, for scrapers on trusted addresses or with the token."""

import hmac
from ipaddress import ip_address, ip_network

from flask import Blueprint, Response, abort, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Gauge
from sqlalchemy.exc import SQLAlchemyError

from .. import metrics
from ..extensions import db
from ..models import utcnow
from ..search import get_index

bp = Blueprint("metrics", __name__)


@bp.get("/metrics")
def scrape():
    """Answer every worker's metrics and the search index's queue, to a trusted address or the token's bearer."""
    if not _allowed():
        abort(404)  # as for any address that does not exist: nothing to learn about the site from outside
    body = metrics.exposition(_log_registry())
    return Response(body, content_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})


def _allowed() -> bool:
    """Tell whether the request bears METRICS_TOKEN or comes from one of METRICS_ALLOWED_ADDRESSES."""
    token = current_app.config["METRICS_TOKEN"]
    offered = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(
        address in ip_network(allowed, strict=False) for allowed in current_app.config["METRICS_ALLOWED_ADDRESSES"]
    )


def _log_registry() -> CollectorRegistry:
    """Return the change log entries this node's index has not applied yet and the age of the oldest, read now."""
    registry = CollectorRegistry()
    length = Gauge("blogapp_search_log_pending", "Change log entries this node has not applied", registry=registry)
    lag = Gauge("blogapp_search_log_lag_seconds", "Age of the oldest entry not applied", registry=registry)
    try:
        count, oldest = get_index().lag()
    except SQLAlchemyError:
        db.session.rollback()
        return registry  # no values rather than a failed scrape: blogapp_http_requests still says what happens
    length.set(count)
    lag.set((utcnow() - oldest).total_seconds() if oldest else 0)
    return registry
