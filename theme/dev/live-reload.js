// Development only: `hasselthelpt serve` serves this script and builds pages that load it (HH_LIVE_RELOAD); it
// is never in the output folder. It asks the dev server for the number of the last build, waits there for a
// newer one (a long poll, hasselthelpt/live.py), then reloads the page if one of the newer builds may have changed
// it (the server knows which pages each build wrote). While the server is down it tries again. A reload keeps the
// number it reloaded for (sessionStorage), so a build that rewrote the page while it loaded reloads it once more.
(function () {
  "use strict";
  var endpoint = new URL("build", document.currentScript.src).href;
  var page = "&page=" + encodeURIComponent(window.location.pathname);
  var KEY = "hh-live-build";
  var seen = remembered();

  function remembered() {
    try {
      var number = window.sessionStorage.getItem(KEY);
      window.sessionStorage.removeItem(KEY);
      return number === null ? null : Number(number);
    } catch (e) {  // storage refused: the first answer is the number to wait after
      return null;
    }
  }

  function reload(build) {
    try { window.sessionStorage.setItem(KEY, String(build)); } catch (e) { /* reloads all the same */ }
    window.location.reload();
  }

  function poll() {
    fetch(seen === null ? endpoint : endpoint + "?after=" + seen + page, {cache: "no-store"})
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (state) {
        if (seen !== null && state.reload) {
          reload(state.build);
          return;
        }
        seen = state.build;
        poll();
      })
      .catch(function () { window.setTimeout(poll, 1000); });
  }

  poll();
}());
