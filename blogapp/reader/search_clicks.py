"""Result clicks: the tokens a result page carries and the endpoint its script sends an opened result's token to."""

from flask import current_app, request, url_for

from ..extensions import csrf, limiter
from ..search import ResultPage, SearchRequest
from ..search.clicks import click_token, read_click_token, record_click
from .search_pages import bp


@bp.app_template_global()
def result_click_tokens(search: SearchRequest, result: ResultPage, rows: list) -> list[list]:
    """Return [article path, signed token] for each result shown; positions count from page one's first result."""
    first = (result.page - 1) * result.per_page + 1
    positions = {hit.article_id: number for number, hit in enumerate(result.hits, start=first)}
    return [
        [url_for("reader.article", slug=article.slug), click_token(search.text, positions[article.id], article.id)]
        for hit, article in rows
        if hit.page_id is None  # the counts are per article: a page found by search is not counted
    ]


@bp.post("/search/click")
@limiter.limit(lambda: current_app.config["SEARCH_CLICK_RATE_LIMIT"], error_message="Too many clicks counted.")
@csrf.exempt  # the signed token is the proof: it was handed out on a result page, for this query and position
def click():
    """Count one opened search result from its signed token (204), or refuse a bad token (400)."""
    counted = read_click_token(request.form.get("token", ""))
    if counted is None:
        return "This click token is not valid.", 400, {"Content-Type": "text/plain; charset=utf-8"}
    record_click(*counted)
    return "", 204
