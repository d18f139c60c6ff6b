"""document.xml written while the body is built, so a long document needs bounded memory.

python-docx keeps the whole body as one lxml tree: 2,200 goal tables took over a gigabyte.
Here finished body elements leave the tree for a temporary file as the builder goes, tables
arrive as text (docx_tables), and on save the package's own document.xml gets that file
spliced in right after `<w:body>`; styles, settings, headers and footers stay python-docx's.

A document with pictures stays in one tree: python-docx numbers a picture after the largest
id it finds in the tree, and ids written out already would be reused.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from pathlib import Path

from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

_DOCUMENT_XML = "word/document.xml"
_BODY_START = b"<w:body>"


class BodyStream:
    def __init__(self, document: DocxDocument, in_tree: bool = False) -> None:
        self._document = document
        self._body = document.element.body
        self._in_tree = in_tree
        self._file = tempfile.TemporaryFile()  # noqa: SIM115  # closed by close()
        # Declarations the root already makes, repeated by lxml on each element written out.
        root = document.element
        self._declarations = [
            f' xmlns:{prefix}="{uri}"'.encode() for prefix, uri in root.nsmap.items() if prefix
        ]

    def place(self, xml: str) -> None:
        """Append an element given as text (prefix `w:`) after everything built so far."""
        if self._in_tree:
            element = parse_xml(xml.replace("<w:tbl>", f"<w:tbl {nsdecls('w')}>", 1))
            self._body.sectPr.addprevious(element)
            return
        self._flush()
        self._file.write(xml.encode("utf-8"))

    def _flush(self) -> None:
        sect_pr = qn("w:sectPr")  # the final section's properties stay with the tree
        for element in list(self._body):
            if element.tag == sect_pr:
                continue
            data = etree.tostring(element, encoding="utf-8")
            end = data.index(b">")
            tag = data[:end]
            for declaration in self._declarations:
                tag = tag.replace(declaration, b"")
            self._file.write(tag + data[end:])
            self._body.remove(element)

    def save(self, target: Path) -> None:
        """Write the package to `target` with the streamed body in its document.xml."""
        if self._in_tree:
            self._document.save(str(target))
            return
        package = io.BytesIO()
        self._document.save(package)
        with (
            zipfile.ZipFile(package) as source,
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out,
        ):
            for item in source.infolist():
                if item.filename != _DOCUMENT_XML:
                    out.writestr(item, source.read(item))
                    continue
                head, start, rest = source.read(item).partition(_BODY_START)
                if not start:
                    raise ValueError("document.xml has no <w:body>")
                with out.open(_DOCUMENT_XML, "w") as part:
                    part.write(head + start)
                    self._file.seek(0)
                    shutil.copyfileobj(self._file, part, 1 << 20)
                    part.write(rest)

    def close(self) -> None:
        self._file.close()
