"""Streamlit's own words in Chinese: the page that declares zh-CN and a dictionary of its strings.

Streamlit (1.67) has no localisation: its uploader, input hints, toolbars, status widget and
dialogs speak English, and the page it serves says `<html lang="en">`. The server (app.py) hands
every HTML page through `localise_index`, which declares zh-CN and loads `SCRIPT_PATH`; that
script (`script()`) puts each English string of the dictionary below into Chinese wherever it
appears in the page: text, tooltips (title, data-title), screen-reader labels (aria-label) and
placeholders, as the page changes (a MutationObserver). It lives in the main document, not in a
component frame, so it also translates the dialogs Streamlit shows when the server is gone.

Matching is exact (a whole text node or attribute, trimmed), or by one of PATTERNS for strings
with a number or a name inside; nothing else is touched, so data and our own words pass as they
are. `translate` is the same rule in Python, for tests.
"""

from __future__ import annotations

import json
import re

LANG = "zh-CN"
SCRIPT_PATH = "ipdata/zh-cn.js"  # relative, like Streamlit's own assets: resolves under the base path
LOADING_TITLE = "正在加载…"  # the tab's title until the page sets its own
# On a phone the page list folds into the side menu behind an unlabelled "»": name it. In the
# page's head (localise_index), so the word is there from the first paint, not after a script run.
MENU_CSS = """<style>
[data-testid="stExpandSidebarButton"]{width:auto;gap:2px;padding:0 6px}
[data-testid="stExpandSidebarButton"]::after{content:"菜单";font-size:15px;font-weight:600;color:#31333F;white-space:nowrap}
</style>"""

