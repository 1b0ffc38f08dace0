/* Needs self-check (cong-cu/tu-danh-gia.html). The page already holds every role, ability and
   suggestion (overrides/kb/needs_check.html, from data/needs.yml); this script only shows the
   chosen role's abilities and the suggestions covering what is not ticked, writes the summary
   with textContent, and prints. It sends nothing and stores nothing (no storage, no cookie), so
   it works the same from file:// with no network. */
(function () {
  "use strict";

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function setUp(root) {
    var roles = root.querySelectorAll('input[name="kb-needs-role"]');
    var sets = root.querySelectorAll("fieldset[data-role]");
    var hint = root.querySelector("[data-needs-hint]");
    var status = root.querySelector("[data-needs-status]");
    var summary = root.querySelector("[data-needs-summary]");
    var roleOut = root.querySelector("[data-needs-role]");
    var doneOut = root.querySelector("[data-needs-done]");
    var todoOut = root.querySelector("[data-needs-todo]");
    var lists = root.querySelectorAll("[data-needs-list]");
    var printButton = root.querySelector("[data-needs-print]");

    function chosenRole() {
      var value = "";
      each(roles, function (r) { if (r.checked) value = r.value; });
      return value;
    }

    function fill(list, texts) {
      while (list.firstChild) list.removeChild(list.firstChild);
      each(texts, function (t) {
        var li = document.createElement("li");
        li.textContent = t;
        list.appendChild(li);
      });
      if (!texts.length) {
        var none = document.createElement("li");
        none.textContent = "Không có.";
        list.appendChild(none);
      }
    }

    function update() {
      var role = chosenRole();
      var done = [], todo = [], todoIds = {};
      var roleName = "";
      each(sets, function (fs) {
        var active = fs.getAttribute("data-role") === role;
        fs.hidden = !active;
        if (!active) return;
        roleName = fs.getAttribute("data-role-name") || "";
        each(fs.querySelectorAll('input[type="checkbox"]'), function (box) {
          var text = root.querySelector('label[for="' + box.id + '"]').textContent;
          if (box.checked) {
            done.push(text);
          } else {
            todo.push(text);
            todoIds[box.value] = true;
          }
        });
      });
      if (hint) hint.hidden = !!role;
      var counts = [];
      each(lists, function (list) {
        var shown = 0;
        each(list.querySelectorAll("li[data-covers]"), function (li) {
          var covers = li.getAttribute("data-covers").split(" ");
          var needed = !role || covers.some(function (c) { return todoIds[c]; });
          li.hidden = !needed;
          if (needed) shown += 1;
        });
        var none = list.querySelector("[data-needs-none]");
        if (none) none.hidden = shown > 0;
        counts.push(shown);
      });
      if (!role) {
        summary.hidden = true;
        status.textContent = "Chưa chọn vai trò: dưới đây là mọi gợi ý của trang.";
        return;
      }
      summary.hidden = false;
      roleOut.textContent = roleName;
      fill(doneOut, done);
      fill(todoOut, todo);
      status.textContent = todo.length
        ? "Còn " + todo.length + " việc chưa làm được. Gợi ý: " + counts[0] + " chương trình học, " +
          counts[1] + " giải pháp, " + counts[2] + " văn bản, " + counts[3] + " mẫu biểu."
        : "Bạn đã đánh dấu làm được mọi việc của vai trò này.";
    }

    root.classList.add("kb-needs--live");
    root.addEventListener("change", update);
    if (printButton) {
      printButton.addEventListener("click", function () { window.print(); });
      root.querySelector("[data-needs-actions]").hidden = false;
    }
    update();
  }

  function start() {
    each(document.querySelectorAll("[data-kb-needs]"), setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
