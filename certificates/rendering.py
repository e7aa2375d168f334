"""PDF rendering of certificates with WeasyPrint.

Two paths give the same certificate:

* `certificate_pdf_render`: one WeasyPrint call for one certificate (previews, one-off issues).
* `certificate_pdfs_render_batch`: the fast path for many certificates. What every certificate of
  a template revision shares (frame, logos, titles, signatories) is rendered once per process and
  cached; only the variable layer (name, body, serial, code, QR) is rendered, as one document for a
  whole chunk, and each of its pages is overlaid on a copy of the shared page with pikepdf. Both
  paths use the same HTML with absolutely positioned boxes, so the overlay is identical in text,
  images and position to the one-call rendering.

WeasyPrint is imported lazily (≈ 0.8 s): web processes that never render do not pay for it.
"""

import base64
import ctypes.util
import io
import logging
import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import segno
from django.template.loader import get_template
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

MONTH_NAMES_INDONESIAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
PAGE_SIZES_MM = {"A4": (297, 210), "letter": (279.4, 215.9)}
HTML_TEMPLATE = "certificates/pdf/certificate.html"


def date_indonesian(value: date | datetime) -> str:
    """An Indonesian date, e.g. ``5 Juni 2021`` (aware datetimes in the site's time zone)."""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return f"{value.day} {MONTH_NAMES_INDONESIAN[value.month - 1]} {value.year}"


def hours_indonesian(value: Decimal | float | int) -> str:
    """Hours the Indonesian way: 12 → ``12``, 1.5 → ``1,5``."""
    number = Decimal(str(value)).normalize()
    text = f"{number:f}"
    return text.replace(".", ",")


def qr_png_data_uri(url: str) -> str:
    """A QR code as a 1-pixel-per-module PNG data URI; CSS scales it up with `pixelated`.

    The mask pattern is fixed: searching for the "best" of the eight costs ≈ 7 ms a code, and any
    mask decodes (the tests decode every rendered QR code with zxing-cpp).
    """
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False, mask=0, boost_error=False).save(
        buffer, kind="png", scale=1, border=4
    )
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


# --- HarfBuzz subsetting -------------------------------------------------------------------------


def harfbuzz_subset_available() -> bool:
    """True when WeasyPrint will subset fonts with HarfBuzz rather than with (slow) fontTools.

    Uses WeasyPrint's own binding when it is already imported, else only looks for the library,
    so that the start-up check does not import WeasyPrint.
    """
    import sys

    ffi_module = sys.modules.get("weasyprint.text.ffi")
    if ffi_module is not None:
        return bool(ffi_module.harfbuzz_subset) and bool(ffi_module.harfbuzz.hb_version_atleast(4, 1, 0))
    name = ctypes.util.find_library("harfbuzz-subset")
    if not name:
        return False
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


HARFBUZZ_WARNING = (
    "HarfBuzz subsetting (libharfbuzz-subset0) is not available: WeasyPrint falls back to fontTools "
    "and certificates render several times more slowly. Install it with `apt-get install "
    "libharfbuzz-subset0` (run `make install`)."
)


def harfbuzz_subset_check() -> bool:
    """Log a clear warning when WeasyPrint would fall back to fontTools. Never raises."""
    try:
        available = harfbuzz_subset_available()
    except Exception:  # a broken library must not stop the site from starting
        logger.exception("Could not check HarfBuzz subsetting")
        return False
    if not available:
        logger.warning(HARFBUZZ_WARNING)
    return available


# --- What gets printed ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PageSpec:
    size: str
    orientation: str
    width: float
    height: float


@dataclass(frozen=True)
class SharedLayer:
    """What every certificate of one template revision shares."""

    key: str
    page: PageSpec
    title: str
    subtitle: str
    issuer: str
    preamble: str
    place: str
    body: str
    signatories: tuple[dict, ...] = ()
    background: str = ""
    logo_left: str = ""
    logo_right: str = ""


@dataclass(frozen=True)
class CertificateFields:
    """What one certificate prints: the frozen snapshot."""

    holder_name: str
    course_title: str
    hours: str
    service_point: str
    date: str
    serial: str
    code: str
    verify_url: str
    extra: dict = field(default_factory=dict)


