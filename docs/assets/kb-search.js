/* Search results -> highlighted words on the page that opens.
 *
 * Material adds ?h=<query terms> to each result link, and the page that opens highlights those
 * terms literally. With Vietnamese search that ignores tone marks (see
 * overrides/assets/javascripts/lunr/min/lunr.vi.min.js), a query "dao tao" finds "đào tạo",
 * which the literal "dao tao" would not highlight. So each result link's ?h= is rewritten to the
 * words the result itself shows highlighted ("đào tạo"), as written on the page.
 */
(function () {
  "use strict";
  var EDGES = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

  function rewrite(list) {
    var links = list.querySelectorAll("a.md-search-result__link");
    for (var i = 0; i < links.length; i++) {
      var link = links[i];
      var seen = [];
      var marks = link.querySelectorAll("mark");
      for (var j = 0; j < marks.length; j++) {
        var word = marks[j].textContent.normalize("NFC").toLowerCase().replace(EDGES, "");
        if (word && seen.indexOf(word) < 0)
          seen.push(word);
      }
      if (!seen.length)
        continue;
      var url = new URL(link.href);
      if (!url.searchParams.has("h"))
        continue;  // feature search.highlight is off
      url.searchParams.set("h", seen.join(" "));
      if (link.href !== url.href)
        link.href = url.href;
    }
  }

  function start() {
    var list = document.querySelector(".md-search-result__list");
    if (!list)
      return;
    new MutationObserver(function () { rewrite(list); })
      .observe(list, { childList: true, subtree: true });
  }

  if (document.readyState === "loading")
    document.addEventListener("DOMContentLoaded", start);
  else
    start();
})();
