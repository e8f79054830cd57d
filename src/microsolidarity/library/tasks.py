"""Background work of the library: each task takes ids and only calls a service."""

from django.tasks import task

from microsolidarity.library.book_builds import book_build


@task
def book_build_task(book_id: int) -> str:
    """Idempotent: a book already built at its current version is left as it is."""
    book = book_build(book_id=book_id)
    return book.build_status if book is not None else "missing"
