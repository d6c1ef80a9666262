"""Search pages: results, title suggestions as readers type, and the OpenSearch description."""

import time

from flask import Blueprint, abort, current_app, jsonify, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from .. import metrics
from ..content.slugs import slugify
from ..content.version import for_request
from ..extensions import limiter
from ..models import utcnow
from ..search import SORTS, SearchRequest, SearchUnavailable, find, get_synonyms, title_suggestions
from ..search.best_bets import recommended_ids
from ..search.crisis import safety_panel_for
from ..search.parse import clean_text
from ..search.querylog import record_search
from ..web.busy import RETRY_AFTER_SECONDS, Busy, costly_work, suggestion_work
from ..web.urls import page_url
from . import popularity
from .forms import SearchForm
from .queries import related_categories, slugs_by_id, taxonomy_names
from .search_rows import result_rows
from .sidebar import sidebar

bp = Blueprint("search", __name__)
MAX_PAGE = 1000
MAX_TAG_FILTERS = 5


def _read_request(args: MultiDict, text: str) -> SearchRequest:
    """Validate the page, order and facet parameters; bad values fall back or give 404."""
    page = args.get("page", 1, type=int)
    if not 1 <= page <= MAX_PAGE:
        abort(404)
    sort = args.get("sort", "relevance")
    tags = tuple(dict.fromkeys(filter(None, map(slugify, args.getlist("tag")))))[:MAX_TAG_FILTERS]
    return SearchRequest(
        text=text,
        page=page,
        per_page=current_app.config["SEARCH_RESULTS_PER_PAGE"],
        sort=sort if sort in SORTS else "relevance",
        category=slugify(args.get("category", "")) or None,
        tags=tags,
        exact=args.get("exact") == "1",
        verbatim=args.get("verbatim") == "1",  # any other value: synonyms as usual
    )


def _limit(setting: str):
    """Limit a view per client to the rate the setting names, with a page that says what to do."""
    message = "You have searched very often in a short time. Please wait a minute, then try again."
    return limiter.limit(lambda: current_app.config[setting], error_message=message)


@bp.get("/search")
@_limit("SEARCH_RATE_LIMIT")
def results():
    """Search published articles and show a page of highlighted, faceted results."""
    form = SearchForm(request.args)
    config = current_app.config
    text, notices = clean_text(form.q.data or "", config["SEARCH_MAX_QUERY_CHARS"], config["SEARCH_MAX_TERMS"])
    search = _read_request(request.args, text)
    if not text and not search.category and not search.tags:
        return render_template("search/results.html", form=form, search=search, result=None, notices=notices)
    # A search answered from kept pages is cheap; one worked out takes a slot of costly work (503 when none).
    started = time.perf_counter()
    result = find(search, utcnow(), for_request().etag, guard=costly_work().hold)
    metrics.SEARCH_SECONDS.observe(time.perf_counter() - started)
    metrics.SEARCH_RESULTS.observe(result.total)
    if result.total and search.page > result.pages:
        abort(404)
    safety_panel = safety_panel_for(text, result.corrected)
    if search.page == 1 and text:
        record_search(text, result.total, safety_panel=safety_panel is not None)
    recommended, rows = result_rows(result.hits, _pinned(search, result.corrected or search.text))
    context = {
        "recommended": recommended,
        "rows": rows,
        "names": taxonomy_names(),
        "popular": popularity.most_viewed() if not result.total else [],
        "related_categories": related_categories(text) if not result.total else [],
        "sidebar": sidebar() if not result.total else None,
        "safety_panel": safety_panel,
    }
    notices += result.notices
    return render_template("search/results.html", form=form, search=search, result=result, notices=notices, **context)


def _pinned(search: SearchRequest, text: str) -> list[int]:
    """Return the ids of the best bets for `text` (as searched, spelling corrected) on a first unfiltered page."""
    if search.page != 1 or search.category or search.tags or not text:
        return []
    return recommended_ids(text, get_synonyms(), verbatim=search.verbatim)


@bp.app_template_global()
def search_url(search: SearchRequest, **changes) -> str:
    """Build a search URL from the current one with some parameters changed (None removes one)."""
    params = {"q": search.text, "sort": search.sort, "category": search.category, "tag": list(search.tags)}
    params["verbatim"] = "1" if search.verbatim else None
    params.update(changes)
    if params.get("sort") == "relevance":
        params["sort"] = None
    return page_url("search.results", **{k: v for k, v in params.items() if v not in (None, "", [])})


@bp.get("/search/suggest")
@_limit("SUGGEST_RATE_LIMIT")
def suggest():
    """Return JSON title suggestions for what has been typed so far."""
    text, _ = clean_text(request.args.get("q", ""), 100, 8)
    try:  # a lookup not kept takes a slot of its own kind
        found = title_suggestions(text, utcnow(), for_request().etag, guard=suggestion_work().hold) if text else []
    except SearchUnavailable:
        return jsonify({"query": text, "suggestions": [], "error": "Search is unavailable."}), 503
    except Busy as busy:
        answer = {"query": text, "suggestions": [], "error": busy.description}
        return jsonify(answer), 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}
    slugs = slugs_by_id([article_id for article_id, _ in found])
    suggestions = [
        {"title": title, "url": url_for("reader.article", slug=slugs[article_id])}
        for article_id, title in found
        if article_id in slugs
    ]
    return jsonify({"query": text, "suggestions": suggestions})


@bp.get("/opensearch.xml")
def opensearch():
    """Describe the site's search so browsers can offer it."""
    xml = render_template("search/opensearch.xml")
    return current_app.response_class(xml, mimetype="application/opensearchdescription+xml")


@bp.app_errorhandler(SearchUnavailable)
def search_unavailable(_error):
    """Say that search is unavailable for now (503) when the index cannot be read."""
    return render_template("errors/search_unavailable.html"), 503
