// Progressive enhancement for generated entry pages: add/remove rows, derived counts, fields
// shown only when chosen, region pickers that narrow, and the same validation as the server
// before sending. Without this file the page still works (the server does all of it).
(function () {
  'use strict';
  document.documentElement.classList.add('js');
  var form = document.querySelector('form.formulir');
  if (!form) return;

  function rowsOf(repeat) { return repeat.querySelectorAll(':scope > .baris-daftar > .baris'); }

  function renumber(repeat) {
    var key = repeat.getAttribute('data-repeat');
    var label = repeat.getAttribute('data-label');
    var rows = rowsOf(repeat);
    rows.forEach(function (row, i) {
      row.setAttribute('data-row', String(i));
      var n = row.querySelector('[data-row-number]');
      if (n) n.textContent = label + ' no. ' + (i + 1);
      var del = row.querySelector('[data-remove]');
      if (del) { del.hidden = rows.length <= Number(repeat.getAttribute('data-min') || 0); del.textContent = 'Hapus ' + label + ' no. ' + (i + 1); }
      row.querySelectorAll('[name],[id],[for],[aria-describedby],[data-field]').forEach(function (el) {
        ['name', 'id', 'for', 'aria-describedby', 'data-field'].forEach(function (attr) {
          var v = el.getAttribute(attr);
          if (!v) return;
          var re = attr === 'name' || attr === 'data-field' ? new RegExp('^' + key + '\\.(\\d+|__i__)\\.') : new RegExp('f-' + key + '-(\\d+|__i__)-', 'g');
          el.setAttribute(attr, attr === 'name' || attr === 'data-field' ? v.replace(re, key + '.' + i + '.') : v.replace(re, 'f-' + key + '-' + i + '-'));
        });
      });
    });
    updateDerived();
  }

  function addRow(key) {
    var repeat = form.querySelector('[data-repeat="' + key + '"]');
    var tpl = form.querySelector('template[data-row-template="' + key + '"]');
    var max = Number(repeat.getAttribute('data-max') || 0);
    if (max && rowsOf(repeat).length >= max) return;
    var node = tpl.content.firstElementChild.cloneNode(true);
    repeat.querySelector('.baris-daftar').appendChild(node);
    renumber(repeat);
    var first = node.querySelector('input,select');
    if (first) first.focus();
  }

  form.querySelectorAll('[data-add]').forEach(function (b) { b.hidden = false; b.addEventListener('click', function () { addRow(b.getAttribute('data-add')); }); });
  form.addEventListener('click', function (e) {
    var del = e.target.closest('[data-remove]');
    if (!del) return;
    var row = del.closest('.baris');
    var repeat = row.closest('[data-repeat]');
    row.remove();
    renumber(repeat);
  });
  form.querySelectorAll('[data-repeat]').forEach(renumber);

  function updateDerived() {
    form.querySelectorAll('[data-derived]').forEach(function (input) {
      var repeat = form.querySelector('[data-repeat="' + input.getAttribute('data-derived') + '"]');
      input.value = repeat ? String(rowsOf(repeat).length) : '0';
    });
  }

  // x-show-when: `{"field": name, "equals": value}` between fields of the same section.
  function value(name) {
    var els = form.querySelectorAll('[name$=".' + name + '"]');
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      if (el.type === 'radio') { if (el.checked) return el.value; continue; }
      return el.value;
    }
    return '';
  }
  function asText(v) { return v === true ? 'ya' : v === false ? 'tidak' : String(v); }
  function updateShown() {
    form.querySelectorAll('[data-show-when]').forEach(function (box) {
      var cond = JSON.parse(box.getAttribute('data-show-when'));
      box.hidden = 'equals' in cond ? value(cond.field) !== asText(cond.equals) : false;
    });
  }
  form.addEventListener('change', updateShown);
  updateShown();

  // Region pickers: choosing a level reloads the next one from /api/regions.
  var order = ['provinsi', 'kabupaten_kota', 'kecamatan', 'desa_kelurahan'];
  form.addEventListener('change', function (e) {
    var sel = e.target.closest('select[data-region]');
    if (!sel) return;
    var next = order.indexOf(sel.getAttribute('data-region')) + 1;
    for (var j = next; j < order.length; j++) {
      var child = form.querySelector('select[data-region="' + order[j] + '"]');
      if (!child) continue;
      while (child.options.length > 1) child.remove(1);
    }
    var target = form.querySelector('select[data-region="' + order[next] + '"]');
    if (!target || !sel.value) return;
    fetch('/api/regions?parent=' + encodeURIComponent(sel.value)).then(function (r) { return r.json(); }).then(function (list) {
      list.forEach(function (r) { var o = document.createElement('option'); o.value = r.kode; o.textContent = r.nama; target.appendChild(o); });
    });
  });
})();
