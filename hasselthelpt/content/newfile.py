"""The filled-in template that `hasselthelpt new` writes: every field, with its help text as a comment."""

from __future__ import annotations

import datetime as dt

import yaml

from .schema import ContentType, Field


def _dump(value) -> str:
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1000).strip().removesuffix("...").strip()


def _example(f: Field, today: dt.date) -> str:
    if f.kind == "date":
        return (today + dt.timedelta(days=f.example)).isoformat()
    if f.kind == "datetime":
        moment = dt.datetime.combine(today, dt.time()) + dt.timedelta(hours=f.example)
        return f'"{moment:%Y-%m-%d %H:%M}"'
    return _dump(f.example)


def _need(f: Field) -> str:
    """'required, at most 90 characters': what the comment above a field says about it."""
    limits = [f"at most {f.max_length} characters"] if f.max_length else []
    limits += [f"at most {f.max_items} items"] if f.max_items else []
    return ", ".join(["required" if f.required else "optional", *limits])


def _lines(fields: tuple[Field, ...], today: dt.date, indent: str = "") -> list[str]:
    out = []
    for f in fields:
        out.append(f"{indent}# {f.label} ({_need(f)}): {f.help}")
        if f.kind == "object":
            out.append(f"{indent}{f.name}:")
            out += _lines(f.fields, today, indent + "  ")
        elif f.kind == "list":
            out.append(f"{indent}# {f.name}:")
            sub = _lines(f.fields, today)
            out += [f"{indent}#   {'- ' if i == 1 else '  '}{line}" for i, line in enumerate(sub)]
        elif f.kind == "markdown":
            out.append(f"{indent}{f.name}: |")
            out += [f"{indent}  {line}" for line in str(f.example).splitlines()]
        elif f.example is None:
            default = "" if f.default in (None, []) else _dump(f.default)
            out.append(f"{indent}# {f.name}: {default}".rstrip())
        else:
            out.append(f"{indent}{f.name}: {_example(f, today)}")
    return out


def new_file_text(ctype: ContentType, today: dt.date, title: str | None = None) -> str:
    """A content file of this type with example values that pass the schema checks."""
    lines = [f"# A new {ctype.label}. Lines starting with # are explanations; remove them when you like."]
    if ctype.suffix == ".yaml":
        lines.insert(0, f"# yaml-language-server: $schema=../{'../' if '/' in ctype.folder else ''}schema/"
                        f"{ctype.name}.schema.json")
    lines += _lines(ctype.fields, today)
    if ctype.body:
        lines.append(f"# {ctype.body.label} ({_need(ctype.body)}): {ctype.body.help}")
    if title:  # the first field is the title (or an organisation's name)
        first = f"{ctype.fields[0].name}: "
        lines = [first + _dump(title) if line.startswith(first) else line for line in lines]
    text = "\n".join(lines) + "\n"
    if ctype.suffix == ".md":
        return f"---\n{text}---\nSchrijf hier de tekst, in Markdown. Korte zinnen, klare taal.\n"
    return text
