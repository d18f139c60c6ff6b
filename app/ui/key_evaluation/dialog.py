"""One 财政重点评价: the plan (object, reason, agency, team), the framework with scores and
evidence, 发现的问题 and 整改建议. A new evaluation starts from the shipped template.

Closing with unsaved changes (关闭, Esc, the window's X) asks 保存 / 不保存 / 取消, and a save
refused because another seat saved first offers both versions field by field, as the goal
editor does (EditingDialog); a failed save keeps the dialog open with the reason shown.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
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

from app.domain.errors import StaleRecordError, UserError
from app.domain.key_evaluation import ObjectKind
from app.domain.money import YUAN_PER_WAN
from app.domain.numbers import plain
from app.domain.rules import RuleSet
from app.services.key_evaluation import (
    EvaluationRow,
    ItemEdit,
    PlanEdit,
    create_evaluation,
    load_evaluation,
    save_evaluation,
    template_items,
)
from app.storage.database import Database
from app.ui.key_evaluation.items_model import COL_EVIDENCE, COL_NAME, ItemsTableModel
from app.ui.widgets.editing_dialog import EditingDialog
from app.ui.widgets.messages import show_error
from app.ui.widgets.money_edit import MoneyEdit
from app.ui.widgets.writes import writes

UNSAVED, SAVED = "有未保存的修改", "已保存"
# The plan's fields the form edits, as the conflict view names them; "items" is the framework.
CONFLICT_FIELDS = {
    "object_kind": "评价对象类型", "subject": "评价对象", "department_code": "主管单位",
    "project_code": "项目编码", "reason": "选择理由", "amount": "评价资金（万元）",
    "agency": "第三方机构", "team": "评价组成员", "problems": "发现的问题",
    "suggestions": "整改建议", "items": "评价指标及得分",
}  # fmt: skip


class KeyEvaluationDialog(EditingDialog):
    unsaved_question = "重点评价有未保存的修改，关闭前保存吗？"
    evaluation_saved = Signal(int)

    def __init__(
        self,
        db: Database,
        year: int,
        rules: RuleSet,
        departments: list[tuple[str, str]],
        row: EvaluationRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db, self._year, self._rules, self.row = db, year, rules, row
        self.setWindowTitle(f"财政重点评价 {row.code}" if row else "新增财政重点评价")
        self.kind_combo = QComboBox()
        self.subject_edit = QLineEdit()
        self.department_combo = QComboBox()
        self.project_edit = QLineEdit()
        self.reason_edit = QLineEdit()
        self.amount_edit = MoneyEdit()
        self.agency_edit = QLineEdit()
        self.team_edit = QLineEdit()
        self.model = ItemsTableModel(self)
        self.table = QTableView()
        self.add_button = QPushButton("插入指标")
        self.remove_button = QPushButton("删除指标")
        self.problems_edit = QPlainTextEdit()
        self.suggestions_edit = QPlainTextEdit()
        self.total_label = QLabel()
        self.state_label = QLabel()
        self.save_button = QPushButton("保存")
        self.save_close_button = QPushButton("保存并关闭")
        self.close_button = QPushButton("关闭")
        writes(self.add_button, self.remove_button, self.save_button, self.save_close_button)
        for kind in ObjectKind:
            self.kind_combo.addItem(kind.value, kind)
        for code, name in departments:
            self.department_combo.addItem(f"{code}　{name}", code)
        self._dirty = False
        self._build()
        self._fill(row)
        self.state_label.clear()
        self._connect()

    def _build(self) -> None:
        self.resize(1100, 760)
        self.project_edit.setPlaceholderText("项目评价必填；政策评价可填资金所在项目")
        self.reason_edit.setPlaceholderText("如：资金规模大、社会关注度高、连续两年自评为中")
        self.problems_edit.setPlaceholderText("每行一个问题")
        self.suggestions_edit.setPlaceholderText("每行一条建议")
        form = QFormLayout()
        form.addRow("评价对象类型：", self.kind_combo)
        form.addRow("评价对象：", self.subject_edit)
        form.addRow("主管单位：", self.department_combo)
        form.addRow("项目编码：", self.project_edit)
        form.addRow("选择理由：", self.reason_edit)
        form.addRow("评价资金（万元）：", self.amount_edit)
        form.addRow("第三方机构：", self.agency_edit)
        form.addRow("评价组成员：", self.team_edit)
        self.table.setModel(self.model)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.resizeSection(COL_NAME, 150)
        header.setSectionResizeMode(COL_EVIDENCE, header.ResizeMode.Stretch)
        table_buttons = QHBoxLayout()
        table_buttons.addWidget(self.total_label, 1)
        table_buttons.addWidget(self.add_button)
        table_buttons.addWidget(self.remove_button)
        texts = QHBoxLayout()
        for title, edit in (
            ("发现的问题", self.problems_edit),
            ("整改建议", self.suggestions_edit),
        ):
            box = QVBoxLayout()
            box.addWidget(QLabel(title))
            box.addWidget(edit)
            texts.addLayout(box)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addLayout(table_buttons)
        middle_layout.addWidget(self.table, 1)
        bottom = QWidget()
        bottom.setLayout(texts)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(middle)
        splitter.addWidget(bottom)
        splitter.setSizes([520, 160])
        buttons = QHBoxLayout()
        buttons.addWidget(self.state_label, 1)
        for button in (self.save_button, self.save_close_button, self.close_button):
            buttons.addWidget(button)
        self.save_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

    def _connect(self) -> None:
        for signal in (
            self.kind_combo.currentIndexChanged, self.department_combo.currentIndexChanged,
            self.subject_edit.textEdited, self.project_edit.textEdited,
            self.reason_edit.textEdited, self.amount_edit.textEdited, self.agency_edit.textEdited,
            self.team_edit.textEdited, self.problems_edit.textChanged,
            self.suggestions_edit.textChanged, self.model.edited,
        ):  # fmt: skip
            signal.connect(self._on_form_changed)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.save_button.clicked.connect(self.save)
        self.save_close_button.clicked.connect(self._on_save_close_button_clicked)
        self.close_button.clicked.connect(self.reject)

    def _fill(self, row: EvaluationRow | None) -> None:
        plan = row.plan if row else None
        self.kind_combo.setCurrentIndex(
            self.kind_combo.findData(plan.object_kind if plan else ObjectKind.PROJECT)
        )
        self.department_combo.setCurrentIndex(
            self.department_combo.findData(plan.department_code) if plan else -1
        )
        self.subject_edit.setText(plan.subject if plan else "")
        self.project_edit.setText(plan.project_code if plan else "")
        self.reason_edit.setText(plan.reason if plan else "")
        self.amount_edit.set_value_yuan(plan.amount if plan else None)
        self.agency_edit.setText(plan.agency if plan else "")
        self.team_edit.setText(plan.team if plan else "")
        self.problems_edit.setPlainText(plan.problems if plan else "")
        self.suggestions_edit.setPlainText(plan.suggestions if plan else "")
        self.model.set_items(row.items if row else template_items())
        self._show_total()

    # -- saving --------------------------------------------------------------------------
    def plan(self) -> PlanEdit:
        return PlanEdit(
            ObjectKind(self.kind_combo.currentData()), self.subject_edit.text(),
            self.department_combo.currentData() or "", self.reason_edit.text(),
            self.project_edit.text().strip(), self.amount_edit.value_yuan() or Decimal(0),
            self.agency_edit.text(), self.team_edit.text(), self.problems_edit.toPlainText(),
            self.suggestions_edit.toPlainText(), self.row.plan.finished_on if self.row else None,
            self.row.code if self.row else "",
        )  # fmt: skip

    def save(self) -> bool:
        try:
            items = self.model.items()
            if self.row is None:
                saved = create_evaluation(self._db, self._year, self.plan(), self._rules, items)
            else:
                saved = save_evaluation(
                    self._db, self.row.id, self.plan(), self._rules, items, self.row.version
                )
        except StaleRecordError as exc:  # another seat saved first: choose, then save again
            return self.resolve_conflict(exc) and self.save()
        except UserError as exc:
            show_error(self, exc)
            return False
        self.row = saved
        self.setWindowTitle(f"财政重点评价 {saved.code}")
        self._dirty = False
        self.state_label.setText(SAVED)
        self._show_total()
        self.evaluation_saved.emit(saved.id)
        return True

    @property
    def dirty(self) -> bool:
        return self._dirty

    # -- closing and conflicts (EditingDialog) ------------------------------------------------
    def is_dirty(self) -> bool:
        return self._dirty

    def save_changes(self) -> bool:
        return self.save()

    def conflict_labels(self) -> dict[str, str]:
        return CONFLICT_FIELDS if self.row else {}  # a new evaluation has no other version

    def form_values(self) -> dict[str, Any]:
        return self._values(self.plan(), self.model.items())

    def stored_values(self) -> tuple[dict[str, Any], int]:
        assert self.row is not None  # conflict_labels: only a stored evaluation conflicts
        self._stored = load_evaluation(self._db, self.row.id, self._rules)
        return self._values(self._stored.plan, list(self._stored.items)), self._stored.version

    def take_values(self, values: dict[str, Any], version: int) -> None:
        plan = {key: values[key] for key in CONFLICT_FIELDS if key != "items"}
        shown = replace(
            self._stored, plan=replace(self._stored.plan, **plan), items=tuple(values["items"])
        )
        self.row = replace(shown, version=version)
        self._fill(self.row)
        self._on_form_changed()  # chosen, not saved yet

    def shown_value(self, key: str, value: Any) -> str:
        if key == "department_code":
            return self.department_combo.itemText(self.department_combo.findData(value)) or value
        if key == "amount":
            return plain(value / YUAN_PER_WAN)
        if key == "items":
            return self._items_text(value)
        return super().shown_value(key, value)

    def _items_text(self, items: tuple[ItemEdit, ...]) -> str:
        """The framework, one item a line; when both sides have the same items (scores or
        evidence differ), only the items that differ, by their number."""
        mine, theirs = tuple(self.model.items()), self._stored.items
        other = theirs if items == mine else mine
        if [i.name for i in items] != [i.name for i in other]:
            return "\n".join(_item_text(item) for item in items)
        lines = [
            f"第{n}项 {_item_text(item)}"
            for n, (item, against) in enumerate(zip(items, other, strict=True), start=1)
            if item != against
        ]
        return "\n".join(lines)

    @staticmethod
    def _values(plan: PlanEdit, items: list[ItemEdit]) -> dict[str, Any]:
        own = {key: getattr(plan, key) for key in CONFLICT_FIELDS if key != "items"}
        return own | {"items": tuple(items)}

    # -- slots ---------------------------------------------------------------------------
    def _show_total(self) -> None:
        weights, scores = self.model.total_text()
        grade = (
            f"，等级“{self.row.grade}”" if self.row and self.row.grade and not self._dirty else ""
        )
        self.total_label.setText(
            f"共{self.model.rowCount()}项指标，分值合计{plain(weights)}分（应为100分），"
            f"已填得分合计{plain(scores)}分{grade}"
        )

    def _on_form_changed(self, *_args: object) -> None:
        self._dirty = True
        self.state_label.setText(UNSAVED)
        self._show_total()

    def _on_add_button_clicked(self) -> None:
        row = self.model.add_row(self.table.currentIndex().row())
        self.table.setCurrentIndex(self.model.index(row, COL_NAME))

    def _on_remove_button_clicked(self) -> None:
        self.model.remove_row(self.table.currentIndex().row())

    def _on_save_close_button_clicked(self) -> None:
        if self.save():
            self.accept()


def _item_text(item: ItemEdit) -> str:
    score = "未评分" if item.score is None else f"得{plain(item.score)}分"
    evidence = f"（{item.evidence}）" if item.evidence else ""
    return f"{item.name} {plain(item.points)}分 {score}{evidence}"
