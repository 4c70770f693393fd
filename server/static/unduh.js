/* Report downloads: the page says a PDF is being prepared while the server makes it. */
// Downloads the server takes a while to make (a report PDF): the link says the file is being
// prepared, the file is handed over when it is ready, and a busy server's "try again in N seconds"
// is shown as it comes. Without JavaScript the link is a plain download.
(function () {
  if (!window.fetch || !window.URL || !URL.createObjectURL) return;
  document.querySelectorAll('a[data-menyiapkan]').forEach(function (a) {
    var status = document.createElement('span');
    status.className = 'catatan';
    status.setAttribute('role', 'status');
    a.parentNode.insertBefore(status, a.nextSibling);
    var fail = function (text) { throw new Error(text); };
    a.addEventListener('click', function (e) {
      e.preventDefault();
      if (a.getAttribute('aria-busy') === 'true') return;
      a.setAttribute('aria-busy', 'true');
      status.textContent = ' ' + a.getAttribute('data-menyiapkan');
      fetch(a.href, { credentials: 'same-origin' }).then(function (res) {
        if (!res.ok) {
          return res.json().then(function (b) { fail(b && b.errors && b.errors[0] ? b.errors[0].message : ''); }, function () { fail('Berkas tidak dapat disiapkan (kode ' + res.status + ').'); });
        }
        var name = (/filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '') || [])[1] || 'laporan.pdf';
        return res.blob().then(function (blob) {
          var url = URL.createObjectURL(blob);
          var link = document.createElement('a');
          link.href = url;
          link.download = name;
          document.body.appendChild(link);
          link.click();
          link.parentNode.removeChild(link);
          setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
          status.textContent = ' Berkas siap.';
        });
      }).catch(function (err) {
        status.textContent = ' ' + (err && err.message && err.name === 'Error' ? err.message : 'Tidak ada sambungan internet. Coba lagi.');
      }).then(function () { a.removeAttribute('aria-busy'); });
    });
  });
})();
