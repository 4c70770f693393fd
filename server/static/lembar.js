// Progressive enhancement for generated entry pages: add/remove rows, derived counts, fields
// shown only when chosen, region pickers that narrow, and the same validation as the server
// before sending. Without this file the page still works (the server does all of it).
(function () {
  'use strict';
  document.documentElement.classList.add('js');
  var form = document.querySelector('form.formulir');
  if (!form) return;

  // Each list of rows keeps what adding and removing need (its rows, template, limits, the
  // counts that show its length), found once: a query over the whole form per add would make
  // the 200th member of a K/0 cost two hundred times the first.
  var lists = {};
  form.querySelectorAll('[data-repeat]').forEach(function (repeat) {
    var key = repeat.getAttribute('data-repeat');
    lists[key] = {
      key: key,
      repeat: repeat,
      rows: repeat.querySelector('.baris-daftar').children,
      tpl: repeat.querySelector('template[data-row-template]'),
      label: repeat.getAttribute('data-label'),
      min: Number(repeat.getAttribute('data-min') || 0),
      max: Number(repeat.getAttribute('data-max') || 0),
      counts: [],
      name: new RegExp('^' + key + '\\.(\\d+|__i__)\\.'),
      id: new RegExp('f-' + key + '-(\\d+|__i__)-', 'g'),
    };
  });
  form.querySelectorAll('[data-derived]').forEach(function (input) {
    var l = lists[input.getAttribute('data-derived')];
    if (l) l.counts.push(input); else input.value = '0';
  });

  // Rows from `start` on get their number, names and ids; earlier rows are untouched, so adding
  // the 200th member costs one row of work, not two hundred.
  function renumber(l, start) {
    var rows = l.rows;
    var n = rows.length;
    // "Hapus" is offered while the list is above its minimum: every row changes only when the
    // count crosses it; otherwise only the renumbered rows need it set.
    var removable = n > l.min;
    var from = removable === l.removable ? start : 0;
    l.removable = removable;
    for (var i = from; i < n; i++) {
      var row = rows[i];
      var del = row.querySelector('[data-remove]');
      if (del) del.hidden = !removable;
      if (i < start) continue;
      row.setAttribute('data-row', String(i));
      var num = row.querySelector('[data-row-number]');
      var title = l.label + ' no. ' + (i + 1);
      if (num) num.textContent = title;
      if (del) del.textContent = 'Hapus ' + title;
      row.querySelectorAll(NAMED).forEach(renamer(l, i));
    }
    l.counts.forEach(function (input) { input.value = String(n); });
  }
  // A row's names (`anggota.3.nama`) and ids (`f-anggota-3-nama`, in for and aria-describedby too).
  var ATTRS = ['name', 'data-field', 'id', 'for', 'aria-describedby'];
  var NAMED = ATTRS.map(function (a) { return '[' + a + ']'; }).join();
  function renamer(l, i) {
    return function (el) {
      ATTRS.forEach(function (attr, k) {
        var v = el.getAttribute(attr);
        if (v) el.setAttribute(attr, k < 2 ? v.replace(l.name, l.key + '.' + i + '.') : v.replace(l.id, 'f-' + l.key + '-' + i + '-'));
      });
    };
  }

  // `quiet`: rows brought back from a draft are not each focused (a focus lays the page out).
  function addRow(key, quiet) {
    var l = lists[key];
    if (l.max && l.rows.length >= l.max) return;
    var node = l.tpl.content.firstElementChild.cloneNode(true);
    l.repeat.querySelector('.baris-daftar').appendChild(node);
    renumber(l, l.rows.length - 1);
    node.querySelectorAll('input').forEach(nextKey);
    var first = !quiet && node.querySelector('input,select');
    if (first) first.focus();
  }

  form.querySelectorAll('[data-add]').forEach(function (b) { b.hidden = false; b.addEventListener('click', function () { addRow(b.getAttribute('data-add')); }); });
  form.addEventListener('click', function (e) {
    var del = e.target.closest('[data-remove]');
    if (!del) return;
    var row = del.closest('.baris');
    var l = lists[row.closest('[data-repeat]').getAttribute('data-repeat')];
    var index = Array.prototype.indexOf.call(l.rows, row);
    row.remove();
    renumber(l, index);
  });
  // The server numbered its rows; here only "Hapus" and the counts are set.
  Object.keys(lists).forEach(function (key) { renumber(lists[key], lists[key].rows.length); });

  // x-show-when: the form's validator bundle (built from the definition, with the same code the
  // server uses to drop a hidden field's value) says which fields are hidden for what is typed.
  // Without it every field stays shown, and the server still ignores what a hidden one holds.
  function updateShown() {
    var v = window.LembarValidasi;
    if (!v || !v.hidden) return;
    var hidden = {};
    v.hidden(form).forEach(function (name) { hidden[name] = true; });
    form.querySelectorAll('[data-show-when]').forEach(function (box) {
      box.hidden = hidden[box.getAttribute('data-field')] === true;
    });
  }
  form.addEventListener('change', updateShown);
  updateShown();

  // Enter in a field moves on to the next one, as a phone keyboard's "next" key does. Left to the
  // browser it submits the form with its first submit button, which here is "add an empty row"
  // (for pages without JavaScript): a round trip on a weak signal that nobody asked for.
  form.addEventListener('keydown', function (e) {
    var el = e.target;
    // A search box keeps Enter: the form's first (hidden) button sends the search.
    if (e.key !== 'Enter' || el.tagName !== 'INPUT' || el.type === 'submit' || el.type === 'search') return;
    e.preventDefault();
    var all = Array.prototype.filter.call(form.elements, function (x) {
      return x.offsetParent && !x.disabled && x.type !== 'hidden' && /^(INPUT|SELECT|TEXTAREA)$/.test(x.tagName) && !(x.type === 'radio' && x.name === el.name);
    });
    var next = all.filter(function (x) { return el.compareDocumentPosition(x) & 4; })[0];
    if (next) next.focus();
  });
  function nextKey(i) { i.enterKeyHint = 'next'; }
  form.querySelectorAll('input').forEach(nextKey);

  // Region pickers: choosing a level reloads the next one from /api/regions. Each picker names
  // the level below it (data-region-next, from the engine's list of levels).
  function below(level) {
    var sel = form.querySelector('select[data-region="' + level + '"]');
    return sel && sel.getAttribute('data-region-next');
  }
  // A text field with suggestions from a region level (Kampung KB) keeps its list in a datalist.
  function target(level) {
    return form.querySelector('select[data-region="' + level + '"]') || (function () {
      var input = form.querySelector('input[data-suggest="' + level + '"]');
      return input && document.getElementById(input.getAttribute('list'));
    })();
  }
  form.addEventListener('change', function (e) {
    var sel = e.target.closest('select[data-region]');
    if (!sel) return;
    var first = sel.getAttribute('data-region-next');
    for (var level = first, seen = 0; level && seen < 10; level = below(level), seen++) {
      var child = target(level);
      if (!child) continue;
      var keep = child.tagName === 'SELECT' ? 1 : 0;
      while (child.options.length > keep) child.options[keep].remove();
    }
    var into = first && target(first);
    if (!into || !sel.value) return;
    fetch('/api/regions?parent=' + encodeURIComponent(sel.value)).then(function (r) { return r.json(); }).then(function (list) {
      list.forEach(function (r) {
        var o = document.createElement('option');
        o.value = into.tagName === 'SELECT' ? r.kode : r.nama;
        o.textContent = r.nama;
        into.appendChild(o);
      });
    });
  });

  // Drafts. On a phone with a weak signal a post can fail, and a reload or a closed tab would lose
  // a group card with ten members typed in. Every change is kept in this browser until the
  // receipt for the same submission id is shown; the next visit to the form offers it back. The
  // draft keeps the hidden submission id too, so a post whose answer was lost and is sent again
  // is recognised by the server ("sudah tersimpan") instead of being stored twice.
  var drafts = lembarDrafts();
  if (!drafts || !form.hasAttribute('data-form')) return;
  var draftKey = 'lembar:konsep:' + form.getAttribute('data-form');
  var idField = form.querySelector('input[name="_id"]');
  // The outbox (kotak.js) keeps what is queued in the same shape, to bring it back here.
  window.lembarSnapshot = snapshot;

  function snapshot() {
    var rows = {};
    Object.keys(lists).forEach(function (key) { rows[key] = lists[key].rows.length; });
    var fields = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name.charAt(0) === '_' || el.readOnly || el.type === 'hidden' || el.type === 'submit' || el.type === 'button') return;
      if (el.type === 'radio' || el.type === 'checkbox') { if (el.checked) fields.push([el.name, el.value]); return; }
      if (el.tagName === 'SELECT') { if (el.value) fields.push([el.name, el.value, el.options[el.selectedIndex].textContent]); return; }
      if (el.value !== '') fields.push([el.name, el.value]);
    });
    return { id: idField.value, waktu: new Date().toISOString(), rows: rows, fields: fields };
  }

  // Only what was typed on this page becomes the draft: a form opened and left untouched must not
  // overwrite an earlier draft that is still waiting to be restored.
  var pendingSave;
  var touched = false;
  function saveSoon() {
    touched = true;
    clearTimeout(pendingSave);
    pendingSave = setTimeout(function () { drafts.write(draftKey, snapshot()); }, 300);
  }

  function restore(d) {
    Object.keys(d.rows || {}).forEach(function (key) {
      var l = lists[key];
      while (l && l.rows.length < d.rows[key]) addRow(key, true);
    });
    // Several boxes of one name may be ticked: collect each name's values before setting any.
    // The fields by name in one pass: a query per field would read a 200-member form 6,000 times.
    var chosen = Object.create(null);
    var named = Object.create(null);
    (d.fields || []).forEach(function (f) { (chosen[f[0]] = chosen[f[0]] || []).push(f[1]); });
    Array.prototype.forEach.call(form.elements, function (el) { if (el.name && chosen[el.name]) (named[el.name] = named[el.name] || []).push(el); });
    (d.fields || []).forEach(function (f) {
      (named[f[0]] || []).forEach(function (el) {
        if (el.type === 'radio' || el.type === 'checkbox') { el.checked = chosen[f[0]].indexOf(el.value) >= 0; return; }
        // A region list below the first is filled from the server once its parent is chosen:
        // bring the chosen entry back with its name, the rest loads when the parent changes.
        if (el.tagName === 'SELECT' && !Array.prototype.some.call(el.options, function (o) { return o.value === f[1]; })) {
          var o = document.createElement('option');
          o.value = f[1];
          o.textContent = f[2] || f[1];
          el.appendChild(o);
        }
        el.value = f[1];
      });
    });
    if (d.id) idField.value = d.id;
    updateShown();
  }

  function offer(d) {
    var box = document.createElement('div');
    box.className = 'konsep';
    box.setAttribute('role', 'status');
    var p = document.createElement('p');
    p.textContent = 'Ada isian formulir ini yang belum terkirim, tersimpan di perangkat ini pada ' +
      new Date(d.waktu).toLocaleString('id-ID', { dateStyle: 'medium', timeStyle: 'short' }) + '.';
    var back = document.createElement('button');
    back.type = 'button';
    back.textContent = 'Pulihkan isian';
    var drop = document.createElement('button');
    drop.type = 'button';
    drop.className = 'sekunder';
    drop.textContent = 'Buang';
    back.addEventListener('click', function () { restore(d); box.remove(); saveSoon(); });
    drop.addEventListener('click', function () { drafts.remove(draftKey); box.remove(); });
    box.appendChild(p);
    box.appendChild(back);
    box.appendChild(document.createTextNode(' '));
    box.appendChild(drop);
    form.parentNode.insertBefore(box, form);
  }

  var earlier = drafts.read(draftKey);
  // Member names and contraception are personal: a draft nobody came back to in 30 days goes.
  if (earlier && !(Date.now() - Date.parse(earlier.waktu) < 30 * 24 * 3600 * 1000)) {
    drafts.remove(draftKey);
    earlier = null;
  }
  if (earlier && location.hash === '#kotak=' + earlier.id) {
    // An outbox item the server refused, opened to be corrected: filled at once, with its messages.
    restore(earlier);
    touched = true;
    window.lembarGalat = earlier.errors;
  } else if (document.getElementById('ringkasan-galat')) {
    // The server sent the page back with messages: what it shows is the latest state (and, after
    // a conflict, carries a new submission id), so it becomes the draft.
    touched = true;
    saveNow();
  } else if (earlier && earlier.id !== idField.value && earlier.fields && earlier.fields.length) {
    offer(earlier);
  }
  function saveNow() {
    clearTimeout(pendingSave);
    // Queued in the outbox (data-antre): the draft is done with.
    if (touched && !form.hasAttribute('data-antre')) drafts.write(draftKey, snapshot());
  }
  // Sending may fail, and a closed tab waits for nothing: keep the state as it is right then.
  form.addEventListener('submit', saveNow);
  window.addEventListener('pagehide', saveNow);
  form.addEventListener('input', saveSoon);
  form.addEventListener('change', saveSoon);
  form.addEventListener('click', function (e) { if (e.target.closest('[data-add],[data-remove]')) saveSoon(); });
})();

