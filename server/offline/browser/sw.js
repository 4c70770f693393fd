// Lembar's service worker (issue 18), served as /sw.js with scope "/". Hand-written rather than
// Workbox (see server/offline/offline-routes.ts for why). `LEMBAR_ASET` is put in front by the
// server: a hash of the shared scripts and styles, so changed ones arrive as a new worker.
//
// What it keeps, and how:
// - one cache per form version, "lembar-f:<form>:<hash>", holding the entry pages of that version
//   the user opened, its validator and its reader. A page is put in only after its validator, and
//   a page fetched with a new hash leaves the old version's cache (which goes once it holds no
//   page): an old page never meets a new validator, nor the reverse.
// - "lembar-inti-<LEMBAR_ASET>": the shared style and scripts, the outbox page, the home page.
// - "lembar-wilayah": region lists under the pickers' own addresses (/api/regions?parent=…).
// Pages go network first (a fresh page whenever there is a signal), the cache when there is
// none. POSTs are passed on as they are: sending is the page's and the outbox's business.
/* global LEMBAR_ASET */
'use strict';

var CORE = 'lembar-inti-' + LEMBAR_ASET;
var REGIONS = 'lembar-wilayah';
var FORM_PREFIX = 'lembar-f:';
var SHARED = ['/static/lembar.css', '/static/lembar.js', '/static/keluar.js', '/luring/kotak.js', '/kotak-keluar'];
// The validator an entry page names: its form and version hash (handlebars writes `=` as `&#x3D;`).
var VALIDATOR = /\/forms\/([a-z0-9-]+)\/validasi\.js\?v(?:=|&#x3D;)([A-Za-z0-9_-]+)/;
// A weak signal: past this a page comes from the phone, if it has one.
var WAIT_MS = 10000;

self.addEventListener('install', function (e) {
  e.waitUntil(caches.open(CORE).then(function (c) { return c.addAll(SHARED); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf('lembar-inti-') === 0 && k !== CORE; }).map(function (k) { return caches.delete(k); }));
  }));
});

function entryPage(url) {
  return /^\/forms\/[a-z0-9-]+$/.test(url.pathname) && !url.searchParams.has('perbarui');
}

function timed(promise) {
  return new Promise(function (ok, fail) {
    var t = setTimeout(function () { fail(new Error('timeout')); }, WAIT_MS);
    promise.then(function (r) { clearTimeout(t); ok(r); }, function (err) { clearTimeout(t); fail(err); });
  });
}

// Headers of a stored page: its type and security policy (not its length or encoding: the body
// is stored decoded).
function pageHeaders(from) {
  var h = new Headers({ 'Content-Type': 'text/html; charset=utf-8' });
  ['content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy'].forEach(function (n) {
    var v = from.get(n);
    if (v) h.set(n, v);
  });
  return h;
}

// An entry page just fetched: into its version's cache, after its validator and reader; out of
// every other version's cache of the same form.
function keepEntryPage(address, res) {
  return res.text().then(function (html) {
    var m = VALIDATOR.exec(html);
    if (!m) return;
    var form = m[1];
    var hash = m[2];
    var name = FORM_PREFIX + form + ':' + hash;
    return caches.open(name).then(function (cache) {
      var assets = ['/forms/' + form + '/validasi.js?v=' + hash, '/luring/formulir/' + form + '.js?v=' + hash];
      return Promise.all(assets.map(function (a) {
        return cache.match(a).then(function (hit) { return hit || cache.add(a); });
      })).then(function () {
        return cache.put(address, new Response(html, { headers: pageHeaders(res.headers) }));
      });
    }).then(function () { return dropOtherVersions(form, name, address); });
  });
}

function dropOtherVersions(form, keep, address) {
  return caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf(FORM_PREFIX + form + ':') === 0 && k !== keep; }).map(function (k) {
      return caches.open(k).then(function (cache) {
        return cache.delete(address).then(function () { return cache.keys(); }).then(function (left) {
          var pages = left.filter(function (r) { return entryPage(new URL(r.url)); });
          if (!pages.length) return caches.delete(k);
        });
      });
    }));
  });
}

