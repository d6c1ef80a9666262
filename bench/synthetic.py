"""Seeded synthetic corpora for load tests and benchmarks: `flask --app blogapp seed-synthetic --count N`."""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate

import click
from flask.cli import with_appcontext
from sqlalchemy import func, insert, select, text

from blogapp.content.markup import render_markdown
from blogapp.content.slugs import get_or_create, slugify
from blogapp.extensions import db
from blogapp.models import Article, ArticleStatus, Author, Category, Tag, article_tags, utcnow
from blogapp.search import get_index

_HEALTH_TEXT = """
migraine ketamine acupuncture nicotine cannabis withdrawal therapy dose clinic symptoms headache pain treatment
medication opioid alcohol anxiety depression insomnia sleep craving relapse recovery addiction dependence
tolerance patient doctor nurse trial placebo evidence study research infusion esketamine psilocybin ibogaine
methadone buprenorphine naltrexone acamprosate disulfiram varenicline patch gum vaping tobacco smoking cigarette
pouch triptan sumatriptan rizatriptan aura nausea vomiting hyperemesis cluster tension oxygen paracetamol
ibuprofen aspirin naproxen codeine tramadol morphine fentanyl tapering overdose naloxone prescription pharmacy
side effects risk benefit mindfulness meditation yoga massage physiotherapy exercise stretching posture back neck
shoulder joint muscle nerve inflammation chronic acute episode attack trigger prevention preventive relief
remission diagnosis assessment screening referral specialist psychiatrist psychologist counsellor therapist
counselling cbt dbt motivational interviewing session course group support family carer stress mood trauma
ptsd panic phobia obsession compulsion bipolar psychosis schizophrenia serotonin dopamine receptor brain
neuron synapse cortex hormone cortisol adrenaline metabolism liver kidney heart blood pressure pulse breathing
lung appetite weight diet nutrition caffeine coffee hydration fatigue energy dizziness tremor sweating
irritability restlessness agitation cravings urge abstinence detox rehabilitation inpatient outpatient
residential programme harm reduction safety monitoring dosage milligram tablet capsule injection intravenous
nasal spray oral sublingual topical cream antidepressant anticonvulsant antipsychotic benzodiazepine sedative
stimulant analgesic anaesthetic painkiller supplement magnesium riboflavin melatonin herbal remedy needle
needles pressure point qi meridian chiropractic osteopathy homeopathy hypnotherapy biofeedback neurofeedback
stimulation tens electrode implant surgery procedure guideline nice cochrane meta analysis cohort randomised
controlled blinded outcome efficacy effectiveness adherence dropout follow cohort baseline endpoint relapse
vertigo tinnitus photophobia sensitivity light sound smell menstrual hormonal pregnancy breastfeeding elderly
adolescent children youth adult gp hospital emergency ambulance ward discharge waiting list cost insurance
"""
_COMMON_TEXT = """
the of and to a in is that it for as with was on be by this are not or at from have an but they which you one
were all we can her has there been if more when will would who so no what out up about into than them only
other some time could these two may then first any like our over such how also new most after its did many
before must through back years where much your way well down should because each just those people how too
little state good very make world still own see men work long get here between both life being under never day
same another know while last might us great old year off come since against go came right used take three
states himself few house use during without again place around however home small found thought went say part
once general high upon school every does got united left number course war until always away something fact
though water less public put think almost hand enough far took head yet government system better set told nothing
night end why called eyes find going look asked later knew point next program city business give group toward
young days let room president side social given present several order national possible rather second face per
among form important often things looked early white case john become large big need four within felt along
children saw best church ever least power development light thing seemed family interest want members mind country
"""
HEALTH_WORDS = _HEALTH_TEXT.split()
COMMON_WORDS = _COMMON_TEXT.split()
CATEGORIES = [
    "Migraine & Headache", "Ketamine & Psychedelic Therapy", "Addiction & Recovery", "Therapy & Mental Health",
    "Complementary Medicine", "Pain Management", "Sleep", "Medicines Explained", "Research Roundups",
    "Nutrition & Lifestyle", "Movement & Exercise", "Living with Illness",
]  # fmt: skip
FIRST_NAMES = "Ann Ben Chloe Dev Ella Farid Grace Hugo Iris Jonas Kemi Liam Maya Nils Omar Priya Rosa Sam Tara Yusuf"
LAST_NAMES = "Adler Brook Chen Diaz Evans Fischer Gupta Hale Ito Jensen Khan Lopez Moreau Novak Okafor Park Quinn"
# Common two-word phrases, most frequent first, so phrase searches have realistic result counts.
_COLLOCATION_TEXT = """chronic_pain side_effects mental_health blood_pressure withdrawal_symptoms clinical_trial
pain_relief harm_reduction back_pain panic_attack migraine_attack low_dose heart_rate waiting_list nicotine_replacement
sleep_hygiene talking_therapy cluster_headache placebo_effect nasal_spray relapse_prevention family_doctor
ketamine_infusion weight_gain alcohol_use drug_interactions"""
COLLOCATIONS = [pair.replace("_", " ") for pair in _COLLOCATION_TEXT.split()]
_COLLOCATION_CUM = list(accumulate(1.0 / rank for rank in range(1, len(COLLOCATIONS) + 1)))
TAG_COUNT = 150
STOP_RANKS = 40  # the most frequent words are function words; titles and headings skip them


