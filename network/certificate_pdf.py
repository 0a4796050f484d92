"""A certificate as a printable PDF (A4 landscape), in the language active when it is rendered.

Names and titles come in Cyrillic, Georgian, Armenian and Latin scripts, which none of the PDF
standard fonts carry, so the text is set in DejaVu Sans (``CERTIFICATE_FONT_DIR``).
"""

import functools
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from .models import Certificate

DEFAULT_FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
REGULAR = "CampusSans"
BOLD = "CampusSans-Bold"
INK = Color(0.11, 0.15, 0.2)
MUTED = Color(0.35, 0.38, 0.42)
ACCENT = Color(0.05, 0.4, 0.45)
ALERT = Color(0.54, 0.11, 0.11)


def render_certificate(certificate, verification_url):
    """The PDF bytes of ``certificate``, pointing readers to ``verification_url`` to check it."""
    register_fonts(getattr(settings, "CERTIFICATE_FONT_DIR", DEFAULT_FONT_DIR))
    width, height = landscape(A4)
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height))
    heading = heading_for(certificate)
    canvas.setTitle(f"{heading}: {certificate.recipient_name}")
    canvas.setAuthor(certificate.issuer.name)
    canvas.setSubject(certificate.title)
    canvas.setCreator("STC Campus")

    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(3)
    canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    canvas.setLineWidth(0.75)
    canvas.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)

    text_width = width - 70 * mm
    centre = width / 2
    y = height - 40 * mm
    y = draw_centred(canvas, certificate.issuer.name, REGULAR, 14, centre, y, text_width, colour=MUTED)
    y -= 10 * mm
    y = draw_centred(canvas, heading, BOLD, 34, centre, y, text_width, colour=ACCENT)
    y -= 8 * mm
    y = draw_centred(canvas, _("This certifies that"), REGULAR, 14, centre, y, text_width)
    y -= 4 * mm
    y = draw_centred(canvas, certificate.recipient_name, BOLD, 28, centre, y, text_width)
    y -= 4 * mm
    y = draw_centred(canvas, achievement_for(certificate), REGULAR, 14, centre, y, text_width)
    y -= 2 * mm
    y = draw_centred(canvas, certificate.title, BOLD, 20, centre, y, text_width, smallest=12)
    y -= 6 * mm
    issued = _("Issued by %(issuer)s on %(date)s") % {
        "issuer": certificate.issuer.name,
        "date": date_format(certificate.issued_on, "DATE_FORMAT"),
    }
    y = draw_centred(canvas, issued, REGULAR, 12, centre, y, text_width, colour=MUTED)
    if not certificate.is_valid:
        y -= 4 * mm
        revoked = _("Revoked on %(date)s") % {
            "date": date_format(timezone.localdate(certificate.revoked_at), "DATE_FORMAT")
        }
        draw_centred(canvas, revoked, BOLD, 16, centre, y, text_width, colour=ALERT)

    qr_size = 32 * mm
    left, bottom = 25 * mm, 22 * mm
    draw_qr(canvas, verification_url, left, bottom, qr_size)
    text_left = left + qr_size + 6 * mm
    lines = [
        (REGULAR, _("Check that this certificate is valid at:")),
        (BOLD, verification_url),
        (REGULAR, _("Certificate code: %(code)s") % {"code": certificate.code}),
    ]
    line_y = bottom + qr_size - 10
    canvas.setFillColor(INK)
    for font, text in lines:
        for line in simpleSplit(text, font, 9, width - text_left - 25 * mm):
            canvas.setFont(font, 9)
            canvas.drawString(text_left, line_y, line)
            line_y -= 13
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def heading_for(certificate):
    if certificate.kind == Certificate.Kind.SEMINAR_PARTICIPATION:
        return _("Certificate of participation")
    return _("Certificate of completion")


def achievement_for(certificate):
    if certificate.kind == Certificate.Kind.SEMINAR_PARTICIPATION:
        return _("took part in")
    return _("has successfully completed")


def draw_centred(canvas, text, font, size, x, y, max_width, colour=INK, smallest=None):
    """Draw ``text`` centred on ``x`` from baseline ``y`` down, shrinking it (to two thirds at
    most) and then wrapping it to fit ``max_width``; return the baseline below the last line."""
    smallest = smallest or size * 2 / 3
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > max_width:
        size -= 1
    canvas.setFillColor(colour)
    canvas.setFont(font, size)
    for line in simpleSplit(text, font, size, max_width) or [""]:
        canvas.drawCentredString(x, y, line)
        y -= size * 1.3
    return y


def draw_qr(canvas, value, x, y, size):
    widget = QrCodeWidget(value, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


@functools.cache
def register_fonts(directory):
    folder = Path(directory)
    for name, filename in ((REGULAR, "DejaVuSans.ttf"), (BOLD, "DejaVuSans-Bold.ttf")):
        path = folder / filename
        if not path.is_file():
            raise ImproperlyConfigured(
                f"Certificates need the DejaVu Sans fonts: {path} is missing. Install them "
                "(Debian/Ubuntu: fonts-dejavu-core) or point CERTIFICATE_FONT_DIR at a folder that has them."
            )
        pdfmetrics.registerFont(TTFont(name, str(path)))
