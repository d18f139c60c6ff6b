"""One self-evaluation under the score table: totals, execution, indicators, every flag."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.numbers import plain
from app.services.evaluation import ProjectScore
from app.ui.evaluation.models import IND_COL_EXPLANATION, IndicatorTableModel
from app.ui.widgets.formatting import score_text
from app.ui.widgets.row_table import setup_table

EMPTY_TEXT = "在上方表格中选择一个项目，查看逐项计分说明和疑点。"


class EvaluationDetail(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(EMPTY_TEXT)
        self.heading.setStyleSheet("font-weight: bold; font-size: 11pt;")
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        self.execution = QLabel()
        self.execution.setWordWrap(True)
        self.model = IndicatorTableModel(self)
        self.table = QTableView()
        self.flags = QPlainTextEdit()
        self.flags.setReadOnly(True)
        self.flags_title = QLabel("疑点")
        self._build()
        self.show_score(None)

    def _build(self) -> None:
        setup_table(self.table, self.model, stretch=IND_COL_EXPLANATION, sortable=False)
        self.table.setWordWrap(True)  # the explanation is the point of this grid
        self.table.setSelectionMode(QTableView.SelectionMode.NoSelection)
        flag_box = QWidget()
        flag_layout = QVBoxLayout(flag_box)
        flag_layout.setContentsMargins(0, 0, 0, 0)
        flag_layout.addWidget(self.flags_title)
        flag_layout.addWidget(self.flags, 1)
        # Flags below the grid, so the explanation column gets the whole width.
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(flag_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([240, 90])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.totals)
        layout.addWidget(self.execution)
        layout.addWidget(splitter, 1)

    def show_score(self, score: ProjectScore | None) -> None:
        if score is None:
            self.heading.setText(EMPTY_TEXT)
            self.totals.clear()
            self.execution.clear()
            self.model.set_rows([])
            self.flags.clear()
            self.flags_title.setText("疑点")
            return
        self.heading.setText(
            f"{score.project_code}　{score.name}　（{score.department}，{score.section}）"
        )
        claimed = (
            f"自评得分 {score_text(score.claimed_total)}"
            f"（{score.claimed_grade.value if score.claimed_grade else '未填等级'}）"
            if score.claimed_total is not None
            else "未填自评总分"
        )
        self.totals.setText(
            f"规则得分 <b>{score_text(score.total)}</b>（{score.grade.value}）　{claimed}"
            f"<br>{score.total_explanation}"
        )
        ex = score.execution
        own = "" if ex.claimed_score is None else f"；自评 {plain(ex.claimed_score)}"
        self.execution.setText(f"预算执行率（分值 {plain(ex.points)}）：{ex.explanation}{own}")
        self.model.set_rows(score.indicators)
        self.table.resizeRowsToContents()
        count = len(score.flags)
        self.flags_title.setText(f"疑点（{count} 条）" if count else "疑点：无")
        self.flags.setPlainText("\n".join(f"{n}. {f}" for n, f in enumerate(score.flags, 1)))