@dataclass
class Vocabulary:
    """Words in frequency rank order with cumulative Zipf weights, for fast seeded sampling."""

    words: list[str]
    cum_weights: list[float]
    content_words: list[str]
    content_cum_weights: list[float]

    def sample(self, rng: random.Random, k: int) -> list[str]:
        """Draw `k` words with Zipf-like frequencies."""
        return rng.choices(self.words, cum_weights=self.cum_weights, k=k)

    def sample_content(self, rng: random.Random, k: int) -> list[str]:
        """Draw `k` words, leaving out the most frequent function words."""
        return rng.choices(self.content_words, cum_weights=self.content_cum_weights, k=k)


def _pseudo_words(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    onsets, vowels, codas = [*"bcdfghklmnprstvz", "br", "st", "tr"], "aeiou", ["", "", "n", "r", "s"]
    words: list[str] = []
    while len(words) < count:
        syllables = rng.choice((2, 2, 3, 3, 4))
        word = "".join(rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas) for _ in range(syllables))
        if word not in taken:
            taken.add(word)
            words.append(word)
    return words


def make_vocabulary(seed: int = 42, tail: int = 60_000, exponent: float = 1.15) -> Vocabulary:
    """Rank function words first, health and common words next, then a long tail of pseudo-words."""
    rng = random.Random(seed)
    head = COMMON_WORDS[:STOP_RANKS]
    real = [word for word in dict.fromkeys(HEALTH_WORDS + COMMON_WORDS) if word not in head]
    rng.shuffle(real)
    words = head + real + _pseudo_words(rng, tail, set(head + real))
    weights = [1.0 / (rank + 2.7) ** exponent for rank in range(1, len(words) + 1)]
    return Vocabulary(words, list(accumulate(weights)), words[STOP_RANKS:], list(accumulate(weights[STOP_RANKS:])))


def _sentence(words: list[str]) -> str:
    return " ".join([words[0].capitalize(), *words[1:]]) + "."


def _paragraph(rng: random.Random, words: list[str]) -> str:
    sentences, start = [], 0
    while start < len(words):
        length = rng.randint(7, 22)
        if len(words) - start - length < 4:  # no two-word sentence at the end
            length = len(words) - start
        sentences.append(_sentence(words[start : start + length]))
        start += length
    return " ".join(sentences)


