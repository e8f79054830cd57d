"""The library, read-only: essays with their attribution, search, books and reading lists.

Programs and crews point to essays and reading lists by slug; everything here is public
except a reading list, which is seen by whoever may see the group that keeps it.
"""

from datetime import date

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from microsolidarity.api.auth import ANYONE, OPTIONAL_AUTH
from microsolidarity.api.pagination import Pages
from microsolidarity.api.schemas import ErrorOut, Slug
from microsolidarity.library.access import reading_list_visible
from microsolidarity.library.attribution import essay_attribution
from microsolidarity.library.models import Book, Essay, ReadingList
from microsolidarity.library.rendering import markdown_html
from microsolidarity.library.search import essay_search

router = Router(tags=["library"])
READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class AttributionOut(Schema):
    title: str
    author: str
    source_url: str
    licence: str = Field(description="SPDX-style identifier, such as CC-BY-SA-4.0.")
    licence_name: str
    licence_url: str
    share_alike: bool
    text: str = Field(description="The attribution as one sentence, to print with any copy.")


class EssayOut(Schema):
    slug: str
    title: str
    author: str
    summary: str
    language: str
    published_on: date | None
    url: str
    attribution: AttributionOut

    @staticmethod
    def resolve_url(essay) -> str:
        return essay.get_absolute_url()

    @staticmethod
    def resolve_attribution(essay) -> dict:
        attribution = essay_attribution(essay)
        return {**attribution.__dict__, "text": attribution.sentence()}


class TranslationOut(Schema):
    language: str
    title: str
    url: str


class EssayDetailOut(EssayOut):
    body: str = Field(description="The Markdown text.")
    html: str = Field(description="The text as sanitised HTML.")
    translations: list[TranslationOut]
    derived_from: str | None = Field(None, description="The slug of the essay this adapts.")

    @staticmethod
    def resolve_html(essay) -> str:
        return str(markdown_html(essay.body))

    @staticmethod
    def resolve_derived_from(essay) -> str | None:
        return essay.derived_from.slug if essay.derived_from_id else None


class EssayFilters(Schema):
    q: str | None = Field(None, max_length=200, description="Words every essay must contain.")


class BookOut(Schema):
    slug: str
    title: str
    subtitle: str
    build_status: str
    epub_url: str | None
    pdf_url: str | None
    essays: list[str] = Field(description="Slugs of its essays, in order.")

    @staticmethod
    def resolve_epub_url(book) -> str | None:
        return book.epub.url if book.epub else None

    @staticmethod
    def resolve_pdf_url(book) -> str | None:
        return book.pdf.url if book.pdf else None

    @staticmethod
    def resolve_essays(book) -> list[str]:
        return [entry.essay.slug for entry in book.entries.all()]


class ReadingItemOut(Schema):
    position: int
    title: str
    url: str
    essay: str | None = Field(None, description="The essay's slug, when the item is an essay.")
    isbn: str | None = Field(None, description="The book's ISBN-13, when the item is a book.")
    author: str | None = Field(None, description="The book's author, when the item is a book.")
    note: str

    @staticmethod
    def resolve_url(item) -> str:
        # A book has no address of its own: the page of its copies on the shelves stands in.
        return reverse("shelf_isbn", args=[item.isbn]) if item.is_book else item.url

    @staticmethod
    def resolve_essay(item) -> str | None:
        return item.essay.slug if item.essay_id else None

    @staticmethod
    def resolve_isbn(item) -> str | None:
        return item.isbn or None

    @staticmethod
    def resolve_author(item) -> str | None:
        return (item.author or None) if item.is_book else None


class ReadingListOut(Schema):
    slug: str
    title: str
    description: str
    group: str = Field(description="The slug of the group that keeps it.")
    items: list[ReadingItemOut]

    @staticmethod
    def resolve_group(reading_list) -> str:
        return reading_list.owner.slug

    @staticmethod
    def resolve_items(reading_list) -> list:
        return list(reading_list.items.all())


@router.get(
    "/essays",
    response={200: list[EssayOut], 401: ErrorOut, 422: ErrorOut},
    auth=ANYONE,
    openapi_extra=OPTIONAL_AUTH,
    summary="List the essays, or search them",
)
@paginate(Pages)
def essay_list(request, filters: Query[EssayFilters]):
    if filters.q:
        return [hit.essay for hit in essay_search(filters.q, limit=100)]
    return Essay.objects.select_related("derived_from").order_by("title", "pk")


@router.get(
    "/essays/{essay_slug}",
    response={200: EssayDetailOut, **READ_ERRORS},
    auth=ANYONE,
    openapi_extra=OPTIONAL_AUTH,
    summary="One essay, with its text and attribution",
)
def essay_detail(request, essay_slug: Slug):
    essay = Essay.objects.select_related("derived_from").filter(slug=essay_slug).first()
    if essay is None:
        raise Http404(_("There is no essay at this address."))
    return essay


@router.get(
    "/books",
    response={200: list[BookOut], 401: ErrorOut, 422: ErrorOut},
    auth=ANYONE,
    openapi_extra=OPTIONAL_AUTH,
    summary="List the books and their downloads",
)
@paginate(Pages)
def book_list(request):
    return Book.objects.prefetch_related("entries__essay").order_by("title", "pk")


@router.get(
    "/reading-lists/{list_slug}",
    response={200: ReadingListOut, **READ_ERRORS},
    auth=ANYONE,
    openapi_extra=OPTIONAL_AUTH,
    summary="A reading list, if you may see the group that keeps it",
)
def reading_list_detail(request, list_slug: Slug):
    reading_list = (
        ReadingList.objects.select_related("owner")
        .prefetch_related("items__essay")
        .filter(slug=list_slug)
        .first()
    )
    if reading_list is None or not reading_list_visible(request.auth, reading_list):
        raise Http404(_("There is no reading list at this address, or it is not visible to you."))
    return reading_list
