"""AWS model documentation (a small HTML subset) -> wrapped plain-text comments."""

import html.parser
import re
import textwrap

_BLOCK_TAGS = {"p", "ul", "ol", "dl", "note", "important", "div", "h1", "h2", "h3", "h4",
               "table", "tr", "examples", "example", "pre"}


class _TextExtractor(html.parser.HTMLParser):
    """Collects paragraphs; list items become '- ' lines."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs = []
        self._current = []
        self._list_depth = 0

    def _flush(self):
        text = re.sub(r"\s+", " ", "".join(self._current)).strip()
        if text:
            self.paragraphs.append(text)
        self._current = []

    def _only_bullet(self):
        return "".join(self._current).strip() in ("", "-")

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCK_TAGS:
            if not self._only_bullet():  # <li><p>text</p></li> is one item
                self._flush()
            if tag in ("ul", "ol"):
                self._list_depth += 1
        elif tag in ("li", "dt", "dd"):
            self._flush()
            self._current.append("  " * max(self._list_depth - 1, 0) + "- ")
        elif tag == "br":
            self._flush()

    def handle_endtag(self, tag):
        if tag in _BLOCK_TAGS or tag in ("li", "dt", "dd"):
            if not self._only_bullet():
                self._flush()
            if tag in ("ul", "ol"):
                self._list_depth = max(self._list_depth - 1, 0)

    def handle_data(self, data):
        self._current.append(data)

    def close(self):
        super().close()
        self._flush()


def to_text(doc: str) -> list:
    """Returns the documentation as a list of plain-text paragraphs."""
    if not doc:
        return []
    parser = _TextExtractor()
    parser.feed(doc)
    parser.close()
    return parser.paragraphs


def comment_lines(doc: str, indent: str = "", width: int = 80) -> list:
    """'// '-prefixed comment lines, paragraphs separated by an empty '//' line."""
    out = []
    prefix = indent + "// "
    previous_bullet = False
    for i, para in enumerate(to_text(doc)):
        bullet = re.match(r"^(\s*- )", para)
        if i and not (bullet and previous_bullet):  # list items stay together
            out.append(indent + "//")
        previous_bullet = bool(bullet)
        sub = " " * len(bullet.group(1)) if bullet else ""
        for line in textwrap.wrap(para, width=max(width - len(prefix), 30),
                                  subsequent_indent=sub, break_long_words=False,
                                  break_on_hyphens=False):
            out.append((prefix + line).rstrip())
    return out
