// The outbox ("Kotak Keluar", issue 18): finished submissions kept on the phone in IndexedDB
// (through idb) until the server has them, sent by themselves in the order they were queued
// whenever there is a connection, each with its submission id as the Idempotency-Key, so a send
// whose answer was lost and is repeated is stored once. Bundled by esbuild into /luring/kotak.js,
// loaded only where it is needed: the outbox page, an entry page queueing or reopening an item,
// a page with unsent items (to send them), and logging out with unsent items.
//
// An item: { id, form, versi, hash, revises, judul, kode, label, alamat, akun, antre, state,
// data, draft, errors, terkirim, hasil }. `state` is menunggu (waiting), terkirim (sent) or
// ditolak (refused, with the server's messages). Once sent, an item keeps only its receipt:
// the data and the draft (names, NIK, telephone numbers) leave the phone.
import { openDB } from 'idb';

var STORE = 'kiriman';
var COUNT_KEY = 'lembar:kotak:belum';
var WAIT_MS = 60000;
var opened;

function db() {
  opened = opened || openDB('lembar-kotak', 1, {
    upgrade: function (d) { d.createObjectStore(STORE, { keyPath: 'id' }).createIndex('antre', 'antre'); },
  });
  return opened;
}

function all() { return db().then(function (d) { return d.getAllFromIndex(STORE, 'antre'); }); }
function put(item) { return db().then(function (d) { return d.put(STORE, item); }).then(changed); }
function get(id) { return db().then(function (d) { return d.get(STORE, id); }); }

// Pages read the number of unsent items synchronously (the logout button, whether to load this
// file at all): kept in localStorage beside the drafts.
function changed() {
  return all().then(function (items) {
    var unsent = items.filter(function (i) { return i.state !== 'terkirim'; }).length;
    try { localStorage.setItem(COUNT_KEY, String(unsent)); } catch (e) { /* the count is a hint only */ }
    document.dispatchEvent(new CustomEvent('lembar:kotak'));
    return items;
  });
}

function loadScript(src) {
  return new Promise(function (ok, fail) {
    var s = document.createElement('script');
    s.src = src;
    s.onload = ok;
    s.onerror = fail;
    document.head.appendChild(s);
  });
}

// Something to recognise the item by in the list: the first name-like value (a group's name, the
// group chosen in a register), never a number.
function labelOf(form) {
  var els = form.querySelectorAll('input[type="text"], select');
  for (var i = 0; i < els.length; i++) {
    var el = els[i];
    if (!el.name || el.name.charAt(0) === '_') continue;
    var v = el.tagName === 'SELECT' ? (el.value ? el.options[el.selectedIndex].textContent : '') : el.value;
    if (v && !/^[\d\s.,+-]+$/.test(v)) return v.slice(0, 80);
  }
  return '';
}

// The entry page's form into the outbox, read into a submission by the reader of the page's own
// version (a cached page of an older version is read as that version, and the server checks it
// with the version in force for its period). Then on to the outbox page, or (`stay`: a Simpan
// that found no signal, 'sinyal', or no answer in time, 'lambat') the entry page says so itself,
// and the outbox tries to send it at once.
function queue(form, stay) {
  var formId = form.getAttribute('data-form');
  var script = document.querySelector('script[src*="/validasi.js?v="]');
  var hash = script && /[?&]v=([^&]+)/.exec(script.getAttribute('src'))[1];
  var body = {};
  new FormData(form).forEach(function (v, k) { if (typeof v === 'string') body[k] = v; });
  return loadScript('/luring/formulir/' + formId + '.js?v=' + hash).then(function () {
    var read = window.LembarBaca && window.LembarBaca[formId + '@' + hash];
    if (!read) throw new Error('no reader');
    return get(body._id).then(function (earlier) {
      var akun = document.querySelector('.atas .akun');
      var item = {
        id: body._id, form: formId, versi: body._versi, hash: hash, revises: body._revises || undefined,
        judul: (document.querySelector('h1') || {}).textContent || formId,
        kode: (document.querySelector('.kode') || {}).textContent || '',
        label: labelOf(form), alamat: location.pathname + location.search,
        akun: akun ? akun.textContent : '',
        // A corrected item keeps its place in the queue.
        antre: earlier ? earlier.antre : new Date().toISOString(),
        state: 'menunggu', data: read(body), draft: window.lembarSnapshot ? window.lembarSnapshot() : null,
      };
      return put(item).then(function () { return item; });
    });
  }).then(function (item) {
    // The draft of this submission lives in the outbox now: the form must not offer it back.
    form.setAttribute('data-antre', item.id);
    try {
      var key = 'lembar:konsep:' + formId;
      var d = JSON.parse(localStorage.getItem(key) || 'null');
      if (d && d.id === item.id) localStorage.removeItem(key);
    } catch (e) { /* no drafts in this browser */ }
    if (stay) { queued(form, item, stay === 'lambat'); sendAll().then(reportHere); }
    else location.assign('/kotak-keluar#baru=' + item.id);
    return item;
  });
}