def _image_data_uri(image, spec: str) -> str:
    if image is None:
        return ""
    try:
        rendition = image.get_rendition(spec)
        with rendition.file.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        logger.warning("Certificate image %s could not be read; printed without it", image.pk)
        return ""
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def shared_layer_from_template(template, *, key: str) -> SharedLayer:
    """The shared layer of a template (usually a revision's object). Reads image renditions."""
    landscape = template.orientation == "landscape"
    width, height = PAGE_SIZES_MM.get(template.page_size, PAGE_SIZES_MM["A4"])
    if landscape:
        width, height = max(width, height), min(width, height)
    else:
        width, height = min(width, height), max(width, height)
    signatories = []
    for block in template.signatories:
        value = block.value
        signatories.append(
            {
                "name": value.get("name", ""),
                "title": value.get("title", ""),
                "signature": _image_data_uri(value.get("signature"), "max-400x160|format-png"),
            }
        )
    return SharedLayer(
        key=key,
        page=PageSpec(template.page_size, template.orientation, width, height),
        title=template.title,
        subtitle=template.subtitle,
        issuer=template.issuer,
        preamble=template.preamble,
        place=template.place,
        body=template.body,
        signatories=tuple(signatories),
        background=_image_data_uri(template.background_image, "fill-1754x1240|format-png"),
        logo_left=_image_data_uri(template.logo_left, "max-240x240|format-png"),
        logo_right=_image_data_uri(template.logo_right, "max-240x240|format-png"),
    )


def body_format(body: str, fields: CertificateFields) -> str:
    """The body with its placeholders filled (validated on the template's save)."""
    values = {
        "name": fields.holder_name,
        "course": fields.course_title,
        "hours": fields.hours,
        "date": fields.date,
        "service_point": fields.service_point,
        "serial": fields.serial,
        "code": fields.code,
    }
    try:
        return body.format_map(values)
    except (KeyError, ValueError, IndexError):
        return body


# --- The holder's name: whole, inside its box, as large as fits ------------------------------------

# The name box (mm from the page's edges): below "diberikan kepada", above the gold line.
NAME_BOX_SIDE = 20.0
NAME_BOX_TOP = 75.5
NAME_BOX_BOTTOM = 94.0
NAME_SIZE_MAX = 30.0
NAME_SIZE_MIN = 5.0
NAME_SIZE_STEP = 0.5
NAME_LINES_MAX = 2
NAME_LINE_HEIGHT_MIN = 1.1
NAME_WIDTH_MARGIN = 0.95  # measured advances ignore kerning and shaping: keep some room
PT_PER_MM = 72 / 25.4

# The faces of the name, in the order of its CSS font-family list: Pango takes each character from
# the first face that has it. Every character `courses.people.names` accepts is in one of them (tested).
# The tallest face the name uses goes first, so that the line's height and baseline are its own.
NAME_FONTS = (
    ("DejaVu Serif", "dejavu/DejaVuSerif-Bold.ttf"),
    ("Noto Serif", "noto/NotoSerif-Bold.ttf"),
    ("Noto Naskh Arabic", "noto/NotoNaskhArabic-Bold.ttf"),
    ("Noto Sans Javanese", "noto/NotoSansJavanese-Bold.ttf"),
    ("Noto Sans Balinese", "noto/NotoSansBalinese-Bold.ttf"),
    ("Noto Sans Sundanese", "noto/NotoSansSundanese-Bold.ttf"),
)
FONT_DIRS = ("/usr/share/fonts/truetype", "/usr/share/fonts/opentype", "/usr/local/share/fonts")
# For a character no face has: wider and taller than any glyph of these faces, so that it still fits
_UNKNOWN_ADVANCE = 1.3
_UNKNOWN_EXTENT = 2.3


@dataclass(frozen=True)
class _Face:
    family: str
    advances: dict  # code point → advance, in em
    extent: float  # ascent + descent, in em (what a line of this face needs)


_faces: list[_Face] = []


def _name_faces() -> list[_Face]:
    """The advances and heights of the name's faces, read once per process (≈ 60 ms)."""
    with _lock:
        if not _faces:
            from pathlib import Path

            from fontTools.ttLib import TTFont

            for family, relative in NAME_FONTS:
                path = next((Path(d) / relative for d in FONT_DIRS if (Path(d) / relative).exists()), None)
                if path is None:
                    logger.warning("Font %s is missing: install fonts-noto-core (make install)", relative)
                    continue
                font = TTFont(path, lazy=True)
                em = font["head"].unitsPerEm
                metrics = font["hmtx"].metrics
                advances = {code: metrics[glyph][0] / em for code, glyph in font.getBestCmap().items()}
                hhea = font["hhea"]
                _faces.append(
                    _Face(family=family, advances=advances, extent=(hhea.ascent - hhea.descent) / em)
                )
                font.close()
        return _faces


