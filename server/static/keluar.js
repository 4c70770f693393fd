// Offline use (issue 18) on pages without lembar.js (which does the same for entry pages): with
// unsent items in the outbox, the outbox code is loaded to send them, and logging out asks first
// what to do with them (a shared phone); it never deletes them.
(function () {
  'use strict';
  function unsent() { try { return Number(localStorage.getItem('lembar:kotak:belum')) || 0; } catch (e) { return 0; } }
  var loading;
  function outbox() {
    loading = loading || (window.LembarKotak ? Promise.resolve() : new Promise(function (ok, fail) {
      var s = document.createElement('script');
      s.src = '/luring/kotak.js';
      s.onload = ok;
      s.onerror = fail;
      document.head.appendChild(s);
    }));
    return loading.then(function () { return window.LembarKotak; });
  }
  document.addEventListener('submit', function (e) {
    var f = e.target;
    if (!f.matches('form.keluar') || f.hasAttribute('data-yakin') || !unsent()) return;
    e.preventDefault();
    outbox().then(function (k) { k.keluar(f); });
  });
  if (unsent() && !document.querySelector('script[src="/luring/kotak.js"]')) outbox();
})();
