/* Reading offline on a phone (sitekit/pwa.py builds the worker; markup in overrides/partials/pwa.html).
   - Registers the service worker (sw.js at the site's root; its scope is the root, so the site
     works under any sub-path), after the page has loaded. Over http(s) only: opened from disk
     (file://) or from the zip, this script does nothing and the site works as before.
   - First visit: the page and the search index were loaded before the worker existed; once it
     controls the page they are fetched again through it, so both are there offline.
   - "Tải toàn bộ để đọc khi mất mạng": shows the size first (assets/pwa/summary.json), then
     fetches every file of assets/pwa/files.json through the worker, which keeps each one, with
     a progress bar. A second save fetches only files that changed (their hash) or are missing.
   - Updates: a new version waits; the reader sees "Có bản mới — tải lại", and only that button
     switches versions and reloads. Nothing changes under a page being read. */
(function () {
  "use strict";

  var box = document.querySelector(".kb-pwa");
  var sw = navigator.serviceWorker;
  if (!box || !sw || !window.caches || !/^https?:$/.test(location.protocol)) return;

  var root = new URL(box.getAttribute("data-kb-root"), location.href).href;
  var savedKey = "kb-pwa:" + new URL(root).pathname + ":saved";
  var notice = document.querySelector(".kb-pwa-update");
  var sizeText = box.querySelector(".kb-pwa__size");
  var button = box.querySelector(".kb-pwa__save");
  var bar = box.querySelector(".kb-pwa__progress");
  var status = box.querySelector(".kb-pwa__status");
  var hadController = !!sw.controller;
  var chose = false; // this tab asked for the new version
  var registration = null;
  // Made when a size is first shown: building it loads ICU data, which every page would
  // otherwise pay on load (about 75 ms with the CPU slowed 4x, as Lighthouse measures).
  var number = null;

  function noop() {}

  function size(bytes) {
    if (!number) number = new Intl.NumberFormat("vi", { maximumFractionDigits: 1 });
    return bytes < 100000 ? number.format(Math.max(1, Math.round(bytes / 1000))) + " KB"
      : number.format(Math.round(bytes / 100000) / 10) + " MB";
  }

  function getJSON(rel) {
    return fetch(root + rel, { cache: "no-cache" }).then(function (r) {
      if (!r.ok) throw new Error(rel + ": " + r.status);
      return r.json();
    });
  }

  function readSaved() {
    try { return JSON.parse(localStorage.getItem(savedKey)) || { version: null, files: {} }; }
    catch (e) { return { version: null, files: {} }; }
  }

  function writeSaved(version, files) {
    try { localStorage.setItem(savedKey, JSON.stringify({ version: version, files: files })); } catch (e) { /* full */ }
  }

  // -- updates ------------------------------------------------------------------------------
  function offerUpdate() {
    if (!notice) return;
    notice.hidden = false;
  }

  if (notice) {
    notice.querySelector("button").addEventListener("click", function () {
      chose = true;
      var waiting = registration && registration.waiting;
      if (waiting) waiting.postMessage({ type: "SKIP_WAITING" });
      else location.reload();
    });
  }

  sw.addEventListener("controllerchange", function () {
    if (chose) { location.reload(); return; }
    if (hadController) { offerUpdate(); return; } // switched from another tab: reload when the reader chooses
    hadController = true;
    warmUp();
  });

  // From the browser's HTTP cache when it still has them: no second download.
  function warmUp() {
    var here = location.href.split("#")[0];
    [here, root + "search/search_index.json"].forEach(function (url) {
      fetch(url, { cache: "force-cache" }).then(function (r) { return r.blob(); }).catch(noop);
    });
  }

  function watch(reg) {
    if (!reg) return;  // service workers blocked by the browser or its settings: nothing to watch
    registration = reg;
    if (reg.waiting && sw.controller) offerUpdate();
    reg.addEventListener("updatefound", function () {
      var w = reg.installing;
      if (!w) return;
      w.addEventListener("statechange", function () {
        if (w.state === "installed" && sw.controller) offerUpdate();
      });
    });
    // Look for a new version when the reader comes back to the page, and every hour.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") reg.update().catch(noop);
    });
    setInterval(function () { reg.update().catch(noop); }, 3600000);
  }

  function start() {
    sw.register(root + "sw.js", { scope: root, updateViaCache: "none" }).then(watch, function () {
      box.hidden = true; // no worker here (`mkdocs serve`) or refused: nothing to offer
    });
  }

  // -- save the whole site --------------------------------------------------------------------
  function showSize() {
    getJSON("assets/pwa/summary.json").then(function (s) {
      var saved = readSaved();
      var what = "Tải về khoảng " + size(s.gzip_bytes) + " (" + s.files + " tệp, chiếm khoảng " +
        size(s.bytes) + " trên máy).";
      if (saved.version === s.version) {
        sizeText.textContent = "Toàn bộ trang đã được lưu trên máy này. " + what;
      } else if (saved.version) {
        sizeText.textContent = "Bản đã lưu trên máy là bản cũ: bấm nút để cập nhật, chỉ những tệp đã " +
          "thay đổi được tải lại. " + what;
      } else {
        sizeText.textContent = what;
      }
    }).catch(function () {
      sizeText.textContent = "Chưa đọc được dung lượng (máy đang mất mạng?).";
    });
  }

  function controlled() {
    return sw.ready.then(function () {
      if (sw.controller) return;
      return new Promise(function (resolve) { sw.addEventListener("controllerchange", resolve, { once: true }); });
    });
  }

  function stored(url, tries) {
    return caches.match(url).then(function (r) {
      if (r || !tries) return !!r;
      return new Promise(function (res) { setTimeout(res, 100); }).then(function () { return stored(url, tries - 1); });
    });
  }

  // Pages saved earlier that the site no longer has: removed from the phone.
  function dropRemovedPages(list) {
    var keep = {};
    list.forEach(function (f) { keep[root + f[0]] = true; });
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n.indexOf("kb-site-") === 0; }).map(function (n) {
        return caches.open(n).then(function (cache) {
          return cache.keys().then(function (requests) {
            return Promise.all(requests.filter(function (r) {
              return r.url.indexOf(root) === 0 && /\.html$/.test(r.url) && !keep[r.url];
            }).map(function (r) { return cache.delete(r); }));
          });
        });
      }));
    });
  }

  function save() {
    button.disabled = true;
    bar.hidden = false;
    bar.removeAttribute("value");
    status.textContent = "Đang chuẩn bị…";
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(noop);
    var all, before = readSaved(), done = 0, doneBytes = 0, totalBytes = 0, failed = [];
    controlled().then(function () {
      return getJSON("assets/pwa/files.json");
    }).then(function (data) {
      all = data;
      // Unchanged files already on the phone are not fetched again.
      return Promise.all(all.list.map(function (f) {
        if (before.files[f[0]] !== f[3]) return f;
        return caches.match(root + f[0]).then(function (r) { return r ? null : f; });
      }));
    }).then(function (todo) {
      todo = todo.filter(Boolean);
      todo.forEach(function (f) { totalBytes += f[2]; });
      bar.max = Math.max(1, todo.length);
      bar.value = 0;
      var next = 0;
      function progress() {
        bar.value = done;
        status.textContent = "Đang lưu: " + done + "/" + todo.length + " tệp (" + size(doneBytes) + " / " +
          size(totalBytes) + ").";
      }
      function worker() {
        if (next >= todo.length) return Promise.resolve();
        var f = todo[next++];
        var url = root + f[0];
        return fetch(url, { cache: "no-cache" }).then(function (r) {
          if (!r.ok) throw new Error(String(r.status));
          return r.blob();
        }).then(function () {
          return stored(url, 20);
        }).then(function (ok) {
          if (!ok) failed.push(f[0]);
        }, function () {
          failed.push(f[0]);
        }).then(function () {
          done += 1;
          doneBytes += f[2];
          progress();
          return worker();
        });
      }
      progress();
      return Promise.all([worker(), worker(), worker(), worker()]);
    }).then(function () {
      return dropRemovedPages(all.list);
    }).then(function () {
      var files = {};
      all.list.forEach(function (f) { if (failed.indexOf(f[0]) < 0) files[f[0]] = f[3]; });
      writeSaved(failed.length ? before.version : all.version, files);
      bar.hidden = true;
      if (failed.length) {
        status.textContent = "Chưa lưu được " + failed.length + " tệp (mạng chập chờn?). Bấm nút lần nữa " +
          "để lưu tiếp; những tệp đã lưu vẫn được giữ.";
      } else {
        status.textContent = "Đã lưu toàn bộ " + all.list.length + " tệp: có thể đọc mọi trang và tìm kiếm " +
          "khi mất mạng.";
        showSize();
      }
    }).catch(function () {
      bar.hidden = true;
      status.textContent = "Không tải được danh sách tệp (máy đang mất mạng?). Khi có mạng, hãy bấm lại.";
    }).then(function () {
      button.disabled = false;
    });
  }

  box.addEventListener("toggle", function () { if (box.open) showSize(); });
  button.addEventListener("click", save);

  // After the page has loaded and the browser is idle: the shell's download never competes
  // with the page the reader opened.
  function later() {
    if (window.requestIdleCallback) requestIdleCallback(start, { timeout: 3000 });
    else setTimeout(start, 0);
  }
  if (document.readyState === "complete") later();
  else window.addEventListener("load", later);
})();
