"""Reading PDFs in tests with pypdf."""

import io

from pypdf import PdfReader

# PDF user-space units per inch; page sizes are in points.
SIZES = {"A4": (595, 842), "letter": (612, 792)}


def pdf_pages(pdf):
    """The text of each page of a PDF."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def paper_name(pdf):
    """The paper size of the PDF's first page: "A4", "letter", or its size in points."""
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    size = (round(float(box.width)), round(float(box.height)))
    return next((name for name, known in SIZES.items() if known == size), f"{size}")
