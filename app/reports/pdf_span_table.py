"""A reportlab Table that splits row-spanned (merged) cells at a page break itself.

reportlab 5.1.0 cannot split a table inside a row span: splitting between rows treats
every boundary inside a span as impossible (a span longer than a page then fails), and the
in-row split (`splitInRow`) raises `UnboundLocalError: v` in `Table._splitRows` when a
vertically centred merged cell lands wholly on one side of the break. Forms print merged
一级/二级指标 cells, which do cross pages, so before splitting this table cuts every span
that crosses the break into two spans and repeats the cell's text in the lower one: the
next page names its 一级/二级指标 again, as a reader of a printed form expects.
A split never leaves the last row alone on the next page (a lone 合计 row).
"""

from __future__ import annotations

import copy

from reportlab.platypus import Flowable
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable

from app.reports.layout import LANDSCAPE, MM_PER_PT, PORTRAIT

_MAX_CUTS = 8  # a cut can grow the rows above it; retry a few times, then let reportlab try

SpanRange = tuple[int, int, int, int]  # first col, first row, last col, last row


class SpanSplittingTable(RLTable):
    _cuts = 0
    # Rows up to this height move to the next page whole instead of splitting inside: a
    # review box split leaves its "年　月　日" line alone on the next page.
    fits_a_page = min(PORTRAIT.text_height_mm, LANDSCAPE.text_height_mm) / MM_PER_PT

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self._calc(availWidth, availHeight)
        n = self._getFirstPossibleSplitRowPosition(availHeight, ignoreSpans=1)
        if n == self._nrows - 1 and n - self._header_count() >= 2:
            # One row (a 合计 most often) would stand alone on the next page: take one more.
            availHeight -= self._rowHeights[n - 1]
        if self._cuts < _MAX_CUTS:
            n = self._getFirstPossibleSplitRowPosition(availHeight, ignoreSpans=1)
            crossing = self._spans_crossing(n)
            if crossing:
                return self._cut(n, crossing).split(availWidth, availHeight)
        return super().split(availWidth, availHeight)

    def _splitRows(self, availHeight: float, doInRowSplit: int = 0) -> list[Flowable]:
        if doInRowSplit:
            n = self._getFirstPossibleSplitRowPosition(availHeight, ignoreSpans=1)
            if n < len(self._rowHeights) and self._rowHeights[n] <= self.fits_a_page:
                return []
        return super()._splitRows(availHeight, doInRowSplit)

    def _header_count(self) -> int:
        rows = self.repeatRows
        return rows if isinstance(rows, int) else max(rows, default=-1) + 1

    def _spans_crossing(self, n: int) -> list[SpanRange]:
        """Merged cells that start above row `n` and end at or below it."""
        if not self._spanCmds or not self._header_count() < n < self._nrows:
            return []
        return [
            span
            for span in self._spanRanges.values()
            if span is not None and span[1] < n <= span[3]
        ]

    def _cut(self, n: int, crossing: list[SpanRange]) -> SpanSplittingTable:
        """The same table with each crossing span cut in two above row `n`."""
        data = [list(row) for row in self._cellvalues]
        styles = [list(row) for row in self._cellStyles]
        cut = {((sc, sr), (ec, er)) for sc, sr, ec, er in crossing}
        spans: list[tuple[object, ...]] = []
        for cmd, start, end in self._normalized_span_cmds():
            if (start, end) in cut:
                (sc, sr), (ec, er) = start, end
                spans.append((cmd, (sc, sr), (ec, n - 1)))
                spans.append((cmd, (sc, n), (ec, er)))
                data[n][sc] = _clone(self._cellvalues[sr][sc])
                styles[n][sc] = self._cellStyles[sr][sc].copy()
            else:
                spans.append((cmd, start, end))
        table = SpanSplittingTable(
            data,
            colWidths=self._colWidths,
            rowHeights=None,  # measured again: the repeated text may need room of its own
            repeatRows=self.repeatRows,
            repeatCols=self.repeatCols,
            splitByRow=self.splitByRow,
            splitInRow=self.splitInRow,
            normalizedData=1,
            cellStyles=styles,
            ident=self.ident,
            hAlign=self.hAlign,
            vAlign=self.vAlign,
            spaceBefore=getattr(self, "spaceBefore", None),
            spaceAfter=getattr(self, "spaceAfter", None),
            longTableOptimize=self._longTableOptimize,
        )
        for attr in ("_linecmds", "_bkgrndcmds", "_nosplitCmds", "_srflcmds", "_sircmds"):
            setattr(table, attr, list(getattr(self, attr)))
        table._spanCmds = spans
        table._cuts = self._cuts + 1
        return table

    def _normalized_span_cmds(self) -> list[tuple[object, tuple[int, int], tuple[int, int]]]:
        out = []
        for cmd, (sc, sr), (ec, er) in self._spanCmds:
            sc, ec = (c + self._ncols if c < 0 else c for c in (sc, ec))
            sr, er = (r + self._nrows if r < 0 else r for r in (sr, er))
            out.append((cmd, (sc, sr), (ec, er)))
        return out


def _clone(value: object) -> object:
    """A fresh copy of a cell value: one flowable must not be drawn in two tables."""
    if isinstance(value, RLParagraph):
        return RLParagraph(value.text, value.style)
    if isinstance(value, str):
        return value
    return copy.copy(value)
