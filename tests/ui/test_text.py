"""Text the UI layer writes: user-written fields stay literal."""


def test_facts_are_literal_text_in_html():
    """Regression: App detail rendered an app's description as Markdown (links, images)."""
    from telemetry.ui.text import facts_html

    out = facts_html("[x](http://evil) <img src=x onerror=alert(1)>", ("RUNNING", "green"),
                     owners="ann@corp.com, <b>bob</b>")
    assert "<img" not in out and "<a" not in out and "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "&lt;b&gt;bob&lt;/b&gt;" in out and "[x](http://evil)" in out and "RUNNING" in out
