"""绩效自评 page: the year's self-evaluations scored by the rules, filters, grade summary,
and the selected project's explanations and flags; 导出/导入自评表 (Excel) for every unit."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import Grade, Scope
from app.domain.progress import Progress
from app.domain.rules import RuleSet
from app.services.evaluation import ProjectScore, score_year
from app.storage.database import Database
from app.storage.kinds import DEPARTMENT, GOAL, PROJECT, SECTION, SELF_EVALUATION, SETTINGS
from app.ui.evaluation.detail import EvaluationDetail
from app.ui.evaluation.lazy import LazyPage
from app.ui.evaluation.models import COL_NAME, COL_SECTION, ScoreTableModel
from app.ui.widgets import import_flow, workbook_kinds
from app.ui.widgets.count_chart import CountChart
from app.ui.widgets.row_table import setup_table
from app.ui.widgets.writes import writes

ALL_SECTIONS = "全部股室"
ALL_GRADES = "全部等级"
SEARCH_PLACEHOLDER = "搜索项目编码、名称或单位"
# The chart counts project evaluations, as the annual report does; the department-wide
# ones are listed and counted separately in the summary.
CHART_TITLE = "项目自评规则等级分布"


def is_project(row: ProjectScore) -> bool:
    return row.scope == Scope.PROJECT.value


@dataclass(frozen=True)
class ScoredYear:
    year: int
    scores: list[ProjectScore]


def score_for_page(db: Database, year: int, rules: RuleSet, progress: Progress) -> ScoredYear:
    """The page's whole load, on the worker thread."""
    return ScoredYear(year, score_year(db, year, rules, progress=progress, keep_rows=False))


