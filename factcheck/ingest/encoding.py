"""Turn the bytes of an input file into text, or say why not."""

from __future__ import annotations

import codecs
import re

from factcheck.model import datatype

# Checked in this order: a UTF-32 LE mark starts with the UTF-16 LE one.
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Text without a byte-order mark is tried as UTF-8 first. cp1252 is what
# Windows tools write for Western languages; latin-1 decodes any byte, so it
# comes last (cp1252 leaves five bytes undefined).
FALLBACK_ENCODINGS = ("cp1252", "latin-1")
BINARY_SNIFF_BYTES = 8192


@datatype(frozen=True)
class Decoded:
    """Decoded text and the encoding used, or the problem that stopped it."""

    text: str = ""
    encoding: str | None = None
    problem: str | None = None
    declared: bool = False  # the encoding is the one the page or server named

    @property
    def is_fallback(self) -> bool:
        return self.encoding in FALLBACK_ENCODINGS and not self.declared


def decode_bytes(raw: bytes) -> Decoded:
    """Decode ``raw`` as UTF-8/16/32 (a byte-order mark is dropped), else
    cp1252, else latin-1; a NUL byte early on means the file is binary.

    >>> decode_bytes("Assad’s fate".encode("utf-8-sig"))
    Decoded(text='Assad’s fate', encoding='utf-8-sig', problem=None, declared=False)
    >>> decode_bytes(b"Assad\\x92s fate").encoding
    'cp1252'
    """
    for mark, encoding in _BYTE_ORDER_MARKS:
        if raw.startswith(mark):
            try:
                return Decoded(raw.decode(encoding), encoding)
            except UnicodeDecodeError:
                name = encoding.removesuffix("-sig").upper()
                return Decoded(problem=f"not valid {name} despite its byte-order mark")
    # UTF-16 without a mark would land here too; it is rare enough in saved
    # articles that calling it binary is the honest answer.
    if b"\x00" in raw[:BINARY_SNIFF_BYTES]:
        return Decoded(problem="binary file, not text")
    for encoding in ("utf-8", *FALLBACK_ENCODINGS):
        try:
            return Decoded(raw.decode(encoding), encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


# Where a page declares its encoding: <meta charset>, <meta http-equiv
# content="...; charset=">, or an XML declaration. Browsers look only this far.
_DECLARATION_BYTES = 4096
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""",
    re.IGNORECASE,
)
# As the HTML standard has it, a page that says latin-1 or ASCII means cp1252.
_WEB_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252"}


def declared_charset(raw: bytes) -> str | None:
    """The encoding a page declares in its first bytes, if any.

    >>> declared_charset(b'<html><head><meta charset="windows-1252"><title>x</title>')
    'windows-1252'
    """
    found = _DECLARED.search(raw[:_DECLARATION_BYTES])
    if not found:
        return None
    return (found.group(1) or found.group(2)).decode("ascii").lower()


def decode_html(raw: bytes, charset: str | None = None) -> Decoded:
    """Decode a web page: a byte-order mark first, then ``charset`` (from
    the HTTP headers), then the page's own declaration, then as
    ``decode_bytes`` would. A declaration the bytes do not fit is passed over.

    >>> decode_html('<meta charset="iso-8859-1"><p>Assad’s fate'.encode("cp1252")).text[-12:]
    'Assad’s fate'
    >>> decode_html(b"<p>\\x00\\x01").problem
    'binary file, not text'
    """
    for mark, _ in _BYTE_ORDER_MARKS:
        if raw.startswith(mark):
            return decode_bytes(raw)
    if b"\x00" in raw[:BINARY_SNIFF_BYTES]:
        return Decoded(problem="binary file, not text")
    for name in (charset, declared_charset(raw)):
        if not name:
            continue
        try:
            encoding = codecs.lookup(_WEB_ALIASES.get(name.lower(), name)).name
            return Decoded(raw.decode(encoding), encoding, declared=True)
        except (LookupError, UnicodeDecodeError):
            continue
    return decode_bytes(raw)
