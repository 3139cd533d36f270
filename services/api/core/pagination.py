"""Page-number pagination that takes the page parameter at its word."""

from rest_framework.pagination import CursorPagination, PageNumberPagination


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
