"""Draw the demo articles' featured images: the team's own abstract artwork, made by Pillow from nothing downloaded.

Run from the project root after changing a drawing (the images are committed; `flask seed-demo` only reads them):

    .venv/bin/python bench/demo_artwork.py

Each picture is a soft two-colour gradient, a few translucent circles placed by a random generator seeded with
the article's slug (so every run draws the same picture), and a simple motif for the topic, drawn at twice the
size and scaled down so that edges are smooth. They are written as 1600x900 WebP files beside the demo articles.
"""

import math
import random
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

OUT = Path(__file__).resolve().parent.parent / "blogapp" / "moving" / "demo" / "images"
SIZE = (1600, 900)
SCALE = 2  # drawn at twice the size, then scaled down: Pillow draws shapes without anti-aliasing
WHITE = (255, 255, 255)
Draw = ImageDraw.ImageDraw


def gradient(size: tuple[int, int], top: tuple, bottom: tuple) -> Image.Image:
    """Return a diagonal gradient from `top` (top left) to `bottom` (bottom right)."""
    ramp = Image.linear_gradient("L").resize(size).rotate(0)
    diagonal = Image.linear_gradient("L").rotate(-90).resize(size)
    mask = Image.blend(ramp, diagonal, 0.5)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def bubbles(size: tuple[int, int], seed: str, colour: tuple) -> Image.Image:
    """Return a layer of large, blurred, translucent circles placed from `seed`."""
    rng = random.Random(seed)
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for _ in range(9):
        r = rng.randint(size[1] // 10, size[1] // 3)
        x, y = rng.randint(0, size[0]), rng.randint(0, size[1])
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(*colour, rng.randint(18, 48)))
    return layer.filter(ImageFilter.GaussianBlur(size[1] // 60))


def head(d: Draw, cx: int, cy: int, s: int, fill: tuple) -> None:
    """A head in profile: a circle and a neck."""
    d.ellipse((cx - s, cy - s, cx + s, cy + s), fill=fill)
    d.rounded_rectangle((cx - s // 3, cy + s // 2, cx + s // 3, cy + s * 2), s // 6, fill=fill)


def needles(d: Draw, u: int) -> None:
    """Acupuncture: a head with fine needles and their handles."""
    head(d, 1100 * u, 430 * u, 230 * u, (*WHITE, 235))
    for angle in (200, 230, 260, 290, 320):
        a = math.radians(angle)
        x0, y0 = 1100 * u + 200 * u * math.cos(a), 430 * u + 200 * u * math.sin(a)
        x1, y1 = 1100 * u + 380 * u * math.cos(a), 430 * u + 380 * u * math.sin(a)
        d.line((x0, y0, x1, y1), fill=(70, 80, 90, 255), width=5 * u)
        d.ellipse((x1 - 16 * u, y1 - 16 * u, x1 + 16 * u, y1 + 16 * u), fill=(240, 190, 80, 255))


def pulse(d: Draw, u: int) -> None:
    """Migraine: a head with a jagged pulse running through it."""
    head(d, 1050 * u, 420 * u, 240 * u, (*WHITE, 225))
    points = [(560, 430), (800, 430), (860, 300), (930, 560), (1000, 250), (1080, 600), (1150, 380), (1220, 430)]
    points += [(1500, 430)]
    d.line([(x * u, y * u) for x, y in points], fill=(200, 60, 90, 255), width=14 * u, joint="curve")


def capsules(d: Draw, u: int) -> None:
    """Medicines: two capsules and a round tablet."""
    for x, y, colour in ((820, 330, (230, 90, 80)), (1060, 520, (70, 130, 200))):
        d.rounded_rectangle((x * u, y * u, (x + 360) * u, (y + 130) * u), 65 * u, fill=(*WHITE, 240))
        d.rounded_rectangle((x * u, y * u, (x + 180) * u, (y + 130) * u), 65 * u, fill=(*colour, 255))
        d.rectangle(((x + 120) * u, y * u, (x + 180) * u, (y + 130) * u), fill=(*colour, 255))
    d.ellipse((560 * u, 520 * u, 760 * u, 720 * u), fill=(*WHITE, 240))
    d.line((660 * u, 535 * u, 660 * u, 705 * u), fill=(180, 190, 200, 255), width=8 * u)


def oxygen(d: Draw, u: int) -> None:
    """Oxygen: a cylinder with a valve, and bubbles rising."""
    d.rounded_rectangle((1000 * u, 260 * u, 1200 * u, 800 * u), 90 * u, fill=(*WHITE, 240))
    d.rounded_rectangle((1000 * u, 260 * u, 1200 * u, 420 * u), 90 * u, fill=(60, 160, 110, 255))
    d.rectangle((1070 * u, 180 * u, 1130 * u, 260 * u), fill=(90, 100, 110, 255))
    for i, r in enumerate((40, 28, 55, 22, 34)):
        x, y = 760 + 60 * (i % 2) - 40 * i, 650 - 110 * i
        d.ellipse(((x - r) * u, (y - r) * u, (x + r) * u, (y + r) * u), outline=(*WHITE, 230), width=8 * u)


def moon(d: Draw, u: int) -> None:
    """Sleep: a crescent moon and stars."""
    d.ellipse((900 * u, 200 * u, 1400 * u, 700 * u), fill=(250, 240, 200, 255))
    d.ellipse((780 * u, 130 * u, 1260 * u, 610 * u), fill=(0, 0, 0, 0))
    for x, y, r in ((500, 250, 14), (640, 520, 10), (380, 600, 8), (760, 330, 7), (1450, 180, 9)):
        d.regular_polygon(((x * u, y * u), r * 2 * u), 4, rotation=45, fill=(250, 240, 200, 255))


def waves(d: Draw, u: int) -> None:
    """Urges and worry: waves that rise, peak and fall."""
    for row, alpha in enumerate((250, 190, 130)):
        base = 380 + row * 140
        points = [(x * u, (base - 150 * math.exp(-(((x - 950) / 260) ** 2)) + 18 * math.sin(x / 45)) * u)
                  for x in range(0, 1601, 8)]
        d.line(points, fill=(*WHITE, alpha), width=(14 - 3 * row) * u, joint="curve")


def spine(d: Draw, u: int) -> None:
    """Back pain: a gently curved column of vertebrae."""
    for i in range(9):
        y = 150 + i * 75
        x = 1080 + 60 * math.sin(i / 2.5)
        w = 90 + i * 8
        d.rounded_rectangle(((x - w) * u, y * u, (x + w) * u, (y + 55) * u), 24 * u, fill=(*WHITE, 235))


def mushroom(d: Draw, u: int) -> None:
    """Psilocybin: two stylised mushrooms."""
    for cx, base, s in ((1050, 760, 1.0), (1320, 780, 0.65)):
        def box(x0, y0, x1, y1, cx=cx, base=base, s=s):
            return ((cx + x0 * s) * u, (base + y0 * s) * u, (cx + x1 * s) * u, (base + y1 * s) * u)

        d.rounded_rectangle(box(-55, -330, 55, 0), int(40 * s * u), fill=(*WHITE, 240))
        d.chord(box(-230, -510, 230, -170), 180, 360, fill=(190, 90, 150, 255))
        for dx, dy in ((-120, -380), (20, -450), (110, -370)):
            d.ellipse(box(dx - 22, dy - 22, dx + 22, dy + 22), fill=(*WHITE, 230))


def drip(d: Draw, u: int) -> None:
    """Infusion: a drip bag, its line and a falling drop."""
    d.rounded_rectangle((980 * u, 140 * u, 1240 * u, 480 * u), 50 * u, fill=(*WHITE, 235))
    d.rectangle((1000 * u, 300 * u, 1220 * u, 460 * u), fill=(120, 170, 230, 200))
    d.line((1110 * u, 480 * u, 1110 * u, 600 * u, 900 * u, 820 * u), fill=(*WHITE, 220), width=8 * u, joint="curve")
    d.polygon((1110 * u, 620 * u, 1090 * u, 670 * u, 1130 * u, 670 * u), fill=(*WHITE, 240))
    d.ellipse((1088 * u, 650 * u, 1132 * u, 694 * u), fill=(*WHITE, 240))


def no_smoking(d: Draw, u: int) -> None:
    """Quitting nicotine: a cigarette broken in two, its smoke fading."""
    d.rounded_rectangle((560 * u, 420 * u, 960 * u, 500 * u), 16 * u, fill=(*WHITE, 240))
    d.rounded_rectangle((560 * u, 420 * u, 680 * u, 500 * u), 16 * u, fill=(230, 160, 90, 255))
    d.rounded_rectangle((1040 * u, 400 * u, 1300 * u, 480 * u), 16 * u, fill=(*WHITE, 200))
    smoke = [(x * u, (380 - (x - 600) * 0.3 + 25 * math.sin(x / 30)) * u) for x in range(600, 900, 6)]
    d.line(smoke, fill=(*WHITE, 120), width=6 * u, joint="curve")


# slug: (motif, gradient top left, gradient bottom right)
ARTWORK: dict[str, tuple[Callable[[Draw, int], None], tuple, tuple]] = {
    "acupuncture-for-migraine-prevention": (needles, (38, 84, 124), (94, 170, 168)),
    "does-ketamine-help-migraines": (pulse, (52, 40, 100), (120, 90, 170)),
    "triptans-explained-how-they-stop-a-migraine-attack": (capsules, (30, 90, 120), (150, 200, 210)),
    "paracetamol-vs-ibuprofen-which-for-what-pain": (capsules, (200, 120, 80), (240, 200, 150)),
    "cluster-headache-and-high-flow-oxygen-therapy": (oxygen, (20, 70, 90), (90, 170, 190)),
    "cbt-for-insomnia-how-it-works": (moon, (16, 24, 60), (60, 70, 130)),
    "mindfulness-for-cravings": (waves, (20, 110, 130), (130, 200, 190)),
    "cbt-for-anxiety-what-a-course-looks-like": (waves, (90, 70, 140), (200, 160, 200)),
    "massage-and-yoga-for-back-pain": (spine, (150, 100, 70), (220, 180, 140)),
    "psilocybin-therapy-trials-what-we-know-so-far": (mushroom, (40, 60, 50), (120, 160, 110)),
    "what-to-expect-at-your-first-ketamine-infusion-for-depression": (drip, (40, 60, 110), (110, 150, 200)),
    "quitting-nicotine-comparing-patches-gum-varenicline-and-vaping": (no_smoking, (60, 90, 80), (160, 190, 160)),
}


def compose(size: tuple[int, int], slug: str, top, bottom, motif) -> Image.Image:
    """Return a gradient with soft circles seeded by `slug` and `motif(draw, scale)` on top, drawn large and scaled."""
    big = (size[0] * SCALE, size[1] * SCALE)
    picture = gradient(big, top, bottom).convert("RGBA")
    picture.alpha_composite(bubbles(big, slug, WHITE))
    layer = Image.new("RGBA", big, (0, 0, 0, 0))
    motif(ImageDraw.Draw(layer), SCALE)
    picture.alpha_composite(layer)
    return picture.convert("RGB").resize(size, Image.Resampling.LANCZOS)


def draw(slug: str) -> Image.Image:
    """Return the featured image of one demo article."""
    motif, top, bottom = ARTWORK[slug]
    return compose(SIZE, slug, top, bottom, motif)


def main() -> None:
    """Write every featured image to the demo's images folder and print their sizes."""
    OUT.mkdir(exist_ok=True)
    total = 0
    for slug in ARTWORK:
        path = OUT / f"{slug}.webp"
        draw(slug).save(path, "WEBP", quality=78, method=6)
        total += path.stat().st_size
        print(f"{path.stat().st_size:>8,} {path.name}")
    print(f"{total:>8,} bytes in {len(ARTWORK)} images")


if __name__ == "__main__":
    main()
