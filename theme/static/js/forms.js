/* HASSELT Helpt: the forms, a little better with JavaScript (form[data-hh-form]).
   Without this script every form still works: it posts, and the server answers with a thank-you page or an
   error page. With it:
   - a signed token is fetched when the page loads; the server refuses a form sent within a few seconds of
     its token (bots are fast). The script waits out that moment itself, so a person never sees that refusal;
   - each form gets a random submission id: sending it again (after a network error) stores it only once;
   - the form is sent in place: the thank-you message replaces it, or each error appears next to its field
     (tied with aria-describedby, the field marked aria-invalid), with a summary above that gets the focus. */
(function () {
  "use strict";
  if (!window.fetch || !window.URLSearchParams || !window.FormData) {
    return; // an old browser: the plain form works
  }

  var NETWORK_ERROR = "Versturen lukt nu niet. Controleer je internetverbinding en probeer opnieuw.";

  function randomId() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function errorId(name) {
    return "fout-" + name.replace(/[^A-Za-z0-9_-]/g, "-");
  }

  function wait(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  function enhance(form) {
    var summary = document.createElement("div");
    summary.className = "form-summary";
    summary.tabIndex = -1;
    summary.hidden = true;
    form.insertBefore(summary, form.firstChild);

    if (form.elements.submission_id) {
      form.elements.submission_id.value = randomId();
    }
    var readyAt = Date.now();
    var token = fetch(new URL("formtoken", form.action).href, {headers: {Accept: "application/json"},
                                                                 credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data.token && form.elements.token) {
          form.elements.token.value = data.token;
          readyAt = Date.now() + 1000 * (data.min_seconds || 0) + 250;
        }
      })
      .catch(function () { /* no token: the server accepts the form without one */ });

    var busy = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (busy) {
        return;
      }
      busy = true;
      var button = form.querySelector("[type=submit]");
      if (button) {
        button.setAttribute("aria-disabled", "true");
      }
      token
        .then(function () { return wait(Math.max(0, readyAt - Date.now())); })
        .then(function () {
          return fetch(form.action, {method: "POST", body: new URLSearchParams(new FormData(form)),
                                     headers: {Accept: "application/json"}, credentials: "same-origin"});
        })
        .then(function (response) {
          return response.json().catch(function () { return {ok: false, message: NETWORK_ERROR}; });
        })
        .then(function (answer) {
          if (answer.ok) {
            done(form, answer.message);
          } else {
            showErrors(form, summary, answer);
          }
        }, function () {
          showErrors(form, summary, {message: NETWORK_ERROR, errors: {}});
        })
        .then(function () {
          busy = false;
          if (button) {
            button.removeAttribute("aria-disabled");
          }
        });
    });
  }

  function done(form, message) {
    var box = document.createElement("div");
    box.className = "notice form-done";
    box.setAttribute("role", "status");
    box.tabIndex = -1;
    var text = document.createElement("p");
    text.textContent = message;
    box.appendChild(text);
    form.parentNode.replaceChild(box, form);
    box.focus();
  }

  function clearErrors(form) {
    Array.prototype.forEach.call(form.querySelectorAll(".field-error"), function (el) {
      el.parentNode.removeChild(el);
    });
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (el) {
      el.removeAttribute("aria-invalid");
      var before = el.getAttribute("data-describedby");
      if (before === "") {
        el.removeAttribute("aria-describedby");
      } else if (before !== null) {
        el.setAttribute("aria-describedby", before);
      }
      el.removeAttribute("data-describedby");
    });
  }

  function showErrors(form, summary, answer) {
    clearErrors(form);
    var errors = answer.errors || {};
    var labels = answer.labels || {};
    summary.innerHTML = "";
    summary.setAttribute("role", "alert");
    var lead = document.createElement("p");
    lead.className = "form-summary-title";
    lead.textContent = answer.message || NETWORK_ERROR;
    summary.appendChild(lead);
    var list = document.createElement("ul");
    Object.keys(errors).forEach(function (name) {
      var fields = form.querySelectorAll("[name=\"" + name.replace(/"/g, "") + "\"]");
      if (!fields.length || fields[0].type === "hidden" || name === "website") { // not filled in by a person
        var note = document.createElement("li");
        note.textContent = errors[name];
        list.appendChild(note);
        return;
      }
      var message = document.createElement("p");
      message.className = "field-error";
      message.id = errorId(name);
      message.textContent = errors[name];
      var container = fields[0].closest("fieldset.choices") || fields[0].closest(".field");
      var anchor = container.querySelector("legend, label");
      if (anchor && anchor.nextSibling) {
        container.insertBefore(message, anchor.nextSibling);
      } else {
        container.appendChild(message);
      }
      Array.prototype.forEach.call(fields, function (field) {
        var before = field.getAttribute("aria-describedby");
        field.setAttribute("data-describedby", before || "");
        field.setAttribute("aria-describedby", (before ? before + " " : "") + message.id);
        field.setAttribute("aria-invalid", "true");
      });
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + fields[0].id;
      link.textContent = (labels[name] ? labels[name] + ": " : "") + errors[name];
      link.addEventListener("click", function (event) {
        event.preventDefault();
        fields[0].focus();
      });
      item.appendChild(link);
      list.appendChild(item);
    });
    if (list.childNodes.length) {
      summary.appendChild(list);
    }
    summary.hidden = false;
    summary.focus();
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-hh-form]"), enhance);
}());