# Exact English -> Chinese. Grouped by where Streamlit (or plotly.js inside it) shows them.
TEXTS: dict[str, str] = {
    # page frame, navigation, headings
    "Skip to main content": "跳到正文",
    "App pages": "页面",
    "Main menu": "主菜单",
    "Link to heading": "链接到此标题",
    "Sidebar": "侧栏",
    "Collapse sidebar": "收起侧栏",
    "Expand sidebar": "菜单",  # the button shows 菜单 (dashboard.py): its spoken name says the same
    "Navigate to home page": "回到首页",
    "Scroll tabs left": "向左滚动标签",
    "Scroll tabs right": "向右滚动标签",
    "View less": "收起",
    "View more": "展开",
    "Header Logo": "标志",
    "Sidebar Logo": "标志",
    "App Logo": "标志",
    "Toolbar action": "工具栏操作",
    # status widget (top right while a page runs or the connection drops)
    "Running...": "正在运行…",
    "Stop": "停止",
    "Stopping...": "正在停止…",
    "Rerun": "重新运行",
    "Always rerun": "总是重新运行",
    "Auto rerun": "自动重新运行",
    "Source file changed.": "程序文件已更改。",
    "File change.": "文件已更改。",
    "Connecting": "正在连接",
    "Connecting to Streamlit server": "正在连接服务器",
    "Please wait...": "请稍候…",
    "Reconnected to server.": "已重新连接到服务器。",
    "Error": "错误",
    "Network error": "网络错误",
    "Network issue": "网络问题",
    # dialogs: connection lost, page not found, menu
    "Connection error": "连接中断",
    "Is Streamlit still running? If you accidentally stopped Streamlit, just restart it in your terminal:":
        "无法连接到仪表盘服务器，服务可能已停止或正在重启。请稍后刷新页面；如仍无法连接，请联系维护人员。",
    "streamlit run yourscript.py": "（页面会自动重新连接）",
    "Streamlit server is not responding. Are you connected to the internet?":
        "服务器没有响应。请检查网络连接，稍后刷新页面；如仍无法连接，请联系维护人员。",
    "Unable to connect to Streamlit server": "无法连接到服务器",
    "Connection timed out.": "连接超时。",
    "Connection lost. Please wait for the app to reconnect, then try again.":
        "连接已断开。请等页面重新连接后再试。",
    "Page not found": "页面不存在",
    "The page that you have requested does not seem to exist. Running the app's main page.":
        "您访问的页面不存在，已打开首页。",
    "Close": "关闭",
    "Cancel": "取消",
    "Dismiss": "关闭",
    "Try again": "重试",
    "Learn more": "了解更多",
    "Settings": "设置",
    "Print": "打印",
    "Record a screencast": "录制屏幕",
    "Record screen": "录制屏幕",
    "About": "关于",
    "Get help": "帮助",
    "Report a bug": "报告问题",
    "Clear cache": "清除缓存",
    "Clear caches": "清除缓存",
    # the screencast (main menu › 录制屏幕): the dialog before, the one after recording
    "This will record a video with the contents of your screen, so you can easily share what you're seeing with others.":
        "将把屏幕上显示的内容录制成视频，便于与他人分享。",
    "Also record audio": "同时录制声音",
    "Press": "按",  # "Press `Esc` any time to stop recording.": three nodes, Esc stays
    "any time to stop recording.": "键可随时停止录制。",
    "Start recording!": "开始录制",
    "Next steps": "录制完成",
    "Step 1": "第一步",
    "Step 2": "第二步",
    "Step 3": "第三步",
    "Preview your video below:": "在下面预览视频：",
    "Save video to disk": "保存视频",
    "This video is encoded in the": "视频为",
    "WebM format": "WebM 格式",
    ", which is only supported by newer video players. You can also play it by dragging the file directly into your browser.":
        "，较新的播放器才能播放；也可以把文件直接拖进浏览器播放。",
    "Share your video with the world on Twitter, LinkedIn, YouTube, or just plain email!": "可以把视频发给同事，或用邮件发送。",
    "Happy": "笑脸",
    "Due to limitations with some browsers, this feature is only supported on recent desktop versions of Chrome, Firefox, and Edge.":
        "受浏览器限制，只有较新的电脑版 Chrome、Firefox 和 Edge 浏览器可以录制屏幕。",
    "Alien Monster": "提示",
    # a page's uncaught exception with client.showErrorDetails = "none" (streamlit/elements/exception.py)
    "This app has encountered an error. The original error message is redacted to prevent data leaks. Full error "
    "details have been recorded in the logs (if you're on Streamlit Cloud, click on 'Manage app' in the lower right "
    "of your app).": "页面出现内部错误，详细信息已记入服务器日志。请刷新页面重试；如仍出现，请联系维护人员。",
    "Copy": "复制",  # beside it: the message copied, or searched for elsewhere
    "Ask Google": "在网上搜索",
    "Ask ChatGPT": "询问智能助手",
    "Script execution error": "页面程序出错",
    "No message": "没有错误信息",
    "Developer options": "开发者选项",
    "Deploy": "部署",
    "Use system setting": "跟随系统设置",
    "Copy version to clipboard": "复制版本号",
    "Copied": "已复制",
    "Cannot load Streamlit frontend code. This can happen when you update Streamlit while a Streamlit app is running.":
        "页面程序无法加载（服务器可能刚刚更新）。",
    "To fix this, simply reload this app by pressing": "请按下列按键刷新页面：",
    # text inputs, select boxes
    "Press Enter to apply": "按回车键应用",
    "Press Enter to submit form": "按回车键提交表单",
    "Press Ctrl+Enter to apply": "按 Ctrl+回车键应用",
    "Press Ctrl+Enter to submit form": "按 Ctrl+回车键提交表单",
    "Press ⌘+Enter to apply": "按 ⌘+回车键应用",
    "Press ⌘+Enter to submit form": "按 ⌘+回车键提交表单",
    "Show password": "显示密码",
    "Hide password": "隐藏密码",
    "Clear entry": "清除",
    "Clear value": "清除",
    "Clear all": "全部清除",
    "Invalid input.": "输入无效。",
    "Number is above the allowed range.": "数字超过允许的最大值。",
    "Number is below the allowed range.": "数字低于允许的最小值。",
    "Choose an option": "请选择",
    "Choose options": "请选择",
    "Add an option": "添加选项",
    "Add options": "添加选项",
    "Choose or add an option": "请选择或添加",
    "Choose or add options": "请选择或添加",
    "No options to select": "没有可选的项",
    "No results": "没有匹配的项",
    "No options": "没有选项",
    "Select all": "全选",
    "Selectbox options": "选项",
    "Multiselect options": "选项",
    "Selected values": "已选的项",
    "Open": "展开选项",
    "Select...": "请选择…",
    # file uploader
    "Upload": "上传",
    "Add files": "添加文件",
    "Browse files": "选择文件",
    "Drag and drop file here": "把文件拖到这里",
    "Drag and drop a file here": "把文件拖到这里",
    "Drag and drop files here": "把文件拖到这里",
    "file upload": "上传文件",
    "Error uploading file": "文件上传失败",
    "Error deleting file": "文件删除失败",
    "Remove file": "移除文件",
    "Delete": "删除",
    "Upload failed": "上传失败",
    "Click to retry upload": "点击重新上传",
    "File size is too small.": "文件太小。",
    "Only one file is allowed.": "只能上传一个文件。",
    "Too many files": "文件太多",
    "Unexpected error. Please try again.": "出现意外错误，请重试。",
    "Error:": "错误：",
    # download buttons
    "Download failed": "下载失败",
    # element toolbar, tables (st.dataframe, st.data_editor)
    "Fullscreen": "全屏",
    "Close fullscreen": "退出全屏",
    "Show/hide columns": "显示/隐藏列",
    "Search": "搜索",
    "Download as CSV": "下载为 CSV",
    "Type to search": "输入要搜索的内容",
    "Close Search": "关闭搜索",
    "Next Result": "下一个结果",
    "Previous Result": "上一个结果",
    "Dataframe column menu": "列菜单",
    "Sort ascending": "升序排列",
    "Sort descending": "降序排列",
    "Format": "格式",
    "Autosize": "自动列宽",
    "Pin column": "固定列",
    "Unpin column": "取消固定列",
    "Hide column": "隐藏列",
    "Copy column name": "复制列名",
    "Statistics": "统计",
    "(index)": "（行号）",  # the hidden index, listed under 显示/隐藏列
    # a column's kind, the tooltip of the icon atop its menu (text nodes of icons are never touched)
    "text": "文本",
    "number": "数字",
    "checkbox": "复选框",
    "selectbox": "下拉选择",
    "multiselect": "多选",
    "list": "列表",
    "link": "链接",
    "image": "图片",
    "object": "对象",
    "markdown": "富文本",
    "progress": "进度条",
    "date": "日期",
    "time": "时间",
    "datetime": "日期时间",
    "line_chart": "折线图",
    "bar_chart": "柱状图",
    "area_chart": "面积图",
    # the histogram of a number column's statistics (Vega: its labels for screen readers)
    "Vega visualization": "图表",
    "visualization": "图表",
    "bar": "柱",
    "Automatic": "自动",
    "Localized": "本地格式",
    "Plain": "原样",
    "Percent": "百分比",
    "Dollar": "美元",
    "Euro": "欧元",
    "Yen": "日元",
    "Accounting": "会计",
    "Compact": "紧凑",
    "Scientific": "科学计数",
    "Engineering": "工程计数",
    "Calendar": "日历",
    "Relative": "相对时间",
    "Distance": "距今",
    "Duration": "时长",
    "Loading...": "正在加载…",
    "Loading": "正在加载",
    "No data": "没有数据",
    "No content": "没有内容",
    "Add row": "添加行",
    "Delete row(s)": "删除行",
    "Clear selection": "取消选择",
    "Edit": "编辑",
    "Cancel (Escape)": "取消（Esc）",
    "Count": "计数",
    "Distinct": "不同值",
    "Empty": "空",
    "Average": "平均值",
    "Median": "中位数",
    "Minimum": "最小值",
    "Maximum": "最大值",
    "Sum": "合计",
    "Range": "范围",
    "Values": "值",
    "Standard deviation": "标准差",
    "Average length": "平均长度",
    "Minimum length": "最短长度",
    "Maximum length": "最长长度",
    "Based on sample": "基于抽样",
    "25th percentile": "25% 分位数",
    "75th percentile": "75% 分位数",
    "Distribution histogram": "分布直方图",
    "Top values frequency chart": "常见值频数图",
    "True/false distribution chart": "是/否分布图",
    "The value cannot be interpreted as a number.": "这个值不是数字。",
    "The value cannot be interpreted as boolean.": "这个值不是“是/否”。",
    "The value cannot be interpreted as a datetime object.": "这个值不是日期时间。",
    "The value is not part of the allowed options.": "这个值不在允许的选项中。",
    "Incompatible value": "值不兼容",
    # plotly.js chart toolbar (modebar) and notes
    "Download plot as a PNG": "下载图片（PNG）",
    "Download plot as a png": "下载图片（PNG）",
    "Download plot": "下载图片",
    "Download plot as JSON": "下载图表（JSON）",
    "Zoom": "缩放",
    "Pan": "平移",
    "Box Select": "框选",
    "Lasso Select": "套索选择",
    "Zoom in": "放大",
    "Zoom out": "缩小",
    "Autoscale": "自动缩放",
    "Reset axes": "重置坐标轴",
    "Reset view": "重置视图",
    "Reset views": "重置视图",
    "Reset": "重置",
    "Toggle Spike Lines": "显示/隐藏辅助线",
    "Show closest data on hover": "悬停时显示最近的数据",
    "Compare data on hover": "悬停时比较数据",
    "Toggle show closest data on hover": "悬停时显示最近的数据",
    "Produced with Plotly.js": "由 Plotly.js 生成",
    "Double-click to zoom back out": "双击恢复原始大小",
    "Double-click on legend to isolate one trace": "双击图例只显示这一条线",
    "Preparing image - this may take a few seconds": "正在生成图片，请稍候",
    "Taking snapshot - this may take a few seconds": "正在生成图片，请稍候",
    "Image download succeeded": "图片已下载",
    "Snapshot succeeded": "图片已生成",
    "Sorry, there was a problem downloading your image!": "图片下载失败，请重试。",
    "Sorry, there was a problem downloading your snapshot!": "图片下载失败，请重试。",
    "Sorry, there was a problem downloading your JSON file!": "文件下载失败，请重试。",
}

