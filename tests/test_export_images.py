"""Server-side images via kaleido + chromium: slide-sized PNG, SVG with Chinese text, the font
check. Each render takes ~1 s warm (~5 s cold), so there are few of them."""

import io
import struct
import threading
import zipfile

import pytest

from ipdata import service
from ipdata.errors import IpdataError
from ipdata.outputs import render
from ipdata.outputs.charts import png_zip, selection_figures
from ipdata.outputs.deck import Inputs


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def figs(tmp_path_factory):
    store = service.open_store(tmp_path_factory.mktemp("img") / "demo.duckdb")
    service.load_demo(store)
    return selection_figures(Inputs.from_store(store), goals=["hv_invention_per10k", "ip_standard_units_new"])


def test_png_zip_holds_one_slide_sized_png_per_chart(figs):
    with zipfile.ZipFile(io.BytesIO(png_zip(figs))) as z:
        names = z.namelist()
        assert names == ["万人高价值发明专利拥有量_全区.png", "新增贯标单位_全区.png"]
        assert [png_size(z.read(n)) for n in names] == [(1920, 1080), (1920, 1080)]


def test_svg_of_a_goal_chart_holds_its_chinese_title_as_text(figs):
    svg = render.to_svg(figs["万人高价值发明专利拥有量_全区"]).decode("utf-8")
    assert svg.startswith("<svg") and 'width="960"' in svg
    assert ">万人高价值发明专利拥有量</text>" in svg
    assert "示例数据" in svg  # the demo mark travels with the image


def test_concurrent_renders_each_get_their_own_image(figs):
    a, b = figs.values()
    expected = {id(a): render.to_png(a), id(b): render.to_png(b)}
    assert expected[id(a)] != expected[id(b)]
    got, errors = {}, []

    def work(i, fig):
        try:
            got[i] = (id(fig), render.to_png(fig))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i, (a, b)[i % 2])) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(png == expected[fid] for fid, png in got.values())


def test_cjk_font_check_fails_with_a_chinese_message(monkeypatch):
    monkeypatch.setattr(render, "_fc_list", lambda: "")
    with pytest.raises(IpdataError, match="找不到中文字体") as info:
        render.check_cjk_font()
    assert "fonts-noto-cjk" in info.value.hint


def test_cjk_font_check_names_the_font_found(monkeypatch):
    monkeypatch.setattr(render, "_fc_list", lambda: "DejaVu Serif\nNoto Sans CJK SC,Noto Sans CJK SC Regular\n")
    assert render.check_cjk_font().startswith("Noto Sans CJK SC")
    monkeypatch.undo()
    assert render.check_cjk_font()  # this machine has one (make sysdeps installs it)


def test_renderer_refuses_to_start_without_a_chinese_font(monkeypatch):
    monkeypatch.setattr(render, "_fc_list", lambda: "")
    fresh = render._Browser()
    with pytest.raises(IpdataError, match="找不到中文字体"):
        fresh.start()
    assert fresh.loop is None


def test_unknown_format_is_refused(figs):
    with pytest.raises(IpdataError, match="不支持的图片格式"):
        render.render(next(iter(figs.values())), "gif")
