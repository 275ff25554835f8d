"""The discussion sheet as a PDF, rendered by WeasyPrint from the same template as the web page.

WeasyPrint fetches the stylesheets the page links to. Our fetcher reads static files straight
from disk and refuses every other URL: fetching over HTTP from our own server could deadlock a
sync worker, and no sheet may load anything from another host.
"""

import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

# A base URL that resolves nowhere: relative URLs in the page are made absolute against it,
# and only those under STATIC_URL are ever answered.
BASE_URL = "https://decisionaid.invalid/"
PAPER_SIZES = {"a4": "A4", "letter": "letter"}
DEFAULT_PAPER = "a4"


class StaticFileFetcher(URLFetcher):
    """Answers {% static %} URLs from disk; refuses everything else."""

    def fetch(self, url, headers=None):
        path = self.static_path(url)
        if path is None:
            raise URLFetchingError(f"Refused to fetch {url}: only static files are allowed.")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, path.read_bytes(), headers={"Content-Type": content_type}, status=200
        )

    @staticmethod
    def static_path(url):
        """The file on disk that a static URL names, or None."""
        prefix = urljoin(BASE_URL, settings.STATIC_URL)
        if not url.startswith(prefix):
            return None
        name = posixpath.normpath(unquote(urlsplit(url[len(prefix) :]).path))
        if name.startswith(("/", "..")) or name == ".":
            return None
        if settings.STATIC_ROOT:
            # After collectstatic, hashed names such as sheet.1a2b3c.css live only here.
            collected = Path(settings.STATIC_ROOT) / name
            if collected.is_file():
                return collected
        found = finders.find(name)
        return Path(found) if found else None


def paper_size(requested):
    """The CSS page size for a requested paper name; A4 for anything unknown."""
    return PAPER_SIZES.get((requested or "").strip().lower(), PAPER_SIZES[DEFAULT_PAPER])


def render_sheet_pdf(sheet, *, paper=DEFAULT_PAPER) -> bytes:
    html = render_to_string("staff/sheet.html", {"sheet": sheet, "pdf": True})
    page = CSS(string=f"@page {{ size: {paper_size(paper)}; }}")
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFileFetcher())
    return document.write_pdf(stylesheets=[page])
