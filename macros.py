"""The macro vocabulary that pages use (mkdocs-macros `define_env`).

Each macro is a plain function with a Vietnamese docstring; the page "Macro cho người biên tập"
is generated from these docstrings, so it cannot drift from the code. Markup lives in Jinja
templates under `overrides/kb/`, not in Python strings. Data comes from `sitekit.data.load`,
checked before any page is rendered.
"""

from __future__ import annotations

from sitekit import fmt
from pathlib import Path

from sitekit import reference
from sitekit import toolmacros
from sitekit.data import DATA_FILES, load_cached
from sitekit.render import Renderer


class MacroError(Exception):
    """A macro was called with something that is not in data/: the build stops with this text."""


def define_env(env):
    root = Path(env.project_dir)
    data = load_cached(root)
    r = Renderer(data, lambda: env.page, root)
    env.variables["kb"] = data

    def _figure(fid):
        if fid not in data.figures:
            raise MacroError(r.unknown("số liệu", fid, data.figures, "data/figures.yml"))
        return data.figures[fid]

    @env.macro
    def fig(id: str, unit: bool = False) -> str:
        """Một con số lấy từ data/figures.yml, viết theo kiểu Việt Nam (dấu chấm ngăn hàng nghìn,
        dấu phẩy thập phân, ký hiệu % liền số).
        Di chuột hoặc chạm vào số để xem nguồn. Số tính toán ghi rõ cách tính.
        unit=True thêm đơn vị tính (trong data/figures.yml) sau số.
        Ví dụ: {{ fig("cb-tong") }} người; {{ fig("dt-tap-huan-luot", unit=True) }}"""
        return r.figure_span(_figure(id), with_unit=unit)

    @env.macro
    def share(part: str, whole: str, digits: int = 1) -> str:
        """Tỷ lệ phần trăm tính từ hai con số (phần / tổng × 100), có ghi là số tính toán.
        Ví dụ: {{ share("cb-khoi-dang", "cb-tong") }}"""
        return r.share_span(_figure(part), _figure(whole), digits)

    @env.macro
    def value(id: str):
        """Giá trị của một con số đúng như ghi trong data/figures.yml (chưa định dạng, số thập phân
        dùng dấu chấm), để làm ví dụ cho người biên tập. Trang cho bạn đọc dùng fig(), không dùng
        value(). Ví dụ: {{ value("dt-trung-cap") }}"""
        f = _figure(id)
        if f.derived:
            raise MacroError(f"\"{id}\" là số tính toán, không có giá trị ghi trong data/figures.yml.")
        return f.value

    @env.macro
    def label(id: str) -> str:
        """Tên (nhãn) của một con số trong data/figures.yml. Ví dụ: {{ label("cb-tong") }}"""
        return _figure(id).label

    @env.macro
    def event(id: str) -> str:
        """Thời điểm của một mốc trong data/events.yml: ngày dạng 07/12/2020, hoặc năm, hoặc chữ
        như "đầu năm 2020" khi nguồn không nêu ngày. Ví dụ: {{ event("ket-thuc-cap-huyen") }}"""
        return r.event_when(r.get(data.events, "mốc thời gian", id, "data/events.yml"))

    @env.macro
    def doc(id: str, full: bool = False) -> str:
        """Liên kết tới trang của một văn bản, ghi loại và số hiệu (ví dụ "Nghị định 101/2017/NĐ-CP").
        full=True ghi thêm tên văn bản. Ví dụ: {{ doc("nd-101-2017") }}"""
        return r.document_link(r.get(data.documents, "văn bản", id, "data/documents.yml"), full=full)

    @env.macro
    def doc_date(id: str, which: str = "date") -> str:
        """Ngày ban hành (which="date") hoặc ngày có hiệu lực (which="effective") của một văn bản,
        dạng 07/12/2020. Ví dụ: {{ doc_date("nd-171-2025", "effective") }}"""
        d = r.get(data.documents, "văn bản", id, "data/documents.yml")
        if not d.get(which):
            raise MacroError(f"Văn bản \"{id}\" chưa có {which} trong data/documents.yml (chưa xác nhận); "
                             "không dùng macro doc_date cho văn bản này.")
        return fmt.date(d[which])

    @env.macro
    def prog(id: str) -> str:
        """Liên kết tới trang của một chương trình đào tạo. Ví dụ: {{ prog("trung-cap-ly-luan-chinh-tri") }}"""
        return r.programme_link(r.get(data.programmes, "chương trình", id, "data/programmes.yml"))

    @env.macro
    def sol(id: str, short: bool = False) -> str:
        """Liên kết tới trang của một giải pháp, ghi "Giải pháp 1: tên giải pháp";
        short=True chỉ ghi "giải pháp 1". Ví dụ: {{ sol("giai-phap-1") }}"""
        return r.solution_link(r.get(data.solutions, "giải pháp", id, "data/solutions.yml"), short=short)

    @env.macro
    def src(id: str) -> str:
        """Liên kết tới một nguồn trên trang Nguồn. Ví dụ: {{ src("bai-viet-2020") }}"""
        return r.source_link(r.get(data.sources, "nguồn", id, "data/sources.yml"))

    @env.macro
    def status_checked() -> str:
        """Tháng kiểm tra tình trạng văn bản (dạng 11/2026), lấy từ data/documents.yml."""
        return fmt.month(data.status_checked)

    @env.macro
    def quote() -> str:
        """Câu trích Nghị quyết Đại hội Đảng bộ huyện nhiệm kỳ 2020–2025, kèm nguồn."""
        return r.render("quote.html", resolution=data.resolution)

    @env.macro
    def weakness(id: str) -> str:
        """Tên một hạn chế trong data/solutions.yml. Ví dụ: {{ weakness("han-che-danh-gia") }}"""
        return r.get(data.weaknesses, "hạn chế", id, "data/solutions.yml")["title"]

    @env.macro
    def weakness_list() -> str:
        """Danh sách các hạn chế bài viết nêu, mỗi hạn chế kèm các giải pháp khắc phục nó."""
        return r.render("weakness_list.html")

    @env.macro
    def solution_cards() -> str:
        """Năm giải pháp dạng thẻ, mỗi thẻ có tên, tóm tắt và liên kết."""
        return r.render("solution_cards.html")

    @env.macro
    def solution_related(id: str) -> str:
        """Khối "Liên quan" cho trang giải pháp: hạn chế được khắc phục, chương trình và văn bản
        phục vụ giải pháp. Ví dụ: {{ solution_related("giai-phap-2") }}"""
        return r.render("solution_related.html", s=r.get(data.solutions, "giải pháp", id, "data/solutions.yml"))

    @env.macro
    def figure_table(ids: list, caption: str, name: str = "") -> str:
        """Bảng các con số (cột: nội dung, số liệu, thời điểm, nguồn). name đặt tên cho bảng
        (dùng làm tên tệp CSV/JSON tải về). Ví dụ: {{ figure_table(["cb-khoi-dang", "cb-khoi-nha-nuoc"], "Theo khối") }}"""
        return r.render("figure_table.html", figs=[_figure(i) for i in ids], caption=caption, name=name)

    @env.macro
    def chart(id: str) -> str:
        """Biểu đồ thanh vẽ từ số liệu khi dựng trang (khai báo trong charts của data/figures.yml).
        Có tiêu đề, mô tả cho trình đọc màn hình, bảng số liệu kèm theo và tệp CSV/JSON tải về.
        Sửa con số trong data/figures.yml thì biểu đồ vẽ lại theo. Ví dụ: {{ chart("doi-ngu-theo-khoi") }}"""
        return r.render("chart.html", c=r.get(data.charts, "biểu đồ", id, "data/figures.yml"))

    @env.macro
    def group_table(id: str) -> str:
        """Bảng một nhóm tỷ lệ trong data/figures.yml (groups), kèm phần bài viết không nêu nếu có.
        Ví dụ: {{ group_table("trinh-do-chuyen-mon") }}"""
        return r.render("group_table.html", g=r.get(data.groups, "nhóm tỷ lệ", id, "data/figures.yml"))

    @env.macro
    def results_table() -> str:
        """Bảng kết quả đào tạo, bồi dưỡng 2015–2020 theo chương trình và hình thức học."""
        return r.render("results_table.html")

    @env.macro
    def programme_table() -> str:
        """Bảng danh mục chương trình đào tạo, bồi dưỡng (có bộ lọc theo cấp, hình thức, đối tượng)."""
        return r.render("programme_table.html")

    @env.macro
    def document_register(topic: str = "") -> str:
        """Sổ đăng ký văn bản: số hiệu, loại, cơ quan ban hành, ngày, nội dung, tình trạng,
        văn bản thay thế. topic lọc theo chủ đề (mã trong labels.topics của data/documents.yml).
        Ví dụ: {{ document_register("nong-thon-moi") }}"""
        if topic and topic not in data.document_labels["topics"]:
            raise MacroError(r.unknown("chủ đề", topic, data.document_labels["topics"], "data/documents.yml"))
        return r.render("document_table.html", topic=topic)

    @env.macro
    def sources_list() -> str:
        """Danh sách đầy đủ các nguồn trong data/sources.yml, mỗi nguồn có một neo để liên kết tới."""
        return r.render("sources_list.html")

    @env.macro
    def programme_page(id: str) -> str:
        """(Dùng cho trang sinh tự động.) Toàn bộ nội dung trang của một chương trình."""
        return r.render("programme_page.md", p=r.get(data.programmes, "chương trình", id, "data/programmes.yml"))

    @env.macro
    def document_page(id: str) -> str:
        """(Dùng cho trang sinh tự động.) Toàn bộ nội dung trang của một văn bản."""
        return r.render("document_page.md", d=r.get(data.documents, "văn bản", id, "data/documents.yml"))

    @env.macro
    def data_dictionary() -> str:
        """(Dùng cho trang Từ điển dữ liệu.) Mọi tệp trong data/, mọi khóa, kiểu, bắt buộc hay
        không, ý nghĩa và giá trị cho phép, đọc từ các mẫu kiểm tra data/schema/*.schema.json."""
        return r.render("data_dictionary.md", files=reference.data_files(root, DATA_FILES), code=reference.code)

    @env.macro
    def macro_reference() -> str:
        """(Dùng cho trang Macro.) Danh sách macro trong macros.py: cách gọi, tham số, giải thích
        và ví dụ, đọc từ chính mã nguồn."""
        found = reference.macros(env.macros)
        groups = [
            ("Macro dùng trong trang", "Viết macro ở đúng chỗ muốn hiện nội dung trên trang. Mã (id) trong ngoặc "
             "kép phải có trong tệp dữ liệu tương ứng; nếu gõ sai, bước kiểm tra báo lỗi kèm tên tệp và dòng.",
             [m for m in found if not m.internal]),
            ("Macro của trang sinh tự động", "Các macro này chỉ dùng cho trang do hệ thống tự sinh; người biên "
             "tập không cần dùng.", [m for m in found if m.internal]),
        ]
        return r.render("macro_reference.md", groups=groups, code=reference.code)

    toolmacros.register(env, data, r)  # forms, needs self-check, rules, year cycle
