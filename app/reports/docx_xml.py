"""Raw WordprocessingML tweaks python-docx has no API for.

East-Asian font names, font alternates, fields (PAGE, TOC), the sideways text box that
carries a landscape page's number.
"""

from __future__ import annotations

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_fonts(rpr: etree._Element, name: str, hint_east_asia: bool = False) -> None:
    """Set Latin, East-Asian and complex-script font names on a run's or style's `w:rPr`.

    Theme attributes win over explicit names in Word, so they are removed.
    """
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)  # rFonts comes first in CT_RPr's sequence
    for attr in _THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    if hint_east_asia:  # makes Word draw dashes like "—" with the CJK face, full width
        fonts.set(qn("w:hint"), "eastAsia")


def add_font_alternates(document: object, alternates: dict[str, str]) -> None:
    """Declare `w:altName` in fontTable.xml so Word substitutes e.g. 仿宋 for 仿宋_GB2312."""
    part = document.part  # type: ignore[attr-defined]
    font_part = next(
        (rel.target_part for rel in part.rels.values() if rel.reltype == RT.FONT_TABLE), None
    )
    if font_part is None:
        return
    root = etree.fromstring(font_part.blob)
    existing = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, alt in alternates.items():
        if name in existing:
            continue
        root.append(
            parse_xml(
                f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/>'
                '<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/>'
                "</w:font>"
            )
        )
    font_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _fld_char(kind: str) -> etree._Element:
    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), kind)
    return el


def add_field(paragraph: Paragraph, instruction: str, placeholder: str) -> list[Run]:
    """Append a complex field (PAGE, TOC...) and return its runs for formatting."""
    runs = [paragraph.add_run() for _ in range(4)]
    runs[0]._r.append(_fld_char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    runs[1]._r.append(instr)
    runs[2]._r.append(_fld_char("separate"))
    runs[2].text = placeholder
    runs[3]._r.append(_fld_char("end"))
    return runs


def wrap_in_field(first: Paragraph, last: Paragraph, instruction: str) -> None:
    """Make the paragraphs first..last the shown result of a complex field (the TOC lines
    the app wrote): Word and LibreOffice show them as they are, and Word can refresh them."""
    begin, instr, separate = (OxmlElement("w:r") for _ in range(3))
    begin.append(_fld_char("begin"))
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    instr.append(text)
    separate.append(_fld_char("separate"))
    p = first._p
    at = 1 if p.pPr is not None else 0
    for offset, run in enumerate((begin, instr, separate)):
        p.insert(at + offset, run)
    end = OxmlElement("w:r")
    end.append(_fld_char("end"))
    last._p.append(end)


# Elements that follow w:updateFields in CT_Settings: Word rejects out-of-order settings.
_AFTER_UPDATE_FIELDS = {
    qn(t)
    for t in (
        "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars",
        "w:rsids", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
        "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
        "w:captions", "w:readModeInkLockDown", "w:smartTagType", "w:shapeDefaults",
        "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
    )
}  # fmt: skip


def set_update_fields_on_open(document: object) -> None:
    """Ask Word to refresh fields (the TOC) when the file is opened."""
    settings = document.settings.element  # type: ignore[attr-defined]
    if settings.find(qn("w:updateFields")) is not None:
        return
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    successor = next((el for el in settings if el.tag in _AFTER_UPDATE_FIELDS), None)
    if successor is None:
        settings.append(update)
    else:
        successor.addprevious(update)


_WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
_EMU_PER_MM = 36000


def add_sideways_box(
    paragraph: Paragraph, x_mm: float, y_mm: float, width_mm: float, height_mm: float, id_: int
) -> Paragraph:
    """Anchor a borderless text box at (x, y) mm from the page's top left corner, its text
    turned a quarter clockwise (read with the sheet turned back upright); returns the box's
    paragraph for content."""
    cx, cy = round(width_mm * _EMU_PER_MM), round(height_mm * _EMU_PER_MM)
    x, y = round(x_mm * _EMU_PER_MM), round(y_mm * _EMU_PER_MM)
    xml = (
        f'<w:r {nsdecls("w", "wp", "a")} xmlns:wps="{_WPS}"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="2"'
        ' behindDoc="0" locked="1" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="page"><wp:posOffset>{x}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="page"><wp:posOffset>{y}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:wrapNone/><wp:docPr id="{id_}" name="页码{id_}"/><wp:cNvGraphicFramePr/>'
        f'<a:graphic><a:graphicData uri="{_WPS}"><wps:wsp><wps:cNvSpPr txBox="1"/>'
        f'<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln>'
        "</wps:spPr><wps:txbx><w:txbxContent><w:p/></w:txbxContent></wps:txbx>"
        '<wps:bodyPr rot="0" vert="vert" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0"'
        ' anchor="t"><a:noAutofit/></wps:bodyPr>'
        "</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"
    )
    run = parse_xml(xml)
    paragraph._p.append(run)
    return Paragraph(run.find(".//" + qn("w:p")), paragraph._parent)