def fake_article(rng: random.Random, vocab: Vocabulary, topic: str) -> dict[str, str]:
    """Return a title, summary and Markdown body about `topic` with realistic lengths and structure."""
    title_words = vocab.sample_content(rng, min(14, max(4, round(rng.gauss(8, 2.2)))) - 1)
    title_words.insert(rng.randrange(len(title_words) + 1), topic)
    summary = vocab.sample(rng, min(40, max(12, round(rng.gauss(25, 5)))))
    total = min(1500, max(300, round(rng.lognormvariate(6.65, 0.38))))
    words = vocab.sample(rng, total)
    for i in rng.sample(range(total), total // 60):  # the topic recurs, as it would in a real article
        words[i] = topic
    for i in rng.sample(range(total - 1), total // 150):
        words[i : i + 2] = rng.choices(COLLOCATIONS, cum_weights=_COLLOCATION_CUM)[0].split()
    sections = rng.randint(3, 6)
    intro = rng.randint(30, 80)
    parts, start = [_paragraph(rng, words[:intro])], intro
    for number in range(sections):
        end = start + (total - start) // (sections - number)
        heading = vocab.sample_content(rng, rng.randint(2, 5))
        parts.append("## " + " ".join(heading).capitalize())
        listed = False
        while start < end:
            listed = not listed and rng.random() < 0.15 and end - start > 20
            if listed:
                items = [words[start + i * 5 : start + i * 5 + 5] for i in range(rng.randint(3, 4))]
                parts.append("\n".join("- " + " ".join(item).capitalize() for item in items))
                start += sum(map(len, items))
            else:
                size = min(end - start, rng.randint(40, 110))
                parts.append(_paragraph(rng, words[start : start + size]))
                start += size
    return {
        "title": " ".join(title_words).capitalize(),
        "summary": _sentence(summary),
        "body": "\n\n".join(parts) + "\n",
    }


def _ensure_named(model, names: list[str], **extra) -> list[int]:
    """Create the rows of `model` whose slugs are missing; return the ids of all `names`, in order."""
    rows = [get_or_create(model, slugify(name), name=name, **extra)[0] for name in names]
    db.session.flush()
    return [row.id for row in rows]


def ensure_taxonomy() -> tuple[list[int], list[tuple[int, str]], list[int]]:
    """Create the synthetic categories, tags and authors that are missing; return their ids."""
    firsts, lasts = FIRST_NAMES.split(), LAST_NAMES.split()
    authors = [f"{first} {lasts[(i * 7) % len(lasts)]}" for i, first in enumerate(firsts)]
    tag_words = list(dict.fromkeys(HEALTH_WORDS))[:TAG_COUNT]
    category_ids = _ensure_named(Category, CATEGORIES, description="Synthetic articles for load testing.")
    tag_ids = _ensure_named(Tag, tag_words)
    author_ids = _ensure_named(Author, authors, bio="A synthetic author for load testing.")
    return category_ids, list(zip(tag_ids, tag_words, strict=True)), author_ids


def insert_synthetic(
    count: int, seed: int = 42, batch: int = 1000, now: datetime | None = None, progress: Callable | None = None
) -> range:
    """Insert `count` published articles after the highest existing id; return their ids.

    Rows go in with Core inserts, one transaction per batch, bypassing the search queue: rebuild the index after.
    """
    now = (now or utcnow()).replace(microsecond=0)
    vocab = make_vocabulary(seed)
    category_ids, tags, author_ids = ensure_taxonomy()
    db.session.commit()
    first_id = (db.session.scalar(select(func.max(Article.id))) or 0) + 1
    # The text depends on the first id as well, so a second run adds different articles.
    rng = random.Random(f"{seed}:{first_id}")
    tag_cum = list(accumulate(1.0 / rank for rank in range(1, len(tags) + 1)))
    category_cum = list(accumulate(1.0 / rank**0.6 for rank in range(1, len(category_ids) + 1)))
    for batch_start in range(first_id, first_id + count, batch):
        articles, links = [], []
        for article_id in range(batch_start, min(batch_start + batch, first_id + count)):
            chosen = dict(rng.choices(tags, cum_weights=tag_cum, k=rng.randint(1, 4)))
            fake = fake_article(rng, vocab, topic=next(iter(chosen.values())))
            rendered = render_markdown(fake["body"])
            published_at = now - timedelta(seconds=rng.randrange(3 * 365 * 24 * 3600))
            row = {**fake, "id": article_id, "slug": f"{slugify(fake['title'], max_length=60)}-{article_id}"}
            row.update(body_html=rendered.html, body_text=rendered.text, toc=rendered.toc)
            row.update(published_at=published_at, created_at=published_at, updated_at=published_at)
            row.update(status=ArticleStatus.PUBLISHED.value, author_id=rng.choice(author_ids))
            row["category_id"] = rng.choices(category_ids, cum_weights=category_cum)[0]
            articles.append(row)
            links.extend({"article_id": article_id, "tag_id": tag_id} for tag_id in chosen)
        db.session.execute(insert(Article.__table__), articles)
        db.session.execute(insert(article_tags), links)
        _advance_article_ids()
        db.session.commit()
        if progress is not None:
            progress(len(articles))
    return range(first_id, first_id + count)


def _advance_article_ids() -> None:
    """Move PostgreSQL's article id sequence past the ids just inserted (SQLite takes the next free id anyway)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT setval(pg_get_serial_sequence('articles', 'id'), max(id)) FROM articles"))


@click.command("seed-synthetic")
@click.option("--count", type=click.IntRange(min=1), required=True, help="How many articles to add.")
@click.option("--seed", type=int, default=42, show_default=True, help="Seed of the random text.")
@with_appcontext
def seed_synthetic_command(count: int, seed: int) -> None:
    """Add COUNT synthetic published articles for load testing, then rebuild the search index.

    Categories, tags and authors are created when missing. Every run ADDS another COUNT articles (new ids,
    slugs ending in the id); on an empty database the same seed gives the same articles.
    """
    started = time.perf_counter()
    with click.progressbar(length=count, label="Inserting articles") as bar:
        insert_synthetic(count, seed, progress=bar.update)
    inserted = time.perf_counter()
    click.echo(f"Inserted {count} articles in {inserted - started:.1f}s.")
    total = db.session.scalar(select(func.count(Article.id)).where(Article.is_live))
    db.session.rollback()  # hold no read transaction while the index is rebuilt
    with click.progressbar(length=total, label="Indexing articles") as bar:
        indexed = get_index().rebuild(progress=bar.update)
    click.echo(f"Indexed {indexed} articles in {time.perf_counter() - inserted:.1f}s.")