# (regular expression, replacement) for strings with a number or a name inside. Written in the
# syntax both Python's re and JavaScript's RegExp read alike; $1 is the first group.
PATTERNS: list[tuple[str, str]] = [
    (r"^Help for (.+)$", "“$1”的说明"),
    (r"^[a-z_]+ icon$", "图标"),  # a material icon's name, read aloud
    (r"^(\d+) options? available\.$", "有 $1 个选项。"),
    (r"^(\d+) results? available\.$", "有 $1 个结果。"),
    (r"^Limit (\S+) per file$", "每个文件不超过 $1"),
    (r"^(\d+(?:\.\d+)?)\s?([KMG]?B) per file$", "每个文件不超过 $1 $2"),
    (r"^Remove (.+)$", "移除 $1"),
    (r"^Cancel upload of (.+)$", "取消上传 $1"),
    (r"^File must be (\S+) or smaller\.$", "文件不能超过 $1。"),
    (r"^File is larger than (\S+)$", "文件超过 $1"),
    (r"^.+ files are not allowed\.$", "不能上传这种类型的文件。"),
    (r"^Delete (.+)$", "删除 $1"),
    (r"^Made with Streamlit v?[\d.]*$", ""),
    (r"^Save \((.+)\+Enter\)$", "保存（$1+回车键）"),
    (r"^(\d+) of (\d+)$", "第 $1 个，共 $2 个"),
    (r"^Selected: (.+)$", "已选：$1"),
    (r"^(\d+) more$", "其余 $1 项"),  # the pages that do not fit the top navigation, in one menu
    (r"^View (\d+) more$", "再显示 $1 项"),
    # a column's statistics, read aloud: "<chart>: <value>: <count> (<share>); …"
    (r"^Top values frequency chart: (.*)$", "常见值频数图：$1"),
    (r"^Distribution histogram: (.*)$", "分布直方图：$1"),
    (r"^True/false distribution chart: (.*)$", "是/否分布图：$1"),
    (r"^[a-z]+ mark container$", "图形"),
    (r"^binStart: [^;]*; count: [^;]*; binEnd: [^;]*; Range: ([^;]*); Count: (.*)$", "范围：$1；计数：$2"),
]
# Paragraphs Streamlit writes as markdown, where inline code splits the sentence into several text
# nodes: matched on the paragraph's whole text (whitespace ignored) and replaced as one.
BLOCKS: dict[str, str] = {
    "Are you sure you want to clear the app's function caches? This will remove all cached entries from functions "
    "using @st.cache_data and @st.cache_resource.": "确定要清除缓存吗？之后打开的页面会重新读取数据、重新计算。",
}
# Attributes read aloud or shown as tooltips (data-title: plotly's toolbar, drawn by CSS).
ATTRIBUTES = ("title", "aria-label", "placeholder", "data-title", "alt", "aria-description",
              "aria-valuetext", "aria-roledescription")

