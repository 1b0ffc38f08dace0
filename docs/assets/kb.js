/* Programme catalogue (khoa-hoc/index.html): filter by level, mode and audience, and sort by
   column. Plain JavaScript with no library and no request, so it also works when the site is
   opened from disk (file://). Without JavaScript the form stays hidden and the full table shows.
   Markup: overrides/kb/programme_table.html. */
(function () {
  "use strict";

  // Made on the first sort only: building a Vietnamese collator loads ICU data, about 25 ms on a
  // slow phone, which every other page would pay on load for nothing.
  var collator = null;
  function compareText(x, y) {
    if (!collator) collator = new Intl.Collator("vi", { numeric: true, sensitivity: "base" });
    return collator.compare(x, y);
  }

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function announce(status, shown, total) {
    if (shown === total) {
      status.textContent = "Đang hiện tất cả " + total + " chương trình.";
    } else if (shown === 0) {
      status.textContent = "Không có chương trình nào khớp với bộ lọc. Chọn “Bỏ lọc” để xem lại toàn bộ.";
    } else {
      status.textContent = "Đang hiện " + shown + " trong số " + total + " chương trình.";
    }
  }

  function setUpFilters(box, rows) {
    var form = box.querySelector(".kb-filters");
    var status = box.querySelector(".kb-filters__status");
    if (!form || !status) return;
    var selects = form.querySelectorAll("select[data-filter]");

    function apply() {
      var shown = 0;
      each(rows, function (tr) {
        var ok = true;
        each(selects, function (sel) {
          if (!sel.value) return;
          var values = (tr.getAttribute("data-" + sel.getAttribute("data-filter")) || "").split(" ");
          if (values.indexOf(sel.value) < 0) ok = false;
        });
        tr.hidden = !ok;
        if (ok) shown += 1;
      });
      announce(status, shown, rows.length);
    }

    each(selects, function (sel) { sel.addEventListener("change", apply); });
    // "Bỏ lọc" resets the selects; apply once the browser has done it.
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
    form.hidden = false;
    status.hidden = false;
    apply();
  }

  function sortKey(tr, col) {
    var cell = tr.cells[col];
    if (!cell) return "";
    var key = cell.getAttribute("data-sort");
    return key !== null ? key : cell.textContent.trim();
  }

  function setUpSorting(table, rows) {
    var tbody = table.tBodies[0];
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    each(headers, function (th, col) {
      if (!th.hasAttribute("data-sortable")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "kb-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        each(headers, function (other) {
          if (other.hasAttribute("data-sortable")) other.setAttribute("aria-sort", "none");
        });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var sorted = Array.prototype.slice.call(rows).sort(function (a, b) {
          var x = sortKey(a, col), y = sortKey(b, col);
          var nx = parseFloat(x), ny = parseFloat(y);
          var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : compareText(x, y);
          return ascending ? c : -c;
        });
        each(sorted, function (tr) { tbody.appendChild(tr); });
      });
    });
  }

  function init() {
    each(document.querySelectorAll(".kb-catalogue"), function (box) {
      var table = box.querySelector("table");
      if (!table || !table.tBodies.length) return;
      var rows = Array.prototype.slice.call(table.tBodies[0].rows);
      setUpFilters(box, rows);
      setUpSorting(table, rows);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
