import html
import io
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import zxingcpp
from PIL import Image


def pdf_text(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        return subprocess.run(
            ["pdftotext", "-layout", handle.name, "-"], check=True, capture_output=True, text=True
        ).stdout


def pdf_png(data: bytes, dpi: int = 150) -> Image.Image:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "c.pdf"
        source.write_bytes(data)
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), "-singlefile", str(source), str(Path(folder) / "c")],
            check=True,
        )
        return Image.open(io.BytesIO((Path(folder) / "c.png").read_bytes())).convert("RGB")


def qr_texts(data: bytes) -> list[str]:
    return [
        result.text
        for result in zxingcpp.read_barcodes(pdf_png(data))
        if result.format == zxingcpp.BarcodeFormat.QRCode
    ]


@dataclass(frozen=True)
class Word:
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def pdf_words(data: bytes) -> list[Word]:
    """Every word of a one-page PDF with its box in points from the top left (pdftotext -bbox)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        xhtml = subprocess.run(
            ["pdftotext", "-bbox", handle.name, "-"], check=True, capture_output=True, text=True
        ).stdout
    return [
        Word(html.unescape(text), float(x0), float(y0), float(x1), float(y1))
        for x0, y0, x1, y1, text in _WORD.findall(xhtml)
    ]
