"""Draw the app icon (resources/icons/jixiao.png and .ico) with Pillow.

A blue rounded square with three rising white bars and a gold trend arrow: budget execution
going up. Drawn at 1024 px and scaled down, so edges are smooth at every size.
Run after changing the design and commit the files: `python packaging/render_icon.py`.
Pillow comes with matplotlib, so the app's own venv has it.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "resources" / "icons" / "jixiao"
MASTER = 1024
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]
TOP, BOTTOM = (38, 111, 191), (18, 60, 122)
GOLD = (255, 196, 37)


def _background() -> Image.Image:
    gradient = Image.new("RGBA", (MASTER, MASTER))
    pixels = ImageDraw.Draw(gradient)
    for y in range(MASTER):
        t = y / (MASTER - 1)
        color = tuple(round(a + (b - a) * t) for a, b in zip(TOP, BOTTOM, strict=True))
        pixels.line([(0, y), (MASTER, y)], fill=(*color, 255))
    mask = Image.new("L", (MASTER, MASTER), 0)
    ImageDraw.Draw(mask).rounded_rectangle((40, 40, 983, 983), radius=200, fill=255)
    icon = Image.new("RGBA", (MASTER, MASTER), (0, 0, 0, 0))
    icon.paste(gradient, (0, 0), mask)
    return icon


def draw_master() -> Image.Image:
    icon = _background()
    draw = ImageDraw.Draw(icon)
    base, width, gap = 820, 150, 70
    for i, height in enumerate((230, 370, 510)):
        left = 210 + i * (width + gap)
        draw.rounded_rectangle((left, base - height, left + width, base), radius=28, fill="white")
    # Trend line from bottom left to top right, ending in an arrowhead.
    points = [(190, 560), (400, 420), (560, 470), (760, 250)]
    draw.line(points, fill=GOLD, width=56, joint="curve")
    for x, y in points[:-1]:
        draw.ellipse((x - 28, y - 28, x + 28, y + 28), fill=GOLD)
    draw.polygon([(850, 150), (835, 345), (660, 190)], fill=GOLD)
    return icon


def main() -> None:
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    master = draw_master()
    master.resize((256, 256), Image.Resampling.LANCZOS).save(TARGET.with_suffix(".png"))
    master.save(TARGET.with_suffix(".ico"), sizes=ICO_SIZES)
    print(f"wrote {TARGET.with_suffix('.png')} and {TARGET.with_suffix('.ico')}")


if __name__ == "__main__":
    main()
