"""Reading PDFs in tests with poppler's command-line tools (poppler-utils)."""

import re
import subprocess


def _info(path):
    return subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout


def pdf_pages(pdf, tmp_path):
    """The text of each page of a PDF."""
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf)
    count = int(re.search(r"^Pages:\s+(\d+)", _info(path), re.M).group(1))
    return [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), path, "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, count + 1)
    ]


def page_size(pdf, tmp_path):
    """pdfinfo's page size, e.g. "612 x 792 pts (letter)"."""
    path = tmp_path / "size.pdf"
    path.write_bytes(pdf)
    return re.search(r"^Page size:\s+(.*)$", _info(path), re.M).group(1)
