"""Text the UI layer writes: user-written fields stay literal inside Markdown."""

import re

import pytest

from telemetry.ui.text import escape_markdown

SPECIAL = "\\`*_{}[]()#+-.!|<>~$:=@"


@pytest.mark.parametrize("hostile", ["[a](http://x)", "![i](http://x/i.png)", "**b**", "<img src=x>",
                                     ":red[alert]", "`code`", "# heading", "a_b_c", "ann@corp.com",
                                     "line\nbreak", r"\*"])
def test_markdown_specials_are_escaped(hostile):
    """Every Markdown-special character is backslash-escaped, so none starts a link, image, badge or
    emphasis; removing the escapes gives the text back (newlines become spaces: one line of facts)."""
    escaped = escape_markdown(hostile)
    unescaped_specials = re.findall(r"(?<!\\)(?:\\\\)*([" + re.escape(SPECIAL.replace("\\", "")) + "])", escaped)
    assert not unescaped_specials, escaped
    assert re.sub(r"\\(.)", r"\1", escaped) == hostile.replace("\n", " ")
