"""The files of a book: an EPUB 3 (ebooklib) and a PDF (WeasyPrint), attribution first."""

import io
import uuid

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from ebooklib import epub

from microsolidarity.library.attribution import essay_attribution
from microsolidarity.library.rendering import markdown_html
from microsolidarity.site import site_url

_BOOK_NAMESPACE = uuid.UUID("0d5e8c4e-4b8f-4c1e-9a55-6c1f1b7f15a1")


def _chapters(essays) -> list[dict]:
    return [
        {"essay": essay, "attribution": essay_attribution(essay), "html": markdown_html(essay.body)}
        for essay in essays
    ]


def _authors(essays) -> list[str]:
    return list(dict.fromkeys(essay.author for essay in essays))


def _rights(chapters) -> str:
    return " ".join(chapter["attribution"].sentence() for chapter in chapters)


def book_epub_bytes(book, essays) -> bytes:
    chapters = _chapters(essays)
    document = epub.EpubBook()
    document.set_identifier(f"urn:uuid:{uuid.uuid5(_BOOK_NAMESPACE, site_url() + book.slug)}")
    document.set_title(book.title)
    document.set_language(book.language)
    for number, author in enumerate(_authors(essays), start=1):
        document.add_author(author, uid=f"creator-{number}")
    document.add_metadata("DC", "rights", _rights(chapters))
    document.add_metadata("DC", "date", timezone.now().date().isoformat())
    style = epub.EpubItem(
        uid="style",
        file_name="style/book.css",
        media_type="text/css",
        content=render_to_string("library/book/epub.css").encode(),
    )
    document.add_item(style)
    title_page = epub.EpubHtml(
        title=_("About this book"), file_name="about.xhtml", lang=book.language
    )
    title_page.content = render_to_string(
        "library/book/epub_about.html", {"book": book, "chapters": chapters}
    )
    title_page.add_item(style)
    document.add_item(title_page)
    pages = [title_page]
    for number, chapter in enumerate(chapters, start=1):
        page = epub.EpubHtml(
            title=chapter["essay"].title,
            file_name=f"essay-{number}.xhtml",
            lang=chapter["essay"].language,
        )
        page.content = render_to_string("library/book/epub_chapter.html", chapter)
        page.add_item(style)
        document.add_item(page)
        pages.append(page)
    document.toc = pages
    document.add_item(epub.EpubNcx())
    document.add_item(epub.EpubNav())
    document.spine = ["nav", *pages]
    buffer = io.BytesIO()
    epub.write_epub(buffer, document, {"epub3_pages": False})
    return buffer.getvalue()


def _no_fetching(url: str, *args, **kwargs):
    # A book is made from our own text alone: nothing is fetched, from anywhere.
    raise ValueError(f"The PDF builder fetches nothing ({url}).")


def book_pdf_bytes(book, essays) -> bytes:
    # weasyprint loads pango and cairo (a second or more): only when a PDF is really built.
    from weasyprint import HTML

    chapters = _chapters(essays)
    html = render_to_string(
        "library/book/print.html",
        {"book": book, "chapters": chapters, "authors": _authors(essays)},
    )
    return HTML(string=html, base_url=site_url(), url_fetcher=_no_fetching).write_pdf()
