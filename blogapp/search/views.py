"""The search results page."""

from flask import Blueprint, abort, current_app, render_template, request

from .. import articles
from ..forms import SearchForm
from ..models import utcnow
from . import SearchRequest, clean_query, get_index, search_articles

bp = Blueprint("search", __name__)
MAX_PAGE = 1000


@bp.get("/search")
def results():
    """Search published articles and show a page of highlighted results."""
    form = SearchForm(request.args)
    page = request.args.get("page", 1, type=int)
    if not 1 <= page <= MAX_PAGE:
        abort(404)
    config = current_app.config
    text, notices = clean_query(form.q.data or "", config["SEARCH_MAX_QUERY_CHARS"], config["SEARCH_MAX_TERMS"])
    if not text:
        return render_template("search/results.html", form=form, result=None, rows=[], notices=notices)
    request_ = SearchRequest(text=text, page=page, per_page=config["SEARCH_RESULTS_PER_PAGE"])
    result = search_articles(get_index(), request_, utcnow())
    if result.total and page > result.pages:
        abort(404)
    found = {a.id: a for a in articles.load_by_ids([hit.article_id for hit in result.hits])}
    rows = [(hit, found[hit.article_id]) for hit in result.hits if hit.article_id in found]
    notices += result.notices
    return render_template("search/results.html", form=form, result=result, rows=rows, notices=notices)
