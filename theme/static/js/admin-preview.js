/* The web editor's previews (/admin/, theme/templates/admin.html): the site's own stylesheet and brand colours,
   and one preview per collection in the markup of the site's pages (header.page-head with h1 and lead, the
   photo, the text in .prose, the facts in a .facts-list), so an officer sees the item as a volunteer will.
   In development (`hasselthelpt serve --editor`) the preview links to the list of content errors of the
   last build (data-errors). Runs after Decap's own script (decap-cms.js), which defines CMS, h and createClass. */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = document.baseURI;
  CMS.registerPreviewStyle(new URL(script.dataset.siteCss, base).href);
  CMS.registerPreviewStyle(script.dataset.brandCss, { raw: true });
  var errorsUrl = script.dataset.errors ? new URL(script.dataset.errors, base).href : "";
  var LEAD = ["title", "name", "summary"];
  var TEXT = ["description", "body"];
  var HIDDEN = ["image", "image_alt", "image_credit", "image_licence", "logo", "consent", "translations", "photos",
                "status", "internal", "featured", "contact_public"];

  function optionLabel(field, value) {
    var options = field.get("options");
    if (!options) return String(value);
    var found = options.find(function (o) { return o.get && o.get("value") === value; });
    return found ? found.get("label") : String(value);
  }

  function shown(field, value) {
    if (value === undefined || value === null || value === "") return null;
    var widget = field.get("widget");
    if (widget === "boolean") return value ? "ja" : "nee";
    if (widget === "select") {
      var values = value.toJS ? value.toJS() : [value];
      if (!values.length) return null;
      return values.map(function (v) { return optionLabel(field, v); }).join(", ");
    }
    if (widget === "object") {
      var parts = [];
      field.get("fields").forEach(function (sub) {
        var text = shown(sub, value.get(sub.get("name")));
        if (text) parts.push(text);
      });
      return parts.length ? parts.join(", ") : null;
    }
    if (widget === "list") {
      var rows = [];
      value.forEach(function (item) {
        var row = [];
        field.get("fields").forEach(function (sub) {
          var text = shown(sub, item.get(sub.get("name")));
          if (text) row.push(text);
        });
        rows.push(row.join(" - "));
      });
      return rows.length ? rows.join("; ") : null;
    }
    return String(value);
  }

  var Preview = createClass({
    render: function () {
      var entry = this.props.entry;
      var fields = this.props.collection.get("fields");
      var data = entry.get("data");
      var title = data.get("title") || data.get("name") || "";
      var image = data.get("image") || data.get("logo");
      var asset = image ? this.props.getAsset(image) : null;
      var self = this;
      var facts = [];
      fields.forEach(function (field) {
        var name = field.get("name");
        if (LEAD.indexOf(name) >= 0 || TEXT.indexOf(name) >= 0 || HIDDEN.indexOf(name) >= 0) return;
        var text = shown(field, data.get(name));
        if (text) facts.push(h("dt", { key: name + "-t" }, field.get("label")), h("dd", { key: name + "-d" }, text));
      });
      var text = TEXT.filter(function (name) { return fields.some(function (f) { return f.get("name") === name; }); });
      return h("main", { className: "wrap", id: "inhoud" },
        errorsUrl ? h("p", { className: "preview-note" }, "Na het bewaren bouwt de site opnieuw. ",
          h("a", { href: errorsUrl, target: "_blank" }, "Fouten in de inhoud")) : null,
        h("article", null,
          h("header", { className: "page-head" },
            h("h1", null, title),
            data.get("summary") ? h("p", { className: "lead" }, data.get("summary")) : null),
          asset ? h("img", { className: "hero-img", src: asset.toString(), alt: data.get("image_alt") || "" }) : null,
          h("div", { className: "with-sidebar sidebar-right" },
            h("div", { className: "prose" }, text.map(function (name) {
              return h("div", { key: name }, self.props.widgetFor(name));
            })),
            facts.length ? h("section", { className: "facts-box" },
              h("h2", null, "Praktisch"), h("dl", { className: "facts-list" }, facts)) : null)));
    }
  });

  script.dataset.collections.split(",").forEach(function (name) {
    CMS.registerPreviewTemplate(name, Preview);
  });
})();
