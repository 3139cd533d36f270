"""Pagination: page numbers taken at their word, and cursors for logs that grow while read."""

import re
from urllib.parse import urlsplit

from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination, PageNumberPagination

_ID = re.compile(r"[0-9]{1,18}")


class StrictPageNumberPagination(PageNumberPagination):
    def get_page_number(self, request, paginator):
        # DRF reads "?page=" as page 1; here it is an invalid page (404 not_found), like "?page=x".
        return request.query_params.get(self.page_query_param, 1)


class NewestFirstCursorPagination(CursorPagination):
    """Cursor pages, newest first by the auto-increment id: stable while rows are added, and the
    cursor (opaque, signed by nothing: it only names a position) cannot reach rows the queryset
    does not hold."""

    ordering = "-id"
    page_size = 50

    def decode_cursor(self, request):
        # DRF hands the position to the database as it came: "p=abc" for an integer id is a 500
        # there (attack finding). A position is an id here, or the cursor is invalid (404).
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None and not _ID.fullmatch(str(cursor.position)):
            raise NotFound(self.invalid_cursor_message)
        return cursor

    # Links are paths (/api/...?cursor=...), not URLs: nothing is built from the request's Host.
    def get_next_link(self):
        return _path(super().get_next_link())

    def get_previous_link(self):
        return _path(super().get_previous_link())


def _path(url):
    if url is None:
        return None
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path
