/* HASSELT Helpt: the matcher (/matcher/). The formula is hasselthelpt/outputs/matcher.py's, line for line; its weights,
   words and the open vacancies come from matcher/data.json, which the build writes from that module. Tests run
   this file in Node and in Chromium and compare its ranking with the Python one.

   The answers stay in this browser: they are ranked here, kept in localStorage only after "Toon mijn matches"
   (until "Wis mijn antwoorden"), and sent nowhere, unless the person fills in the appointment form below the
   results and sends it (theme/static/js/forms.js posts it to the form endpoint). */
(function (root) {
  "use strict";

  // --- The formula (see hasselthelpt/outputs/matcher.py for the documentation) ---

  function has(list, value) {
    return list.indexOf(value) >= 0;
  }

  function inOrder(values, vocabulary) {
    return vocabulary.filter(function (slug) { return has(values, slug); });
  }

  /* The vacancies of matcher/data.json as objects with slugs, like matching.Features. */
  function load(data) {
    var v = data.vocabularies;
    function slugs(name, indexes) {
      return indexes.map(function (i) { return v[name][i]; });
    }
    return data.vacancies.map(function (row) {
      var r = {};
      data.fields.forEach(function (name, i) { r[name] = row[i]; });
      return {slug: r.slug, title: r.title, organisation: data.organisations[r.organisation],
              themes: slugs("themes", r.themes), talents: slugs("talents", r.talents), when: slugs("when", r.when),
              place: v.places[r.place], dutch: v.dutch[r.dutch], min_age: r.min_age, wheelchair: !!r.wheelchair,
              published: r.published, kind: r.kind, time: r.time, next: r.next || ""};
    });
  }

  function ruledOut(vacancy, answers, data) {
    var order = data.vocabularies.dutch;
    if (answers.dutch && order.indexOf(vacancy.dutch) > order.indexOf(answers.dutch)) {
      return ["dutch", [vacancy.dutch]];
    }
    if (answers.age !== null && answers.age !== undefined && answers.age < vacancy.min_age) {
      return ["age", [String(vacancy.min_age)]];
    }
    if (answers.wheelchair && !vacancy.wheelchair) {
      return ["wheelchair", []];
    }
    return null;
  }

  function whenFits(vacancy, answers, data) {
    var flexible = data.flexible;
    if (!answers.when.length) {
      return [];
    }
    var shared = inOrder(answers.when.filter(function (w) { return w !== flexible && has(vacancy.when, w); }),
                         data.vocabularies.when);
    if (shared.length) {
      return shared;
    }
    return has(vacancy.when, flexible) || has(answers.when, flexible) ? [flexible] : [];
  }

  function score(vacancy, answers, data) {
    var out = ruledOut(vacancy, answers, data);
    if (out) {
      return {points: null, reasons: [out]};
    }
    var weights = data.weights, points = 0, reasons = [];
    var talents = inOrder(vacancy.talents.filter(function (t) { return has(answers.talents, t); }),
                          data.vocabularies.talents);
    if (talents.length) {
      points += weights.talent * talents.length;
      reasons.push(["talent", talents]);
    }
    var themes = inOrder(vacancy.themes.filter(function (t) { return has(answers.themes, t); }),
                         data.vocabularies.themes);
    if (themes.length) {
      points += weights.theme * themes.length;
      reasons.push(["theme", themes]);
    }
    var moments = whenFits(vacancy, answers, data);
    if (moments.length) {
      points += weights.when;
      reasons.push(["when", moments]);
    }
    if (has(answers.places, vacancy.place)) {
      points += weights.place;
      reasons.push(["place", [vacancy.place]]);
    }
    return {points: points, reasons: reasons};
  }

  function join(parts, phrases) {
    if (parts.length <= 1) {
      return parts.join("");
    }
    return parts.slice(0, -1).join(phrases.comma) + phrases.and + parts[parts.length - 1];
  }

  function explain(reasons, data) {
    var p = data.phrases, labels = data.labels, parts = [];
    reasons.forEach(function (reason) {
      var kind = reason[0], values = reason[1];
      if (kind === "talent") {
        parts.push(p.talent[values.length > 1 ? 1 : 0] +
                   join(values.map(function (v) { return labels.talents[v]; }), p));
      } else if (kind === "theme") {
        parts.push(p.theme + values.map(function (v) { return labels.themes[v]; }).join(p.theme_join));
      } else if (kind === "when") {
        parts.push(join(values.map(function (v) { return p.when[v]; }), p));
      } else if (kind === "place") {
        parts.push(p.place + labels.deelgemeenten[values[0]]);
      }
    });
    return parts.length ? p.lead + join(parts, p) + p.end : "";
  }

  function compare(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /* The vacancies that fit, best first: points, then the newest, then the slug. */
  function rank(vacancies, answers, data, limit) {
    var matches = [];
    vacancies.forEach(function (v) {
      var s = score(v, answers, data);
      if (s.points) {
        matches.push({vacancy: v, points: s.points, reasons: s.reasons, sentence: explain(s.reasons, data)});
      }
    });
    matches.sort(function (a, b) {
      return b.points - a.points || compare(b.vacancy.published, a.vacancy.published) ||
        compare(a.vacancy.slug, b.vacancy.slug);
    });
    return limit === undefined || limit === null ? matches : matches.slice(0, limit);
  }

  var api = {load: load, score: score, explain: explain, rank: rank};
  if (typeof module === "object" && module.exports) {
    module.exports = api;  // Node, for the tests
    return;
  }
  root.hhMatcher = api;

  // --- The page ---

  var form = root.document && document.querySelector("form[data-hh-matcher]");
  if (!form || !root.fetch || !root.JSON) {
    return;
  }
  var PAGE = 10;
  var KEY = "hasselthelpt-matcher";
  var base = new URL(form.getAttribute("data-base"), document.baseURI).href;
  var status = document.querySelector("[data-status]");
  var section = document.querySelector("[data-results-section]");
  var list = section.querySelector("[data-results]");
  var more = section.querySelector("[data-more]");
  var appointment = document.querySelector("[data-appointment]");
  var loaded = null, matches = [], shown = 0, runs = 0;

  function data() {
    loaded = loaded || fetch(new URL(form.getAttribute("data-src"), document.baseURI).href,
                             {credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (json) { return {json: json, vacancies: load(json)}; });
    loaded.catch(function () { loaded = null; });
    return loaded;
  }

  function checked(name) {
    return Array.prototype.filter.call(form.querySelectorAll("[name=\"" + name + "\"]"), function (el) {
      return el.checked && el.value;
    }).map(function (el) { return el.value; });
  }

  function readAnswers() {
    var age = parseInt(form.elements.age.value, 10);
    return {themes: checked("themes"), talents: checked("talents"), when: checked("when"),
            places: checked("places"), dutch: checked("dutch")[0] || null,
            age: age >= 1 && age <= 130 ? age : null, wheelchair: form.elements.wheelchair.checked};
  }

  function fill(answers) {
    ["themes", "talents", "when", "places", "dutch"].forEach(function (name) {
      var values = name === "dutch" ? [answers.dutch || ""] : answers[name] || [];
      Array.prototype.forEach.call(form.querySelectorAll("[name=\"" + name + "\"]"), function (el) {
        el.checked = has(values, el.value);
      });
    });
    form.elements.age.value = answers.age === null || answers.age === undefined ? "" : String(answers.age);
    form.elements.wheelchair.checked = !!answers.wheelchair;
  }

  function isEmpty(a) {
    return !(a.themes.length || a.talents.length || a.when.length || a.places.length);
  }

  function labelOf(name, value) {
    var input = form.querySelector("[name=\"" + name + "\"][value=\"" + value + "\"]");
    return input && input.labels && input.labels[0] ? input.labels[0].textContent.trim() : value;
  }

  function store(answers) {
    try {
      localStorage.setItem(KEY, JSON.stringify(answers));
    } catch (e) { /* private browsing: nothing is kept */ }
  }

  function saved() {
    try {
      return JSON.parse(localStorage.getItem(KEY) || "null");
    } catch (e) {
      return null;
    }
  }

  function show(answers, scroll) {
    var mine = ++runs;
    return data().then(function (d) {
      if (mine !== runs) {
        return;
      }
      matches = rank(d.vacancies, answers, d.json);
      shown = 0;
      list.innerHTML = "";
      showMore(d.json, false);
      section.hidden = !matches.length;
      prepareAppointment(answers);
      status.textContent = isEmpty(answers)
        ? "Kies eerst wat je graag doet, waar je goed in bent of wanneer je tijd hebt."
        : matches.length === 0
          ? "We vonden geen vacatures die bij je antwoorden passen. Kies meer dingen die je graag doet of goed kan, of vraag hieronder een afspraak."
          : (matches.length === 1 ? "We vonden 1 vacature" : "We vonden " + matches.length + " vacatures") +
            " die bij je passen. De beste staan bovenaan.";
      if (scroll && status.scrollIntoView) {
        status.scrollIntoView({block: "nearest"});  // on a phone the results start below the questions
      }
      form.setAttribute("data-done", String(mine));  // for the tests: these answers are shown
    }, function () {
      status.textContent = "De matcher kan nu niet laden. Probeer het later opnieuw, of vraag een afspraak.";
    });
  }

  function showMore(json, focusFirst) {
    var first = null;
    matches.slice(shown, shown + PAGE).forEach(function (m) {
      var card = render(m, json);
      list.appendChild(card);
      first = first || card.querySelector("a");
    });
    shown = Math.min(matches.length, shown + PAGE);
    more.hidden = shown >= matches.length;
    if (focusFirst && first) {
      first.focus();
    }
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function render(match, json) {
    var v = match.vacancy;
    var card = el("li", "card result-card");
    card.setAttribute("data-slug", v.slug);
    var title = el("h3", "card-title");
    var link = el("a", "", v.title);
    link.href = base + "vacatures/" + v.slug + "/";
    title.appendChild(link);
    card.appendChild(title);
    card.appendChild(el("p", "card-org", v.organisation));
    card.appendChild(el("p", "match-why", match.sentence));
    var facts = el("ul", "facts");
    facts.setAttribute("aria-label", "Kort");
    var place = json.labels.deelgemeenten[v.place];
    [v.kind.charAt(0).toUpperCase() + v.kind.slice(1), place.charAt(0).toUpperCase() + place.slice(1), v.time,
     v.next ? "Volgende datum: " + v.next : "", v.dutch === "geen" ? "Geen Nederlands nodig" : ""]
      .forEach(function (text) {
      if (text) {
        facts.appendChild(el("li", "", text));
      }
    });
    card.appendChild(facts);
    return card;
  }

  // --- The appointment: the answers go along as the appointment form's own fields ---

  var prefilled = "";

  function prepareAppointment(answers) {
    var apptForm = appointment.querySelector("form");
    var holder = appointment.querySelector("[data-answers]");
    holder.innerHTML = "";
    function hidden(name, value) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      holder.appendChild(input);
    }
    answers.talents.forEach(function (v) { hidden("talents", v); });
    answers.themes.forEach(function (v) { hidden("themes", v); });
    answers.when.forEach(function (v) { hidden("when", v); });
    if (answers.places.length) {
      hidden("deelgemeente", answers.places[0]);
    }
    if (answers.dutch) {
      hidden("dutch_level", answers.dutch);
    }
    var summary = appointment.querySelector("[data-answers-summary]");
    summary.innerHTML = "";
    function line(label, name, values) {
      if (values.length) {
        summary.appendChild(el("li", "", label + ": " + values.map(function (v) { return labelOf(name, v); })
          .join(", ")));
      }
    }
    line("Wat je graag doet", "themes", answers.themes);
    line("Waar je goed in bent", "talents", answers.talents);
    line("Wanneer je tijd hebt", "when", answers.when);
    line("Waar je wil helpen", "places", answers.places);
    line("Nederlands", "dutch", answers.dutch ? [answers.dutch] : []);
    if (!summary.childNodes.length) {
      summary.appendChild(el("li", "", "Nog niets. Je kan ook alleen je naam en hoe we je bereiken invullen."));
    }
    var notes = ["Ik vulde de matcher in op de website."];
    if (answers.places.length > 1) {
      notes.push("Ik wil ook helpen in: " + answers.places.slice(1).map(function (v) { return labelOf("places", v); })
        .join(", ") + ".");
    }
    if (answers.age !== null) {
      notes.push("Mijn leeftijd: " + answers.age + " jaar.");
    }
    if (answers.wheelchair) {
      notes.push("Ik gebruik een rolstoel.");
    }
    if (matches.length) {
      notes.push("Deze vacatures passen volgens de matcher: " + matches.slice(0, 3).map(function (m) {
        return m.vacancy.title;
      }).join("; ") + ".");
    }
    var message = apptForm.elements.message;
    if (!message.value || message.value === prefilled) {  // never overwrite what the person wrote
      prefilled = notes.join("\n");
      message.value = prefilled;
    }
    appointment.hidden = false;
  }

  // --- Start ---

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var answers = readAnswers();
    store(answers);
    show(answers, true);
  });
  form.querySelector("[data-clear]").addEventListener("click", function () {
    try {
      localStorage.removeItem(KEY);
    } catch (e) { /* nothing was kept */ }
    form.reset();
    runs++;
    matches = [];
    list.innerHTML = "";
    section.hidden = true;
    appointment.hidden = true;
    appointment.querySelector("[data-answers]").innerHTML = "";
    var message = appointment.querySelector("form").elements.message;
    if (message.value === prefilled) {
      message.value = "";
    }
    status.textContent = "Je antwoorden zijn gewist.";
  });
  more.addEventListener("click", function () {
    data().then(function (d) { showMore(d.json, true); });
  });
  form.hidden = false;
  var fallback = document.querySelector("[data-fallback]");
  if (fallback) {
    fallback.hidden = true;
  }
  var before = saved();
  if (before && before.themes) {
    fill(before);
    show(readAnswers(), false);
  }
}(typeof window !== "undefined" ? window : globalThis));
