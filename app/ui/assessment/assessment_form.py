"""The form of one ex-ante assessment: five ratings, conclusion, amounts, date, assessor.

Checked on every change with the service's check_assessment; problems are listed under the
form and 保存 stays disabled until there are none. Amounts are typed in 万元.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import AssessmentConclusion
from app.domain.errors import Problem, UserError, ValidationFailed
from app.domain.money import YUAN_PER_WAN, parse_wan, round2
from app.services.assessment.records import (
    DIMENSIONS,
    NOT_RECORDED,
    RATINGS,
    AssessmentInput,
    CandidateRow,
    check_assessment,
    load_assessment,
    record_assessment,
)
from app.storage.database import Database
from app.ui.widgets.messages import show_error
from app.ui.widgets.writes import writes

NO_PROJECT = "请在左侧选择一个项目"
PROBLEM_STYLE = "color: #b03c00;"


def wan_field(yuan: Decimal | None) -> str:
    return "" if yuan is None else f"{round2(yuan / YUAN_PER_WAN):.2f}"


def read_wan(text: str, label: str) -> tuple[Decimal | None, list[Problem]]:
    """A 万元 amount typed in the field `label`, in 元; blank is None."""
    try:
        return parse_wan(text), []
    except ValueError as exc:
        return None, [Problem(f"{label}{exc}", column=label)]


def _set_choice(box: QComboBox, choices: tuple[str, ...], value: str) -> None:
    """Select value; a stored value outside the choices (older data) is shown as it is, so
    the check below the form can say what is wrong with it."""
    blocker = box.blockSignals(True)
    try:
        box.clear()
        box.addItems(["", *choices, *([value] if value and value not in choices else [])])
        box.setCurrentText(value)
    finally:
        box.blockSignals(blocker)


class AssessmentForm(QWidget):
    assessment_saved = Signal(int)  # project id

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._candidate: CandidateRow | None = None
        self._version = NOT_RECORDED  # of the assessment shown when loaded (a save names it)
        self._filled: tuple[object, ...] = ()  # the fields as loaded or last saved
        self.title = QLabel(NO_PROJECT)
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold;")
        self.ratings = {attr: self._combo(("", *RATINGS)) for attr, _ in DIMENSIONS}
        self.conclusion = self._combo(("", *(c.value for c in AssessmentConclusion)))
        self.requested = QLineEdit()
        self.approved = QLineEdit()
        self.assessed_on = QDateEdit()
        self.assessor = QLineEdit()
        self.notes = QPlainTextEdit()
        self.problems_label = QLabel()
        self.save_button = QPushButton("保存评估结果")
        writes(self.save_button)
        self._build()
        self._connect()
        self.show_candidate(None)

    @staticmethod
    def _combo(items: tuple[str, ...]) -> QComboBox:
        box = QComboBox()
        box.addItems(list(items))
        return box

    def _build(self) -> None:
        self.requested.setPlaceholderText("万元")
        self.approved.setPlaceholderText("部分支持时填写（万元）")
        self.assessed_on.setCalendarPopup(True)
        self.assessed_on.setDisplayFormat("yyyy-MM-dd")
        self.notes.setPlaceholderText("评估意见、核减理由等")
        self.notes.setMaximumHeight(90)
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet(PROBLEM_STYLE)
        form = QFormLayout()
        for attr, label in DIMENSIONS:
            form.addRow(label, self.ratings[attr])
        form.addRow("评估结论", self.conclusion)
        form.addRow("送审金额（万元）", self.requested)
        form.addRow("审定金额（万元）", self.approved)
        form.addRow("评估日期", self.assessed_on)
        form.addRow("评估人", self.assessor)
        form.addRow("备注", self.notes)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addWidget(self.problems_label)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def _connect(self) -> None:
        for box in (*self.ratings.values(), self.conclusion):
            box.currentIndexChanged.connect(self._on_field_changed)
        for edit in (self.requested, self.approved, self.assessor):
            edit.textChanged.connect(self._on_field_changed)
        self.assessed_on.dateChanged.connect(self._on_field_changed)
        self.save_button.clicked.connect(self._on_save_button_clicked)

    def set_database(self, db: Database) -> None:
        self._db = db
        self.show_candidate(None)

    # -- showing -----------------------------------------------------------------------
    def show_candidate(self, candidate: CandidateRow | None) -> None:
        """Fill the form with the project's assessment, or a new one pre-filled."""
        self._candidate = candidate
        self.setEnabled(candidate is not None)
        if candidate is None:
            self.title.setText(NO_PROJECT)
            self._fill(None, None)
            return
        self.title.setText(f"{candidate.project_code}　{candidate.project_name}")
        record = load_assessment(self._db, candidate.project_id)
        self._version = record.version if record else NOT_RECORDED
        self._fill(record.data if record else None, candidate)

    def show_input(self, data: AssessmentInput | None) -> None:
        """Fill the ratings and amounts alone (a policy's: app.ui.assessment.policy_dialog)."""
        self.setEnabled(True)
        self._fill(data, None)

    def _fill(self, data: AssessmentInput | None, candidate: CandidateRow | None) -> None:
        for attr, _ in DIMENSIONS:
            _set_choice(self.ratings[attr], RATINGS, getattr(data, attr) if data else "")
        self.conclusion.setCurrentText(data.conclusion.value if data else "")
        amount = data.requested if data else (candidate.amount if candidate else None)
        self.requested.setText(wan_field(amount))
        partial = data is not None and data.conclusion is AssessmentConclusion.PARTIAL
        self.approved.setText(wan_field(data.approved) if partial and data else "")
        day = data.assessed_on if data and data.assessed_on else dt.date.today()
        self.assessed_on.setDate(QDate(day.year, day.month, day.day))
        self.assessor.setText(data.assessor if data else "")
        self.notes.setPlainText(data.notes if data else "")
        self._revalidate()
        self._filled = self._fields()

    def _fields(self) -> tuple[object, ...]:
        boxes = (*self.ratings.values(), self.conclusion)
        edits = (self.requested, self.approved, self.assessor)
        return (
            *(b.currentText() for b in boxes),
            *(e.text() for e in edits),
            self.assessed_on.date(),
            self.notes.toPlainText(),
        )

    @property
    def candidate(self) -> CandidateRow | None:
        return self._candidate

    def is_dirty(self) -> bool:
        return self._candidate is not None and self._fields() != self._filled

    # -- checking ----------------------------------------------------------------------
    def current_input(self) -> tuple[AssessmentInput | None, list[Problem]]:
        requested, problems = read_wan(self.requested.text(), "送审金额")
        approved, more = read_wan(self.approved.text(), "审定金额")
        problems += more
        if not self.conclusion.currentText():
            problems.append(Problem("请选择评估结论", column="评估结论"))
        if problems:
            return None, problems
        qdate = self.assessed_on.date()
        ratings = {attr: self.ratings[attr].currentText() for attr, _ in DIMENSIONS}
        data = AssessmentInput(
            **ratings,
            conclusion=AssessmentConclusion(self.conclusion.currentText()),
            requested=requested if requested is not None else Decimal(0),
            approved=approved,
            assessed_on=dt.date(qdate.year(), qdate.month(), qdate.day()),
            assessor=self.assessor.text().strip(),
            notes=self.notes.toPlainText().strip(),
        )
        return data, check_assessment(data)

    def _revalidate(self) -> None:
        partial = self.conclusion.currentText() == AssessmentConclusion.PARTIAL.value
        self.approved.setEnabled(partial)
        if not partial and self.approved.text():
            self.approved.clear()  # re-enters _revalidate once
            return
        if self._candidate is None:
            self.problems_label.clear()
            self.save_button.setEnabled(False)
            return
        _, problems = self.current_input()
        self.problems_label.setText("\n".join(f"• {p.message}" for p in problems))
        self.save_button.setEnabled(not problems)

    def _on_field_changed(self, *_args: object) -> None:
        self._revalidate()

    def save(self) -> bool:
        """Record the assessment as typed; False (problems shown) when it cannot be."""
        data, problems = self.current_input()
        if self._candidate is None:
            return False
        if data is None or problems:
            show_error(self, ValidationFailed(problems, "事前评估结果有误，未保存："))
            return False
        try:
            record = record_assessment(self._db, self._candidate.project_id, data, self._version)
        except UserError as exc:
            show_error(self, exc)
            return False
        self._version = record.version
        self._filled = self._fields()
        return True

    def _on_save_button_clicked(self) -> None:
        if self.save() and self._candidate is not None:
            self.assessment_saved.emit(self._candidate.project_id)
