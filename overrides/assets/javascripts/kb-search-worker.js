/*
 * Search for this site (issue 13), in place of Material's lunr worker. Our own code, not
 * minified on purpose; no library. Why: lunr (Material's worker, with the project's lunr.vi
 * folding) was measured on the judged queries (tests/search_queries.yml): success@1 0.695,
 * MRR 0.746, and 3.2 s to be ready at 100x (BENCHMARKS.md). What the ranking needs is specific
 * to Vietnamese and to this site: syllable bigrams as terms, an exact key that treats old and
 * new tone placement alike, document numbers as one term, phrase-in-one-section scoring, and
 * Material's worker protocol (SETUP/READY/QUERY/RESULT) so its search box stays. MiniSearch and
 * FlexSearch give none of the first four out of the box (each would need custom tokenizers and
 * a scoring layer of about the size of this file) and were not measured side by side.
 *
 * Material's search box, result list and highlighting stay as they are: overrides/main.html
 * points Material's `search` worker address at this file, and this file answers Material's
 * worker messages (SETUP -> READY, QUERY -> RESULT) with the same result shape. It runs as a
 * web worker over http, and inside the iframe-worker shim when the site is opened from disk
 * (file://): the same code and the same data (search_index.json, or search_index.js from
 * disk), so the results are the same both ways.
 *
 * Vietnamese as people type it:
 *   - Unicode is composed (NFC) and lower-cased; tone and vowel marks are folded away and đ is
 *     d, so "nong thon moi" finds "nông thôn mới";
 *   - each word also has an exact key in which the tone mark is moved to the end of the
 *     syllable, so old and new tone placement are the same word (hoà = hòa, uỷ = ủy) and a
 *     query typed with marks ranks pages with those exact words above folded matches;
 *   - two neighbouring syllables form one more index term (a syllable bigram): Vietnamese
 *     words are mostly two syllables ("văn minh", "đô thị"), and a page that has the whole
 *     phrase has all of the query's bigrams;
 *   - a document number is one term as well as its parts: "171/2025/NĐ-CP" is indexed as
 *     171, 2025, nđ, cp and as 171/2025, 171/2025/nđ, 171/2025/nđ-cp;
 *   - a word not on the site is matched to words one letter away (typos), and the last word
 *     while it is being typed also matches longer words that start with it.
 *
 * Ranking, page by page: the whole phrase in one section > all words apart on the page > some
 * of them; then words in the page title or the section heading > in the body; exact tone marks
 * > folded; then how often and how rare the words are. Question words ("là gì", "bao nhiêu",
 * "ở đâu") are not required. Each result shows the passage that matched, with the matched
 * words marked as written on the page.
 */
