"""The web editor's configuration (Decap CMS's config.yml), generated from the schema (hasselthelpt/content/schema.py),
never written by hand.

One collection per content type, writing exactly the files `check` reads: the type's folder, its suffix, YAML or
front matter plus Markdown (the body field). Each schema field becomes a Decap field with the widget for its kind,
`required` as the schema says (Decap's default is required, so every field says it), the schema's default, a
select with the Dutch label of every enumerated value, a relation widget for a field that names another content
type's file (`Field.refers`), Markdown for long texts, and the schema's length limit and pattern as a Decap
`pattern` (a JavaScript regular expression with its Dutch message). The hint is the Dutch text of
hasselthelpt/editor_hints.py plus the facts of the schema (the limit).

`config(settings)` is the production configuration: the git host of HH_EDITOR_BACKEND with Decap's editorial
workflow (draft, ready for review, published as branches and merge requests). `config(settings, local=URL)` is
the one `hasselthelpt serve --editor` hands out: Decap's local backend (decap-server at URL) writing straight into
the checkout, without the workflow, which decap-server's file mode does not have.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .content.schema import (CONTENT_TYPES, EMAIL_RE, IMAGE_SUFFIXES, PHONE_RE, SLUG_RE, URL_RE, ContentType, Field)
from .editor_hints import hint as dutch_hint
from .settings import Settings

# The content types the editor offers, with the collection's name (its URL in the editor) and plural label.
COLLECTIONS: dict[str, tuple[str, str]] = {
    "vacancy": ("vacatures", "Vacatures"),
    "story": ("verhalen", "Verhalen"),
    "organisation": ("organisaties", "Organisaties"),
    "event": ("activiteiten", "Activiteiten"),
    "page": ("paginas", "Pagina's"),
    "press": ("persberichten", "Persberichten"),
}
# The field an entry is known by in the editor's lists (and its file name is made from).
IDENTIFIER = {"organisation": "name"}
MEDIA_FOLDER = "content/images"  # photos uploaded in the editor; image fields hold paths below content/
PUBLIC_FOLDER = MEDIA_FOLDER.removeprefix("content/")
LOCALE = "nl"  # Decap's own Dutch interface texts
DATE_FORMAT = "YYYY-MM-DD"  # dayjs formats of schema.DATETIME_FORMAT and of a date
DATETIME_FORMAT = "YYYY-MM-DD HH:mm"
MARKDOWN_BUTTONS = ["bold", "italic", "link", "heading-two", "heading-three", "quote", "bulleted-list",
                    "numbered-list"]
BACKENDS = ("gitlab", "gitea", "forgejo", "github")  # git hosts whose login Decap does in the browser (PKCE)
EDITOR_FOLDER = "admin"  # the editor's address below the site: /admin/


class EditorConfigError(ValueError):
    pass


def _any_case(text: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in text)


def _js(regex: re.Pattern) -> str:
    """A schema pattern as a JavaScript regular expression (Decap compiles it without flags)."""
    pattern = regex.pattern
    if regex.flags & re.IGNORECASE:
        pattern = pattern.replace("a-z", "a-zA-Z")
    return pattern


def _anchored(body: str) -> str:
    return body.removeprefix("^").removesuffix("$")


KIND_PATTERNS: dict[str, tuple[str, str]] = {  # kind -> (JavaScript pattern without anchors, Dutch message)
    "slug": (_anchored(SLUG_RE.pattern), "kleine letters, cijfers en streepjes"),
    "email": (_anchored(_js(EMAIL_RE)), "een e-mailadres, bijvoorbeeld naam@voorbeeld.be"),
    "phone": (_anchored(PHONE_RE.pattern), "een telefoonnummer, bijvoorbeeld 011 23 94 00"),
    "url": (_anchored(URL_RE.pattern), "een volledig webadres dat begint met https://"),
    "image": (".*\\.(?:" + "|".join(_any_case(s.lstrip(".")) for s in IMAGE_SUFFIXES) + ")",
              "een foto in JPEG, PNG of WebP"),
}


def pattern(f: Field) -> list[str] | None:
    """Decap's [regular expression, message] for a field: its length limit and the pattern of its kind."""
    kind = KIND_PATTERNS.get(f.kind)
    if f.max_length is None and kind is None:
        return None
    any_char = "[\\s\\S]" if f.lines else "."
    length = f"(?={any_char}{{0,{f.max_length}}}$)" if f.max_length is not None else ""
    body = kind[0] if kind else f"{any_char}*"
    messages = ([f"hoogstens {f.max_length} tekens"] if f.max_length is not None else []) + ([kind[1]] if kind else [])
    return [f"^{length}(?:{body})$", " en ".join(messages).capitalize()]


def _limits(f: Field) -> str:
    """The schema's facts for the hint, in Dutch."""
    facts = []
    if f.max_length is not None and not f.refers:
        facts.append(f"Hoogstens {f.max_length} tekens.")
    if f.kind == "int" and f.minimum is not None:
        facts.append(f"Van {f.minimum} tot {f.maximum}.")
    if f.kind == "list" and f.max_items:
        facts.append(f"Hoogstens {f.max_items}.")
    return " ".join(facts)


def _options(f: Field) -> list[dict[str, str]]:
    return [{"label": label, "value": value} for value, label in (f.choices or {}).items()]


