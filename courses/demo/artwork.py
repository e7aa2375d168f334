"""The demo's artwork, drawn when the demo is seeded (nothing to ship as files): step diagrams as PNG
(Pillow, with the DejaVu fonts of `make system-deps` when installed) and one-page A4 handouts as PDF
(WeasyPrint)."""

import io
from pathlib import Path

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def _font(size: int, bold: bool = False):
    from PIL import ImageFont

    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def steps_png(heading: str, steps: list[str]) -> bytes:
    """A small diagram: numbered steps, one per row, big enough to read on a phone."""
    from PIL import Image, ImageDraw

    width, row, top = 1080, 128, 150
    height = top + row * len(steps) + 40
    green, pale, ink = (11, 93, 59), (232, 243, 238), (29, 35, 39)
    canvas = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(canvas)
    draw.rectangle([0, 0, width, 110], fill=green)
    draw.rectangle([0, 110, width, 118], fill=(242, 183, 5))
    draw.text((48, 55), heading, font=_font(46, bold=True), fill="white", anchor="lm")
    number_font, label_font = _font(44, bold=True), _font(50)
    for index, label in enumerate(steps):
        cy = top + row * index + row // 2
        if index < len(steps) - 1:
            draw.line([(110, cy + 46), (110, cy + row - 46)], fill=green, width=8)
        draw.rounded_rectangle([190, cy - 48, width - 48, cy + 48], radius=24, fill=pale)
        draw.ellipse([66, cy - 44, 154, cy + 44], fill=green)
        draw.text((110, cy), str(index + 1), font=number_font, fill="white", anchor="mm")
        draw.text((224, cy), label, font=label_font, fill=ink, anchor="lm")
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def handout_pdf(spec: dict) -> bytes:
    """A one-page A4 handout, rendered with WeasyPrint so that it prints the same everywhere."""
    from django.utils.html import escape
    from weasyprint import HTML

    items = "".join(f"<li>{escape(item)}</li>" for item in spec["items"])
    html = f"""<!doctype html><html lang="id"><head><meta charset="utf-8"><style>
    @page {{ size: A4; margin: 18mm; }}
    body {{ font-family: "DejaVu Sans", sans-serif; font-size: 11pt; color: #1d2327; }}
    h1 {{ color: #0b5d3b; font-size: 18pt; border-bottom: 3px solid #f2b705; padding-bottom: 4mm; }}
    li {{ margin: 3mm 0; padding-left: 2mm; }} ul {{ list-style: "\\2610  "; }}
    .foot {{ margin-top: 10mm; padding: 3mm; background: #fff4e0; }}
    </style></head><body><p>TOT Purna PMI · Kartu Prakerja · BP2MI</p>
    <h1>{escape(spec["heading"])}</h1><p>{escape(spec["intro"])}</p><ul>{items}</ul>
    <p class="foot">{escape(spec["footer"])}</p></body></html>"""
    return HTML(string=html).write_pdf()
