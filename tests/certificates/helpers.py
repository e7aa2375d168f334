import io
import subprocess
import tempfile
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
