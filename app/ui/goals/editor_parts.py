"""Small parts of the goal editor: the status banner, the grid's toolbar, the window title."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from app.domain.enums import GoalStatus, Scope
from app.domain.numbers import plain
from app.domain.rules import GoalRules
from app.services.goals import GoalDetail, IndicatorRow
from app.ui.widgets.writes import writes

_BANNER_STYLES = {
    "locked": "background:#fff4ce; color:#5c4400; border:1px solid #e0c36a;",
    "returned": "background:#e8f0fe; color:#123e7c; border:1px solid #9ab6e6;",
}


def window_title(detail: GoalDetail) -> str:
    if detail.scope is Scope.DEPARTMENT:
        what = f"{detail.department_name} 部门整体绩效目标"
    else:
        what = f"{detail.project_code} {detail.project_name}"
    return f"绩效目标 — {detail.year} 年 {what}（{detail.status.value}，第{detail.revision}版）"


def _when(detail: GoalDetail) -> str:
    at = detail.reviewed_at
    return f"{at.year}年{at.month}月{at.day}日" if at else ""


def banner_text(detail: GoalDetail) -> tuple[str, str]:
    """(text, style key) saying why the goal is locked or what the reviewer asked; ("", "")
    for a draft."""
    if detail.status is GoalStatus.SUBMITTED:
        return (
            "该绩效目标已提交审核（待审核），不能修改。审核人可“审核通过”或“退回”；"
            "如需修改，请审核人退回。",
            "locked",
        )
    if detail.status is GoalStatus.APPROVED:
        who = f"由 {detail.reviewer} " if detail.reviewer else ""
        return (f"该绩效目标已于{_when(detail)}{who}审核通过，不能修改。", "locked")
    if detail.status is GoalStatus.RETURNED:
        who = f"{detail.reviewer}，" if detail.reviewer else ""
        overall = detail.return_reason.strip().rstrip("。.；;")
        reason = f"：{overall}" if overall else ""
        rows = sum(1 for c in detail.return_comments if c.row is not None)
        per_row = f"（另有 {rows} 条逐项意见，见右侧检查结果）" if rows else ""
        return (
            f"该绩效目标已被退回（{who}{_when(detail)}）{reason}{per_row}。"
            "请按意见修改后重新提交审核。",
            "returned",
        )
    return "", ""


class StatusBanner(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setVisible(False)

    def show_status(self, detail: GoalDetail) -> None:
        text, style = banner_text(detail)
        self.setText(text)
        self.setStyleSheet(f"QLabel {{ {_BANNER_STYLES.get(style, '')} padding:6px; }}")
        self.setVisible(bool(text))


class ExAnteBanner(QWidget):
    """本项目须开展事前绩效评估…, with a button to the 事前评估 page; hidden when not due."""

    STYLE = "background:#fde7e4; color:#8c1d18; border:1px solid #e6a39d; padding:6px;"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.go_button = QPushButton("转到事前评估")
        self.go_button.setAutoDefault(False)
        self.go_button.setToolTip("打开“事前评估”页，录入本项目的评估结论或免评理由")
        self.setStyleSheet(f"ExAnteBanner {{ {self.STYLE} }}")
        self.label.setStyleSheet(self.STYLE.replace("padding:6px;", "border:none;"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.go_button)
        self.setVisible(False)

    def show_notice(self, text: str) -> None:
        self.label.setText(text)
        self.setVisible(bool(text))


class GridToolbar(QWidget):
    """Row actions above the grid and the running points total."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.add_button = QPushButton("添加行")
        self.remove_button = QPushButton("删除行")
        self.up_button = QPushButton("上移")
        self.down_button = QPushButton("下移")
        self.paste_button = QPushButton("粘贴")
        self.points_button = QPushButton("分配分值")
        self.undo_points_button = QPushButton("撤销分配")
        self.library_button = QPushButton("存入指标库")
        writes(self.library_button)
        self.points_label = QLabel()
        tips = {
            self.add_button: "在当前行下方添加一行（Ctrl+Enter 或 Insert）",
            self.remove_button: "删除选中的行（Ctrl+Delete）",
            self.up_button: "当前行上移（Alt+↑）",
            self.down_button: "当前行下移（Alt+↓）",
            self.paste_button: "粘贴从 Excel/WPS 复制的行，从当前单元格开始（Ctrl+V）",
            self.points_button: "把各一级指标的分值平均分配到其下各行，合计恰好等于一级分值",
            self.undo_points_button: "恢复分配分值之前的分值（Ctrl+Z）",
            self.library_button: "把当前行的指标存入指标库，供以后选用",
        }
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for button, tip in tips.items():
            button.setToolTip(tip)
            button.setAutoDefault(False)
            layout.addWidget(button)
        layout.addStretch(1)
        layout.addWidget(self.points_label)

    def set_read_only(self, read_only: bool) -> None:
        for button in (
            self.add_button,
            self.remove_button,
            self.up_button,
            self.down_button,
            self.paste_button,
            self.points_button,
        ):
            button.setEnabled(not read_only)

    def show_points(self, indicator_points: Decimal, rules: GoalRules) -> None:
        total = indicator_points + rules.execution_points
        ok = total == rules.total_points
        colour = "#1e7b34" if ok else "#b3261e"
        self.points_label.setText(
            f"指标分值 {plain(indicator_points)} + 预算执行率 {plain(rules.execution_points)} = "
            f"<b style='color:{colour}'>{plain(total)}</b> / {plain(rules.total_points)}"
        )


# The goal's fields as the conflict view names them (GoalEdit attributes).
PROJECT_FIELDS = {
    "project_name": "项目名称", "kind": "项目类型", "fund_source": "资金来源",
    "fund_level": "资金级次", "functional_class": "功能分类", "start_year": "开始年度",
    "end_year": "结束年度", "total_amount": "资金总额（万元）", "fiscal_amount": "财政拨款（万元）",
    "other_amount": "其他资金（万元）",
}  # fmt: skip
DEPARTMENT_FIELDS = {"budget_amount": "部门整体预算（万元）"}
MONEY_FIELDS = ("total_amount", "fiscal_amount", "other_amount", "budget_amount")
COMMON_FIELDS = {
    "overall_target": "年度总体目标", "long_term_target": "长期目标", "indicators": "绩效指标",
}  # fmt: skip


def indicator_line(row: IndicatorRow) -> str:
    target = row.target_text or ("" if row.target is None else f"{row.target}")
    comparator = row.comparator.value if row.comparator else ""
    points = "" if row.points is None else f"（{row.points}分）"
    return f"{row.level2}·{row.name}：{comparator}{target}{row.unit}{points}"


def conflict_fields(scope: Scope) -> dict[str, str]:
    own = DEPARTMENT_FIELDS if scope is Scope.DEPARTMENT else PROJECT_FIELDS
    return {**own, **COMMON_FIELDS}
