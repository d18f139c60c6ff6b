"""Every service that changes the database writes an audit entry: who, what, which object.

CASES runs each mutating service once on a small county and checks the new entries: the
object type and action, the OS account (audit.os_user, patched), the display name from
settings, a label, and what changed. test_every_mutating_service_is_listed scans
app/services for public functions that open a transaction (directly or through a helper of
the same module), so a new one fails here until it is added to CASES or to NOT_AUDITED.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import delete, func, select, update

from app.domain.enums import Comparator, GoalStatus
from app.domain.key_evaluation import ObjectKind
from app.domain.pre_assessment import AssessmentConclusion, Exemption
from app.domain.rectification import Status as RectStatus
from app.domain.rules import RuleSet
from app.domain.units import UnitInput
from app.paths import default_rules_path
from app.services import disclosure, key_evaluation, rectification, spotcheck
from app.services import goals as goal_service
from app.services.assessment import records as pre
from app.services.common import audit, backups, rollover
from app.services.evaluation.workbook import export_selfeval, import_selfeval
from app.services.forms import import_form_file, import_forms
from app.services.goals.workbook import export_goals, import_goals
from app.services.library import records as library
from app.services.library import search as library_search
from app.services.library import workbook as library_workbook
from app.services.library.history.proposals import Decision, review_proposals
from app.services.monitoring import EntryEdit, close_round, open_round, round_rows, update_entry
from app.services.monitoring.workbook import export_monitoring_workbook, import_monitoring_workbook
from app.services.results import carry
from app.services.results import records as results
from app.services.setup import county, operator
from app.services.setup import sections as setup_sections
from app.services.setup import units as setup_units
from app.services.setup import years as setup_years
from app.services.setup.initial import CountySetup, set_up_county
from app.storage.backup import backup_database, write_snapshot
from app.storage.database import Database, open_database
from app.storage.models import (
    AuditEntry,
    Department,
    Goal,
    LibraryIndicator,
    Project,
    Section,
    Setting,
)
from tests import factories
from tests.fixtures_forms import Form, write_xlsx

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / "app" / "services"
YEAR = 2025
OS_USER, DISPLAY = "clerk01", "王会计"

# Services that write without an audit entry, and why (a reviewer reads this list).
NOT_AUDITED = {
    "app.services.demo.builder:build_demo": "示例数据：只用于空数据库，内容由种子决定，可重建",
    "app.services.demo.bureau:add_bureau_work": "示例数据的一部分（由 build_demo 调用），同上",
}


@dataclass
class Env:
    db: Database
    rules: RuleSet
    tmp: Path
    projects: list[int]  # ids of the county's projects (approved goals)
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    function: str  # "module:function", as the scan names it
    object_type: str
    action: str
    act: Callable[[Env], object]
    arrange: Callable[[Env], None] = lambda env: None
    per_object: bool = True  # the entry names one object (an id), not a whole import
    display: str = DISPLAY  # the display name the entry must carry

    @property
    def module(self) -> str:
        return self.function.split(":")[0]


# --- arranging -----------------------------------------------------------------------------


def _goal_id(env: Env, n: int = 0) -> int:
    with env.db.session() as s:
        return s.scalar(select(Goal.id).where(Goal.project_id == env.projects[n]))


def _set_status(env: Env, status: GoalStatus, *goals: int) -> None:
    ids = [_goal_id(env, n) for n in (goals or (0,))]
    with env.db.transaction() as s:
        s.execute(update(Goal).where(Goal.id.in_(ids)).values(status=status.value))


def _project_without_goal(env: Env) -> None:
    with env.db.transaction() as s:
        project = s.get(Project, env.projects[0])
        bare = Project(
            year_id=project.year_id, department_id=project.department_id, code="219001999",
            name="新建项目", kind="新增", total_amount=Decimal(1000),
        )  # fmt: skip
        s.add(bare)
        s.flush()
        env.data["project"] = bare.id


def _department_id(env: Env) -> int:
    with env.db.session() as s:
        return s.scalar(select(Department.id).where(Department.code == "219001"))


def _self_evaluations(env: Env) -> None:
    with env.db.transaction() as s:
        for project_id in env.projects:
            factories.self_evaluation(s, s.get(Project, project_id), claimed_total="95")


def _sample(env: Env) -> None:
    _self_evaluations(env)
    drawn = spotcheck.draw_sample(env.db, YEAR, env.rules, seed=1, ratio=Decimal(1))
    env.data["sample"] = drawn.sections[0].items[0].sample_id


def _proposals(env: Env) -> None:
    _self_evaluations(env)
    env.data["rows"] = results.propose_results(env.db, YEAR, env.rules)


def _library_file(env: Env) -> None:
    library.load_default_library(env.db)
    path = env.tmp / "指标库.xlsx"
    library_workbook.export_library(env.db, path)
    with env.db.transaction() as s:  # the file now holds one entry the database lacks
        s.execute(delete(LibraryIndicator).where(LibraryIndicator.id == 1))
    env.data["path"] = path


def _goals_file(env: Env) -> None:
    _set_status(env, GoalStatus.DRAFT, *range(len(env.projects)))
    path = env.tmp / "目标.xlsx"
    export_goals(env.db, path, YEAR)
    with env.db.transaction() as s:  # the file now differs from the database in one goal
        s.execute(update(Goal).where(Goal.id == _goal_id(env)).values(overall_target="旧目标"))
    env.data["path"] = path


def _form_file(env: Env) -> None:
    """A printed 自评表 of a project the database does not know (it brings its goal)."""
    with env.db.session() as s:
        name = s.scalar(select(Department.name).where(Department.code == "219001"))
    form = Form(year=YEAR, unit=name, department=name, project="表样新项目")
    env.data["path"] = write_xlsx(env.tmp / "表样.xlsx", [[form]])


def _selfeval_file(env: Env) -> None:
    path = env.tmp / "自评.xlsx"
    export_selfeval(env.db, YEAR, path)
    book = load_workbook(path)
    projects, indicators = book["项目"], book["指标"]
    _fill(projects, "全年执行数(万元)", lambda row: _cell(projects, row, "全年预算数(万元)"))
    _fill(projects, "实际完成情况", lambda row: "按计划完成")
    _fill(indicators, "实际完成值", lambda row: _digits(_cell(indicators, row, "年度指标值")))
    book.save(path)
    env.data["path"] = path


def _round(env: Env) -> None:
    open_round(env.db, YEAR, 6, env.rules)


def _explained_round(env: Env) -> None:
    """A round whose red budget lamps (nothing spent yet) are explained, so it can close."""
    _round(env)
    with env.db.transaction() as s:
        factories.explain_budget_lamps(s)


def _monitoring_file(env: Env) -> None:
    _round(env)
    path = env.tmp / "监控.xlsx"
    export_monitoring_workbook(env.db, YEAR, 6, path, env.rules)
    book = load_workbook(path)
    _fill(book["项目"], "执行数（万元）", lambda row: 1)
    book.save(path)
    env.data["path"] = path


def _cell(ws: Any, row: int, header: str) -> Any:
    column = next(c.column for c in ws[1] if c.value == header)
    return ws.cell(row, column).value


def _fill(ws: Any, header: str, value: Callable[[int], Any]) -> None:
    column = next(c.column for c in ws[1] if c.value == header)
    for row in range(2, ws.max_row + 1):
        ws.cell(row, column).value = value(row)


def _digits(text: Any) -> str:
    return "".join(ch for ch in str(text or "") if ch.isdigit() or ch == ".") or "达成年度指标"


# --- acting --------------------------------------------------------------------------------


def _save_goal(env: Env) -> object:
    detail = goal_service.load_goal(env.db, _goal_id(env))
    edit = replace(detail.to_edit(), overall_target="改过的年度总体目标")
    return goal_service.save_goal(env.db, detail.id, edit, env.rules)


def _assessment() -> pre.AssessmentInput:
    support = AssessmentConclusion.SUPPORT
    return pre.AssessmentInput("优", "优", "良", "良", "优", support, Decimal(100000), None,
                               date(2025, 1, 10), "张三")  # fmt: skip


def _restore(env: Env) -> object:
    backup = env.tmp / "恢复用.sqlite3"
    # A copy without an audit entry of its own.
    if env.db.path is None:
        write_snapshot(env.db.engine, backup)
    else:
        backup_database(env.db.path, backup)
    env.db.close()
    result = backups.restore_backup(env.db.target, backup)
    env.db = open_database(env.db.target)
    return result


def _pending(module: str, function: str) -> Callable[..., Any]:
    return getattr(importlib.import_module(f"app.services.{module}"), function)


def _bin(env: Env) -> None:
    _pending("common.recycle_bin", "delete_project")(env.db, env.projects[0])


def _decide(env: Env) -> object:
    row = env.data["rows"][0]
    return results.decide_adjustment(env.db, row.adjustment_id, row.proposed_cut)


def _department_round(env: Env) -> None:
    with env.db.transaction() as s:
        dept = s.scalar(select(Department).where(Department.code == "219001"))
        factories.department_goal(s, factories.year(s, YEAR), dept)
    _round(env)


def _update_department_entry(env: Env) -> object:
    from app.services.monitoring.department import department_round_rows
    from app.services.monitoring.department_entries import (
        DepartmentEdit,
        update_department_entry,
    )

    row = department_round_rows(env.db, YEAR, 6, env.rules)[0]
    edit = DepartmentEdit(Decimal(100000), Decimal(50000), Decimal(300000), Decimal(0))
    return update_department_entry(env.db, row.entry_id, edit, env.rules)


def _update_entry(env: Env) -> object:
    row = round_rows(env.db, YEAR, 6, env.rules)[0]
    edit = EntryEdit(Decimal(100000), Decimal(50000))
    return update_entry(env.db, row.entry_id, edit, env.rules)


def _section_id(env: Env) -> int:
    with env.db.session() as s:
        return s.scalar(select(Section.id).where(Section.name == "教科文股"))


def _units_file(env: Env) -> object:
    book = Workbook()
    sheet = book.active
    sheet.title = "单位"
    sheet.append(["单位编码", "单位名称", "主管部门编码", "股室"])
    sheet.append(["219003", "县文化馆", "219001", "教科文股"])
    path = env.tmp / "单位.xlsx"
    book.save(path)
    return setup_units.import_units(env.db, path)


def _set_up_county(env: Env) -> object:
    env.db = open_database(env.tmp / "新县.sqlite3")
    with env.db.transaction() as s:
        s.add(Setting(key=audit.DISPLAY_NAME_KEY, value=DISPLAY))
    setup = CountySetup("青山县", "", 2026, ["预算股"], [UnitInput("101001", "县政府办", "预算股")])
    return set_up_county(env.db, setup)


S = "app.services.setup"
NEW_UNIT = UnitInput("219009", "县图书馆", "教科文股", "219001")
MOVED_UNIT = UnitInput("219001", "县教育局", "农业农村股")  # 219001 moved to another 股室


def _key_plan() -> key_evaluation.PlanEdit:
    return key_evaluation.PlanEdit(ObjectKind.DEPARTMENT, "县教育局部门整体", "219001", "资金量大")


def _key_evaluation(env: Env) -> None:
    env.data["key"] = key_evaluation.create_evaluation(env.db, YEAR, _key_plan(), env.rules)


def _score_key(env: Env) -> object:
    row = env.data["key"]
    items = [replace(i, score=i.points) for i in row.items]
    return key_evaluation.save_items(env.db, row.id, items, env.rules)


def _ledger(env: Env) -> None:
    _key_evaluation(env)
    row = env.data["key"]
    plan = replace(row.plan, problems="目标不细")
    key_evaluation.save_evaluation(env.db, row.id, plan, env.rules)
    rectification.generate_items(env.db, YEAR, env.rules, date(2026, 3, 1))
    env.data["item"] = rectification.ledger(env.db, YEAR, date(2026, 3, 1)).rows[0]


def _reply(env: Env) -> object:
    item = env.data["item"]
    edit = rectification.ItemEdit(item.action, item.deadline, RectStatus.OPEN, "已整改一半")
    return rectification.update_item(env.db, item.id, edit, date(2026, 3, 2))


def _carried(env: Env) -> None:
    _proposals(env)
    rollover.roll_forward(env.db, YEAR, env.rules)
    row = env.data["rows"][0]
    results.decide_adjustment(env.db, row.adjustment_id, row.base / 2, "重点评价为差")
    carry.carry_cuts(env.db, YEAR)
    env.data["carried"] = carry.carried_cuts(env.db, YEAR)[0].id


def _decided_for_next_year(env: Env) -> None:
    _proposals(env)
    rollover.roll_forward(env.db, YEAR, env.rules)
    row = env.data["rows"][0]
    results.decide_adjustment(env.db, row.adjustment_id, row.base / 2, "重点评价为差")


G = "app.services.goals"
K = "app.services.key_evaluation.records"
NEW_ENTRY = library_search.NewLibraryEntry(
    "产出指标", "数量指标", "新建校舍面积", Comparator.GE, "平方米"
)
CASES = [
    Case(f"{G}.editing:goal_for_project", audit.GOAL, "新建绩效目标",
         lambda e: goal_service.goal_for_project(e.db, e.data["project"]),
         _project_without_goal),
    Case(f"{G}.editing:department_goal", audit.GOAL, "新建绩效目标",
         lambda e: goal_service.department_goal(e.db, YEAR, _department_id(e))),
    Case(f"{G}.editing:save_goal", audit.GOAL, "修改绩效目标", _save_goal,
         lambda e: _set_status(e, GoalStatus.DRAFT)),
    Case(f"{G}.review:submit_goal", audit.GOAL, "绩效目标待审核",
         lambda e: goal_service.submit_goal(e.db, _goal_id(e), e.rules),
         lambda e: _set_status(e, GoalStatus.DRAFT)),
    Case(f"{G}.review:submit_goals", audit.GOAL, "绩效目标待审核",
         lambda e: goal_service.submit_goals(e.db, [_goal_id(e, 0), _goal_id(e, 1)], e.rules),
         lambda e: _set_status(e, GoalStatus.DRAFT, 0, 1)),
    Case(f"{G}.review:approve_goal", audit.GOAL, "绩效目标已通过",
         lambda e: goal_service.approve_goal(e.db, _goal_id(e), e.rules),
         lambda e: _set_status(e, GoalStatus.SUBMITTED)),
    Case(f"{G}.review:return_goal", audit.GOAL, "绩效目标已退回",
         lambda e: goal_service.return_goal(e.db, _goal_id(e), "指标值偏低"),
         lambda e: _set_status(e, GoalStatus.SUBMITTED)),
    Case(f"{G}.review:approve_goals", audit.GOAL, "绩效目标已通过",
         lambda e: goal_service.approve_goals(e.db, [_goal_id(e, 0), _goal_id(e, 1)], e.rules),
         lambda e: _set_status(e, GoalStatus.SUBMITTED, 0, 1)),
    Case(f"{G}.review:return_goals", audit.GOAL, "绩效目标已退回",
         lambda e: goal_service.return_goals(e.db, [_goal_id(e, 0), _goal_id(e, 1)], "请修改"),
         lambda e: _set_status(e, GoalStatus.SUBMITTED, 0, 1)),
    Case("app.services.assessment.records:set_exemption", audit.PROJECT, "设置免于事前评估",
         lambda e: pre.set_exemption(e.db, e.projects[0], True, "省厅指定", Exemption.MANDATED)),
    Case("app.services.assessment.records:record_assessment",
         audit.PRE_ASSESSMENT, "录入事前绩效评估",
         lambda e: pre.record_assessment(e.db, e.projects[0], _assessment())),
    Case("app.services.assessment.policies:record_policy", audit.PRE_ASSESSMENT,
         "录入事前绩效评估",
         lambda e: _pending("assessment.policies", "record_policy")(
             e.db, YEAR, "219001", "县级教育扶持政策", _assessment())),
    Case("app.services.common.rollover:roll_forward", audit.YEAR, "年度结转",
         lambda e: rollover.roll_forward(e.db, YEAR, e.rules)),
    Case("app.services.library.records:load_default_library",
         audit.LIBRARY_INDICATOR, "载入默认指标库",
         lambda e: library.load_default_library(e.db), per_object=False),
    Case("app.services.library.search:save_to_library", audit.LIBRARY_INDICATOR, "指标存入指标库",
         lambda e: library_search.save_to_library(e.db, NEW_ENTRY)),
    Case("app.services.library.workbook:import_library", audit.LIBRARY_INDICATOR, "导入指标库",
         lambda e: library_workbook.import_library(e.db, e.data["path"], e.rules),
         _library_file, per_object=False),
    Case("app.services.library.history.proposals:review_proposals", audit.LIBRARY_INDICATOR,
         "历史指标审核", lambda e: review_proposals(e.db, [Decision(1, "keep")]),
         per_object=False),
    Case("app.services.goals.workbook:import_goals", audit.GOAL, "导入绩效目标工作簿",
         lambda e: import_goals(e.db, e.data["path"], e.rules), _goals_file, per_object=False),
    Case("app.services.goals.workbook:import_goals", audit.GOAL, "导入修改绩效目标",
         lambda e: import_goals(e.db, e.data["path"], e.rules), _goals_file),
    Case("app.services.evaluation.workbook.importer:import_selfeval", audit.SELF_EVALUATION,
         "导入绩效自评", lambda e: import_selfeval(e.db, e.data["path"]), _selfeval_file,
         per_object=False),
    Case("app.services.forms.importer:import_forms", audit.SELF_EVALUATION, "导入纸质表样",
         lambda e: import_forms(e.db, [e.data["path"]], e.rules), _form_file, per_object=False),
    Case("app.services.forms.importer:import_form_file", audit.GOAL, "取自自评表的绩效目标",
         lambda e: import_form_file(e.db, e.data["path"], e.rules), _form_file),
    Case("app.services.monitoring.rounds:open_round", audit.MONITORING_ROUND, "open",
         lambda e: open_round(e.db, YEAR, 6, e.rules)),
    Case("app.services.monitoring.rounds:close_round", audit.MONITORING_ROUND, "close",
         lambda e: close_round(e.db, YEAR, 6, e.rules), _explained_round),
    Case("app.services.monitoring.entries:update_entry", audit.MONITORING_ENTRY, "update",
         _update_entry, _round),
    Case("app.services.monitoring.department_entries:update_department_entry",
         audit.MONITORING_DEPARTMENT_ENTRY, "update", _update_department_entry, _department_round),
    Case("app.services.monitoring.workbook.service:import_monitoring_workbook",
         audit.MONITORING_ROUND, "import",
         lambda e: import_monitoring_workbook(e.db, e.data["path"], e.rules), _monitoring_file),
    Case("app.services.monitoring.workbook.service:import_monitoring_workbook",
         audit.MONITORING_ENTRY, "导入修改监控数据",
         lambda e: import_monitoring_workbook(e.db, e.data["path"], e.rules), _monitoring_file),
    Case("app.services.results.records:propose_results",
         audit.BUDGET_ADJUSTMENT, "生成结果应用建议",
         lambda e: results.propose_results(e.db, YEAR, e.rules), _self_evaluations,
         per_object=False),
    Case("app.services.results.records:decide_adjustment", audit.BUDGET_ADJUSTMENT, "确定结果应用",
         _decide, _proposals),
    Case("app.services.spotcheck.draw:draw_sample", audit.SPOT_CHECK_BATCH, "抽取复核样本",
         lambda e: spotcheck.draw_sample(e.db, YEAR, e.rules, seed=3), _self_evaluations),
    Case("app.services.spotcheck.review:start_review", audit.SPOT_CHECK_REVIEW, "开始复核",
         lambda e: spotcheck.start_review(e.db, e.data["sample"]), _sample),
    Case("app.services.spotcheck.review:save_review", audit.SPOT_CHECK_REVIEW, "保存复核",
         lambda e: spotcheck.save_review(e.db, e.data["sample"], spotcheck.ReviewEdit(), e.rules),
         _sample),
    Case("app.services.common.backups:set_backup_policy", audit.SETTINGS, "update",
         lambda e: backups.set_backup_policy(e.db, backups.RotationPolicy(3, 5, 2, 6)),
         per_object=False),
    Case("app.services.common.backups:create_backup", audit.DATABASE, "backup",
         lambda e: backups.create_backup(e.db), per_object=False),
    Case("app.services.common.backups:backup_to_file", audit.DATABASE, "backup",
         lambda e: backups.backup_to_file(e.db, e.tmp / "拷贝.sqlite3"), per_object=False),
    Case("app.services.common.backups:restore_backup", audit.DATABASE, "restore", _restore,
         per_object=False),
    Case(f"{K}:create_evaluation", audit.KEY_EVALUATION, "新建重点评价",
         lambda e: key_evaluation.create_evaluation(e.db, YEAR, _key_plan(), e.rules)),
    Case(f"{K}:save_evaluation", audit.KEY_EVALUATION, "修改重点评价",
         lambda e: key_evaluation.save_evaluation(
             e.db, e.data["key"].id, replace(_key_plan(), agency="某事务所"), e.rules),
         _key_evaluation),
    Case(f"{K}:save_items", audit.KEY_EVALUATION, "评分重点评价", _score_key, _key_evaluation),
    Case(f"{K}:delete_evaluation", audit.KEY_EVALUATION, "删除重点评价",
         lambda e: key_evaluation.delete_evaluation(e.db, e.data["key"].id), _key_evaluation),
    Case("app.services.rectification.records:generate_items", audit.RECTIFICATION,
         "生成整改台账",
         lambda e: rectification.generate_items(e.db, YEAR, e.rules, date(2026, 3, 1)),
         _self_evaluations, per_object=False),
    Case("app.services.rectification.records:update_item", audit.RECTIFICATION, "修改整改事项",
         _reply, _ledger),
    Case("app.services.disclosure.pack:build_disclosure_pack", audit.DISCLOSURE, "生成公开材料",
         lambda e: disclosure.build_disclosure_pack(e.db, YEAR, e.tmp, e.rules),
         _self_evaluations, per_object=False),
    Case("app.services.results.carry:carry_cuts", audit.CARRIED_CUT, "结转调减",
         lambda e: carry.carry_cuts(e.db, YEAR), _decided_for_next_year, per_object=False),
    Case("app.services.results.carry:revert_cut", audit.CARRIED_CUT, "撤销调减",
         lambda e: carry.revert_cut(e.db, e.data["carried"]), _carried),
    # recycle_bin and settings
    Case("app.services.common.recycle_bin:delete_project", audit.PROJECT, "delete",
         lambda e: _pending("common.recycle_bin", "delete_project")(e.db, e.projects[0])),
    Case("app.services.common.recycle_bin:delete_goal", audit.GOAL, "delete",
         lambda e: _pending("common.recycle_bin", "delete_goal")(e.db, _goal_id(e))),
    Case("app.services.common.recycle_bin:restore_item", audit.PROJECT, "restore",
         lambda e: _pending("common.recycle_bin", "restore_item")(e.db, "project", e.projects[0]),
         _bin),
    Case("app.services.common.recycle_bin:empty_recycle_bin", audit.PROJECT, "purge",
         lambda e: _pending("common.recycle_bin", "empty_recycle_bin")(e.db), _bin),
    Case(f"{S}.county:set_county_names", audit.SETTINGS, "修改县区名称",
         lambda e: county.set_county_names(e.db, "青山县", ""), per_object=False),
    Case(f"{S}.initial:set_up_county", audit.DATABASE, "建立本县数据库", _set_up_county),
    Case(f"{S}.sections:add_section", audit.SECTION, "新建股室",
         lambda e: setup_sections.add_section(e.db, "社保股")),
    Case(f"{S}.sections:rename_section", audit.SECTION, "修改股室名称",
         lambda e: setup_sections.rename_section(e.db, _section_id(e), "科教股")),
    Case(f"{S}.sections:move_section", audit.SECTION, "调整股室顺序",
         lambda e: setup_sections.move_section(e.db, _section_id(e), 1)),
    Case(f"{S}.sections:set_section_active", audit.SECTION, "停用股室",
         lambda e: setup_sections.set_section_active(e.db, _section_id(e), False)),
    Case(f"{S}.units:add_unit", audit.DEPARTMENT, "新建预算单位",
         lambda e: setup_units.add_unit(e.db, NEW_UNIT)),
    Case(f"{S}.units:add_units", audit.DEPARTMENT, "添加预算单位",
         lambda e: setup_units.add_units(e.db, [NEW_UNIT]), per_object=False),
    Case(f"{S}.units:import_units", audit.DEPARTMENT, "导入预算单位", _units_file,
         per_object=False),
    Case(f"{S}.units:edit_unit", audit.DEPARTMENT, "修改预算单位",
         lambda e: setup_units.edit_unit(e.db, _department_id(e), MOVED_UNIT)),
    Case(f"{S}.units:set_unit_active", audit.DEPARTMENT, "停用预算单位",
         lambda e: setup_units.set_unit_active(e.db, _department_id(e), False)),
    Case(f"{S}.years:add_year", audit.YEAR, "新建年度",
         lambda e: setup_years.add_year(e.db, YEAR + 3, e.rules, False)),
    Case(f"{S}.operator:start_working_as", audit.SETTINGS, "登记操作人员",
         lambda e: operator.start_working_as(e.db, "李会计"), per_object=False, display="李会计"),
    Case("app.services.common.settings:set_display_name", audit.SETTINGS, "update",
         lambda e: _pending("common.settings", "set_display_name")(e.db, "李四"),
         per_object=False, display="李四"),
    Case("app.services.common.year_rules:save_year_rules", audit.SETTINGS, "update",
         lambda e: _pending("common.year_rules", "save_year_rules")(
             e.db, YEAR, default_rules_path().read_text(encoding="utf-8").replace(
                 "months = [3, 6, 9, 10, 11, 12]", "months = [3, 6, 9, 12]"))),
    Case("app.services.reports.wording:save_wording", audit.SETTINGS, "update",
         lambda e: _pending("reports.wording", "save_wording")(
             e.db, YEAR, _pending("reports.wording", "with_sections")(
                 _pending("reports.wording", "shipped_wording")(), {"report.intro": "改过"}))),
    Case("app.services.common.year_rules:import_rules_file", audit.SETTINGS, "update",
         lambda e: _pending("common.year_rules", "import_rules_file")(
             e.db, YEAR, factories.province_rules_file(e.tmp))),
]  # fmt: skip


@pytest.fixture
def env(db, rules, tmp_path, monkeypatch) -> Env:
    monkeypatch.setattr(audit, "os_user", lambda: OS_USER)
    with db.transaction() as s:
        projects = factories.small_county(s, YEAR, per_department=1)
        s.add(Setting(key=audit.DISPLAY_NAME_KEY, value=DISPLAY))
        ids = [p.id for p in projects]
    state = Env(db, rules, tmp_path, ids)
    yield state
    if state.db is not db:  # reopened after a restore
        state.db.close()


def _new_entries(db: Database, after_id: int) -> list[AuditEntry]:
    with db.session() as s:
        stmt = select(AuditEntry).where(AuditEntry.id > after_id).order_by(AuditEntry.id)
        return list(s.scalars(stmt))


def _last_id(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.max(AuditEntry.id))) or 0


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.function.split(':')[1]}-{c.action}")
def test_the_service_records_who_what_and_which_object(env, case):
    case.arrange(env)
    last = _last_id(env.db)
    case.act(env)
    entries = _new_entries(env.db, last)
    matching = [e for e in entries if (e.object_type, e.action) == (case.object_type, case.action)]
    assert matching, [(e.object_type, e.action) for e in entries]
    assert all((e.user, e.display_name) == (OS_USER, case.display) for e in entries)
    for entry in matching:
        assert entry.object_label, entry.action
        assert entry.before_json or entry.after_json, entry.action  # what changed
        if case.per_object:
            assert entry.object_id is not None, entry.action


def test_without_a_display_name_only_the_os_account_is_recorded(env):
    with env.db.transaction() as s:
        s.execute(delete(Setting).where(Setting.key == audit.DISPLAY_NAME_KEY))
    last = _last_id(env.db)
    pre.set_exemption(env.db, env.projects[0], True, "省厅文件指定", Exemption.MANDATED)
    (entry,) = _new_entries(env.db, last)
    assert (entry.user, entry.display_name) == (OS_USER, "")


def test_a_saved_goal_records_only_the_fields_that_changed(env):
    _set_status(env, GoalStatus.DRAFT)
    last = _last_id(env.db)
    _save_goal(env)
    (entry,) = _new_entries(env.db, last)
    assert (
        entry.before_json
        == '{"年度总体目标": "保障全县农村义务教育学生营养餐供应，提高学生健康水平。"}'
    )
    assert entry.after_json == '{"年度总体目标": "改过的年度总体目标"}'


def test_an_import_writes_one_summary_not_one_entry_per_new_goal(env):
    _goals_file(env)
    with env.db.transaction() as s:  # every goal is new to the database now
        s.execute(delete(Goal))
        s.execute(delete(Project))
    last = _last_id(env.db)
    result = import_goals(env.db, env.data["path"], env.rules)
    entries = _new_entries(env.db, last)
    assert len(result.added) == len(env.projects)
    assert [e.action for e in entries] == ["导入绩效目标工作簿"]
    assert all(p in entries[0].after_json for p in ("219001001", "301002001"))


# --- the scan: no mutating service without a case ----------------------------------------


def mutating_functions(root: Path = SERVICES) -> set[str]:
    """Public module-level functions that open a transaction (or commit), directly or via
    a function of the same module, as "dotted.module:function"."""
    found = set()
    for path in sorted(root.rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        module = module.removesuffix(".__init__")
        functions = {
            node.name: node
            for node in ast.parse(path.read_text(encoding="utf-8")).body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        writes = {name for name, node in functions.items() if _writes(node)}
        calls = {name: _called(node) & functions.keys() for name, node in functions.items()}
        changed = True
        while changed:  # close over same-module helpers
            grown = {n for n, called in calls.items() if called & writes} - writes
            writes |= grown
            changed = bool(grown)
        found |= {f"{module}:{name}" for name in writes if not name.startswith("_")}
    return found


def _writes(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr in {"transaction", "commit", "begin"}
        for n in ast.walk(node)
    )


def _called(node: ast.AST) -> set[str]:
    return {
        n.func.id
        for n in ast.walk(node)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
    }


def test_every_mutating_service_is_listed():
    found = mutating_functions()
    listed = {c.function for c in CASES} | set(NOT_AUDITED)
    assert found - listed == set(), "add a Case (or a reason in NOT_AUDITED)"
    assert listed - found == set(), "stale entries: the scan no longer finds them"


def test_the_scan_follows_helpers_of_the_same_module():
    found = mutating_functions()
    assert "app.services.monitoring.workbook.service:import_monitoring_workbook" in found
    assert "app.services.common.backups:restore_backup" in found  # via _record_restore
    assert "app.services.goals.editing:load_goal" not in found  # reads only


def test_changed_only_keeps_differing_fields_and_the_rows_removed_and_added():
    before = {"名称": "甲", "金额": "1.00", "指标": ["a", "b", "c"]}
    after = {"名称": "乙", "金额": "1.00", "指标": ["a", "c", "d"]}
    assert audit.changed_only(before, after) == ({"名称": "甲", "指标": ["b"]},
                                                  {"名称": "乙", "指标": ["d"]})  # fmt: skip
    reordered = audit.changed_only({"指标": ["a", "b"]}, {"指标": ["b", "a"]})
    assert reordered == ({"指标": ["a", "b"]}, {"指标": ["b", "a"]})
    assert audit.changed_only({"x": 1}, {"x": 1}) == ({}, {})
