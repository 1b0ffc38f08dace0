/* Search results -> highlighted words on the page that opens (and, at the end, closing a
 * result's other passages scrolls back to them).
 *
 * Material adds ?h=<query terms> to each result link, and the page that opens highlights those
 * terms literally. With Vietnamese search that ignores tone marks (see
 * overrides/assets/javascripts/kb-search-worker.js), a query "dao tao" finds "đào tạo",
 * which the literal "dao tao" would not highlight. So each result link's ?h= is rewritten to the
 * words the result itself shows highlighted ("đào tạo"), as written on the page.
 */
(function () {
  "use strict";
  var EDGES = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

  function rewrite(link) {
    var seen = [];
    var marks = link.querySelectorAll("mark");
    for (var j = 0; j < marks.length; j++) {
      var word = marks[j].textContent.normalize("NFC").toLowerCase().replace(EDGES, "");
      if (word && seen.indexOf(word) < 0)
        seen.push(word);
    }
    if (!seen.length)
      return;
    var url = new URL(link.href);
    if (!url.searchParams.has("h"))
      return;  // feature search.highlight is off
    url.searchParams.set("h", seen.join(" "));
    if (link.href !== url.href)
      link.href = url.href;
  }

  // A link is rewritten when it is about to be used (pressed, focused, clicked, or its menu
  // opened), not whenever results are drawn: drawing results stays as cheap as Material's own.
  function onUse(event) {
    var link = event.target instanceof Element && event.target.closest("a.md-search-result__link");
    if (link)
      rewrite(link);
  }

  ["pointerdown", "focusin", "click", "auxclick", "contextmenu"].forEach(function (type) {
    document.addEventListener(type, onUse, true);
  });

  // Closing a result's other passages ("2 từ khác trong trang"): Material scrolls the search box
  // back to the closed block when its top has gone above the box, using its offsetTop. Each
  // result is drawn only when in view (content-visibility in kb.css), which makes it a layout
  // container, so offsetTop counts from the result, not the box, and Material would jump near
  // the top of the list. The same behaviour here, measured from the box; Material's own
  // listener (on the block) does not run.
  document.addEventListener("toggle", function (event) {
    var more = event.target;
    if (!(more instanceof Element) || !more.matches("details.md-search-result__more"))
      return;
    event.stopPropagation();
    var box = more.closest(".md-search__scrollwrap");
    if (more.open || !box)
      return;
    var top = more.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
    if (top <= box.scrollTop)
      box.scrollTo({ top: top });
  }, true);
})();
