"""Result clicks are rate-limited per client like searches: past the limit, 429 and nothing counted."""

import pytest
from result_clicks import tokens
from sqlalchemy import func, select

from blogapp.extensions import db
from blogapp.models import SearchClick


@pytest.fixture
def app_overrides():
    return {"RATELIMIT_ENABLED": True, "SEARCH_CLICK_RATE_LIMIT": "3 per minute"}


def test_clicks_past_the_limit_get_429(client, publish):
    publish("Sleep tips", "Sleep.")
    token = tokens(client, q="sleep")["/articles/sleep-tips/"]
    answers = [client.post("/search/click", data={"token": token}).status_code for _ in range(5)]
    assert answers == [204, 204, 204, 429, 429]
    assert db.session.scalar(select(func.sum(SearchClick.clicks))) == 3
