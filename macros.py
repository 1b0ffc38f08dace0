"""The macro vocabulary that pages use (mkdocs-macros `define_env`).

Each macro is a plain function with a Vietnamese docstring; the page "Macro cho người biên tập"
is generated from these docstrings, so it cannot drift from the code. Markup lives in Jinja
templates under `overrides/kb/`, not in Python strings. Data comes from `sitekit.data.load`,
checked before any page is rendered.
"""

from __future__ import annotations

from pathlib import Path

from sitekit import fmt, reference, toolmacros
from sitekit.data import DATA_FILES
from sitekit.issues import MacroError, unknown_id
from sitekit.sitebuild import SiteBuild


def _site_build(env) -> SiteBuild:
    """The build's shared state from the sitekit plugin; a build without it (another engine,
    a test) gets its own."""
    conf = getattr(env, "conf", None)
    plugin = conf["plugins"].get("sitekit") if conf is not None else None
    site = getattr(plugin, "site", None)
    return site if site is not None else SiteBuild(Path(env.project_dir))


def define_env(env):
    site = _site_build(env)
    env.variables["kb"] = site.data  # the checked data, for the few pages that loop over it
    vocabulary = Vocabulary(site, env)
    for name in MACROS:
        env.macro(getattr(vocabulary, name), name)
    # The page vocabulary: these macros and the data, nothing else (the page checks refuse any
    # other name before a page renders, and pages render in a sandbox that offers only these).
    toolmacros.register(env, site.data, site.renderer)  # forms, needs self-check, rules, year cycle
    site.page_globals = {name: fn for name, fn in env.macros.items()
                         if getattr(fn, "__module__", "") in ("macros", toolmacros.__name__)}
    site.known_names = set(site.page_globals) | {"kb"}


