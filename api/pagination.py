from rest_framework.pagination import PageNumberPagination


class PortalPagination(PageNumberPagination):
    """``?page=`` and ``?page_size=`` (at most 200): every list answers in bounded time and memory."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
