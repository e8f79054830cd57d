"""Lists come in pages: `?limit=` (1 to 100, default 20) and `?offset=`."""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Far beyond any real list, and small enough for every database's integers.
MAX_OFFSET = 1_000_000


class Pages(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")

    def __init__(self, **kwargs) -> None:
        super().__init__(max_limit=MAX_PAGE_SIZE, **kwargs)
