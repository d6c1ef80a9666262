"""The newsroom form for best bets: a search and the articles recommended for it, in order."""

from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length

from ..models import Article
from ..search.best_bets import MAX_ARTICLES, NO_WORDS, TOO_MANY, find_article, holder_of, key_of


class BestBetForm(FlaskForm):
    """Pin up to three published articles, by title or slug, for a search and its synonyms."""

    query = StringField("Search", validators=[DataRequired("Type the search readers make."), Length(max=200)])
    articles = TextAreaField(
        "Recommended articles, one per line, first shown first (title or slug)",
        validators=[DataRequired("Name at least one article."), Length(max=2000)],
    )
    save = SubmitField("Save")

    def __init__(self, *args, best_bet_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.best_bet_id = best_bet_id
        self.chosen: list[Article] = []

    def validate_query(self, field) -> None:
        key = key_of(field.data or "")
        if not key:
            raise ValidationError(NO_WORDS)
        other = holder_of(key, self.best_bet_id)
        if other is not None:
            raise ValidationError(f"The search “{other.query}” already has recommended articles: edit it instead.")

    def validate_articles(self, field) -> None:
        lines = [line.strip() for line in (field.data or "").splitlines() if line.strip()]
        if len(lines) > MAX_ARTICLES:
            raise ValidationError(TOO_MANY)
        chosen = []
        for line in lines:
            article = find_article(line)
            if article is None:
                raise ValidationError(f"No published article has the title or slug “{line}”.")
            if article in chosen:
                raise ValidationError(f"“{article.title}” is named twice.")
            chosen.append(article)
        self.chosen = chosen