// A stored entry page, with a new submission id: each form filled from the same stored page is
// a submission of its own.
function storedEntryPage(address) {
  return caches.keys().then(function (keys) {
    var names = keys.filter(function (k) { return k.indexOf(FORM_PREFIX) === 0; });
    return names.reduce(function (found, k) {
      return found.then(function (hit) { return hit || caches.open(k).then(function (c) { return c.match(address); }); });
    }, Promise.resolve(undefined));
  }).then(function (hit) {
    if (!hit) return undefined;
    return hit.text().then(function (html) {
      var fresh = html.replace(/(name="_id" value=")[0-9a-f-]{36}/, '$1' + self.crypto.randomUUID());
      var h = pageHeaders(hit.headers);
      h.set('X-Lembar-Luring', '1');
      return new Response(fresh, { headers: h });
    });
  });
}

function offlinePage() {
  var html = '<!doctype html><html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<title>Tidak ada sambungan — Lembar</title><link rel="stylesheet" href="/static/lembar.css"></head><body><main id="isi">' +
    '<h1>Tidak ada sambungan internet</h1><p>Halaman ini belum pernah dibuka di ponsel ini, jadi belum tersimpan. Formulir yang pernah dibuka tetap bisa diisi.</p>' +
    '<p><a href="/kotak-keluar">Buka Kotak Keluar</a></p></main></body></html>';
  return new Response(html, { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}

function navigate(e) {
  var url = new URL(e.request.url);
  var address = url.origin + url.pathname + url.search;
  return timed(fetch(e.request)).then(function (res) {
    // A redirect (to the login page, an ended session) or an error page is never stored over a good copy.
    if (res.ok && res.type === 'basic' && !res.redirected) {
      if (entryPage(url)) e.waitUntil(keepEntryPage(address, res.clone()));
      else if (url.pathname === '/' || url.pathname === '/kotak-keluar') e.waitUntil(caches.open(CORE).then(function (c) { return c.put(address, res.clone()); }));
    }
    return res;
  }).catch(function () {
    var stored = entryPage(url) ? storedEntryPage(address) : caches.open(CORE).then(function (c) { return c.match(address); });
    return stored.then(function (hit) { return hit || offlinePage(); });
  });
}

// Network first into `cacheName`, the stored copy without a signal.
function networkFirst(request, cacheName) {
  return timed(fetch(request)).then(function (res) {
    if (res.ok) {
      var copy = res.clone();
      caches.open(cacheName).then(function (c) { return c.put(request, copy); });
    }
    return res;
  }).catch(function () {
    return caches.match(request).then(function (hit) { return hit || Response.error(); });
  });
}

// Named by the version's hash, so a stored copy never goes stale.
function versioned(request) {
  return caches.match(request).then(function (hit) { return hit || fetch(request); });
}

self.addEventListener('fetch', function (e) {
  var req = e.request;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  // Sends pass straight through, from here rather than by the browser's fallback: the same
  // request, but one the browser's own network conditions apply to (a test's cut network was
  // seen to let a fallback POST through late).
  if (req.method !== 'GET') return e.respondWith(fetch(req));
  if (req.mode === 'navigate') return e.respondWith(navigate(e));
  if (/^\/forms\/[a-z0-9-]+\/validasi\.js$/.test(url.pathname) || url.pathname.indexOf('/luring/formulir/') === 0) return e.respondWith(versioned(req));
  if (url.pathname === '/api/regions') return e.respondWith(networkFirst(req, REGIONS));
  if (url.pathname.indexOf('/static/') === 0 || url.pathname === '/luring/kotak.js') return e.respondWith(networkFirst(req, CORE));
});

// The account's region lists, each under the address the pickers ask.
function keepRegions() {
  return fetch('/luring/wilayah', { credentials: 'same-origin' }).then(function (res) {
    if (!res.ok || res.redirected) return;
    return res.json().then(function (body) {
      return caches.open(REGIONS).then(function (cache) {
        return Promise.all(Object.keys(body.lists).map(function (parent) {
          var address = '/api/regions' + (parent ? '?parent=' + encodeURIComponent(parent) : '');
          return cache.put(address, new Response(JSON.stringify(body.lists[parent]), { headers: { 'Content-Type': 'application/json' } }));
        }));
      });
    });
  });
}

// Every stored entry page fetched again: a version published meanwhile replaces the old page and
// its validator together.
function refreshAll() {
  return caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf(FORM_PREFIX) === 0; }).map(function (k) {
      return caches.open(k).then(function (c) { return c.keys(); });
    }));
  }).then(function (lists) {
    var seen = {};
    var addresses = [].concat.apply([], lists).map(function (r) { return r.url; }).filter(function (u) {
      if (seen[u] || !entryPage(new URL(u))) return false;
      seen[u] = true;
      return true;
    });
    return Promise.all(addresses.map(keepFresh));
  });
}

function keepFresh(address) {
  return fetch(address, { credentials: 'same-origin' }).then(function (res) {
    if (res.ok && !res.redirected) return keepEntryPage(address, res);
  }).catch(function () { /* no signal: the stored copy stays */ });
}

var lastRefresh = 0;
// Messages from the pages: `{ simpan: url }` keeps a page opened before this worker controlled
// it; `{ perbarui: true }` (a page loaded online) refreshes what is kept, at most every ten
// minutes; `{ perbarui: true, segera: true }` (the outbox delivered items queued with no signal,
// and a version may have been published meanwhile) at once. The answer goes back on the
// message's port.
self.addEventListener('message', function (e) {
  var d = e.data || {};
  var work;
  if (d.simpan) {
    var url = new URL(d.simpan, self.location.origin);
    work = Promise.all([entryPage(url) ? keepFresh(url.origin + url.pathname + url.search) : null, keepRegions().catch(function () {})]);
  } else if (d.perbarui && (d.segera || Date.now() - lastRefresh > 10 * 60 * 1000)) {
    lastRefresh = Date.now();
    work = Promise.all([refreshAll(), keepRegions().catch(function () {})]);
  } else work = Promise.resolve();
  e.waitUntil(work.then(function () { if (e.ports[0]) e.ports[0].postMessage({ selesai: true }); }));
});