def _char_face(char: str, faces: list[_Face]) -> _Face | None:
    code = ord(char)
    return next((face for face in faces if code in face.advances), None)


def _line_count(words: list[list[float]], space: float, width: float) -> int:
    """Lines the words take at this width, breaking as the CSS does: at spaces, and inside a word
    only when it is wider than a whole line (`overflow-wrap: anywhere`)."""
    lines, x = 1, 0.0
    for advances in words:
        word = sum(advances)
        if x > 0:
            if x + space + word <= width:
                x += space + word
                continue
            lines, x = lines + 1, 0.0
        if word <= width:
            x = word
            continue
        for advance in advances:
            if x > 0 and x + advance > width:
                lines, x = lines + 1, 0.0
            x += advance
    return lines


@dataclass(frozen=True)
class NameLayout:
    size: float  # pt
    line_height: float  # pt
    lines: int
    top: float  # mm from the top of the page
    family: str  # the CSS font-family list, tallest face used first

    @property
    def style(self) -> str:
        # built here: the template would print the decimals the Indonesian way (30,5)
        return (
            f"top: {self.top:.2f}mm; font-size: {self.size:.1f}pt; "
            f"line-height: {self.line_height:.2f}pt; font-family: {self.family}"
        )


def name_layout(name: str, *, page_width_mm: float) -> NameLayout:
    """The largest size, in steps of 0.5 pt from 30 pt down, at which the name fits its box in at
    most two lines; measured from the advances of the fonts that print it. Pure, cached fonts."""
    faces = _name_faces()
    words, extent, tallest = [], NAME_LINE_HEIGHT_MIN, None
    for word in name.split(" "):
        advances = []
        for char in word:
            face = _char_face(char, faces)
            advances.append(face.advances[ord(char)] if face else _UNKNOWN_ADVANCE)
            char_extent = face.extent if face else _UNKNOWN_EXTENT
            if char_extent > extent:
                extent, tallest = char_extent, face
        words.append(advances)
    # spaces come from the first face of the list (the tallest used), as Pango takes them
    space = next((face.advances[32] for face in [tallest, *faces] if face and 32 in face.advances), 0.35)
    width_pt = (page_width_mm - 2 * NAME_BOX_SIDE) * PT_PER_MM * NAME_WIDTH_MARGIN
    height_pt = (NAME_BOX_BOTTOM - NAME_BOX_TOP) * PT_PER_MM
    size = NAME_SIZE_MAX
    while True:
        lines = _line_count(words, space, width_pt / size)
        if (lines <= NAME_LINES_MAX and lines * extent * size <= height_pt) or size <= NAME_SIZE_MIN:
            break
        size -= NAME_SIZE_STEP
    used_mm = lines * extent * size / PT_PER_MM
    top = NAME_BOX_TOP + max(0.0, (NAME_BOX_BOTTOM - NAME_BOX_TOP - used_mm) / 2)
    families = [family for family, _ in NAME_FONTS]
    if tallest is not None:
        families.remove(tallest.family)
        families.insert(0, tallest.family)
    return NameLayout(
        size=size,
        line_height=extent * size,
        lines=lines,
        top=top,
        family=", ".join(f'"{family}"' for family in families),
    )


PERSONAL_PLACEHOLDERS = ("{name}", "{serial}", "{code}")


def _body_is_personal(body: str) -> bool:
    return any(token in body for token in PERSONAL_PLACEHOLDERS)


def _variable_context(shared: SharedLayer, fields: CertificateFields, *, with_qr: bool = True) -> dict:
    return {
        "holder_name": fields.holder_name,
        "name": name_layout(fields.holder_name, page_width_mm=shared.page.width),
        "body": body_format(shared.body, fields),
        "body_personal": _body_is_personal(shared.body),
        "place_date": f"{shared.place}, {fields.date}" if shared.place else fields.date,
        "serial": fields.serial,
        "code": fields.code,
        "verify_url": fields.verify_url,
        "qr": qr_png_data_uri(fields.verify_url) if with_qr else "",
    }


def _html(mode: str, shared: SharedLayer, certificates: list[dict]) -> str:
    with translation.override("id"):
        return get_template(HTML_TEMPLATE).render(
            {"mode": mode, "shared": shared, "page": shared.page, "certificates": certificates}
        )