# Latin words a Chinese reader reads as they are: file formats and programs, units, key names,
# abbreviations the plan itself uses. Anything else in Latin letters on a page is English left.
KEPT_LATIN = frozenset({
    "png", "svg", "pdf", "xlsx", "xlsm", "xls", "ods", "csv", "zip", "docx", "pptx", "json",
    "excel", "wps", "libreoffice", "powerpoint", "word", "plotly", "js", "ctrl", "esc",
    "mb", "kb", "gb", "px", "gdp", "ip", "webm", "chrome", "firefox", "edge",
})
_WORD = re.compile(r"[A-Za-z]{2,}")

_COMPILED = [(re.compile(p), r) for p, r in PATTERNS]


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


_BLOCKS = {_squeezed(en): zh for en, zh in BLOCKS.items()}


def translate(text: str) -> str | None:
    """The Chinese for one of Streamlit's strings (trimmed), or None when it is not one of them."""
    key = text.strip()
    if key in TEXTS:
        return TEXTS[key]
    if (block := _BLOCKS.get(_squeezed(key))) is not None:
        return block
    for pattern, replacement in _COMPILED:
        if match := pattern.match(key):
            return re.sub(r"\$(\d)", lambda m: match.group(int(m.group(1))), replacement)
    return None


def english_words(text: str) -> list[str]:
    """The Latin words in `text` that are not among KEPT_LATIN."""
    return [w for w in _WORD.findall(text) if w.lower() not in KEPT_LATIN]