def field_config(f: Field, type_name: str, path: str = "", optional_group: bool = False) -> dict[str, Any]:
    """The Decap field for one schema field (and its sub-fields). Decap checks the required fields of a group
    (an object) even when the group itself is optional and left empty: inside an optional group nothing is
    required in the editor, and `check` reports a group filled in half (place without its address)."""
    path = f"{path}{f.name}"
    hint = " ".join(filter(None, [dutch_hint(type_name, path), _limits(f)]))
    out: dict[str, Any] = {"name": f.name, "label": f.label, "required": f.required and not optional_group}
    if hint:
        out["hint"] = hint
    kind = f.kind
    if kind == "object":
        out.update(widget="object", collapsed=False,
                   fields=[field_config(s, type_name, path + ".", optional_group or not f.required) for s in f.fields])
    elif kind == "list":
        out.update(widget="list", fields=[field_config(s, type_name, path + ".") for s in f.fields])
        if f.max_items:
            out["max"] = f.max_items
        out["summary"] = "{{fields." + f.fields[0].name + "}}"
    elif kind == "markdown":
        out.update(widget="markdown", buttons=MARKDOWN_BUTTONS, editor_components=[], modes=["rich_text", "raw"])
    elif kind == "text":
        out["widget"] = "text" if f.multiline else "string"
    elif kind == "slug" and f.refers:
        target = CONTENT_TYPES[f.refers]
        shown = IDENTIFIER.get(target.name, "title")
        out.update(widget="relation", collection=COLLECTIONS[target.name][0], value_field="{{slug}}",
                   search_fields=[shown], display_fields=[shown], options_length=1000)
    elif kind in ("slug", "email", "phone", "url"):
        out["widget"] = "string"
    elif kind == "image":
        out.update(widget="image", choose_url=False)
    elif kind == "int":
        out.update(widget="number", value_type="int", min=f.minimum, max=f.maximum)
    elif kind == "amount":
        out.update(widget="number", value_type="float", min=f.minimum or 0, max=f.maximum, step=0.01)
    elif kind == "bool":
        out["widget"] = "boolean"
        out.setdefault("default", False)  # a switch is never empty: it is written as false when left off
    elif kind == "date":
        out.update(widget="datetime", format=DATE_FORMAT, date_format=DATE_FORMAT, time_format=False)
    elif kind == "datetime":
        out.update(widget="datetime", format=DATETIME_FORMAT, date_format=DATE_FORMAT, time_format="HH:mm")
    elif kind in ("choice", "choices"):
        out.update(widget="select", options=_options(f))
        if kind == "choices":
            out["multiple"] = True
            if f.required:
                out["min"] = 1
    else:
        raise EditorConfigError(f"no editor widget for field kind {kind!r} ({type_name}.{path})")
    if kind not in ("object", "list") and not (kind == "slug" and f.refers):
        found = pattern(f)
        if found:
            out["pattern"] = found
    if f.default not in (None, [], "") and kind not in ("object", "list"):
        out["default"] = list(f.default) if isinstance(f.default, list) else f.default
    return out


def collection(ctype: ContentType) -> dict[str, Any]:
    name, label = COLLECTIONS[ctype.name]
    fields = [field_config(f, ctype.name) for f in ctype.fields]
    if ctype.body:
        fields.append(field_config(ctype.body, ctype.name))
    out = {
        "name": name,
        "label": label,
        "label_singular": ctype.label,
        "folder": ctype.folder,
        "extension": ctype.suffix.lstrip("."),
        "format": "frontmatter" if ctype.body else "yaml",
        "create": True,
        "delete": True,
        "identifier_field": IDENTIFIER.get(ctype.name, "title"),
        "slug": "{{slug}}",
        "summary": "{{" + IDENTIFIER.get(ctype.name, "title") + "}}",
        "fields": fields,
    }
    return out


def backend(settings: Settings) -> dict[str, Any]:
    """HH_EDITOR_BACKEND, checked: Decap's `backend` section for the city's git host."""
    found = dict(settings.editor_backend or {})
    if found.get("name") not in BACKENDS:
        raise EditorConfigError(f"HH_EDITOR_BACKEND needs a name: one of {', '.join(BACKENDS)}.")
    if not found.get("repo"):
        raise EditorConfigError("HH_EDITOR_BACKEND needs a repo: the project's path on the git host, for example "
                                "stad-hasselt/hasselthelpt.")
    return found


def config(settings: Settings, local: str | None = None) -> dict[str, Any]:
    """Decap's configuration. `local`: the address of decap-server's API (development, `serve --editor`)."""
    out: dict[str, Any] = {
        "locale": LOCALE,
        "backend": backend(settings),
        "media_folder": MEDIA_FOLDER,
        "public_folder": PUBLIC_FOLDER,
        "site_url": settings.absolute_url + "/",
        "display_url": settings.absolute_url + "/",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [collection(CONTENT_TYPES[name]) for name in COLLECTIONS],
    }
    if local:
        out["local_backend"] = {"url": local, "allowed_hosts": ["localhost", "127.0.0.1"]}
    else:
        out["publish_mode"] = "editorial_workflow"
    return out


def config_yaml(settings: Settings, local: str | None = None) -> str:
    return ("# Made by hasselthelpt/editor_config.py from hasselthelpt/content/schema.py at each build: do not edit.\n"
            + yaml.safe_dump(config(settings, local), allow_unicode=True, sort_keys=False, width=120))