// localStorage, or nothing where the browser refuses it (private mode, storage full, disabled).
function lembarDrafts() {
  'use strict';
  try {
    var s = window.localStorage;
    s.getItem('lembar:uji');
    return {
      read: function (k) { try { return JSON.parse(s.getItem(k) || 'null'); } catch (e) { return null; } },
      write: function (k, v) { try { s.setItem(k, JSON.stringify(v)); } catch (e) { /* full: the form still works */ } },
      remove: function (k) { s.removeItem(k); },
    };
  } catch (e) {
    return null;
  }
}

// The receipt: the draft of the submission just stored is done with.
(function () {
  'use strict';
  var receipt = document.querySelector('[data-tersimpan]');
  var drafts = receipt && lembarDrafts();
  if (!drafts) return;
  var key = 'lembar:konsep:' + receipt.getAttribute('data-tersimpan');
  var d = drafts.read(key);
  if (d && d.id === receipt.getAttribute('data-id')) drafts.remove(key);
})();

// The same validation as the server, before sending (window.LembarValidasi comes from
// /forms/:id/validasi.js, built from the form's definition). Only the "Simpan" button checks.
(function () {
  'use strict';
  var form = document.querySelector('form.formulir');
  if (!form) return;
  var summaryId = 'ringkasan-galat';

  function clear() {
    form.querySelectorAll('.ada-galat').forEach(function (el) { el.classList.remove('ada-galat'); });
    form.querySelectorAll('[aria-invalid]').forEach(function (el) { el.removeAttribute('aria-invalid'); });
    form.querySelectorAll('.galat').forEach(function (el) { el.textContent = ''; });
    var old = document.getElementById(summaryId);
    if (old) old.remove();
  }

  function show(issues) {
    var box = document.createElement('div');
    box.className = 'ringkasan-galat';
    box.id = summaryId;
    box.setAttribute('role', 'alert');
    box.tabIndex = -1;
    var h = document.createElement('h2');
    h.textContent = 'Ada ' + issues.length + ' isian yang perlu diperbaiki';
    var ul = document.createElement('ul');
    issues.forEach(function (issue) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = '#' + issue.id;
      a.textContent = issue.label + ': ' + issue.message;
      li.appendChild(a);
      ul.appendChild(li);
      var field = document.getElementById(issue.id);
      var message = document.getElementById(issue.id + '-galat');
      if (field) field.setAttribute('aria-invalid', 'true');
      if (message && !message.textContent) message.textContent = issue.message;
      var wrap = field && field.closest('.isian');
      if (wrap) wrap.classList.add('ada-galat');
    });
    box.appendChild(h);
    box.appendChild(ul);
    form.parentNode.insertBefore(box, form);
    box.focus();
  }

  form.addEventListener('submit', function (e) {
    var by = e.submitter;
    if (by && by.name && !(by.name === '_aksi' && by.value === 'simpan')) return;
    if (sending) { e.preventDefault(); return; }
    clear();
    // Entry forms are checked whole; a report page's form holds only the sections staff enter.
    var found = window.LembarValidasi && form.hasAttribute('data-form') ? window.LembarValidasi.check(form) : [];
    // Warnings (peringatan) never block: the server stores them with the submission and the
    // receipt lists them.
    var issues = found.filter(function (i) { return i.severity !== 'peringatan'; });
    if (issues.length) {
      e.preventDefault();
      show(issues);
      return;
    }
    // Entry forms only (they answer a save with the receipt's address); report pages post as usual.
    // A corrected outbox item goes back to the outbox, which sends it (now, or when there is a signal).
    var id = form.querySelector('input[name="_id"]');
    if (id && location.hash === '#kotak=' + id.value) {
      e.preventDefault();
      lembarKotak().then(function (k) { return k.antre(form); });
      return;
    }
    var button = form.querySelector('button[name="_aksi"][value="simpan"]');
    if (!button || !form.hasAttribute('data-form') || !window.fetch || !window.AbortController) return;
    e.preventDefault();
    send(button);
  });

  // Sending without leaving the page. A plain form post that finds no signal ends on the
  // browser's own error page, and the form is out of reach until the phone is back online (the
  // draft comes back only when the form page loads). Here the page stays, with every value, and
  // says why; pressing Simpan again sends the same submission id, so a post that did arrive
  // is not stored twice.
  var sending = false;
  var WAIT_S = 60;

  function notice(text) {
    var box = document.getElementById('belum-sampai') || document.createElement('div');
    if (!box.id) {
      box.id = 'belum-sampai';
      box.className = 'konsep';
      box.setAttribute('role', 'alert');
      box.tabIndex = -1;
      form.insertBefore(box, form.querySelector('.kirim'));
    }
    box.textContent = text + ' Isian tetap ada di sini' + (lembarDrafts() ? ' dan di perangkat ini.' : '.');
    box.focus();
  }

  function expired() {
    notice('Sesi Anda sudah berakhir, jadi isian belum tersimpan.');
    var box = document.getElementById('belum-sampai');
    var link = document.createElement('a');
    link.href = '/masuk?berakhir=1&lanjut=' + encodeURIComponent(location.pathname);
    link.textContent = 'Masuk lagi, lalu pulihkan dan kirim isian ini';
    link.className = 'tombol';
    box.appendChild(document.createTextNode(' '));
    box.appendChild(link);
  }

  function send(button) {
    var old = document.getElementById('belum-sampai');
    if (old) old.remove();
    var body = new URLSearchParams(new FormData(form));
    body.set('_aksi', 'simpan');
    var abort = new AbortController();
    var timer = setTimeout(function () { abort.abort(); }, WAIT_S * 1000);
    var label = button.textContent;
    function done() { clearTimeout(timer); sending = button.disabled = false; button.textContent = label; }
    sending = button.disabled = true;
    button.textContent = 'Mengirim…';
    fetch(form.action, { method: 'POST', body: body, credentials: 'same-origin', signal: abort.signal }).then(function (res) {
      done();
      // Stored: the server answered with the receipt's address (303).
      if (res.redirected && res.ok) location.assign(res.url);
      // The session ended (offline for days, or logged out elsewhere): nothing was stored. The
      // draft stays on the phone with its submission id; after logging in the form offers it back
      // and Simpan sends it, once.
      else if (res.status === 401) expired();
      // Anything else (messages from the server, a conflict) is a page for the browser to show:
      // post again the ordinary way. Nothing was stored, so the second post finds the same.
      else form.submit();
    }, function () {
      var late = abort.signal.aborted;
      clearTimeout(timer);
      button.textContent = 'Menyimpan di ponsel…';
      // Not sent (no connection, or no answer in time: it may have arrived, and the outbox sends
      // the same id, stored once either way): into the Kotak Keluar by itself, which sends it when
      // there is a signal. Where the outbox cannot load (never opened online, no IndexedDB), the
      // page keeps everything and sends it again once the phone reports a connection.
      lembarKotak().then(function (k) { return k.antre(form, late ? 'lambat' : 'sinyal'); }).then(done, function () {
        done();
        retry = !late;
        notice(retry
          ? 'Isian belum sampai ke server: tidak ada sambungan internet. Begitu ponsel tersambung lagi, isian dikirim sendiri; bisa juga tekan Simpan lagi.'
          : 'Server belum menjawab dalam ' + WAIT_S + ' detik. Tekan Simpan lagi: isian yang sudah diterima tidak tersimpan dua kali.');
      });
    });
  }

  // Back online (the phone reports a connection again): send what failed for want of one, through
  // the same checks as a press on Simpan.
  var retry = false;
  // The server's messages of a refused outbox item, brought back with it.
  if (window.lembarGalat && window.lembarGalat.length) show(window.lembarGalat);
  window.addEventListener('online', function () {
    var button = form.querySelector('button[name="_aksi"][value="simpan"]');
    if (!retry || sending || !button || !form.requestSubmit) return;
    retry = false;
    form.requestSubmit(button);
  });
})();

