"""The left form of the 报告 page: which report, and the scope that report needs.

Each kind's needs come from app.services.reports.KINDS (the same list the command line
uses): a project typed or picked, a project from the spot-check sample, a unit (required,
or optional with 全年), a monitoring month, and for 审核意见 a choice of per project or per
unit. Only the fields the chosen kind uses are shown. Every kind also takes a 成文日期
(default today), a 文号 and the 定稿 choice (refused while 【请补充】 text remains).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.domain.dates import parse_date
from app.domain.errors import UserError
from app.services.reports import KINDS, Need, ReportKind, ReportRequest, SampledProject
from app.ui.widgets.writes import writes

WHOLE_YEAR = "全年（全部单位）"
BY_PROJECT, BY_DEPARTMENT = "按项目（抽查样本中的项目）", "按单位（该单位全部已复核项目）"
NO_ROUNDS = "本年度尚未开启监控轮次"
NO_SAMPLE = "本年度尚未抽取复核样本"


@dataclass(frozen=True)
class ScopeLists:
    """What the pickers offer for one year (read by the page through services)."""

    projects: list[str] = field(default_factory=list)  # "code　name（unit）"
    departments: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    months: list[tuple[int, str]] = field(default_factory=list)  # (month, label)
    sampled: list[SampledProject] = field(default_factory=list)


class ReportScopeForm(QWidget):
    """Emits `changed` when the kind or any scope field changes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind_combo = QComboBox()
        self.month_combo = QComboBox()
        self.opinion_combo = QComboBox()
        self.project_edit = QLineEdit()
        self.sample_combo = QComboBox()
        self.department_combo = QComboBox()
        self.approved_check = QCheckBox("只收录已通过审核的目标")
        self.templates_button = QPushButton("修改报告文字模板…")
        self.date_edit = QLineEdit()
        self.doc_number_edit = QLineEdit()
        self.final_check = QCheckBox("定稿（还有待补充的内容时不导出）")
        writes(self.templates_button)
        self.projects = QStringListModel(self)
        self._form = QFormLayout(self)
        self._departments: list[tuple[str, str]] = []
        self._build()

    def _build(self) -> None:
        group = ""
        for kind, info in KINDS.items():
            if group and info.group != group:
                self.kind_combo.insertSeparator(self.kind_combo.count())
            group = info.group
            self.kind_combo.addItem(info.label, kind)
        self.kind_combo.setMaxVisibleItems(20)
        completer = QCompleter(self.projects, self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setMaxVisibleItems(15)
        self.project_edit.setCompleter(completer)
        self.project_edit.setPlaceholderText("输入项目编码或名称")
        self.project_edit.setClearButtonEnabled(True)
        self.opinion_combo.addItems([BY_PROJECT, BY_DEPARTMENT])
        for combo in (self.month_combo, self.sample_combo):
            combo.setMinimumContentsLength(16)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
        self.month_combo.setPlaceholderText(NO_ROUNDS)
        self.sample_combo.setPlaceholderText(NO_SAMPLE)
        self._form.setContentsMargins(0, 0, 0, 0)
        self._form.addRow("报告：", self.kind_combo)
        self._form.addRow("监控月份：", self.month_combo)
        self._form.addRow("出具方式：", self.opinion_combo)
        self._form.addRow("项目：", self.project_edit)
        self._form.addRow("样本项目：", self.sample_combo)
        self._form.addRow("单位：", self.department_combo)
        self._form.addRow("", self.approved_check)
        self._form.addRow("", self.templates_button)
        self.date_edit.setPlaceholderText("默认今天，如 2025-03-31")
        self.doc_number_edit.setPlaceholderText("可不填，如 示财〔2025〕12号")
        self._form.addRow("成文日期：", self.date_edit)
        self._form.addRow("文号：", self.doc_number_edit)
        self._form.addRow("", self.final_check)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_current_index_changed)
        self.opinion_combo.currentIndexChanged.connect(self._on_opinion_combo_current_index_changed)
        for signal in (
            self.month_combo.currentIndexChanged,
            self.project_edit.textChanged,
            self.sample_combo.currentIndexChanged,
            self.department_combo.currentIndexChanged,
            self.approved_check.toggled,
            self.date_edit.textChanged,
            self.doc_number_edit.textChanged,
            self.final_check.toggled,
        ):
            signal.connect(self._on_scope_changed)
        self.show_fields()

    @property
    def kind(self) -> ReportKind:
        return ReportKind(self.kind_combo.currentData())

    def choose(self, kind: ReportKind) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))

    # -- which fields show ---------------------------------------------------------------
    def _by_department(self) -> bool:
        return self.opinion_combo.currentText() == BY_DEPARTMENT

    def visible_fields(self) -> dict[QWidget, bool]:
        info = self.kind.info
        either = info.either
        return {
            self.month_combo: info.month,
            self.opinion_combo: either,
            self.project_edit: info.needs_project and not info.sampled,
            self.sample_combo: info.sampled and not (either and self._by_department()),
            self.department_combo: info.needs_department and (not either or self._by_department()),
            self.approved_check: info.approved_only,
            self.templates_button: info.templates,
        }

    def show_fields(self) -> None:
        for widget, visible in self.visible_fields().items():
            self._form.setRowVisible(widget, visible)
        self._fill_departments()

    # -- the lists -------------------------------------------------------------------------
    def set_lists(self, lists: ScopeLists) -> None:
        """Refill every picker, keeping the current choices where they still exist."""
        self.projects.setStringList(lists.projects)
        self._departments = lists.departments
        with _Blocked(self.month_combo, self.sample_combo):
            _refill(self.month_combo, lists.months)
            sampled = [(p.code, _sample_label(p)) for p in lists.sampled]
            _refill(self.sample_combo, sampled)
        self._fill_departments()

    def _fill_departments(self) -> None:
        """Units to pick; kinds where a unit is optional start with 全年（全部单位）."""
        info = self.kind.info
        optional = info.department is Need.OPTIONAL and not info.either
        items: list[tuple[str | None, str]] = [(None, WHOLE_YEAR)] if optional else []
        items += [(code, f"{code}　{name}") for code, name in self._departments]
        current = [self.department_combo.itemData(i) for i in range(self.department_combo.count())]
        if current == [code for code, _ in items]:
            return
        with _Blocked(self.department_combo):
            _refill(self.department_combo, items)
            if optional and None not in current:  # 全年 just appeared: the usual choice
                self.department_combo.setCurrentIndex(0)

    # -- the request -------------------------------------------------------------------
    def request(self, year: int | None) -> ReportRequest:
        """The chosen report; UserError (Chinese) when the year or a needed field is missing."""
        if year is None:
            raise UserError("请先在窗口上方选择年度")
        kind, shown = self.kind, self.visible_fields()
        project = ""
        if shown[self.project_edit]:
            project = self.project_edit.text().strip().split("　")[0].split(" ")[0]
            if not project:
                raise UserError(f"请输入要生成{kind.label}的项目编码或名称")
        elif shown[self.sample_combo]:
            project = self.sample_combo.currentData() or ""
            if not project and self.sample_combo.count() == 0:
                raise UserError(f"{year}年尚未抽取复核样本：请先在“抽查复核”中抽取样本。")
            if not project:
                raise UserError("请选择复核抽查样本中的项目")
        department = self.department_combo.currentData() if shown[self.department_combo] else None
        month = self.month_combo.currentData() if shown[self.month_combo] else None
        if shown[self.month_combo] and month is None:
            if self.month_combo.count() == 0:
                raise UserError(f"{year}年尚未开启监控轮次：请先在“绩效监控”中开启一轮监控。")
            raise UserError("请选择监控月份")
        approved = self.approved_check.isChecked() and shown[self.approved_check]
        typed_date = self.date_edit.text().strip()
        request = ReportRequest(
            kind,
            year,
            project,
            department,
            approved,
            month,
            final=self.final_check.isChecked(),
            date=parse_date(typed_date, "成文日期") if typed_date else None,
            doc_number=self.doc_number_edit.text().strip(),
        )
        request.check()
        return request

    # -- slots -------------------------------------------------------------------------
    def _on_kind_combo_current_index_changed(self, _index: int) -> None:
        self.show_fields()
        self.changed.emit()

    def _on_opinion_combo_current_index_changed(self, _index: int) -> None:
        self.show_fields()
        self.changed.emit()

    def _on_scope_changed(self, *_args: object) -> None:
        self.changed.emit()


def _sample_label(p: SampledProject) -> str:
    state = "" if p.reviewed else "　（未复核）"
    return f"{p.code}　{p.name}（{p.department}）{state}"


def _refill(combo: QComboBox, items: Sequence[tuple[object, str]]) -> None:
    """Replace the items; keep the current choice when it is still offered."""
    current = combo.currentData()
    combo.clear()
    for data, text in items:
        combo.addItem(text, data)
    found = combo.findData(current) if current is not None else -1
    combo.setCurrentIndex(found if found >= 0 else (0 if items else -1))


class _Blocked:
    """Block the widgets' signals for a refill; one `changed` is emitted by the caller."""

    def __init__(self, *widgets: QWidget) -> None:
        self._widgets = widgets
        self._was: list[bool] = []

    def __enter__(self) -> None:
        self._was = [w.blockSignals(True) for w in self._widgets]

    def __exit__(self, *_exc: object) -> None:
        for widget, was in zip(self._widgets, self._was, strict=True):
            widget.blockSignals(was)
