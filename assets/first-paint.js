/* The page is shown once it is whole. Dash draws the layout as soon as React mounts, but the code of
   its dropdowns, upload, slider, charts and event log comes in chunks that resolve a moment later:
   for a second or two the panel had no drill picker, no upload box and no dropdowns, then shifted
   as they arrived. The layout names those components (data-paint on .app); the page stays hidden
   (augur.css) until every one of them is in the document, or for at most MAX_WAIT ms (a page may set
   window.augurFirstPaintMaxWait before this script runs: the browser test of the first paint does,
   so that a loaded machine's slow chunks are waited for rather than shown late). */
(function () {
  var MAX_WAIT = typeof window.augurFirstPaintMaxWait === 'number' ? window.augurFirstPaintMaxWait : 8000;
  var root = document.documentElement;

  function painted() {
    root.classList.add('augur-painted');
  }

  function whole() {
    var app = document.querySelector('.app[data-paint]');
    if (!app) return false;
    return app.getAttribute('data-paint').split(' ').every(function (id) {
      return !id || document.getElementById(id);
    });
  }

  var observer = new MutationObserver(function () {
    if (whole()) {
      observer.disconnect();
      painted();
    }
  });
  observer.observe(root, { subtree: true, childList: true });
  setTimeout(function () {
    observer.disconnect();
    painted();
  }, MAX_WAIT);
})();
