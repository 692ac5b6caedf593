"""Paginators that do not ask the database for COUNT(*) of the page's own query."""

from __future__ import annotations

from django.core.paginator import EmptyPage, Paginator
from django.db.models import Count, Window

TOTAL = "paginator_total"
# OFFSET and LIMIT are 64-bit integers in SQL: a page beyond that cannot exist.
MAX_ROW = 2**63 - 1


class WindowCountPaginator(Paginator):
    """Fetches a page and the number of matching rows in one query instead of two.

    Django's Paginator runs SELECT COUNT(*) and then the page. Here every row of the page also
    carries COUNT(*) OVER () — the number of rows the query matches before LIMIT — so the total
    comes with the page. The database does the same counting work; the page saves a round trip,
    and with it one query of its budget.

    A page past the end comes back empty and so learns no total: like Django's, it raises
    EmptyPage (a 404 in a ListView). Orphans are not supported: with them the size of a page
    would depend on the total, which is only known once the page is fetched.
    """

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        if orphans:
            raise ValueError("WindowCountPaginator does not support orphans.")
        super().__init__(object_list, per_page, 0, allow_empty_first_page, **kwargs)

    def page(self, number):
        number = self._positive_number(number)
        if "count" in self.__dict__:  # already known (someone asked for the last page)
            return super().page(number)
        bottom = (number - 1) * self.per_page
        if bottom + self.per_page > MAX_ROW:
            raise EmptyPage(self.error_messages["no_results"])
        rows, total = self.counted_rows(bottom, bottom + self.per_page)
        if rows:
            if total is not None:  # None: the subclass gives the count when it is asked
                self.count = total
        elif number == 1 and self.allow_empty_first_page:
            self.count = 0
        else:
            raise EmptyPage(self.error_messages["no_results"])
        return self._get_page(rows, number, self)

    def counted_rows(self, bottom: int, top: int) -> tuple[list, int]:
        """The rows bottom to top and the total (meaningless when there are no rows; None when
        `count` will give it). A subclass whose rows carry the total otherwise overrides this (a
        topic's cluster)."""
        rows = self.rows(bottom, top)
        return rows, getattr(rows[0], TOTAL) if rows else 0

    def rows(self, bottom: int, top: int) -> list:
        """The rows bottom to top, each with the total as its TOTAL attribute. A subclass may
        fetch them otherwise (the search page runs a compiled query)."""
        counted = self.object_list.annotate(**{TOTAL: Window(Count("*"))})
        return list(counted[bottom:top])

    def _positive_number(self, number) -> int:
        """Django's validation, without the upper bound (that needs the total)."""
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            return super().validate_number(number)  # raises PageNotAnInteger
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number
