"""Word/PDF outputs of self-evaluation, spot check and results application (issue 6).

Each output has a data function (plain dataclasses, tested exactly) and a composer that
turns the data into an app.reports Document; ``build_*`` does both:

- build_selfeval_table(db, year, code, rules): 项目支出绩效自评表 of one project;
- build_working_paper(db, sample_id, rules): 复核底稿 (landscape grid);
- build_review_opinion(db, rules, sample_id=… | year=…, department=…): 审核意见;
- build_review_summary(db, year, rules): 财政资金绩效自评抽查复核审核意见;
- build_results_list(db, year, department=None): 结果应用 list per department.
"""

from app.services.reports_evaluation.opinion import (
    OpinionData,
    build_review_opinion,
    compose_review_opinion,
    review_opinion_data,
)
from app.services.reports_evaluation.results_list import build_results_list, compose_results_list
from app.services.reports_evaluation.selfeval_table import (
    SelfEvalTableData,
    build_selfeval_table,
    compose_selfeval_table,
    selfeval_table_data,
)
from app.services.reports_evaluation.summary import (
    SummaryData,
    build_review_summary,
    compose_review_summary,
    review_summary_data,
)
from app.services.reports_evaluation.working_paper import (
    WorkingPaperData,
    build_working_paper,
    compose_working_paper,
    working_paper_data,
)

__all__ = [
    "OpinionData",
    "SelfEvalTableData",
    "SummaryData",
    "WorkingPaperData",
    "build_results_list",
    "build_review_opinion",
    "build_review_summary",
    "build_selfeval_table",
    "build_working_paper",
    "compose_results_list",
    "compose_review_opinion",
    "compose_review_summary",
    "compose_selfeval_table",
    "compose_working_paper",
    "review_opinion_data",
    "review_summary_data",
    "selfeval_table_data",
    "working_paper_data",
]
