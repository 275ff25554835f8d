"""The hand-off on the Finish screen: a QR code that takes staff to this visit's sheet."""

import segno
from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def sheet_qr(context, visit):
    """segno's inline SVG QR code of the absolute staff sheet URL, which carries only the token.
    The template names it for screen readers.

    segno builds the SVG from the URL and fixed options alone; nothing in it comes from the
    patient, so it is safe to include as it is.
    """
    url = context["request"].build_absolute_uri(visit.get_absolute_url())
    qr = segno.make(url, error="m")
    return mark_safe(
        qr.svg_inline(scale=4, border=4, omitsize=True, svgclass="qr-code", lineclass="qr-line")
    )
