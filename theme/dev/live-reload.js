// Development only: `hasselthelpt serve` serves this script and builds pages that load it (HH_LIVE_RELOAD); it
// is never in the output folder. It asks the dev server for the number of the last build, waits there for a
// newer one (a long poll, hasselthelpt/live.py), then reloads the page. While the server is down it tries again.
(function () {
  "use strict";
  var endpoint = new URL("build", document.currentScript.src).href;
  var seen = null;

  function poll() {
    fetch(seen === null ? endpoint : endpoint + "?after=" + seen, {cache: "no-store"})
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (state) {
        if (seen !== null && state.build !== seen) {
          window.location.reload();
          return;
        }
        seen = state.build;
        poll();
      })
      .catch(function () { window.setTimeout(poll, 1000); });
  }

  poll();
}());
