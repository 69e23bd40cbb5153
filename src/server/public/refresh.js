// Reloads a page that asks for it (<meta name="csc-refresh" content="60">) after that many seconds.
// A script rather than <meta http-equiv="refresh">, which assistive technology cannot pause (WCAG 2.2.1):
// the page also offers a link that turns the refresh off, and without JavaScript it simply does not reload.
(function () {
  var meta = document.querySelector('meta[name="csc-refresh"]');
  var seconds = meta ? Number(meta.getAttribute('content')) : 0;
  if (seconds > 0) setTimeout(function () { window.location.reload(); }, seconds * 1000);
})();
