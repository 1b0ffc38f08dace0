/* The search index is downloaded after the page, not with it (issue 16, Lighthouse).
   Material's bundle asks for search/search_index.json (XMLHttpRequest) as soon as it starts, on
   every page: about 150 KB over the network and a JSON parse on the main thread while the page
   is still being drawn. This file is loaded just before Material's bundle (extra.polyfills) and
   holds that one request back until one of:
     - the reader opens or focuses search (click, tap, or Material's keyboard shortcuts);
     - the address carries a query (index.html?q=...): Material opens search with it as it
       starts, and the index goes at the load event, right after the page's own files and
       first paint (asked for earlier, it competes with them on a slow network: Lighthouse
       counted it into the largest paint, 1.6 s -> 2.8 s, in about one run in three), or as
       soon as the reader taps or types in the search box, if that comes first;
     - the page has loaded and the browser is idle (at most 3 s later), so search is ready by
       the time most readers reach for it, and the index is kept for reading offline.
   Every other request goes through untouched. Over http(s) only: opened from disk (file://)
   Material reads search/search_index.js with a script tag instead, and this does nothing. */
(function () {
  "use strict";

  if (!/^https?:$/.test(location.protocol) || !window.XMLHttpRequest) return;

  var INDEX = /\/search\/search_index\.json$/;
  var waiting = [];
  var open = false;
  // index.html?q=...: Material focuses the search box itself while it starts; that is not the
  // reader reaching for search, so until the load event only the load event or the reader's
  // own tap or key press in the search box releases it.
  var query = /[?&]q=/.test(location.search);

  function release() {
    if (open) return;
    open = true;
    waiting.splice(0).forEach(function (send) { send(); });
  }

  function asked() {
    if (!query || document.readyState === "complete") release();
  }

  // Only a person's own tap or key press (Material's start-up focus and click are scripted).
  function reader(ev) {
    if (ev.isTrusted && ev.target && ev.target.closest && ev.target.closest(".md-search")) release();
  }

  // -- when to let the request go --------------------------------------------------------
  document.addEventListener("pointerdown", reader, true);
  document.addEventListener("keydown", reader, true);
  document.addEventListener("focusin", function (ev) {
    if (ev.target && ev.target.classList && ev.target.classList.contains("md-search__input")) asked();
  }, true);
  document.addEventListener("change", function (ev) {
    if (ev.target && ev.target.id === "__search") asked();
  }, true);
  window.addEventListener("load", function () {
    if (query) release();
    else if (window.requestIdleCallback) requestIdleCallback(release, { timeout: 3000 });
    else setTimeout(release, 0);
  });

  // -- the request itself ----------------------------------------------------------------
  var proto = XMLHttpRequest.prototype;
  var realOpen = proto.open;
  var realSend = proto.send;
  proto.open = function (method, url) {
    try {
      this.kbIndex = INDEX.test(new URL(String(url), location.href).pathname);
    } catch (e) {
      this.kbIndex = false;
    }
    return realOpen.apply(this, arguments);
  };
  proto.send = function () {
    var xhr = this, args = arguments;
    if (!xhr.kbIndex || open) return realSend.apply(xhr, args);
    waiting.push(function () { realSend.apply(xhr, args); });
  };
})();