// In the outbox: the form is done with (a second Simpan on it would replace what is queued), as
// after a receipt; the next form is one tap away.
function queued(form, item, late) {
  var box = el('div', { class: 'tanda-terima', id: 'antre-luring', role: 'status', tabindex: '-1' }, [
    el('h2', {}, [(late ? 'Server belum menjawab' : 'Tidak ada sinyal') + ': tersimpan di Kotak Keluar, akan dikirim otomatis']),
    el('p', {}, ['Nomor rujukan: ' + item.id]),
    el('p', {}, [el('a', { href: '/kotak-keluar' }, ['Lihat Kotak Keluar']), ' ', el('a', { href: location.pathname + location.search, class: 'tombol' }, ['Isi formulir lagi'])]),
  ]);
  form.parentNode.insertBefore(box, form);
  form.hidden = true;
  box.focus();
}

function messagesOf(body, status) {
  var errors = body && Array.isArray(body.errors) ? body.errors : [];
  if (errors.length) return errors.map(function (e) { return { path: e.path || '', label: e.label || 'Kiriman', message: e.message || '' }; });
  return [{ path: '', label: 'Kiriman', message: 'Server menolak kiriman ini (kode ' + status + ').' }];
}

// One item to the JSON API. Resolves to 'terkirim', 'ditolak', 'sesi' (the session ended:
// nothing was stored, everything stays) or 'nanti' (no connection, a busy server: try later).
function send(item) {
  var abort = new AbortController();
  var timer = setTimeout(function () { abort.abort(); }, WAIT_MS);
  var url = '/api/forms/' + encodeURIComponent(item.form) + '/submissions' + (item.revises ? '?revises=' + encodeURIComponent(item.revises) : '');
  return fetch(url, {
    method: 'POST', credentials: 'same-origin', signal: abort.signal,
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': item.id },
    body: JSON.stringify(item.data),
  }).then(function (res) {
    return res.json().catch(function () { return {}; }).then(function (body) {
      clearTimeout(timer);
      if (res.status === 401) return 'sesi';
      if (res.status === 429 || res.status >= 500) return 'nanti';
      if (res.ok) {
        // The receipt stays; what was typed goes.
        var receipt = {
          id: item.id, form: item.form, versi: item.versi, judul: item.judul, kode: item.kode, label: item.label, alamat: item.alamat,
          akun: item.akun, antre: item.antre, state: 'terkirim', terkirim: new Date().toISOString(), hasil: body.status || 'tersimpan',
        };
        return db().then(function (d) { return d.put(STORE, receipt); }).then(function () { return 'terkirim'; });
      }
      // Validation (422), an approved month's lock (423), a conflict (409), a region outside the
      // account (403): the server's messages, the data kept to correct and send again.
      item.state = 'ditolak';
      item.errors = messagesOf(body, res.status);
      item.ditolak = new Date().toISOString();
      return db().then(function (d) { return d.put(STORE, item); }).then(function () { return 'ditolak'; });
    });
  }, function () { clearTimeout(timer); return 'nanti'; });
}

var running = null;
var lastRun = { sesi: false };
// Every waiting item, oldest first, one at a time; stops at the first that cannot go now. One
// run at a time in this page, and across tabs through a Web Lock where the browser has them.
var again = false;
function sendAll() {
  // An item queued during a run may come after the run read the list: one more run then.
  if (running) { again = true; return running; }
  var run = function () {
    return all().then(function (items) {
      var waiting = items.filter(function (i) { return i.state === 'menunggu'; });
      var outcome = { terkirim: 0, ditolak: 0, sesi: false, nanti: false };
      return waiting.reduce(function (p, item) {
        return p.then(function (stop) {
          if (stop) return true;
          return send(item).then(function (r) {
            if (r === 'terkirim' || r === 'ditolak') { outcome[r]++; return changed().then(function () { return false; }); }
            outcome[r] = true;
            return true;
          });
        });
      }, Promise.resolve(false)).then(function () {
        // Items queued with no signal reached the server: a version may have been published
        // meanwhile, so the worker fetches the kept pages again now (page and validator together).
        var sw = navigator.serviceWorker && navigator.serviceWorker.controller;
        if (sw && outcome.terkirim + outcome.ditolak) sw.postMessage({ perbarui: true, segera: true });
        lastRun = outcome;
        return outcome;
      });
    });
  };
  running = (navigator.locks ? navigator.locks.request('lembar-kotak-kirim', run) : run()).then(function (r) {
    running = null;
    if (again && !r.nanti && !r.sesi) { again = false; return sendAll(); }
    again = false;
    later(r);
    return changed().then(function () { return r; });
  }, function (err) { running = null; throw err; });
  return running;
}

