"""The synthetic corpora's text: word lists, a seeded Zipf vocabulary and fake articles built from it."""

import random
from dataclasses import dataclass
from itertools import accumulate

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
# Common two-word phrases, most frequent first, so phrase searches have realistic result counts.
_COLLOCATION_TEXT = """chronic_pain side_effects mental_health blood_pressure withdrawal_symptoms clinical_trial
pain_relief harm_reduction back_pain panic_attack migraine_attack low_dose heart_rate waiting_list nicotine_replacement
sleep_hygiene talking_therapy cluster_headache placebo_effect nasal_spray relapse_prevention family_doctor
ketamine_infusion weight_gain alcohol_use drug_interactions"""
COLLOCATIONS = [pair.replace("_", " ") for pair in _COLLOCATION_TEXT.split()]
_COLLOCATION_CUM = list(accumulate(1.0 / rank for rank in range(1, len(COLLOCATIONS) + 1)))
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
