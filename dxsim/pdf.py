"""A minimal PDF 1.4 writer: one page of Helvetica text, no dependencies.

Enough for the simulator's LOA-CFA documents: any PDF reader (and pypdf) opens the result and
extracts its text. The file is built object by object with a correct cross-reference table, so
readers need no repair pass. Text is encoded as WinAnsi (cp1252); characters outside it become `?`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

PAGE_WIDTH, PAGE_HEIGHT = 612, 792  # US Letter, in points
MARGIN = 54
TITLE_SIZE, BODY_SIZE = 10, 9
LEADING = 13
WRAP_COLUMNS = 100  # conservative for 9 pt Helvetica across the text width


def escape(text: str) -> bytes:
    """A PDF literal string body: WinAnsi bytes with `\\`, `(` and `)` escaped."""
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def content_stream(title: str, lines: Sequence[str]) -> bytes:
    """Draws the title, a blank line, then each line (wrapped; empty strings give blank lines)."""
    ops = [
        b"BT",
        b"/F1 %d Tf" % TITLE_SIZE,
        b"%d TL" % LEADING,
        b"%d %d Td" % (MARGIN, PAGE_HEIGHT - MARGIN),
        b"(" + escape(title) + b") Tj",
        b"/F1 %d Tf" % BODY_SIZE,
        b"T*",
    ]
    for line in lines:
        for part in textwrap.wrap(line, WRAP_COLUMNS) or [""]:
            ops.append(b"T* (" + escape(part) + b") Tj")
    ops.append(b"ET")
    return b"\n".join(ops)


def render(title: str, lines: Sequence[str]) -> bytes:
    """A complete one-page PDF showing `title` and `lines`; `title` is also the document title."""
    stream = content_stream(title, lines)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>" % (PAGE_WIDTH, PAGE_HEIGHT),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Title (" + escape(title) + b") /Producer (dxsim) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)