// No connection, a busy server: tried again while the page stays open, waiting longer each time
// (3 s, 6 s, … 2 min). The `online` event alone is not enough: a weak signal comes and goes
// without the phone ever reporting itself offline, and the event can come a moment before the
// link carries anything.
var retryMs = 0;
var retryTimer = null;
function later(outcome) {
  clearTimeout(retryTimer);
  if (!outcome.nanti) { retryMs = 0; return; }
  retryMs = Math.min(retryMs ? retryMs * 2 : 3000, 120000);
  retryTimer = setTimeout(function () { sendAll().then(reportHere); }, retryMs);
}
function reportHere(outcome) { return document.querySelector('[data-kotak-keluar]') ? report(outcome) : outcome; }

// A refused item back into its form, filled, with the server's messages: through the form's
// draft (lembar.js restores a draft whose id the address names, and shows its messages).
function reopen(item) {
  var d = item.draft || { rows: {}, fields: [] };
  var draft = {
    id: item.id, waktu: new Date().toISOString(), rows: d.rows, fields: d.fields,
    errors: (item.errors || []).map(function (e) { return { id: e.path ? 'f-' + e.path.slice(1).split('/').join('-') : '', label: e.label, message: e.message }; }),
  };
  try { localStorage.setItem('lembar:konsep:' + item.form, JSON.stringify(draft)); } catch (e) { /* the form opens empty */ }
  location.assign(item.alamat + '#kotak=' + item.id);
}

