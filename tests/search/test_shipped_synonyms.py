"""The health vocabulary blogapp ships: large, organised, and every line one search can use."""

from blogapp.search.synonym_rules import count_groups, problems, rule_lines
from blogapp.search.synonym_store import shipped_text
from blogapp.search.synonyms import analyse, parse_synonyms


def test_the_shipped_list_has_300_groups_and_no_line_that_cannot_work():
    text = shipped_text()
    assert count_groups(text) >= 300
    assert problems(text) == []
    entries = [entry for _, rule in rule_lines(text) for side in rule.split("=>") for entry in side.split(",")]
    assert all(analyse(entry) for entry in entries if entry.strip())


def test_brand_and_generic_names_and_lay_and_clinical_words_find_each_other():
    synonyms = parse_synonyms(shipped_text())
    for typed, found in [
        ("tylenol", "paracetamol"),
        ("acetaminophen", "tylenol"),
        ("champix", "varenicline"),
        ("chantix", "champix"),
        ("suboxone", "buprenorphine"),
        ("spravato", "esketamine"),
        ("motrin", "ibuprofen"),
        ("zoloft", "sertraline"),
        ("heart attack", "myocardial infarction"),
        ("hypertension", "high blood pressure"),
        ("magic mushrooms", "psilocybin"),
        ("period pain", "dysmenorrhea"),
        ("quit smoking", "smoking cessation"),
    ]:
        assert analyse(found) in synonyms.expand(analyse(typed)), (typed, found)


def test_broad_words_find_narrower_ones_but_not_the_reverse():
    synonyms = parse_synonyms(shipped_text())
    assert analyse("angina") in synonyms.expand(analyse("chest pain"))
    assert analyse("chest pain") not in synonyms.expand(analyse("angina"))


def test_migraine_and_headache_stay_apart():
    synonyms = parse_synonyms(shipped_text())
    assert not any("migrain" in other for other in synonyms.expand(analyse("headache")))
    assert not any("headach" in other for other in synonyms.expand(analyse("migraine")))
