/* HASSELT Helpt: search with filters (form[data-hh-search] on /zoeken/), on the static Pagefind index that the
   build writes to /pagefind/ (hasselthelpt/outputs/search.py).
   - Filters are checkboxes and radio buttons; within one group any choice counts ("jeugd" or "dieren"), across
     groups all must hold. The count beside each choice is what you get when you add it (one extra search per
     group with a choice, without that group's own choices).
   - The number of results is announced (role=status, aria-live=polite); results are cards with the key facts,
     ten at a time.
   - The search is kept in the address (?q=...&thema=...), so the back button and a shared link work.
   Without JavaScript, or when the index does not load, the form stays hidden and the page's links to the
   server-rendered filter pages remain. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-hh-search]");
  if (!form || !window.fetch || !window.URLSearchParams || !window.Promise) {
    return;
  }
  var PAGE = 10;
  var bundle = new URL(form.getAttribute("data-bundle"), document.baseURI).href;
  var everything = form.getAttribute("data-all");
  var input = form.elements.q;
  var sort = form.elements.sorteer;
  var status = form.querySelector("[data-status]");
  var list = form.querySelector("[data-results]");
  var more = form.querySelector("[data-more]");
  var groups = Array.prototype.map.call(form.querySelectorAll("fieldset[data-filter]"), function (fieldset) {
    return {key: fieldset.getAttribute("data-filter"), inputs: fieldset.querySelectorAll("input")};
  });
  var labels = {};  // filter -> value -> label, for the facts on the cards
  groups.forEach(function (g) {
    labels[g.key] = {};
    Array.prototype.forEach.call(g.inputs, function (el) {
      var label = el.labels && el.labels[0] && el.labels[0].querySelector("[data-label]");
      labels[g.key][el.value] = label ? label.textContent : el.value;
    });
  });
  var pagefind, results = [], shown = 0, latest = 0, timer = null;

  function chosen() {
    var out = {};
    groups.forEach(function (g) {
      var values = [];
      Array.prototype.forEach.call(g.inputs, function (el) {
        if (el.checked && el.value) {
          values.push(el.value);
        }
      });
      if (values.length) {
        out[g.key] = values;
      }
    });
    return out;
  }

  function asFilters(choice, without) {
    var filters = {};
    Object.keys(choice).forEach(function (key) {
      if (key !== without) {
        filters[key] = {any: choice[key]};
      }
    });
    return filters;
  }

  function run() {
    clearTimeout(timer);
    var mine = ++latest;
    var term = input.value.trim() || null;
    var words = term || everything;  // see search.py, SEARCH_ALL: an empty search would fetch the whole index
    var choice = chosen();
    var options = {filters: asFilters(choice)};
    if (sort.value) {
      options.sort = {};
      options.sort[sort.value] = sort.value === "nieuw" ? "desc" : "asc";
    }
    var keys = Object.keys(choice);
    var searches = [pagefind.search(words, options)].concat(keys.map(function (key) {
      return pagefind.search(words, {filters: asFilters(choice, key)});
    }));
    remember(term, choice);
    return Promise.all(searches).then(function (found) {
      if (mine !== latest || !found[0]) {
        return;  // a newer search has started
      }
      var counts = found[0].filters || {};
      keys.forEach(function (key, i) {
        counts[key] = (found[i + 1] && found[i + 1].filters || {})[key] || {};
      });
      showCounts(counts);
      results = found[0].results;
      shown = 0;
      list.innerHTML = "";
      return showMore(false, mine).then(function () {
        if (mine === latest) {
          status.textContent = describe(results.length, term);
          form.setAttribute("data-done", String(mine));  // for the tests: this search is shown
        }
      });
    }).catch(function () {
      if (mine === latest) {
        status.textContent = "Zoeken lukt nu niet. Controleer je internetverbinding en probeer opnieuw.";
      }
    });
  }

  function describe(count, term) {
    var forTerm = term ? " voor \u201c" + term + "\u201d" : "";
    if (!count) {
      return "Geen resultaten" + forTerm + ". Probeer een ander woord of kies minder filters.";
    }
    return (count === 1 ? "1 resultaat" : count + " resultaten") + forTerm + ".";
  }

  function showCounts(counts) {
    groups.forEach(function (g) {
      var byValue = counts[g.key] || {};
      Array.prototype.forEach.call(g.inputs, function (el) {
        var count = el.labels && el.labels[0] && el.labels[0].querySelector("[data-count]");
        if (count) {
          count.textContent = "(" + (byValue[el.value] || 0) + ")";
        }
      });
    });
  }

  function showMore(focusFirst, mine) {
    var batch = results.slice(shown, shown + PAGE);
    shown += batch.length;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
      if (mine !== latest) {
        return;  // a newer search replaced these results
      }
      var first = null;
      items.forEach(function (item) {
        var card = render(item);
        list.appendChild(card);
        first = first || card.querySelector("a");
      });
      more.hidden = shown >= results.length;
      if (focusFirst && first) {
        first.focus();
      }
    });
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

  function render(item) {
    var meta = item.meta || {}, filters = item.filters || {};
    var type = (filters.type || [])[0];
    var card = el("li", "card result-card");
    card.appendChild(el("p", "card-type", {vacature: "Vacature", organisatie: "Organisatie", verhaal: "Verhaal"}[type] || ""));
    var title = el("h3", "card-title");
    var link = el("a", "", meta.title || item.url);
    link.href = item.url;
    title.appendChild(link);
    card.appendChild(title);
    if (meta.organisatie) {
      card.appendChild(el("p", "card-org", meta.organisatie));
    }
    card.appendChild(el("p", "", meta.samenvatting || ""));
    var facts = el("ul", "facts");
    facts.setAttribute("aria-label", "Kort");
    function fact(text, datetime) {
      var li = el("li");
      if (datetime) {
        li.appendChild(document.createTextNode(text));
        var time = el("time", "", datetime.label);
        time.setAttribute("datetime", datetime.value);
        li.appendChild(time);
      } else {
        li.textContent = text;
      }
      facts.appendChild(li);
    }
    (filters.soort || []).forEach(function (v) { fact(labels.soort[v] || v); });
    (filters.deelgemeente || []).forEach(function (v) { fact(labels.deelgemeente[v] || v); });
    if (meta.tijd) {
      fact(meta.tijd);
    }
    if ((filters.nederlands || [])[0] === "geen") {
      fact("Geen Nederlands nodig");
    }
    if (meta.sluit) {
      fact("Reageren tot ", {value: meta.sluit, label: meta.sluitdatum || meta.sluit});
    }
    if (meta.datum) {
      fact(meta.datum);
    }
    if (facts.childNodes.length) {
      card.appendChild(facts);
    }
    return card;
  }

  // --- The search in the address ---

  function remember(term, choice) {
    var params = new URLSearchParams();
    if (term) {
      params.set("q", term);
    }
    Object.keys(choice).forEach(function (key) {
      choice[key].forEach(function (v) { params.append(key, v); });
    });
    if (sort.value) {
      params.set("sorteer", sort.value);
    }
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  }

  function restore() {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    if (params.get("sorteer")) {
      sort.value = params.get("sorteer");
    }
    groups.forEach(function (g) {
      var values = params.getAll(g.key);
      if (values.length) {
        Array.prototype.forEach.call(g.inputs, function (el) { el.checked = values.indexOf(el.value) >= 0; });
      }
    });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(run, 300);
  }

  function start(module) {
    pagefind = module;
    restore();
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      run();
    });
    form.addEventListener("change", function (event) {
      if (event.target !== input) {
        run();
      }
    });
    input.addEventListener("input", later);
    form.addEventListener("reset", function () {
      setTimeout(function () {  // after the browser has reset the controls
        input.value = "";
        run();
      }, 0);
    });
    more.addEventListener("click", function () { showMore(true, latest); });
    form.hidden = false;
    var fallback = document.querySelector("[data-fallback]");
    if (fallback) {
      fallback.hidden = true;
    }
    form.setAttribute("data-ready", "");
    return run();
  }

  import(bundle + "pagefind.js")
    .then(function (module) {
      return Promise.resolve(module.options({baseUrl: new URL("../", bundle).pathname}))
        .then(function () { return module.init ? module.init() : null; })
        .then(function () { return module.filters(); })  // loads the filter index: searches count with it
        .then(function () { return start(module); });
    })
    .catch(function (error) {
      // The fallback text with the links to the filter pages stays in view.
      if (window.console) {
        console.warn("Zoeken is niet beschikbaar:", error);
      }
    });
}());
