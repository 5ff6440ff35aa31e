/* HASSELT Helpt: the vacancy-alert form (form[data-hh-alert][data-source], theme/templates/_alert.html) takes
   the filters chosen in the search form or the matcher. Without this script a person ticks them in the alert
   form itself. The filters are copied when the person turns to the alert form after changing them, so ticks
   made in the alert form itself are kept. */
(function () {
  "use strict";
  var alertForm = document.querySelector("form[data-hh-alert][data-source]");
  if (!alertForm) {
    return;
  }
  var matcher = alertForm.getAttribute("data-source") === "matcher";
  var from = document.querySelector(matcher ? "form[data-hh-matcher]" : "form[data-hh-search]");
  if (!from) {
    return;
  }
  // The matcher asks about the person; these answers are also the search filters' values.
  var names = matcher ? {themes: "thema", when: "wanneer", places: "deelgemeente", wheelchair: "rolstoel"} : null;
  var changed = true;

  function copy() {
    var chosen = {};
    Array.prototype.forEach.call(from.elements, function (el) {
      var key = names ? names[el.name] : el.name;
      if (key && el.checked && el.value) {
        (chosen[key] = chosen[key] || []).push(el.value);
      }
    });
    var any = false;
    Array.prototype.forEach.call(alertForm.querySelectorAll("details input[type=checkbox]"), function (el) {
      el.checked = (chosen[el.name] || []).indexOf(el.value) >= 0;
      any = any || el.checked;
    });
    alertForm.querySelector("details").open = any;
    changed = false;
  }

  from.addEventListener("change", function () { changed = true; });
  from.addEventListener("reset", function () { changed = true; });
  alertForm.addEventListener("focusin", function () { if (changed) { copy(); } });
  alertForm.addEventListener("submit", function () { if (changed) { copy(); } }, true);
})();