def localise_index(html: str) -> str:
    """Streamlit's index.html declaring zh-CN, titled in Chinese until the page names itself,
    with the translating script loaded first thing (a file: the CSP of deploy/nginx.conf admits
    scripts from the site itself, not inline ones) and the English no-script note in Chinese."""
    html = re.sub(r"<html\b[^>]*>", f'<html lang="{LANG}">', html, count=1)
    html = re.sub(r"<title>.*?</title>", f"<title>{LOADING_TITLE}</title>", html, count=1, flags=re.S)
    html = re.sub(r"<noscript>.*?</noscript>",
                  "<noscript><p>请在浏览器设置中允许本网站运行脚本，然后刷新页面。</p></noscript>", html,
                  count=1, flags=re.S)
    tag = f'<script src="./{SCRIPT_PATH}"></script>'
    if tag in html:
        return html
    return re.sub(r"(<head\b[^>]*>)", lambda m: m.group(1) + tag + MENU_CSS, html, count=1)


_SCRIPT = r"""// Streamlit's own strings in Chinese (ipdata/ui_strings.py; generated, do not edit).
(() => {
  "use strict";
  const TEXTS = __TEXTS__;
  const PATTERNS = __PATTERNS__.map(([p, r]) => [new RegExp(p), r]);
  const ATTRIBUTES = __ATTRIBUTES__;
  const BLOCKS = __BLOCKS__;
  const latin = /[A-Za-z]/;
  const squeeze = (s) => s.replace(/\s+/g, "");
  document.documentElement.lang = "__LANG__";

  function chinese(text) {
    if (!text || !latin.test(text)) return null;
    const key = text.trim();
    if (Object.prototype.hasOwnProperty.call(TEXTS, key)) return TEXTS[key];
    for (const [re, rep] of PATTERNS) if (re.test(key)) return key.replace(re, rep);
    return null;
  }
  function textNode(node) {
    const parent = node.parentElement;
    if (parent && parent.closest('[translate="no"]')) return;  // a material icon: its name is its glyph
    const zh = chinese(node.nodeValue);
    if (zh !== null && zh !== node.nodeValue) node.nodeValue = zh;
  }
  function attribute(el, name) {
    const zh = chinese(el.getAttribute(name));
    if (zh !== null) el.setAttribute(name, zh);
  }
  function element(el) {
    for (const name of ATTRIBUTES) if (el.hasAttribute(name)) attribute(el, name);
    if (el.tagName === "P" && latin.test(el.textContent || "")) {
      const key = squeeze(el.textContent);
      if (Object.prototype.hasOwnProperty.call(BLOCKS, key)) el.textContent = BLOCKS[key];
    }
  }
  function tree(root) {
    if (root.nodeType === Node.TEXT_NODE) return textNode(root);
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    element(root);
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    while (walk.nextNode()) {
      const n = walk.currentNode;
      if (n.nodeType === Node.TEXT_NODE) textNode(n); else element(n);
    }
  }
  const observer = new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "characterData") textNode(r.target);
      else if (r.type === "attributes") attribute(r.target, r.attributeName);
      else for (const n of r.addedNodes) tree(n);
    }
  });
  observer.observe(document.documentElement, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRIBUTES,
  });
  tree(document.documentElement);
})();
"""


def script() -> str:
    """The translating script, with the dictionary and patterns above built in."""
    return (_SCRIPT.replace("__TEXTS__", json.dumps(TEXTS, ensure_ascii=False))
            .replace("__PATTERNS__", json.dumps(PATTERNS, ensure_ascii=False))
            .replace("__ATTRIBUTES__", json.dumps(list(ATTRIBUTES)))
            .replace("__BLOCKS__", json.dumps(_BLOCKS, ensure_ascii=False))
            .replace("__LANG__", LANG))