function el(tag, attrs, children) {
  var node = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (k) { if (attrs[k] !== undefined) node.setAttribute(k, attrs[k]); });
  (children || []).forEach(function (c) { if (c !== null && c !== undefined) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
  return node;
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString('id-ID', { dateStyle: 'medium', timeStyle: 'short' }) : '';
}

function button(text, onClick, cls) {
  var b = el('button', { type: 'button', class: cls }, [text]);
  b.addEventListener('click', onClick);
  return b;
}

var STATE_TEXT = { menunggu: 'Menunggu dikirim', terkirim: 'Terkirim', ditolak: 'Ditolak server: perlu diperbaiki' };

function itemView(item) {
  var parts = [
    el('h2', {}, [item.judul + (item.label ? ' — ' + item.label : '')]),
    el('p', { 'data-keadaan': item.state }, [el('strong', {}, [STATE_TEXT[item.state] || item.state])]),
    el('p', {}, ['Nomor rujukan: ', el('span', { class: 'rujukan' }, [item.id])]),
    el('p', {}, ['Disimpan di ponsel: ' + when(item.antre) + (item.akun ? ' (' + item.akun + ')' : '')]),
  ];
  if (item.state === 'terkirim') {
    parts.push(el('p', {}, ['Terkirim: ' + when(item.terkirim) + (item.hasil === 'sudah tersimpan' ? ' (sudah ada di server sebelumnya)' : '')]));
    parts.push(el('p', {}, [el('a', { href: '/submissions/' + item.id }, ['Lihat tanda terima di server'])]));
  }
  if (item.state === 'ditolak') {
    parts.push(el('ul', { class: 'ringkasan-galat' }, (item.errors || []).map(function (e) { return el('li', {}, [e.label + ': ' + e.message]); })));
    parts.push(button('Buka dan perbaiki', function () { reopen(item); }, 'utama'));
    parts.push(document.createTextNode(' '));
    // An approved month reopened, an account given the region: the same item may pass now.
    parts.push(button('Kirim lagi tanpa perubahan', function () {
      item.state = 'menunggu';
      put(item).then(sendAll).then(render);
    }, 'sekunder'));
  }
  return el('section', { class: 'kartu', 'data-kiriman': item.id }, parts);
}

function say(text, link) {
  var box = document.getElementById('kotak-kabar');
  if (!box) return;
  box.textContent = text;
  if (link) { box.appendChild(document.createTextNode(' ')); box.appendChild(link); }
}

function render() {
  var root = document.querySelector('[data-kotak-keluar]');
  if (!root) return Promise.resolve();
  return all().then(function (items) {
    var count = function (s) { return items.filter(function (i) { return i.state === s; }).length; };
    var head = el('p', { 'data-ringkasan': '' }, [count('menunggu') + ' menunggu, ' + count('ditolak') + ' ditolak, ' + count('terkirim') + ' terkirim.']);
    var list = items.slice().reverse().map(itemView);
    root.textContent = '';
    root.appendChild(head);
    if (count('menunggu')) root.appendChild(el('p', {}, [button('Kirim sekarang', function () { sendAll().then(report); }, 'utama')]));
    if (!items.length) root.appendChild(el('p', { class: 'catatan' }, ['Kotak Keluar kosong.']));
    list.forEach(function (n) { root.appendChild(n); });
  });
}

function report(outcome) {
  if (outcome.sesi) {
    say('Sesi Anda sudah berakhir: isian tetap tersimpan di ponsel ini dan belum terkirim.', el('a', { href: '/masuk?berakhir=1&lanjut=%2Fkotak-keluar', class: 'tombol' }, ['Masuk lagi untuk mengirim']));
  } else if (outcome.nanti) {
    say('Belum ada sambungan ke server. Isian dikirim sendiri begitu ponsel tersambung lagi.');
  }
  return render();
}

// Logging out with unsent items (a shared phone): ask, and never delete them.
function logout(form) {
  var old = document.getElementById('keluar-tanya');
  if (old) old.remove();
  return all().then(function (items) {
    var unsent = items.filter(function (i) { return i.state !== 'terkirim'; }).length;
    var leave = function () { form.setAttribute('data-yakin', ''); form.submit(); };
    if (!unsent) return leave();
    var note = el('p', {}, []);
    var box = el('div', { id: 'keluar-tanya', class: 'konsep', role: 'alertdialog', 'aria-labelledby': 'keluar-tanya-judul', tabindex: '-1' }, [
      el('p', { id: 'keluar-tanya-judul' }, [el('strong', {}, ['Ada ' + unsent + ' isian di ponsel ini yang belum terkirim.'])]),
      el('p', {}, ['Keluar tidak menghapusnya: isian tetap di ponsel ini dan dikirim saat ada yang masuk lagi di ponsel ini.']),
      button('Kirim dulu, lalu keluar', function () {
        note.textContent = 'Mengirim…';
        sendAll().then(function (r) {
          return all().then(function (now) {
            var left = now.filter(function (i) { return i.state !== 'terkirim'; }).length;
            if (!left) return leave();
            note.textContent = r.sesi ? 'Sesi sudah berakhir; isian belum terkirim.' : left + ' isian belum terkirim' + (r.nanti ? ' (tidak ada sambungan).' : ' (ada yang ditolak, lihat Kotak Keluar).');
          });
        });
      }, 'utama'),
      document.createTextNode(' '),
      button('Keluar, simpan isian di ponsel ini', leave, 'sekunder'),
      document.createTextNode(' '),
      button('Batal', function () { box.remove(); }, 'sekunder'),
      note,
      el('p', {}, [el('a', { href: '/kotak-keluar' }, ['Lihat Kotak Keluar'])]),
    ]);
    var main = document.getElementById('isi') || document.body;
    main.insertBefore(box, main.firstChild);
    box.focus();
  });
}

window.LembarKotak = { antre: queue, kirim: sendAll, keluar: logout, semua: all };

(function boot() {
  var page = document.querySelector('[data-kotak-keluar]');
  if (page) {
    if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js').catch(function () { /* the page still works online */ });
    document.addEventListener('lembar:kotak', render);
    var fresh = /^#baru=(.+)$/.exec(location.hash);
    render().then(function () {
      if (!fresh) return;
      return get(fresh[1]).then(function (item) {
        if (item) say('Isian disimpan di Kotak Keluar; dikirim sendiri begitu ada sinyal.', el('a', { href: item.alamat, class: 'tombol' }, ['Isi ' + item.judul + ' lagi']));
      });
    });
  }
  var go = function () { sendAll().then(page ? report : null); };
  if (navigator.onLine) changed().then(go); else changed();
  window.addEventListener('online', go);
})();