# --- WeasyPrint, reused across documents in a process --------------------------------------------

_lock = threading.Lock()
_state: dict = {}


def _weasyprint():
    """WeasyPrint's HTML class, one FontConfiguration and one image cache for the process."""
    with _lock:
        if "HTML" not in _state:
            from weasyprint import HTML
            from weasyprint.text.fonts import FontConfiguration

            _state["HTML"] = HTML
            _state["font_config"] = FontConfiguration()
            _state["cache"] = {}
            harfbuzz_subset_check()
        return _state["HTML"], _state["font_config"], _state["cache"]


# Pango is not thread-safe with one font map shared by threads: concurrent renders corrupted its
# caches and left a thread stuck in line breaking for ever. Every WeasyPrint call of the process
# holds this lock. Measured against one FontConfiguration per thread, it was as fast (the layout is
# Python under the GIL anyway) and a thread's first render did not rebuild the font caches; a
# Celery prefork worker renders in one thread, so the lock is never contended there.
_render_lock = threading.Lock()


def _write_pdf(html: str) -> bytes:
    html_class, font_config, cache = _weasyprint()
    with _render_lock:
        if len(cache) > 256:  # QR codes are all different: keep the shared images, not thousands of QRs
            cache.clear()
        return html_class(string=html, base_url=None).write_pdf(font_config=font_config, cache=cache)


def certificate_pdf_render(*, shared: SharedLayer, fields: CertificateFields) -> bytes:
    """One certificate, one WeasyPrint call (the reference rendering)."""
    return _write_pdf(_html("full", shared, [_variable_context(shared, fields)]))


_shared_cache: dict[str, bytes] = {}


def shared_layer_pdf(shared: SharedLayer) -> bytes:
    """The shared page of a template revision, rendered once per process and cached by its key
    (the revision id: a revision never changes)."""
    cached = _shared_cache.get(shared.key)
    if cached is None:
        cached = _write_pdf(_html("shared", shared, [{}]))
        if len(_shared_cache) >= 32:
            _shared_cache.clear()
        _shared_cache[shared.key] = cached
    return cached


def certificate_pdfs_render_batch(
    *, shared: SharedLayer, fields_list: list[CertificateFields]
) -> list[bytes]:
    """Many certificates in three layers, overlaid with pikepdf; one separate, complete PDF each.

    * shared: rendered once per template revision and process (`shared_layer_pdf`);
    * group: the body and the date, shared by the certificates of one course, service point and
      day: one WeasyPrint call for the distinct groups of the chunk (usually one or two pages);
    * variable: name, serial, code and QR: one WeasyPrint call for the whole chunk.
    """
    import pikepdf

    if not fields_list:
        return []
    shared_bytes = shared_layer_pdf(shared)
    contexts = [_variable_context(shared, fields) for fields in fields_list]
    group_keys: dict[tuple[str, str], int] = {}
    group_contexts = []
    for context in contexts:
        key = ("" if context["body_personal"] else context["body"], context["place_date"])
        if key not in group_keys:
            group_keys[key] = len(group_contexts)
            group_contexts.append(context)
    group_bytes = _write_pdf(_html("group", shared, group_contexts))
    variable_bytes = _write_pdf(_html("variable", shared, contexts))
    outputs = []
    with (
        pikepdf.open(io.BytesIO(variable_bytes)) as variable_pdf,
        pikepdf.open(io.BytesIO(group_bytes)) as group_pdf,
    ):
        if len(variable_pdf.pages) != len(contexts) or len(group_pdf.pages) != len(group_contexts):
            raise RuntimeError("a layer has the wrong number of pages")
        for page in [*variable_pdf.pages, *group_pdf.pages]:
            page.remove_unreferenced_resources()
        for context, page in zip(contexts, variable_pdf.pages, strict=True):
            group_page = group_pdf.pages[
                group_keys[("" if context["body_personal"] else context["body"], context["place_date"])]
            ]
            with pikepdf.open(io.BytesIO(shared_bytes)) as out:
                target = out.pages[0]
                box = pikepdf.Rectangle(*target.mediabox)
                for layer in (group_page, page):
                    form = out.copy_foreign(layer.as_form_xobject())
                    target.add_overlay(form, box, shrink=False, expand=False)
                buffer = io.BytesIO()
                out.save(buffer, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
                outputs.append(buffer.getvalue())
    return outputs
