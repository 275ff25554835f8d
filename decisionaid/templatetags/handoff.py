"""The hand-off on the Finish screen: a QR code that takes staff to this visit's sheet."""

import segno
from django import template
from django.utils.safestring import mark_safe

register = template.Library()

QR_TITLE = "QR code for staff. It opens this visit's discussion sheet after signing in."


@register.simple_tag(takes_context=True)
def sheet_qr(context, visit):
    """An inline SVG QR code of the absolute staff sheet URL, which carries only the token."""
    url = context["request"].build_absolute_uri(visit.get_absolute_url())
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(
        scale=4, border=4, omitsize=True, svgclass="qr-code", lineclass="qr-line", title=QR_TITLE
    )
    # segno builds the SVG from the URL and fixed options only; nothing in it comes unescaped
    # from the patient.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))