class Vocabulary:
    """The macros, one method each; the Vietnamese docstring is what editors read."""

    def __init__(self, site: SiteBuild, env):
        self.r = site.renderer
        self.data = site.data
        self.root = site.root
        self._env = env

    def _figure(self, fid):
        return self.r.get("figures", fid)

    def fig(self, id: str, unit: bool = False) -> str:
        """Một con số lấy từ data/figures.yml, viết theo kiểu Việt Nam (dấu chấm ngăn hàng nghìn,
        dấu phẩy thập phân, ký hiệu % liền số).
        Di chuột hoặc chạm vào số để xem nguồn. Số tính toán ghi rõ cách tính.
        unit=True thêm đơn vị tính (trong data/figures.yml) sau số.
        Ví dụ: {{ fig("cb-tong") }} người; {{ fig("dt-tap-huan-luot", unit=True) }}"""
        return self.r.figure_span(self._figure(id), with_unit=unit)

    def share(self, part: str, whole: str, digits: int = 1) -> str:
        """Tỷ lệ phần trăm tính từ hai con số (phần / tổng × 100), có ghi là số tính toán.
        Ví dụ: {{ share("cb-khoi-dang", "cb-tong") }}"""
        return self.r.share_span(self._figure(part), self._figure(whole), digits)

    def value(self, id: str):
        """Giá trị của một con số đúng như ghi trong data/figures.yml (chưa định dạng, số thập phân
        dùng dấu chấm), để làm ví dụ cho người biên tập. Trang cho bạn đọc dùng fig(), không dùng
        value(). Ví dụ: {{ value("dt-trung-cap") }}"""
        f = self._figure(id)
        if f.derived:
            raise MacroError(f"\"{id}\" là số tính toán, không có giá trị ghi trong data/figures.yml.")
        return f.value

    def label(self, id: str) -> str:
        """Tên (nhãn) của một con số trong data/figures.yml. Ví dụ: {{ label("cb-tong") }}"""
        return self._figure(id).label

    def event(self, id: str) -> str:
        """Thời điểm của một mốc trong data/events.yml: ngày dạng 07/12/2020, hoặc năm, hoặc chữ
        như "đầu năm 2020" khi nguồn không nêu ngày. Ví dụ: {{ event("ket-thuc-cap-huyen") }}"""
        return self.r.event_when(self.r.get("events", id))

    def doc(self, id: str, full: bool = False) -> str:
        """Liên kết tới trang của một văn bản, ghi loại và số hiệu (ví dụ "Nghị định số 101/2017/NĐ-CP";
        luật ghi tên luật và số hiệu). full=True ghi đủ theo cách viết của văn bản hành chính:
        "Nghị định số 101/2017/NĐ-CP ngày 01/09/2017 của Chính phủ về …". Ví dụ: {{ doc("nd-101-2017") }}"""
        return self.r.document_link(self.r.get("documents", id), full=full)

    def doc_date(self, id: str, which: str = "date") -> str:
        """Ngày ban hành (which="date") hoặc ngày có hiệu lực (which="effective") của một văn bản,
        dạng 07/12/2020. Ví dụ: {{ doc_date("nd-171-2025", "effective") }}"""
        d = self.r.get("documents", id)
        if not d.get(which):
            raise MacroError(f"Văn bản \"{id}\" chưa có {which} trong data/documents.yml (chưa xác nhận); "
                             "không dùng macro doc_date cho văn bản này.")
        return fmt.date(d[which])

    def prog(self, id: str) -> str:
        """Liên kết tới trang của một chương trình đào tạo. Ví dụ: {{ prog("trung-cap-ly-luan-chinh-tri") }}"""
        return self.r.programme_link(self.r.get("programmes", id))

    def sol(self, id: str, short: bool = True) -> str:
        """Liên kết tới trang của một giải pháp, ghi "giải pháp 1" để đặt giữa câu (tên giải pháp hiện
        khi di chuột); short=False ghi đủ "Giải pháp 1: tên giải pháp", dùng cho danh sách.
        Ví dụ: {{ sol("giai-phap-1") }}"""
        return self.r.solution_link(self.r.get("solutions", id), short=short)

    def src(self, id: str) -> str:
        """Liên kết tới một nguồn trên trang Nguồn. Ví dụ: {{ src("bai-viet-2020") }}"""
        return self.r.source_link(self.r.get("sources", id))

    def status_checked(self) -> str:
        """Tháng kiểm tra tình trạng văn bản (dạng 11/2026), lấy từ data/documents.yml."""
        return fmt.month(self.data.status_checked)

    def report_contact(self) -> str:
        """Cách báo một chỗ sai không cần GitHub: đầu mối trong data/contact.yml (thư điện tử,
        điện thoại, địa chỉ) nếu đã điền, và luôn có cách gửi bằng văn bản, phiếu in được."""
        return self.r.render("report_contact.html", c=self.data.raw["contact"]["contact"],
                             site_name=self._env.conf["site_name"])

    def quote(self) -> str:
        """Câu trích Nghị quyết Đại hội Đảng bộ huyện nhiệm kỳ 2020–2025, kèm nguồn."""
        return self.r.render("quote.html", resolution=self.data.resolution)

    def weakness(self, id: str) -> str:
        """Tên một hạn chế trong data/solutions.yml. Ví dụ: {{ weakness("han-che-danh-gia") }}"""
        return self.r.get("weaknesses", id)["title"]

    def weakness_list(self) -> str:
        """Danh sách các hạn chế bài viết nêu, mỗi hạn chế kèm các giải pháp khắc phục nó."""
        return self.r.render("weakness_list.html")

    def solution_cards(self) -> str:
        """Năm giải pháp dạng thẻ, mỗi thẻ có tên, tóm tắt và liên kết."""
        return self.r.render("solution_cards.html")

    def solution_related(self, id: str) -> str:
        """Khối "Liên quan" cho trang giải pháp: hạn chế được khắc phục, chương trình và văn bản
        phục vụ giải pháp. Ví dụ: {{ solution_related("giai-phap-2") }}"""
        return self.r.render("solution_related.html", s=self.r.get("solutions", id))

    def figure_table(self, ids: list, caption: str, name: str = "") -> str:
        """Bảng các con số (cột: nội dung, số liệu, thời điểm, nguồn). name đặt tên cho bảng
        (dùng làm tên tệp CSV/JSON tải về). Ví dụ: {{ figure_table(["cb-khoi-dang", "cb-khoi-nha-nuoc"], "Theo khối") }}"""
        return self.r.render("figure_table.html", figs=[self._figure(i) for i in ids], caption=caption, name=name)

    def chart(self, id: str) -> str:
        """Biểu đồ thanh vẽ từ số liệu khi dựng trang (khai báo trong charts của data/figures.yml).
        Có tiêu đề, mô tả cho trình đọc màn hình, bảng số liệu kèm theo và tệp CSV/JSON tải về.
        Sửa con số trong data/figures.yml thì biểu đồ vẽ lại theo. Ví dụ: {{ chart("doi-ngu-theo-khoi") }}"""
        return self.r.render("chart.html", c=self.r.get("charts", id))

    def group_table(self, id: str) -> str:
        """Bảng một nhóm tỷ lệ trong data/figures.yml (groups), kèm phần bài viết không nêu nếu có.
        Ví dụ: {{ group_table("trinh-do-chuyen-mon") }}"""
        return self.r.render("group_table.html", g=self.r.get("groups", id))

    def results_table(self) -> str:
        """Bảng kết quả đào tạo, bồi dưỡng 2015–2020 theo chương trình và hình thức học."""
        return self.r.render("results_table.html")

    def programme_table(self) -> str:
        """Bảng danh mục chương trình đào tạo, bồi dưỡng (có bộ lọc theo cấp, hình thức, đối tượng)."""
        return self.r.render("programme_table.html")

    def document_register(self, topic: str = "") -> str:
        """Sổ đăng ký văn bản: số hiệu, loại, cơ quan ban hành, ngày, nội dung, tình trạng,
        văn bản thay thế. topic lọc theo chủ đề (mã trong labels.topics của data/documents.yml).
        Ví dụ: {{ document_register("nong-thon-moi") }}"""
        if topic and topic not in self.data.document_labels["topics"]:
            raise MacroError(unknown_id("chủ đề", topic, self.data.document_labels["topics"], "data/documents.yml"))
        return self.r.render("document_table.html", topic=topic)

    def sources_list(self) -> str:
        """Danh sách đầy đủ các nguồn trong data/sources.yml, mỗi nguồn có một neo để liên kết tới."""
        return self.r.render("sources_list.html")

    def programme_page(self, id: str) -> str:
        """(Dùng cho trang sinh tự động.) Toàn bộ nội dung trang của một chương trình."""
        return self.r.render("programme_page.md", p=self.r.get("programmes", id))

    def document_page(self, id: str) -> str:
        """(Dùng cho trang sinh tự động.) Toàn bộ nội dung trang của một văn bản."""
        return self.r.render("document_page.md", d=self.r.get("documents", id))

    def data_dictionary(self) -> str:
        """(Dùng cho trang Từ điển dữ liệu.) Mọi tệp trong data/, mọi khóa, kiểu, bắt buộc hay
        không, ý nghĩa và giá trị cho phép, đọc từ các mẫu kiểm tra data/schema/*.schema.json."""
        return self.r.render("data_dictionary.md", files=reference.data_files(self.root, DATA_FILES), code=reference.code)

    def macro_reference(self) -> str:
        """(Dùng cho trang Macro.) Danh sách macro trong macros.py: cách gọi, tham số, giải thích
        và ví dụ, đọc từ chính mã nguồn."""
        found = reference.macros(self._env.macros)
        groups = [
            ("Macro dùng trong trang", "Viết macro ở đúng chỗ muốn hiện nội dung trên trang. Mã (id) trong ngoặc "
             "kép phải có trong tệp dữ liệu tương ứng; nếu gõ sai, bước kiểm tra báo lỗi kèm tên tệp và dòng.",
             [m for m in found if not m.internal]),
            ("Macro của trang sinh tự động", "Các macro này chỉ dùng cho trang do hệ thống tự sinh; người biên "
             "tập không cần dùng.", [m for m in found if m.internal]),
        ]
        return self.r.render("macro_reference.md", groups=groups, code=reference.code)




# Every macro, in the order the macro reference lists them.
MACROS = tuple(name for name in vars(Vocabulary) if not name.startswith("_"))
