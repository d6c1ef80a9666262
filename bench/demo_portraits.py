"""Draw the demo authors' photos: abstract portraits made by Pillow from nothing downloaded (no real faces).

Run from the project root after changing a drawing (the images are committed; `flask seed-demo` only reads them):

    .venv/bin/python bench/demo_portraits.py

Each is a head-and-shoulders silhouette on a gradient with soft circles seeded by the author's slug, drawn at twice
the size and scaled down, written as a 480x480 WebP beside the articles' featured images (author-<slug>.webp).
"""

from demo_artwork import OUT, compose
from PIL import Image, ImageDraw

SIZE = (480, 480)
# slug: (gradient top left, gradient bottom right, silhouette)
PORTRAITS = {
    "maya-okafor": ((70, 40, 90), (190, 120, 150), (250, 236, 228)),
    "daniel-reyes": ((20, 80, 110), (110, 180, 190), (236, 246, 248)),
    "priya-nair": ((110, 60, 40), (230, 170, 110), (255, 244, 230)),
    "tom-lindqvist": ((30, 80, 60), (130, 180, 140), (240, 250, 240)),
}


def draw(slug: str) -> Image.Image:
    """Return the photo of one demo author."""
    top, bottom, figure = PORTRAITS[slug]

    def silhouette(d: ImageDraw.ImageDraw, u: int) -> None:
        d.ellipse((80 * u, 330 * u, 400 * u, 650 * u), fill=(*figure, 255))  # shoulders
        d.rounded_rectangle((205 * u, 250 * u, 275 * u, 350 * u), 30 * u, fill=(*figure, 255))  # neck
        d.ellipse((160 * u, 110 * u, 320 * u, 290 * u), fill=(*figure, 255))  # head

    return compose(SIZE, slug, top, bottom, silhouette)


def main() -> None:
    """Write every author's photo to the demo's images folder and print their sizes."""
    for slug in PORTRAITS:
        path = OUT / f"author-{slug}.webp"
        draw(slug).save(path, "WEBP", quality=78, method=6)
        print(f"{path.stat().st_size:>8,} {path.name}")


if __name__ == "__main__":
    main()
