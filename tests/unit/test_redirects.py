"""The one rule for redirect targets taken from a request: a path on this site, as the browser will read it."""
from __future__ import annotations

import pytest

from thuiszitters.http.redirects import as_browser_reads_it, local_target


@pytest.mark.parametrize(("sent", "followed"), [
    ("/casussen", "/casussen"),
    ("/casussen/12?page=2&status=open#keten", "/casussen/12?page=2&status=open#keten"),
    ("/", "/"),
    ("/casussen?q=Öztürk", "/casussen?q=%C3%96zt%C3%BCrk"),  # non-ASCII is encoded, not refused
    ("/a b", "/a%20b"),
    ("/%09/evil.example", "/%09/evil.example"),  # an encoded tab stays encoded: the browser keeps it in the path
    ("/.//evil.example", "/.//evil.example"),  # path-absolute: resolves on this host
    ("/x\x01y", "/x%01y"),  # other control characters are encoded, never put raw in a header
    (" /casussen ", "/casussen"),
    ("/cas\tsussen", "/cassussen"),  # what the browser would follow, nothing else
    ("\\casussen", "/casussen"),  # a backslash is a slash: one of them is still a path
])
def test_same_site_paths_come_out_as_the_browser_will_follow_them(sent, followed):
    assert local_target(sent) == followed


@pytest.mark.parametrize("sent", [
    None, "", "   ", "\t",
    "//evil.example", "///evil.example", "////evil.example",
    "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "\t//evil.example", "/\t\t/evil.example",
    "/\\evil.example", "\\\\evil.example", "\\/evil.example", "/\\/evil.example",
    " //evil.example", "\x00//evil.example", "\x1f//evil.example", "//evil.example\x00",
    "https://evil.example", "http://evil.example/casussen", "HTTPS://evil.example", "https:evil.example",
    "http:/evil.example", "https:\\\\evil.example", "ftp://evil.example", "//evil.example:443/x",
    "javascript:alert(1)", "JavaScript:alert(1)", "java\tscript:alert(1)", " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
    "casussen", "evil.example", "./casussen", "../casussen", "?next=x", "#top",
    "//[::1]/", "http://[::1", "//\u3000evil.example",
])
def test_anything_a_browser_would_take_off_site_or_that_is_no_path_is_refused(sent):
    assert local_target(sent) is None


def test_an_absolute_url_on_our_own_host_becomes_its_path():
    assert local_target("https://thuiszitters.test/casussen?page=2", own_host="thuiszitters.test") == \
        "/casussen?page=2"
    assert local_target("http://thuiszitters.test", own_host="thuiszitters.test") == "/"
    assert local_target("https://thuiszitters.test.evil.example/x", own_host="thuiszitters.test") is None
    assert local_target("https://user@thuiszitters.test/x", own_host="thuiszitters.test") is None
    assert local_target("https://thuiszitters.test//evil.example", own_host="thuiszitters.test") is None
    assert local_target("https://thuiszitters.test/\t/evil.example", own_host="thuiszitters.test") is None
    assert local_target("javascript://thuiszitters.test/%0aalert(1)", own_host="thuiszitters.test") is None
    # Without our host named, no absolute URL passes.
    assert local_target("https://thuiszitters.test/casussen") is None


@pytest.mark.parametrize("sent", ["/a", "/\t/b", "\\\\x", " \x00/x\r\n", "/ok\\..\\..\\x"])
def test_what_comes_out_reads_the_same_to_a_browser(sent):
    target = local_target(sent)
    if target is not None:
        assert as_browser_reads_it(target) == target
        assert all(0x21 <= ord(ch) < 0x7f for ch in target)
