"""The reviewer's screen for one sampled project: the self-evaluation beside the goal,
the re-score entries, the 审核意见, and the result with the 自评不实 banner."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import Grade
from app.domain.errors import StaleRecordError, UserError
from app.domain.money import YUAN_PER_WAN, parse_decimal
from app.domain.review import inflation_finding
from app.domain.rules import RuleSet
from app.services.spotcheck import (
    ReviewItemEdit,
    ReviewOutcome,
    ReviewSheet,
    review_sheet,
    save_review,
)
from app.storage.database import Database
from app.ui.spotcheck.delegates import SheetDelegate
from app.ui.spotcheck.review_model import C_NAME, C_NOTE, ReviewSheetModel
from app.ui.widgets.editing_dialog import EditingDialog
from app.ui.widgets.formatting import score_text, wan_text
from app.ui.widgets.messages import show_error
from app.ui.widgets.row_table import setup_table
from app.ui.widgets.writes import writes

BANNER_BAD = "background: #c62828; color: white; font-weight: bold; padding: 8px;"
BANNER_OK = "background: #e8f5e9; color: #1b5e20; font-weight: bold; padding: 8px;"
BANNER_NONE = "background: #f3f3f3; color: #555555; padding: 8px;"


class ReviewDialog(EditingDialog):
    unsaved_question = "复核底稿有未保存的修改，关闭前保存吗？"

    def __init__(
        self, db: Database, sample_id: int, rules: RuleSet, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db, self._sample_id, self._rules = db, sample_id, rules
        self.saved = False
        self.outcome: ReviewOutcome | None = None
        self.heading = QLabel()
        self.goal = QLabel()
        self.money = QLabel()
        self.spent_edit = QLineEdit()
        self.model = ReviewSheetModel(self)
        self.table = QTableView()
        self.message = QLabel()
        self.opinion = QPlainTextEdit()
        self.banner = QLabel()
        self.save_button = QPushButton("保存复核")
        self.close_button = QPushButton("关闭")
        writes(self.save_button)
        self._build()
        self.model.entry_rejected.connect(self._on_model_entry_rejected)
        self.model.entry_accepted.connect(self._on_model_entry_accepted)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.close_button.clicked.connect(self.reject)
        self._load()
        self._dirty = False
        self.spent_edit.textEdited.connect(self._on_edited)
        self.opinion.textChanged.connect(self._on_edited)
        self.model.dataChanged.connect(self._on_edited)

    def _build(self) -> None:
        self.setWindowTitle("抽查复核 — 复核底稿")
        self.resize(1240, 760)
        self.heading.setStyleSheet("font-size: 12pt; font-weight: bold;")
        for label in (self.goal, self.money, self.message):
            label.setWordWrap(True)
        self.message.setStyleSheet("color: #c62828;")
        self.spent_edit.setPlaceholderText("留空表示认可自评执行数")
        self.spent_edit.setMaximumWidth(200)
        setup_table(self.table, self.model, stretch=C_NAME, sortable=False, editable=True)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setItemDelegate(SheetDelegate(self.model, self.table))
        self.table.horizontalHeader().setStretchLastSection(False)
        self.opinion.setPlaceholderText("审核意见：发现的问题和整改要求")
        self.banner.setWordWrap(True)
        form = QFormLayout()
        form.addRow("复核执行数（万元）：", self.spent_edit)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(form)
        lower_layout.addWidget(QLabel("审核意见："))
        lower_layout.addWidget(self.opinion, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setSizes([430, 140])
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        for widget in (self.heading, self.goal, self.money, self.banner):
            layout.addWidget(widget)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    # -- loading -------------------------------------------------------------------------
    def _load(self) -> None:
        sheet = review_sheet(self._db, self._sample_id, self._rules)
        self.sheet = sheet
        self.heading.setText(
            f"{sheet.project_code}　{sheet.name}　（{sheet.department}，{sheet.section}）"
        )
        self.goal.setText(
            f"<b>年度总体目标：</b>{sheet.overall_target or '（无）'}<br>"
            f"<b>预期目标：</b>{sheet.expected_outcome or '（未填）'}　"
            f"<b>实际完成情况：</b>{sheet.actual_outcome or '（未填）'}"
        )
        self.money.setText(
            f"全年预算数 {wan_text(sheet.budget)} 万元，自评执行数 {wan_text(sheet.spent)} 万元；"
            f"自评得分 {score_text(sheet.self_total)}，按规则计算 "
            f"{score_text(sheet.computed_total)}（{sheet.computed_grade.value}）"
        )
        if sheet.reviewed_spent is not None:
            self.spent_edit.setText(f"{sheet.reviewed_spent / YUAN_PER_WAN:.2f}")
        self.opinion.setPlainText(sheet.opinion)
        self.model.set_rows(sheet.rows)
        self.table.resizeColumnToContents(C_NOTE)
        self._show_banner(sheet)

    def _show_banner(self, sheet: ReviewSheet) -> None:
        if sheet.review_total is None or not sheet.review_grade:
            self.banner.setStyleSheet(BANNER_NONE)
            self.banner.setText(f"状态：{sheet.status}。填写复核完成值、扣分原因后点“保存复核”。")
            return
        self_grade = self._rules.grade_for(sheet.self_total)
        review_grade = Grade(sheet.review_grade)
        finding = inflation_finding(
            sheet.self_total, self_grade, sheet.review_total, review_grade, self._rules
        )
        self._set_banner(sheet.self_total, self_grade, sheet.review_total, review_grade, finding)

    def _set_banner(
        self, self_total: Decimal, self_grade: Grade, total: Decimal, grade: Grade, finding: str
    ) -> None:
        """One phrasing, two decimals: 自评 X 分（等级），复核 Y 分（等级），偏离 ±Z 分."""
        text = (
            f"自评 {score_text(self_total)} 分（{self_grade.value}），"
            f"复核 {score_text(total)} 分（{grade.value}），"
            f"偏离 {score_text(total - self_total)} 分"
        )
        self.banner.setStyleSheet(BANNER_BAD if finding else BANNER_OK)
        self.banner.setText(f"自评不实：{text}" if finding else f"自评属实：{text}")

    # -- saving --------------------------------------------------------------------------
    def reviewed_spent(self) -> Decimal | None:
        text = self.spent_edit.text().strip().replace(",", "")
        if not text:
            return None
        try:
            return parse_decimal(text) * YUAN_PER_WAN
        except ValueError as exc:
            raise UserError(f"复核执行数“{text}”不是数字（单位：万元）。") from exc

    def save(self) -> ReviewOutcome | None:
        self._commit_open_editor()
        try:
            edit = self.model.review_edit(self.reviewed_spent())
            opinion, version = self.opinion.toPlainText().strip(), self.sheet.version
            outcome = save_review(self._db, self._sample_id, edit, self._rules, opinion, version)
        except StaleRecordError as exc:  # another reviewer saved first: choose, then save again
            return self.save() if self.resolve_conflict(exc) else None
        except UserError as exc:
            self.message.setText(exc.message)  # stays beside the table while fixing the rows
            show_error(self, exc)
            return None
        self.saved, self.outcome = True, outcome
        self.message.clear()
        self._load()
        self._dirty = False
        self._set_banner(
            outcome.self_total, outcome.self_grade, outcome.total, outcome.grade, outcome.finding
        )
        return outcome

    def _commit_open_editor(self) -> None:
        """A cell still being typed in counts, as in a spreadsheet."""
        if self.table.state() != QAbstractItemView.State.EditingState:
            return
        editor = QApplication.focusWidget()
        if editor is not None and editor.parent() is self.table.viewport():
            self.table.commitData(editor)

    # -- closing (EditingDialog asks about unsaved changes) ----------------------------------
    def is_dirty(self) -> bool:
        return self._dirty

    def save_changes(self) -> bool:
        return self.save() is not None

    def finish_editing(self) -> None:
        self._commit_open_editor()

    def conflict_labels(self) -> dict[str, str]:
        return {"reviewed_spent": "复核执行数（元）", "opinion": "审核意见", "items": "复核录入"}

    def form_values(self) -> dict[str, Any]:
        items = self.model.review_edit(None).items
        return {
            "reviewed_spent": self.reviewed_spent(),
            "opinion": self.opinion.toPlainText().strip(),
            "items": items,
        }

    def stored_values(self) -> tuple[dict[str, Any], int]:
        stored = self._stored = review_sheet(self._db, self._sample_id, self._rules)
        rows = ReviewSheetModel()
        rows.set_rows(stored.rows)
        items = rows.review_edit(None).items
        values = {"reviewed_spent": stored.reviewed_spent, "opinion": stored.opinion}
        return {**values, "items": items}, stored.version

    def take_values(self, values: dict[str, Any], version: int) -> None:
        mine_items = self.model.review_edit(None).items
        stored = self._stored  # its version is `version`: the next save names it
        self.sheet = stored
        if values["items"] != mine_items:  # theirs chosen
            self.model.set_rows(stored.rows)
        spent = values["reviewed_spent"]
        self.spent_edit.setText("" if spent is None else f"{spent / YUAN_PER_WAN:.2f}")
        self.opinion.setPlainText(values["opinion"])
        self._dirty = True

    def shown_value(self, key: str, value: Any) -> str:
        if key != "items":
            return super().shown_value(key, value)
        names = {row.evaluation_indicator_id: row.name for row in self.sheet.rows}
        lines = [_item_line(names.get(i.evaluation_indicator_id, ""), i) for i in value]
        return "\n".join(line for line in lines if line) or "（未录入）"

    def _on_edited(self, *_args: object) -> None:
        self._dirty = True

    def _on_save_button_clicked(self) -> None:
        self.save()

    def _on_model_entry_rejected(self, message: str) -> None:
        self.message.setText(message)

    def _on_model_entry_accepted(self) -> None:
        self.message.clear()


def _item_line(name: str, item: ReviewItemEdit) -> str:
    """One indicator's review entry; "" when nothing was entered for it."""
    value = item.reviewed_text or ("" if item.reviewed_value is None else str(item.reviewed_value))
    parts = [p for p in (value, item.deduction.value if item.deduction else "", item.note) if p]
    return f"{name}：{'，'.join(parts)}" if parts else ""
