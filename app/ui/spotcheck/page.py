"""抽查复核 page: draw the year's sample per 股室, see who drew it with what seed, and open
each sampled project's review (double-click)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from PySide6.QtCore import QItemSelection, QModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import UserError
from app.domain.progress import Progress
from app.domain.rules import RuleSet
from app.services.spotcheck import (
    ReviewListRow,
    ReviewSummary,
    SampleResult,
    draw_sample,
    review_list,
    sample_summary,
)
from app.storage.database import Database
from app.storage.kinds import (
    DEPARTMENT,
    MONITORING_ENTRY,
    PROJECT,
    SECTION,
    SELF_EVALUATION,
    SETTINGS,
    SPOT_CHECK_BATCH,
    SPOT_CHECK_REVIEW,
)
from app.ui.evaluation.lazy import LazyPage, run_guarded
from app.ui.spotcheck.draw_form import DrawForm
from app.ui.spotcheck.models import (
    STATUSES,
    TOTAL,
    SampleTableModel,
    SectionTableModel,
    review_status,
    section_lines,
)
from app.ui.spotcheck.review_dialog import ReviewDialog
from app.ui.widgets.messages import show_error
from app.ui.widgets.row_table import setup_table

ALL_STATUSES = "全部状态"
NO_SAMPLE_TEXT = "本年度尚未抽取复核样本。设置比例和随机种子后点“抽取样本”。"


def confirm(parent: QWidget, title: str, text: str) -> bool:
    """Ask yes/no (tests replace this, as they replace message boxes)."""
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


@dataclass(frozen=True)
class SpotCheckData:
    year: int
    sample: SampleResult | None
    summary: ReviewSummary | None


def load_spotcheck(db: Database, year: int, rules: RuleSet, _progress: Progress) -> SpotCheckData:
    sample = sample_summary(db, year)
    summary = review_list(db, year, rules) if sample is not None else None
    return SpotCheckData(year, sample, summary)


class SpotCheckPage(LazyPage):
    shows = frozenset(
        {SECTION, DEPARTMENT, PROJECT, SELF_EVALUATION, MONITORING_ENTRY}
        | {SPOT_CHECK_BATCH, SPOT_CHECK_REVIEW, SETTINGS}
    )

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.form = DrawForm()
        self.record_label = QLabel(NO_SAMPLE_TEXT)
        self.section_model = SectionTableModel(self)
        self.section_table = QTableView()
        self.sample_model = SampleTableModel(self)
        self.sample_table = QTableView()
        self.status_combo = QComboBox()
        self.search = QLineEdit()
        self.count_label = QLabel()
        self.data: SpotCheckData | None = None
        self.review_dialog: ReviewDialog | None = None
        self._build()
        self.form.draw_button.clicked.connect(self._on_draw_button_clicked)
        self.status_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.search.textChanged.connect(self._on_filter_changed)
        self.sample_table.doubleClicked.connect(self._on_sample_table_double_clicked)
        self.section_table.selectionModel().selectionChanged.connect(
            self._on_section_selection_changed
        )
        self._section: str | None = None
        with contextlib.suppress(UserError):  # a wrong rule file is shown when the page loads
            self.form.set_rules(self.rules())

    def _build(self) -> None:
        title = QLabel("抽查复核")
        title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.record_label.setWordWrap(True)
        self.record_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        setup_table(self.section_table, self.section_model, sortable=False)
        # Wide enough for every column: the counts are the point of this table.
        self.section_table.setMinimumWidth(self.section_table.horizontalHeader().length() + 4)
        self.section_table.setMaximumWidth(self.section_table.horizontalHeader().length() + 24)
        # Names and reasons get room for a dozen characters; the short scores stay narrow and
        # the last column (偏离) takes what is left.
        setup_table(self.sample_table, self.sample_model)
        self.sample_table.horizontalHeader().setStretchLastSection(True)
        self.status_combo.addItem(ALL_STATUSES, None)
        for status in STATUSES:
            self.status_combo.addItem(status, status)
        self.search.setPlaceholderText("搜索项目编码、名称或单位")
        self.search.setClearButtonEnabled(True)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("抽中项目（双击打开复核底稿）"))
        filters.addWidget(self.status_combo)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.count_label)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(filters)
        right_layout.addWidget(self.sample_table, 1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("各股室抽取情况（点选股室查看其样本）"))
        left_layout.addWidget(self.section_table, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([440, 800])
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.form)
        layout.addWidget(self.record_label)
        layout.addWidget(splitter, 1)

    # -- loading -------------------------------------------------------------------------
    def load(self) -> bool:
        year, rules, db = self.year, self.rules(), self.db
        assert year is not None
        self.form.set_rules(rules)
        data = run_guarded(self, "读取抽查复核", lambda p: load_spotcheck(db, year, rules, p))
        if data is None or data.year != self.year:
            return False
        self._show(data)
        return True

    def refresh(self) -> None:
        """Re-read after a review was saved (fast: only the sampled projects)."""
        self.showed_own_change()
        if self.year is not None:
            self._show(load_spotcheck(self.db, self.year, self.rules(), Progress()))

    def clear(self) -> None:
        self.data = None
        self.record_label.setText(NO_SAMPLE_TEXT if self.year is not None else "请先选择年度。")
        self.section_model.set_rows([])
        self.sample_model.set_rows([])
        self.count_label.clear()

    def _show(self, data: SpotCheckData) -> None:
        self.data = data
        sample = data.sample
        if sample is None:
            self.clear()
            return
        self.form.seed.setText(str(sample.seed))
        self.record_label.setText(
            f"<b>{sample.year}年样本</b>：{sample.drawn_at:%Y-%m-%d %H:%M} 由 "
            f"<b>{sample.drawn_by or '（未署名）'}</b> 抽取，随机种子 <b>{sample.seed}</b>，"
            f"共抽取 {sample.drawn} 份 / 自评 {sample.population} 份。"
            f"规则：{sample.rule_text}。"
        )
        self._section = None
        self.section_model.set_rows(section_lines(sample, data.summary))
        self.sample_model.set_rows(data.summary.rows if data.summary else [])
        self._refilter()

    # -- filtering -----------------------------------------------------------------------
    def _refilter(self) -> None:
        status = self.status_combo.currentData()
        section = self._section
        terms = [t.casefold() for t in self.search.text().split()]

        def keep(row: ReviewListRow) -> bool:
            if status is not None and review_status(row) != status:
                return False
            if section is not None and row.section != section:
                return False
            text = f"{row.project_code}\n{row.name}\n{row.department}".casefold()
            return all(t in text for t in terms)

        self.sample_model.set_predicate(keep)
        total = len(self.sample_model.all_rows())
        self.count_label.setText(f"显示 {self.sample_model.rowCount()} / {total} 份")

    # -- drawing -------------------------------------------------------------------------
    def draw(self) -> bool:
        """Draw with the form's settings (asks before replacing a sample); True when drawn."""
        if self.year is None:
            return False
        year, rules, db = self.year, self.rules(), self.db
        replace = self.data is not None and self.data.sample is not None
        question = (
            f"{year}年已抽取复核样本，重新抽取将替换原样本（已开始复核的不能替换）。是否继续？"
        )
        if replace and not confirm(self, "重新抽取", question):
            return False
        form = self.form
        try:
            seed, must = form.seed_value(), form.must_include()
        except UserError as exc:
            show_error(self, exc)
            return False
        ratio = form.ratio_value()
        drawn = run_guarded(
            self,
            "抽取复核样本",
            lambda _p: draw_sample(
                db, year, rules, ratio=ratio, seed=seed, must_include=must, replace=replace
            ),
        )
        if drawn is None:
            return False
        self.refresh()
        return True

    # -- slots ---------------------------------------------------------------------------
    def _on_draw_button_clicked(self) -> None:
        self.draw()

    def _on_filter_changed(self, *_args: object) -> None:
        self._refilter()

    def _on_section_selection_changed(self, selected: QItemSelection, _old: object) -> None:
        rows = {i.row() for i in selected.indexes()}
        if rows:
            line = self.section_model.row_at(min(rows))
            self._section = None if line.section == TOTAL else line.section
            self._refilter()

    def _on_sample_table_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_review(self.sample_model.row_at(index.row()).sample_id)

    def open_review(self, sample_id: int) -> ReviewDialog:
        """The reviewer's screen, window-modal; the list refreshes when a review was saved."""
        dialog = ReviewDialog(self.db, sample_id, self.rules(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self._on_review_finished(dialog))
        self.review_dialog = dialog
        dialog.open()
        return dialog

    def _on_review_finished(self, dialog: ReviewDialog) -> None:
        self.review_dialog = None
        if dialog.saved:
            self.refresh()
