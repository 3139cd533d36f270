"""Page-number pagination that takes the page parameter at its word."""

from rest_framework.pagination import PageNumberPagination


class StrictPageNumberPagination(PageNumberPagination):
    def get_page_number(self, request, paginator):
        # DRF reads "?page=" as page 1; here it is an invalid page (404 not_found), like "?page=x".
        return request.query_params.get(self.page_query_param, 1)
