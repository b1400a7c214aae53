"""Streamlit's own strings in Chinese (ipdata/ui_strings.py): the dictionary, the patterns, the
served page and the script, run in Node against a stand-in page."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ipdata import ui_strings as U
from tests.browser import ROOT

STREAMLIT_INDEX = Path(__import__("streamlit").__file__).parent / "static" / "index.html"


def test_every_translation_is_chinese():
    assert [(en, zh) for en, zh in U.TEXTS.items() if U.english_words(zh)] == []
    assert [(p, r) for p, r in U.PATTERNS if U.english_words(r)] == []
    assert all(U.english_words(en) for en in U.TEXTS)  # each key is English


@pytest.mark.parametrize(("english", "chinese"), [
    ("Press Enter to apply", "按回车键应用"),
    ("Press Enter to submit form", "按回车键提交表单"),
    ("Press Ctrl+Enter to apply", "按 Ctrl+回车键应用"),
    ("  Download plot as a PNG ", "下载图片（PNG）"),
    ("Page not found", "页面不存在"),
    ("Connection error", "连接中断"),
    ("Help for 规划", "“规划”的说明"),
    ("21 options available.", "有 21 个选项。"),
    ("1 option available.", "有 1 个选项。"),
    ("20MB per file", "每个文件不超过 20 MB"),
    ("Limit 200MB per file", "每个文件不超过 200MB"),
    ("File must be 20.0MB or smaller.", "文件不能超过 20.0MB。"),
    ("application/pdf files are not allowed.", "不能上传这种类型的文件。"),
    ("Remove 年报.xlsx", "移除 年报.xlsx"),
    ("add icon", "图标"),
    ("Made with Streamlit v1.67.0", ""),
    ("Statistics", "统计"),
    ("9 more", "其余 9 项"),
    ("(index)", "（行号）"),
    ("number", "数字"),
    ("Top values frequency chart: 滞后: 3 (75%); 基本符合预期: 1 (25%)", "常见值频数图：滞后: 3 (75%); 基本符合预期: 1 (25%)"),
    ("Distribution histogram: 1 – 2.5: 2 (50%)", "分布直方图：1 – 2.5: 2 (50%)"),
    ("binStart: 1; count: 2; binEnd: 2.5; Range: 1 – 2.5; Count: 2", "范围：1 – 2.5；计数：2"),
    ("rect mark container", "图形"),
    ("any time to stop recording.", "键可随时停止录制。"),
    # a markdown paragraph split by inline code, matched whole whatever the line breaks
    ("Are you sure you want to clear the app's function caches?\nThis will remove all cached entries from "
     "functions using@st.cache_data and @st.cache_resource.", "确定要清除缓存吗？之后打开的页面会重新读取数据、重新计算。"),
])
def test_translate(english, chinese):
    assert U.translate(english) == chinese


@pytest.mark.parametrize("text", ["专利密集型产业增加值占GDP比重", "PNG", "Zoomed", "Search results", "", "2025"])
def test_other_text_is_left_alone(text):
    assert U.translate(text) is None


def test_the_served_page_declares_chinese_and_loads_the_script():
    original = STREAMLIT_INDEX.read_text(encoding="utf-8")
    page = U.localise_index(original)
    assert '<html lang="en">' in original
    assert re.search(r"<html[^>]*>", page).group(0) == '<html lang="zh-CN">'
    assert page.count(f'<script src="./{U.SCRIPT_PATH}"></script>') == 1
    assert page.index(U.SCRIPT_PATH) < page.index("static/js/index.")  # before Streamlit's own code
    assert "<title>正在加载…</title>" in page
    noscript = re.search(r"<noscript>.*?</noscript>", page, re.S).group(0)
    assert U.english_words(re.sub(r"<[^>]+>", "", noscript)) == []
    assert page.count('content:"菜单"') == 1  # the phone menu is named from the first paint
    assert page.index('content:"菜单"') < page.index("</head>")
    assert U.localise_index(page) == page  # twice is once


def test_the_inline_script_keeps_the_hash_nginx_allows():
    """deploy/nginx.conf's CSP admits Streamlit's one inline script by its hash: the rewrite
    must leave it byte for byte (the translating script is a file from the site)."""
    page = U.localise_index(STREAMLIT_INDEX.read_text(encoding="utf-8"))
    inline = re.findall(r"<script>(.*?)</script>", page, re.S)
    digests = {base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in inline}
    allowed = set(re.findall(r"'sha256-([^']+)'", (ROOT / "deploy" / "nginx.conf").read_text()))
    assert digests and digests <= allowed


# A stand-in page for Node: an element with an English tooltip, text nodes, a node added later and
# a text changed later (what React does), through the script's own MutationObserver.
HARNESS = """
const TEXT = 3, ELEMENT = 1;
class El { constructor(attrs, kids) { this.nodeType = ELEMENT; this.attrs = attrs; this.kids = kids; }
  hasAttribute(n) { return n in this.attrs; } getAttribute(n) { return this.attrs[n] ?? null; }
  setAttribute(n, v) { this.attrs[n] = v; } }
class Tx { constructor(v) { this.nodeType = TEXT; this.nodeValue = v; } }
const all = n => n.nodeType === TEXT ? [n] : [n, ...n.kids.flatMap(all)];
const button = new El({"data-title": "Reset axes", "aria-label": "Reset axes"}, [new Tx("Zoom")]);
const mine = new Tx("专利 Zoom"), later = new Tx("Press Enter to apply"), changed = new Tx("统计");
const root = new El({}, [button, mine, new Tx("21 options available."), changed]);
let observer;
globalThis.Node = {TEXT_NODE: TEXT, ELEMENT_NODE: ELEMENT};
globalThis.NodeFilter = {SHOW_ELEMENT: 1, SHOW_TEXT: 4};
globalThis.MutationObserver = class { constructor(cb) { observer = cb; } observe() {} };
globalThis.document = {documentElement: root, createTreeWalker: (r) => {
  const nodes = all(r).slice(1); let i = -1;
  return {get currentNode() { return nodes[i]; }, nextNode: () => ++i < nodes.length}; }};
SCRIPT
changed.nodeValue = "Running...";
observer([{type: "childList", addedNodes: [new El({}, [later])]},
          {type: "characterData", target: changed}]);
console.log(JSON.stringify({lang: root.lang, button: button.attrs, text: button.kids[0].nodeValue,
  mine: mine.nodeValue, count: root.kids[2].nodeValue, later: later.nodeValue, changed: changed.nodeValue}));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js to run the script outside a browser")
def test_the_script_translates_the_page_as_it_changes():
    run = subprocess.run(["node", "-e", HARNESS.replace("SCRIPT", U.script())],
                         capture_output=True, text=True, timeout=30, check=True)
    assert json.loads(run.stdout) == {
        "lang": "zh-CN", "button": {"data-title": "重置坐标轴", "aria-label": "重置坐标轴"}, "text": "缩放",
        "mine": "专利 Zoom", "count": "有 21 个选项。", "later": "按回车键应用", "changed": "正在运行…"}
