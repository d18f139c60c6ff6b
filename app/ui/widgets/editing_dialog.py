"""The one rule for leaving an editor: nothing typed is ever lost.

关闭, Esc and the window's X all end in `QDialog.reject()` (Esc by the dialog's key
handling, X because `QDialog.closeEvent` calls it), so the rule lives there: with unsaved
changes ask 保存 / 不保存 / 取消; without, close at once. A dialog says what "unsaved" and
"save" mean through `is_dirty` and `save_changes`; its 关闭 button calls `reject`. A form
inside a page (事前评估) asks the same question through `ask_unsaved` when its record is
about to be replaced.

Saving over another seat's newer save is refused by the service (StaleRecordError). A
dialog that can show its record field by field (`conflict_labels`, `form_values`,
`stored_values`, `take_values`) lets the user resolve it here, once for every editor:
`resolve_conflict` shows app/ui/widgets/conflict_dialog.py, puts the chosen values in the
form against the new version, and the dialog saves again. Whatever the answer, the typed
text stays in the form until it is saved or discarded.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from app.domain.errors import StaleRecordError
from app.ui.widgets import conflict_dialog
from app.ui.widgets.choice import Choice, ask
from app.ui.widgets.conflict_dialog import THEIRS, ConflictLine
from app.ui.widgets.messages import show_error

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


def ask_unsaved(parent: QWidget | None, question: str, save_label: str = "保存") -> str:
    """保存 / 不保存 / 取消: SAVE, DISCARD or CANCEL (also when the box is just closed)."""
    choices = [
        Choice(SAVE, save_label),
        Choice(DISCARD, "不保存", QMessageBox.ButtonRole.DestructiveRole),
        Choice(CANCEL, "取消", QMessageBox.ButtonRole.RejectRole),
    ]
    return ask(parent, "未保存的修改", question, choices, default=SAVE, escape=CANCEL)


class EditingDialog(QDialog):
    #: The question asked; a dialog names what would be lost ("绩效目标有未保存的修改…").
    unsaved_question = "有未保存的修改，关闭前保存吗？"
    #: The 保存 button's label; a dialog whose "save" is an action may name it ("退回").
    save_label = "保存"

    def is_dirty(self) -> bool:
        raise NotImplementedError

    def save_changes(self) -> bool:
        """Save what was typed; False (the dialog stays open) when saving failed."""
        raise NotImplementedError

    def finish_editing(self) -> None:
        """Commit a cell still being typed, so it counts as a change (a no-op by default)."""

    # -- another seat saved first ------------------------------------------------------------
    def conflict_labels(self) -> dict[str, str]:
        """The record's fields as the conflict view names them, by key; empty (the default):
        a conflict is only reported, the typed text staying in the form."""
        return {}

    def form_values(self) -> dict[str, Any]:
        """What the form holds now, by key of `conflict_labels()`."""
        raise NotImplementedError

    def stored_values(self) -> tuple[dict[str, Any], int]:
        """The record as stored now (reloaded) and its version."""
        raise NotImplementedError

    def take_values(self, values: dict[str, Any], version: int) -> None:
        """Show `values` in the form, still unsaved, to be saved against `version`."""
        raise NotImplementedError

    def shown_value(self, key: str, value: Any) -> str:
        """A value as the conflict view prints it."""
        return "（空）" if value is None or value == "" else str(value)

    def resolve_conflict(self, error: StaleRecordError) -> bool:
        """True when the user chose what to keep and the form is ready to be saved again."""
        labels = self.conflict_labels()
        if error.gone or not labels:
            show_error(self, error)
            return False
        theirs, version = self.stored_values()
        mine = self.form_values()
        differing = [key for key in labels if mine[key] != theirs[key]]
        lines = [
            ConflictLine(key, labels[key], self.shown_value(key, mine[key]),
                         self.shown_value(key, theirs[key]))
            for key in differing
        ]  # fmt: skip
        choices = conflict_dialog.ask_resolution(self, error, lines) if lines else {}
        if choices is None:
            return False
        merged = {k: theirs[k] if choices.get(k) == THEIRS else mine[k] for k in mine}
        self.take_values(merged, version)
        return True

    def may_close(self) -> bool:
        """Ask about unsaved changes; True when the dialog may close."""
        self.finish_editing()
        if not self.is_dirty():
            return True
        choices = [
            Choice(SAVE, self.save_label),
            Choice(DISCARD, "不保存", QMessageBox.ButtonRole.DestructiveRole),
            Choice(CANCEL, "取消", QMessageBox.ButtonRole.RejectRole),
        ]
        key = ask(self, "未保存的修改", self.unsaved_question, choices, default=SAVE, escape=CANCEL)
        if key == SAVE:
            return self.save_changes()
        return key == DISCARD

    def reject(self) -> None:
        # A dialog whose save is "accept" (退回, 确定) has already closed with its answer.
        if self.may_close() and self.isVisible():
            super().reject()
