"""Medical review in the newsroom and the dashboard: reviews due and done, drafts, the schedule, failed searches."""

from datetime import timedelta

from article_editor import article_named
from conftest import csrf_token

from blogapp.extensions import db
from blogapp.models import ArticleStatus, User, utcnow


def test_reviewer_marks_an_article_reviewed_and_the_dashboard_tracks_due_reviews(client, publish, team, login):
    old = publish("Reviewed long ago")
    old.reviewed_at, old.reviewer = utcnow() - timedelta(days=400), db.session.get(User, team["reviewer"].id)
    fresh = publish("Never reviewed")
    db.session.commit()
    login(team["reviewer"].email)
    dashboard = client.get("/admin/").get_data(as_text=True)
    due = dashboard.split('id="due-heading"')[1]
    assert "Reviewed long ago" in due and "Never reviewed" in due
    token = csrf_token(client, "/admin/")
    assert client.post(f"/admin/articles/{fresh.id}/review", data={"csrf_token": token}).status_code == 302
    article = article_named("Never reviewed")
    assert article.reviewer.email == "reviewer@example.org" and article.reviewed_at > utcnow() - timedelta(minutes=1)
    assert article.updated_at == fresh.updated_at  # a review is not an edit
    assert "Never reviewed" not in client.get("/admin/").get_data(as_text=True).split('id="due-heading"')[1]
    assert "Medically reviewed by Reviewer Person" in client.get(f"/admin/articles/{fresh.id}/").get_data(as_text=True)


def test_dashboard_lists_drafts_reviews_schedule_and_search_log(client, publish, team, login):
    author = db.session.get(User, team["author"].id)
    publish("My own draft", author=author.author, status=ArticleStatus.DRAFT)
    publish("Waiting for an editor", status=ArticleStatus.REVIEW)
    publish("Coming soon", hours_ago=-48, status=ArticleStatus.SCHEDULED)
    client.get("/search?q=nothingmatchesthis")
    login(team["editor"].email)
    html = client.get("/admin/").get_data(as_text=True)
    assert "Waiting for an editor" in html and "Coming soon" in html
    assert "My own draft" not in html.split('id="review-heading"')[0]  # another user's draft is not "mine"
    assert "nothingmatchesthis" in html.split("Searches that found nothing")[1]
