"""A sample document exercising every block type (shared by tests and the look-check)."""

from __future__ import annotations

import datetime as dt

from app.reports.model import (
    Align,
    Cell,
    Column,
    Cover,
    Document,
    Figure,
    Heading,
    Landscape,
    PageBreak,
    Paragraph,
    SignatureBlock,
    Span,
    Table,
)

TITLE = "某某县2024年度预算绩效管理工作情况报告"
HEADER_TEXT = "三级指标"
WIDE_HEADER = "单位编码"

LONG_TEXT = (
    "2024年，县财政局坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实党中央、"
    "国务院关于全面实施预算绩效管理的决策部署，批复部门整体支出绩效目标72个，项目支出绩效目标"
    "2199个，金额678314.65万元；组织开展事前绩效评估，审减金额9160.33万元，审减率38.08%。"
)


def indicator_table(rows: int = 150) -> Table:
    """3 header rows with merged cells and `rows` body rows."""
    columns = (
        Column(1.2),
        Column(1.4),
        Column(3.2, Align.LEFT),
        Column(1.2),
        Column(1.2, Align.RIGHT),
        Column(1.0, Align.RIGHT),
        Column(1.0, Align.RIGHT),
    )
    header = (
        (
            Cell("一级指标", rowspan=3),
            Cell("二级指标", rowspan=3),
            Cell(HEADER_TEXT, rowspan=3),
            Cell("指标值", colspan=2),
            Cell("评分", colspan=2),
        ),
        (Cell("年度指标值", rowspan=2), Cell("实际完成值", rowspan=2), "分值", "得分"),
        ("（分）", "（分）"),
    )
    body = []
    for i in range(rows):
        name = (
            f"第{i + 1}项指标：农村公路养护里程完成情况，含县乡村三级道路"
            if i % 7 == 0
            else f"指标{i + 1}"
        )
        if i % 10 == 0:
            body.append(
                (
                    Cell("产出指标", rowspan=2),
                    Cell("数量指标", rowspan=2),
                    name,
                    "≥50个",
                    f"{50 + i}个",
                    "5",
                    "4.50",
                )
            )
        elif i % 10 == 1:
            body.append((name, "≤90万元", "88.5万元", "5", "5.00"))
        else:
            body.append(("效益指标", "社会效益指标", name, "≥95%", "96.2%", "3", "3.00"))
    return Table(
        columns, header, tuple(body), caption="表1  项目支出绩效自评指标表", unit="单位：分"
    )


def wide_table() -> Table:
    heads = (
        "序号",
        WIDE_HEADER,
        "单位名称",
        "项目名称",
        "年初预算",
        "调整后预算",
        "执行数",
        "执行率",
        "序时进度",
        "偏差",
        "预警",
        "偏差原因",
        "纠偏措施",
        "备注",
    )
    cols = tuple(Column(w) for w in (0.6, 1.1, 1.6, 2.4, 1, 1, 1, 0.8, 0.8, 0.7, 0.6, 2, 2, 0.8))
    body = tuple(
        (
            str(i),
            f"2190{i:02d}",
            "县农业农村局",
            "高标准农田建设项目",
            "1,200.00",
            "1,350.00",
            "675.00",
            "50.00%",
            "50.00%",
            "0.00",
            "绿",
            "项目按计划推进，资金拨付及时",
            "无",
            "",
        )
        for i in range(1, 31)
    )
    return Table(
        cols, (heads,), body, font_size=9, caption="表2  重点项目运行监控情况表", unit="单位：万元"
    )


def sample_document(chart_png: bytes, cover: bool = False, toc: bool = False) -> Document:
    blocks = (
        Heading(1, "基本工作情况"),
        Heading(2, "健全制度体系"),
        Paragraph(LONG_TEXT),
        Paragraph((Span("重点成效：", bold=True), Span(LONG_TEXT))),
        Heading(3, "完善事前评估机制"),
        Heading(4, "评估范围"),
        Paragraph("新增项目和政策在400万元以上的，全部纳入事前绩效评估范围。"),
        indicator_table(),
        Figure(chart_png, width_mm=140, caption="图1  2024年度项目自评等级分布"),
        Heading(1, "存在的问题"),
        Paragraph(LONG_TEXT * 2),
        Landscape((wide_table(),)),
        Heading(1, "下一步打算"),
        Paragraph("进一步扩大绩效评价覆盖面，强化评价结果应用。", align=Align.LEFT),
        PageBreak(),
        Paragraph("（此页为分页测试）", indent=False, align=Align.CENTER),
    )
    return Document(
        title=TITLE,
        subtitle="（2025年3月）",
        recipient="县人大常委会",
        blocks=blocks,
        signature=SignatureBlock("某某县财政局", dt.date(2025, 7, 1)),
        attachments=("项目支出绩效自评结果汇总表", "抽查复核问题清单"),
        cover=Cover(TITLE, "提请县人大常委会审议", "某某县财政局", dt.date(2025, 7, 1))
        if cover
        else None,
        toc=toc,
    )