class EvaluationPage(LazyPage):
    shows = frozenset({SECTION, DEPARTMENT, PROJECT, GOAL, SELF_EVALUATION, SETTINGS})

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.model = ScoreTableModel(self)
        self.table = QTableView()
        self.section_combo = QComboBox()
        self.grade_combo = QComboBox()
        self.flagged_only = QCheckBox("只看有疑点的")
        self.search = QLineEdit()
        self.rescore_button = QPushButton("重新计分")
        self.export_button = QPushButton("导出自评表…")
        self.import_button = QPushButton("导入自评表…")
        writes(self.import_button)
        self.count_label = QLabel()
        self.summary_label = QLabel()
        self.chart = CountChart("尚未计分")
        self.detail = EvaluationDetail()
        self._build()
        self.section_combo.currentIndexChanged.connect(self._on_section_combo_changed)
        self.grade_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.flagged_only.toggled.connect(self._on_filter_changed)
        self.search.textChanged.connect(self._on_filter_changed)
        self.rescore_button.clicked.connect(self._on_rescore_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self._enable_excel()
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)

    # -- building ------------------------------------------------------------------------
    def _build(self) -> None:
        title = QLabel("绩效自评")
        title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.section_combo.setMinimumContentsLength(6)
        self.grade_combo.addItem(ALL_GRADES, None)
        for grade in Grade:
            self.grade_combo.addItem(f"规则等级：{grade.value}", grade)
        self.search.setPlaceholderText(SEARCH_PLACEHOLDER)
        self.search.setClearButtonEnabled(True)
        top = QHBoxLayout()
        for widget in (title, self.section_combo, self.grade_combo, self.flagged_only):
            top.addWidget(widget)
        top.addWidget(self.search, 1)
        top.addWidget(self.rescore_button)
        top.addSpacing(12)
        top.addWidget(self.export_button)
        top.addWidget(self.import_button)
        self.export_button.setToolTip("按已批复的绩效目标导出自评表，供各单位填报")
        self.import_button.setToolTip("导入各单位填报的自评表（先检查全部内容，有错误则不导入）")

        setup_table(self.table, self.model, stretch=COL_NAME)
        self.table.horizontalHeader().setSortIndicator(COL_SECTION, Qt.SortOrder.AscendingOrder)
        self.summary_label.setWordWrap(True)
        self.summary_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        side = QWidget()
        side.setFixedWidth(240)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(6, 0, 0, 0)
        side_layout.addWidget(self.summary_label)
        self.chart.setFixedHeight(160)
        side_layout.addWidget(self.chart)
        side_layout.addStretch(1)
        upper = QWidget()
        upper_layout = QHBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        table_box = QVBoxLayout()
        table_box.addWidget(self.table, 1)
        table_box.addWidget(self.count_label)
        upper_layout.addLayout(table_box, 1)
        upper_layout.addWidget(side)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([330, 420])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.load_bar)
        layout.addWidget(splitter, 1)

    # -- loading -------------------------------------------------------------------------
    def set_year(self, year: int | None) -> None:
        super().set_year(year)
        self._enable_excel()

    def _enable_excel(self) -> None:
        for button in (self.export_button, self.import_button):
            button.setEnabled(self.year is not None)

    def load(self) -> bool:
        year, rules, db = self.year, self.rules(), self.db
        assert year is not None
        return self.load_in_background(
            lambda progress: score_for_page(db, year, rules, progress),
            self._show,
            label=f"正在为 {year} 年的绩效自评计分…",
        )

    def clear(self) -> None:
        self.model.set_rows([])
        self._fill_sections([])
        self.summary_label.setText("尚未计分。" if self.year is not None else "请先选择年度。")
        self.chart.clear()
        self.count_label.clear()
        self.detail.show_score(None)

    def _show(self, loaded: ScoredYear) -> None:
        self.model.set_rows(loaded.scores)
        self._fill_sections(loaded.scores)
        self._refilter()
        self._draw_chart()

    def _fill_sections(self, scores: list[ProjectScore]) -> None:
        blocker = self.section_combo.blockSignals(True)
        self.section_combo.clear()
        self.section_combo.addItem(ALL_SECTIONS, None)
        for section in dict.fromkeys(s.section for s in scores):
            self.section_combo.addItem(section, section)
        self.section_combo.blockSignals(blocker)

    # -- filtering -----------------------------------------------------------------------
    def _refilter(self) -> None:
        section = self.section_combo.currentData()
        grade = self.grade_combo.currentData()
        flagged = self.flagged_only.isChecked()
        terms = [t.casefold() for t in self.search.text().split()]

        def keep(row: ProjectScore) -> bool:
            if section is not None and row.section != section:
                return False
            if grade is not None and row.grade != grade:
                return False
            if flagged and not row.flags:
                return False
            text = f"{row.project_code}\n{row.name}\n{row.department}".casefold()
            return all(t in text for t in terms)

        self.model.set_predicate(keep)
        self._show_counts(section)
        self.detail.show_score(None)

    def _show_counts(self, section: str | None) -> None:
        rows = self._section_rows(section)
        counts = self.grade_counts()
        flagged = sum(bool(r.flags) for r in rows)
        where = section or f"{self.year}年全县"
        grades = "　".join(f"{g.value} <b>{n}</b>" for g, n in counts.items())
        projects = sum(is_project(r) for r in rows)
        self.summary_label.setText(
            f"{where}：项目自评 <b>{projects}</b> 份<br>"
            f"部门整体自评 <b>{len(rows) - projects}</b> 份"
            f"<br>项目规则等级　{grades}<br>有疑点 <b>{flagged}</b> 份"
        )
        self.count_label.setText(f"显示 {self.model.rowCount()} 份（共 {len(rows)} 份）")

    def grade_counts(self) -> dict[Grade, int]:
        """Project evaluations per grade (as the annual report counts them), in the selected
        股室 or every one."""
        rows = [r for r in self._section_rows(self.section_combo.currentData()) if is_project(r)]
        return {g: sum(r.grade is g for r in rows) for g in Grade}

    def _section_rows(self, section: str | None) -> list[ProjectScore]:
        return [r for r in self.model.all_rows() if section is None or r.section == section]

    # -- slots ---------------------------------------------------------------------------
    def _on_filter_changed(self, *_args: object) -> None:
        self._refilter()

    def _on_section_combo_changed(self, _index: int) -> None:
        self._refilter()
        self._draw_chart()

    def _draw_chart(self) -> None:
        counts = self.grade_counts()
        self.chart.set_counts([g.value for g in counts], list(counts.values()), CHART_TITLE)

    def _on_rescore_button_clicked(self) -> None:
        self.reload()

    def _on_export_button_clicked(self) -> None:
        self.export_workbook()

    def _on_import_button_clicked(self) -> None:
        self.import_workbook()

    def export_workbook(self) -> object:
        if self.year is None:
            return None
        job = workbook_kinds.selfeval_export(self.db, self.year, workbook_kinds.Scope())
        return import_flow.run_export(self, job)

    def import_workbook(self) -> object:
        kind = workbook_kinds.selfeval_import(self.db)
        return import_flow.run_import(self, kind, lambda _result: self.reload())

    def _on_table_selection_changed(self, selected: QItemSelection, _old: object) -> None:
        rows = {i.row() for i in selected.indexes()}
        self.detail.show_score(self.model.row_at(min(rows)) if rows else None)