// Offline use (issue 18). The outbox code (/luring/kotak.js) is loaded only when needed.
function lembarKotak() {
  'use strict';
  window.lembarKotakLaden = window.lembarKotakLaden || new Promise(function (ok, fail) {
    var s = document.createElement('script');
    s.src = '/luring/kotak.js';
    s.onload = function () { ok(window.LembarKotak); };
    // Not loaded (no signal, never kept by the worker): the next call tries again.
    s.onerror = function (e) { window.lembarKotakLaden = null; s.remove(); fail(e); };
    document.head.appendChild(s);
  });
  return window.lembarKotakLaden;
}

// Unsent outbox items are sent from any page; logging out with some asks what to do with them
// (never deletes them). An entry page has the service worker keep it for use with no signal.
(function () {
  'use strict';
  function unsent() { try { return Number(localStorage.getItem('lembar:kotak:belum')) || 0; } catch (e) { return 0; } }
  document.addEventListener('submit', function (e) {
    var f = e.target;
    if (!f.matches('form.keluar') || f.hasAttribute('data-yakin') || !unsent()) return;
    e.preventDefault();
    lembarKotak().then(function (k) { k.keluar(f); });
  });
  if (unsent()) lembarKotak();
  var form = document.querySelector('form.formulir[data-form]');
  var sw = navigator.serviceWorker;
  if (!form || !sw || /^pratinjau-/.test(form.getAttribute('data-form'))) return;
  sw.register('/sw.js').then(function () { return sw.ready; }).then(function (reg) {
    // Not yet under the worker: it fetches this page to keep it. Under it, online: refresh what is kept.
    if (reg.active) reg.active.postMessage(sw.controller ? { perbarui: navigator.onLine } : { simpan: location.href });
  }).catch(function () { /* no worker: the page works online as before */ });
})();