(function () {
  "use strict";

  var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;

  var MARKS = /\p{M}/gu;
  var TONES = /[\u0300\u0301\u0303\u0309\u0323]/g;
  var CHUNK = /[\p{L}\p{N}\p{M}]+(?:[\/.\-][\p{L}\p{N}\p{M}]+)*/gu;
  var DIGIT = /\p{N}/u;
  var SEPARATOR = /([\/.\-])/;
  // "số" (number) before a document number: official names write it, readers do not type it.
  var NUMBER_WORD = /^số$/;

  // Words a question is made of, never required (exact keys, and folded keys that are not
  // also a content word once marks are gone).
  var OPTIONAL_EXACT = new Set(("gì đâu nào bao nhiêu lâu sao là có không ở của và cho được các những " +
    "một thì mà với về thế làm nên phải ai khi nay đã bị hay hoặc").split(" ").map(exactKey));
  var OPTIONAL_FOLDED = new Set("gi nhieu bao sao nao cua nhung duoc voi cac hoac".split(" "));

  var WEIGHT = { title: 15, titlePhrase: 10, bigram: 35, cover: 30, exact: 8, rel: 5, fit: 6, article: 1 };
  var SNIPPET_CHARS = 180;
  var SNIPPET_GROUPS = 20;   // result pages that get a passage; later ones show the title only
  var SECTIONS_SHOWN = 3;    // passages per result page
  var MAX_PAGES = 100;       // result pages listed (Material shows 10, then more on scrolling)

  /* -- normalisation ------------------------------------------------------------------ */

  var cache = new Map();

  function fold(word) {
    return word.replace(/đ/g, "d").normalize("NFD").replace(MARKS, "");
  }

  /* The word with its tone mark moved to the end: hoà and hòa give the same key */
  function exactKey(word) {
    var tone = "";
    var base = word.normalize("NFD").replace(TONES, function (m) { tone = m; return ""; });
    return base + tone;
  }

  /* [folded, exact] for a lower-case NFC word, cached */
  function keys(word) {
    var k = cache.get(word);
    if (k === undefined) {
      k = [fold(word), exactKey(word)];
      cache.set(word, k);
    }
    return k;
  }

  function plain(html) {
    return html.replace(/<[^>]*>/g, " ")
      .replace(/&(lt|gt|amp|quot|#39|#x27|nbsp);/g, function (m, e) {
        return { lt: "<", gt: ">", amp: "&", quot: "\"", "#39": "'", "#x27": "'", nbsp: " " }[e];
      })
      .replace(/\s+/g, " ").normalize("NFC");
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;" }[c];
    });
  }

  /*
   * Words and document-number compounds of a text, in order:
   * { words: [[folded, exact, raw]...], compounds: [folded...] }
   */
  function analyse(text) {
    var words = [], compounds = [];
    var lower = text.toLowerCase();
    var m, chunks = [];
    CHUNK.lastIndex = 0;
    while ((m = CHUNK.exec(lower)) !== null) chunks.push(m[0]);
    for (var c = 0; c < chunks.length; c++) {
      var chunk = chunks[c];
      // "Nghị định số 101/2017" is found as "nghị định 101" (sitekit/searchindex.py does the same).
      if (NUMBER_WORD.test(chunk.normalize("NFC")) && c + 1 < chunks.length && DIGIT.test(chunks[c + 1])) continue;
      var parts = chunk.split(SEPARATOR);
      for (var i = 0; i < parts.length; i += 2) {
        var k = keys(parts[i]);
        words.push([k[0], k[1], parts[i]]);
      }
      if (parts.length > 1 && DIGIT.test(chunk)) {
        var compound = keys(parts[0])[0];
        for (var j = 1; j < parts.length; j += 2) {
          compound += parts[j] + keys(parts[j + 1])[0];
          compounds.push(compound);
        }
      }
    }
    return { words: words, compounds: compounds };
  }

  /* -- index ---------------------------------------------------------------------------- */

  var docs = [];          // {location, title, text, plainTitle, plainText, page, article}
  // Terms get numbers; postings are flat arrays, filled in document order, so "is this
  // document already in the list" is a look at the list's end (no per-document maps).
  var termIds = new Map();    // folded word or compound -> id
  var postings = [];          // id -> [doc, tfBody, tfTitle, ...]
  var pairPostings = [];      // id -> Map(next word's id -> [doc, flags (1 body, 2 title), ...])
  var exactIds = new Map();   // exact key of a marked word -> id
  var exactPostings = [];     // id -> [doc, ...]
  var vocabulary = [];        // sorted folded words, for prefixes and typos
  var frequencies = [];       // id -> number of records with the term
  var raw = null;             // the prebuilt index, while parts of it are not decoded yet
  var docCount = 0;
  var averageLength = 1;
  var words = new Map();      // lower-case word as written -> [term id, exact id or -1]

  function termId(key) {
    var id = termIds.get(key);
    if (id === undefined) {
      id = postings.length;
      termIds.set(key, id);
      postings.push([]);
      pairPostings.push(null);
    }
    return id;
  }

  function wordIds(word) {
    var w = words.get(word);
    if (w === undefined) {
      var k = keys(word), e = -1;
      if (k[1] !== k[0]) {
        e = exactIds.get(k[1]);
        if (e === undefined) {
          e = exactPostings.length;
          exactIds.set(k[1], e);
          exactPostings.push([]);
        }
      }
      w = [termId(k[0]), e];
      words.set(word, w);
    }
    return w;
  }

  function count(id, doc, isTitle) {
    var list = postings[id], n = list.length;
    if (n && list[n - 3] === doc) list[n - (isTitle ? 1 : 2)]++;
    else list.push(doc, isTitle ? 0 : 1, isTitle ? 1 : 0);
  }

  /* Index one field of document `doc`; returns its number of words */
  function addField(text, doc, isTitle) {
    var lower = text.toLowerCase(), m, prev = -1, length = 0, flag = isTitle ? 2 : 1;
    CHUNK.lastIndex = 0;
    while ((m = CHUNK.exec(lower)) !== null) {
      var chunk = m[0];
      var parts = /[\/.\-]/.test(chunk) ? chunk.split(SEPARATOR) : [chunk];
      for (var i = 0; i < parts.length; i += 2) {
        var w = wordIds(parts[i]);
        length++;
        count(w[0], doc, isTitle);
        if (w[1] >= 0) {
          var ex = exactPostings[w[1]];
          if (ex[ex.length - 1] !== doc) ex.push(doc);
        }
        if (prev >= 0) {
          var next = pairPostings[prev] || (pairPostings[prev] = new Map()), pl = next.get(w[0]);
          if (pl === undefined) next.set(w[0], [doc, flag]);
          else if (pl[pl.length - 2] === doc) pl[pl.length - 1] |= flag;
          else pl.push(doc, flag);
        }
        prev = w[0];
      }
      if (parts.length > 1 && DIGIT.test(chunk)) {
        var compound = keys(parts[0])[0];
        for (var j = 1; j < parts.length; j += 2) {
          compound += parts[j] + keys(parts[j + 1])[0];
          count(termId(compound), doc, isTitle);
        }
      }
    }
    return length;
  }

  /* The index built here, from the records (used when search_index.json has no prebuilt one) */
  function build(list) {
    var pages = new Map(), totalLength = 0;
    docs = [];
    termIds = new Map();
    postings = [];
    pairPostings = [];
    exactIds = new Map();
    exactPostings = [];
    words = new Map();
    for (var i = 0; i < list.length; i++) {
      var d = list[i];
      var hash = d.location.indexOf("#");
      var pageLoc = hash < 0 ? d.location : d.location.slice(0, hash);
      var doc = {
        location: d.location, plainTitle: plain(d.title), plainText: plain(d.text),
        article: hash < 0, page: -1, pageLoc: pageLoc
      };
      if (doc.article) pages.set(pageLoc, i);
      docs.push(doc);
      doc.titleLength = addField(doc.plainTitle, i, true) || 1;
      doc.length = doc.titleLength + addField(doc.plainText, i, false);
      totalLength += doc.length;
    }
    for (var j = 0; j < docs.length; j++) {
      var p = pages.get(docs[j].pageLoc);
      docs[j].page = p === undefined ? j : p;
    }
    docCount = docs.length;
    averageLength = totalLength / Math.max(docCount, 1);
    vocabulary = Array.from(termIds.keys()).sort();
    frequencies = postings.map(function (p) { return p.length / 3; });
    raw = null;
  }

  /* "a,1,0,3,..." (base 36, first of every `width` numbers a delta) -> numbers */
  function decode(text, width, from, to) {
    var out = [], doc = 0, v = 0, k = 0, digits = 0;
    from = from || 0;
    to = to === undefined ? text.length : to;
    for (var i = from; i <= to; i++) {
      var c = i < to ? text.charCodeAt(i) : 44;
      if (c === 44) {  // ","
        if (!digits) continue;
        if (k % width === 0) v = doc += v;
        out.push(v);
        k++;
        v = 0;
        digits = 0;
      } else {
        v = v * 36 + (c < 58 ? c - 48 : c - 87);
        digits++;
      }
    }
    return out;
  }

  /* The index prebuilt at build time (sitekit/searchindex.py): postings stay compact strings
     until a query needs them */
  function load(list, kb) {
    docs = [];
    var pages = new Map(), totalLength = 0;
    for (var i = 0; i < list.length; i++) {
      var d = list[i], hash = d.location.indexOf("#");
      var pageLoc = hash < 0 ? d.location : d.location.slice(0, hash);
      var doc = {
        location: d.location, plainTitle: d.title, plainText: d.text, article: hash < 0, page: -1,
        pageLoc: pageLoc, titleLength: kb.lengths[2 * i], length: kb.lengths[2 * i + 1]
      };
      if (doc.article) pages.set(pageLoc, i);
      docs.push(doc);
      totalLength += doc.length;
    }
    for (var j = 0; j < docs.length; j++) {
      var p = pages.get(docs[j].pageLoc);
      docs[j].page = p === undefined ? j : p;
    }
    docCount = docs.length;
    averageLength = totalLength / Math.max(docCount, 1);
    var terms = kb.terms ? kb.terms.split("\n") : [];
    termIds = new Map();
    for (var t = 0; t < terms.length; t++) termIds.set(terms[t], t);
    var exactKeys = kb.exact ? kb.exact.split("\n") : [];
    exactIds = new Map();
    for (var e = 0; e < exactKeys.length; e++) exactIds.set(exactKeys[e], e);
    postings = new Array(terms.length);
    pairPostings = new Array(terms.length);
    exactPostings = new Array(exactKeys.length);
    frequencies = kb.df;
    raw = kb;
    vocabulary = terms.sort();
  }

  function unigram(key) {
    var id = termIds.get(key);
    if (id === undefined) return undefined;
    if (postings[id] === undefined) postings[id] = decode(raw.postings[id], 3);
    return postings[id];
  }

  function bigram(a, b) {
    var x = termIds.get(a), y = termIds.get(b);
    if (x === undefined || y === undefined) return undefined;
    if (raw === null) return pairPostings[x] ? pairPostings[x].get(y) : undefined;
    // Prebuilt: find the segment ";y:..." in x's string, decode it once.
    var next = pairPostings[x] || (pairPostings[x] = new Map());
    var list = next.get(y);
    if (list === undefined) {
      var text = raw.pairs[x], mark = ";" + y.toString(36) + ":", at = text.indexOf(mark);
      if (at < 0) list = null;
      else {
        var from = at + mark.length, end = text.indexOf(";", from);
        list = decode(text, 2, from, end < 0 ? text.length : end);
      }
      next.set(y, list);
    }
    return list || undefined;
  }

  function exact(key) {
    var id = exactIds.get(key);
    if (id === undefined) return undefined;
    if (exactPostings[id] === undefined) exactPostings[id] = decode(raw.exactPostings[id], 1);
    return exactPostings[id];
  }

  function df(key) {
    var id = termIds.get(key);
    return id === undefined ? 0 : frequencies[id];
  }

  function idf(n) {
    return Math.log(1 + docCount / Math.max(n, 1));
  }

  /* -- query ---------------------------------------------------------------------------- */

  /* One edit apart (insert, delete, substitute, or swap two neighbours) */
  function oneEdit(a, b) {
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1 || a === b) return false;
    var i = 0;
    while (i < la && i < lb && a[i] === b[i]) i++;
    if (la === lb) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  function near(word, limit) {
    var found = [];
    if (word.length < 2 || DIGIT.test(word)) return found;
    for (var i = 0; i < vocabulary.length; i++) {
      var v = vocabulary[i];
      if (Math.abs(v.length - word.length) <= 1 && oneEdit(word, v)) found.push(v);
    }
    found.sort(function (x, y) { return df(y) - df(x); });
    return found.slice(0, limit);
  }

  function startingWith(prefix, limit) {
    var lo = 0, hi = vocabulary.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (vocabulary[mid] < prefix) lo = mid + 1; else hi = mid;
    }
    var found = [];
    for (var i = lo; i < vocabulary.length && vocabulary[i].lastIndexOf(prefix, 0) === 0; i++)
      if (vocabulary[i] !== prefix) found.push(vocabulary[i]);
    if (found.length > limit) {
      found.sort(function (x, y) { return df(y) - df(x); });
      found = found.slice(0, limit);
    }
    return found;
  }

  function hasPair(a, b) {
    return bigram(a, b) !== undefined;
  }

  /* The query's terms, each with the index keys that stand for it and their weight */
  function parse(query) {
    var typing = !/\s$/.test(query);
    var a = analyse(query.normalize("NFC"));
    var terms = [];
    a.words.forEach(function (w, i) {
      var alts = [];
      if (df(w[0]) > 0) alts.push({ key: w[0], w: 1 });
      if (typing && i === a.words.length - 1)
        startingWith(w[0], 30).forEach(function (k) { alts.push({ key: k, w: 0.6 }); });
      if (!alts.length)
        near(w[0], 5).forEach(function (k) { alts.push({ key: k, w: 0.7 }); });
      terms.push({
        raw: w[2], folded: w[0], exact: w[1], marked: w[1] !== w[0], alts: alts, word: true,
        optional: OPTIONAL_EXACT.has(w[1]) || (!/[^a-z0-9]/.test(w[2]) && OPTIONAL_FOLDED.has(w[0]))
      });
    });
    // A typo in a common word: "hai cao" when the site only has "hai cấp".
    for (var i = 1; i < terms.length; i++) {
      var x = terms[i - 1], y = terms[i];
      var linked = x.alts.some(function (p) { return y.alts.some(function (q) { return hasPair(p.key, q.key); }); });
      if (linked || !x.alts.length && !y.alts.length) continue;
      // Only words typed without marks are taken for typos here (a marked word was meant).
      var xs = x.marked ? [] : near(x.folded, 8), ys = y.marked ? [] : near(y.folded, 8);
      y.alts.concat(ys.map(function (k) { return { key: k, w: 0.7 }; })).some(function (q) {
        return x.alts.concat(xs.map(function (k) { return { key: k, w: 0.7 }; })).some(function (p) {
          if (!hasPair(p.key, q.key)) return false;
          if (!x.alts.some(function (o) { return o.key === p.key; })) x.alts.push(p);
          if (!y.alts.some(function (o) { return o.key === q.key; })) y.alts.push(q);
          return true;
        });
      });
    }
    a.compounds.forEach(function (c) {
      if (df(c) > 0)
        terms.push({ raw: c, folded: c, exact: c, marked: false, alts: [{ key: c, w: 1 }], word: false,
                     optional: false });
    });
    return terms;
  }

  function search(query) {
    var terms = parse(query);
    var n = terms.length;
    if (!n) return { items: [] };

    var content = [];
    terms.forEach(function (t, i) { if (!t.optional && t.alts.length) content.push(i); });
    if (!content.length)
      terms.forEach(function (t, i) { if (t.alts.length) content.push(i); });
    if (!content.length) return { items: [] };

    // Rarity of each term: of its best-matching key.
    var weight = terms.map(function (t) {
      var best = 0;
      t.alts.forEach(function (a) { best = Math.max(best, idf(df(a.key)) * a.w); });
      return best;
    });
    var total = 0;
    content.forEach(function (i) { total += weight[i]; });

    // Per document (flat arrays, doc * n + term): the weight of the term's best key found,
    // whether it is in the title, and its frequency.
    var D = docCount, nc = content.length;
    var found = new Float32Array(D * n), inTitle = new Uint8Array(D * n), tf = new Float32Array(D * n);
    var pairs = new Float32Array(D), forward = new Uint16Array(D), titlePairs = new Float32Array(D);
    var exactCount = new Uint16Array(D), seen = new Uint8Array(D), touched = [];
    for (var ti = 0; ti < n; ti++) {
      var alts = terms[ti].alts;
      for (var ai = 0; ai < alts.length; ai++) {
        var list = unigram(alts[ai].key), aw = alts[ai].w;
        if (!list) continue;
        for (var j = 0; j < list.length; j += 3) {
          var doc = list[j], at = doc * n + ti;
          if (!seen[doc]) { seen[doc] = 1; touched.push(doc); }
          if (aw > found[at]) found[at] = aw;
          if (list[j + 2]) inTitle[at] = 1;
          var f = list[j + 1] + 3 * list[j + 2];
          if (f > tf[at]) tf[at] = f;
        }
      }
    }

    // Neighbouring word terms: is the pair on the page in this order (or the other)?
    var wordIdx = [];
    terms.forEach(function (t, i) { if (t.word) wordIdx.push(i); });
    var pairCount = 0, required = 0;
    var allOptional = wordIdx.every(function (i, k) {
      return k === 0 || terms[wordIdx[k - 1]].optional || terms[i].optional;
    });
    var best = new Float32Array(D), bestTitle = new Uint8Array(D);
    for (var p = 1; p < wordIdx.length; p++) {
      var x = terms[wordIdx[p - 1]], y = terms[wordIdx[p]];
      pairCount++;
      // Pairs with a question word ("là gì") add to the score but are never required.
      var needed = !x.optional && !y.optional || allOptional;
      if (needed) required++;
      if (!x.alts.length || !y.alts.length) continue;
      best.fill(0);
      bestTitle.fill(0);
      var hit = [];
      for (var xa = 0; xa < x.alts.length; xa++) {
        for (var ya = 0; ya < y.alts.length; ya++) {
          var w = Math.min(x.alts[xa].w, y.alts[ya].w);
          for (var dir = 0; dir < 2; dir++) {
            var pl = dir ? bigram(y.alts[ya].key, x.alts[xa].key) : bigram(x.alts[xa].key, y.alts[ya].key);
            if (!pl) continue;
            var v = dir ? w * 0.5 : w;
            for (var k = 0; k < pl.length; k += 2) {
              var dd = pl[k];
              if (!seen[dd]) continue;
              if (!best[dd]) hit.push(dd);
              if (v > best[dd]) { best[dd] = v; bestTitle[dd] = pl[k + 1] & 2; }
            }
          }
        }
      }
      for (var h = 0; h < hit.length; h++) {
        var hd = hit[h];
        pairs[hd] += best[hd];
        if (needed && best[hd] >= 0.99) forward[hd]++;
        if (bestTitle[hd]) titlePairs[hd] += best[hd];
      }
    }

    // Exact tone marks, for words typed with marks.
    var marked = 0;
    terms.forEach(function (t) {
      if (!t.marked || !t.word) return;
      marked++;
      var list = exact(t.exact);
      if (!list) return;
      for (var j = 0; j < list.length; j++) exactCount[list[j]]++;
    });

    // Pages: which content terms occur anywhere on the page; is the phrase in one section.
    var pages = new Map(), tier = new Uint8Array(D);
    for (var q = 0; q < touched.length; q++) {
      var td = touched[q], pg = docs[td].page, page = pages.get(pg);
      if (!page) pages.set(pg, page = { found: new Float32Array(n), docs: [] });
      var all = true;
      for (var i = 0; i < n; i++) if (found[td * n + i] > page.found[i]) page.found[i] = found[td * n + i];
      for (var c = 0; c < nc; c++) if (!found[td * n + content[c]]) { all = false; break; }
      tier[td] = all ? (forward[td] === required ? 2 : 1) : 0;
      page.docs.push(td);
    }

    var groups = [];
    pages.forEach(function (page, pg) {
      var cover = 0, every = true;
      for (var c = 0; c < nc; c++) {
        cover += weight[content[c]] * page.found[content[c]];
        if (!page.found[content[c]]) every = false;
      }
      cover /= total;
      // The whole phrase in one section > all words on the page > some of them
      var pageTier = every ? 1 : 0;
      var article = seen[pg] ? pg * n : -1;
      var scored = page.docs.map(function (doc) {
        var titleCover = 0, rel = 0, titled = 0, base = doc * n;
        // BM25's saturation and length normalisation (k1 = 1.2, b = 0.75), scaled to 0..1
        var norm = 1.2 * (0.25 + 0.75 * docs[doc].length / averageLength);
        for (var c = 0; c < nc; c++) {
          var i = content[c];
          var t = inTitle[base + i] || (article >= 0 && inTitle[article + i]);
          if (t && (found[base + i] || (article >= 0 && found[article + i]))) {
            titleCover += weight[i];
            titled++;
          }
          rel += weight[i] * found[base + i] * tf[base + i] / (tf[base + i] + norm);
        }
        titleCover /= total;
        rel /= total;
        var fit = Math.min(1, titled / docs[doc].titleLength);
        var score = 100 * Math.max(tier[doc], pageTier) +
          WEIGHT.title * titleCover +
          WEIGHT.titlePhrase * (pairCount ? titlePairs[doc] / pairCount : 0) +
          WEIGHT.bigram * (pairCount ? pairs[doc] / pairCount : 0) +
          WEIGHT.cover * cover +
          WEIGHT.exact * (marked ? exactCount[doc] / marked : 0) +
          WEIGHT.rel * rel +
          WEIGHT.fit * fit +
          WEIGHT.article * (docs[doc].article ? 1 : 0);
        return { doc: doc, score: score };
      });
      scored.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
      groups.push({ page: pg, score: scored[0].score, docs: scored });
    });
    groups.sort(function (a, b) { return b.score - a.score || a.page - b.page; });
    groups = groups.slice(0, MAX_PAGES);
    var foundIn = function (doc, i) { return found[doc * n + i] > 0; };

    var match = markKeys(terms);
    var items = groups.map(function (g, rank) {
      var full = rank < SNIPPET_GROUPS;
      var shown = g.docs.slice(0, full ? SECTIONS_SHOWN : 1);
      var top = g.docs[0].score;
      var list = shown.map(function (d, k) {
        // The page's best passage carries the page's score: Material shows it first.
        return item(d.doc, k === 0 ? g.score : g.score - (top - d.score) - 0.001 * k, terms, foundIn, full, match);
      });
      if (!shown.some(function (d) { return d.doc === g.page; }))
        list.push(item(g.page, 0, terms, null, false, match));
      return list;
    });
    return { items: items };
  }

  /* -- results -------------------------------------------------------------------------- */

  var charFolds = new Map();
  var WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

  /* Lower case and folded, one character for one, so that offsets match the text */
  function foldedCopy(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var c = text[i], f = charFolds.get(c);
      if (f === undefined) {
        f = fold(c.toLowerCase());
        if (f.length !== 1) f = c;
        charFolds.set(c, f);
      }
      out += f;
    }
    return out;
  }

  /* The keys to mark: [key, 2 for a query word or 1 for a question word, exact key of a
     word typed with marks or null] */
  function markKeys(terms) {
    var list = [], seen = new Set();
    terms.forEach(function (t) {
      t.alts.forEach(function (a) {
        if (seen.has(a.key)) return;
        seen.add(a.key);
        list.push([a.key, t.optional ? 1 : 2, t.marked && a.key === t.folded ? t.exact : null]);
      });
    });
    return list;
  }

  /* Where the keys occur as whole words in `folded`: sorted [start, end, kind, key] */
  function hits(text, folded, marks) {
    var found = [];
    marks.forEach(function (m) {
      var key = m[0], at = folded.indexOf(key), count = 0, mine = [], exactOnes = [];
      while (at >= 0 && count < 200) {
        var end = at + key.length;
        if ((at === 0 || !WORD_CHAR.test(folded[at - 1])) &&
            (end === folded.length || !WORD_CHAR.test(folded[end]))) {
          var h = [at, end, m[1], key];
          mine.push(h);
          if (m[2] !== null && exactKey(text.slice(at, end).toLowerCase()) === m[2]) exactOnes.push(h);
          count++;
        }
        at = folded.indexOf(key, at + 1);
      }
      // A word typed with marks: mark the same word only ("cần", not "cán"), if it is there.
      found.push.apply(found, exactOnes.length ? exactOnes : mine);
    });
    found.sort(function (x, y) { return x[0] - y[0] || y[1] - x[1]; });
    // Drop overlaps (a compound "171/2025" covers its part "171").
    var out = [], last = -1;
    found.forEach(function (h) {
      if (h[0] >= last) { out.push(h); last = h[1]; }
    });
    // A question word is marked only right next to a marked query word.
    return out.filter(function (h, i) {
      if (h[2] === 2) return true;
      var before = out[i - 1], after = out[i + 1];
      return (before && before[2] === 2 && h[0] - before[1] <= 2) ||
        (after && after[2] === 2 && after[0] - h[1] <= 2);
    });
  }

  function markup(text, spots, from, to) {
    var out = "", last = from;
    spots.forEach(function (h) {
      if (h[0] < from || h[1] > to) return;
      out += escapeHtml(text.slice(last, h[0])) + "<mark>" + escapeHtml(text.slice(h[0], h[1])) + "</mark>";
      last = h[1];
    });
    return out + escapeHtml(text.slice(last, to));
  }

  /* The stretch of about SNIPPET_CHARS with the most different query words, marked */
  function passage(doc, marks) {
    var text = doc.plainText;
    if (doc.folded === undefined) doc.folded = foldedCopy(text);
    var spots = hits(text, doc.folded, marks);
    if (text.length <= SNIPPET_CHARS) return markup(text, spots, 0, text.length);
    var best = -1, bestAt = 0, j = 0;
    var inWindow = new Map();
    for (var i = 0; i < spots.length; i++) {
      if (spots[i][2] !== 2) continue;
      inWindow.set(spots[i][3], (inWindow.get(spots[i][3]) || 0) + 1);
      while (spots[i][1] - spots[j][0] > SNIPPET_CHARS) {
        if (spots[j][2] === 2) {
          var left = inWindow.get(spots[j][3]) - 1;
          if (left) inWindow.set(spots[j][3], left); else inWindow.delete(spots[j][3]);
        }
        j++;
      }
      if (inWindow.size > best) { best = inWindow.size; bestAt = spots[j][0]; }
    }
    var from = Math.max(0, bestAt - 40);
    while (from > 0 && WORD_CHAR.test(text[from - 1])) from--;
    var to = Math.min(text.length, from + SNIPPET_CHARS);
    while (to < text.length && WORD_CHAR.test(text[to])) to++;
    return (from > 0 ? "… " : "") + markup(text, spots, from, to).trim() + (to < text.length ? " …" : "");
  }

  function item(doc, score, terms, foundIn, withText, marks) {
    var d = docs[doc], found = {};
    terms.forEach(function (t, i) {
      if (t.word && !t.optional) found[t.raw] = !!(foundIn && foundIn(doc, i));
    });
    if (d.foldedTitle === undefined) d.foldedTitle = foldedCopy(d.plainTitle);
    return {
      location: d.location,
      title: markup(d.plainTitle, hits(d.plainTitle, d.foldedTitle, marks), 0, d.plainTitle.length),
      text: withText && d.plainText ? "<p>" + passage(d, marks) + "</p>" : "",
      score: score,
      terms: found
    };
  }

  /* Before the first query: decode the postings of the most frequent terms (the ones a query
     is most likely to need, and the longest to decode) and run one search, so that the
     reader's first query does not pay for decoding them or for compiling the search code. */
  function warmUp() {
    var ids = [];
    for (var i = 0; i < frequencies.length; i++) ids.push(i);
    ids.sort(function (a, b) { return frequencies[b] - frequencies[a]; });
    var top = ids.slice(0, 300);
    var terms = Array.from(termIds.keys());
    top.forEach(function (id) { unigram(terms[id]); });
    if (top.length > 1) search(terms[top[0]] + " " + terms[top[1]]);
  }

  /* -- messages ------------------------------------------------------------------------- */

  if (typeof addEventListener === "function") addEventListener("message", function (ev) {
    var message = ev.data;
    if (message.type === SETUP) {
      var kb = message.data.config.kb;
      if (kb && kb.version === 1) load(message.data.docs, kb);
      else build(message.data.docs);
      postMessage({ type: READY });
      // After reporting ready, while the reader starts typing (a query that comes first waits
      // for it, and would have paid the same cost itself).
      setTimeout(warmUp, 0);
    } else if (message.type === QUERY) {
      var result;
      try {
        result = search(String(message.data));
      } catch (err) {
        console.warn("Search failed for " + JSON.stringify(message.data), err);
        result = { items: [] };
      }
      postMessage({ type: RESULT, data: result });
    }
  });

  // For tests in Node: the same functions without a browser.
  if (typeof module !== "undefined" && module.exports)
    module.exports = { build: build, load: load, warmUp: warmUp, search: search, analyse: analyse, exactKey: exactKey, fold: fold };
})();
