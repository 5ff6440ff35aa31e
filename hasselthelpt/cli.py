"""The `hasselthelpt` command: check content, make new content files, build and serve the site."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import logging
import os
import sys
import time
from pathlib import Path

from rich.console import RenderHook  # Pelican's console is Rich's
from rich.text import Text

from . import incremental, settings as hh_settings
from .content.newfile import new_file_text
from .content.schema import CONTENT_TYPES, json_schema
from .files import counting

DEV_CONF, PROD_CONF = hh_settings.DEV_CONF, hh_settings.PROD_CONF


def pelican_settings(conf: Path, **override):
    from pelican.settings import read_settings

    if not conf.is_file():
        raise hh_settings.SettingsError(f"{conf} not found: run this in the project folder, or pass --project.")
    return read_settings(str(conf), override=override or None)


def cmd_check(args: argparse.Namespace) -> int:
    from .build import check as check_content

    settings = hh_settings.from_pelican(pelican_settings(args.project / DEV_CONF))
    corpus, errors = check_content(settings, strict=args.strict)
    counts = ", ".join(f"{len(corpus.of_type(t))} {t}" for t in CONTENT_TYPES)
    if errors:
        _print_errors(errors)
        return 1
    _print_warnings(corpus.warnings)
    print(f"All content is valid: {counts}.")
    return 0


def _print_errors(errors) -> None:
    for error in errors:
        print(error, file=sys.stderr)
    print(f"\n{len(errors)} error(s) found. Fix them and run 'hasselthelpt check' again.", file=sys.stderr)


def _print_warnings(warnings) -> None:
    """Warnings never stop a build; `check --strict` makes them errors."""
    for warning in warnings:
        print(warning, file=sys.stderr)
    if warnings:
        print(f"\n{len(warnings)} warning(s): the content can be published, but is better with these fixed.",
              file=sys.stderr)


def cmd_new(args: argparse.Namespace) -> int:
    ctype = CONTENT_TYPES[args.type]
    path = args.project / ctype.folder / f"{args.slug}{ctype.suffix}"
    if path.exists():
        print(f"{path} already exists; choose another name.", file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    today = hh_settings.from_pelican(pelican_settings(args.project / DEV_CONF)).today
    path.write_text(new_file_text(ctype, today, args.title), encoding="utf-8")
    print(f"Wrote {path.relative_to(args.project)}. Fill it in, then run 'hasselthelpt check'.")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    out = args.project / "schema"
    out.mkdir(exist_ok=True)
    for name in CONTENT_TYPES:
        (out / f"{name}.schema.json").write_text(json.dumps(json_schema(name), indent=2, ensure_ascii=False) + "\n",
                                                 encoding="utf-8")
    from .signage.screens import screens_json_schema

    (out / "screens.schema.json").write_text(json.dumps(screens_json_schema(), indent=2, ensure_ascii=False) + "\n",
                                             encoding="utf-8")
    print(f"Wrote the JSON Schemas to {out.relative_to(args.project)}/.")
    return 0


def cmd_signage_preview(args: argparse.Namespace) -> int:
    """Remake docs/signage/<screen>.png, docs/editors.md's pictures of each screen's first slide."""
    from .signage.preview import write_previews

    settings = hh_settings.from_pelican(pelican_settings(args.project / PROD_CONF))
    for path in write_previews(settings, args.project / "docs" / "signage"):
        print(f"Wrote {path.relative_to(args.project)}.")
    return 0


def cmd_print_preview(args: argparse.Namespace) -> int:
    """Remake docs/print/<format>.png, docs/editors.md's pictures of each print format's first page."""
    from .paper.preview import write_previews

    settings = hh_settings.from_pelican(pelican_settings(args.project / PROD_CONF))
    for path in write_previews(settings, args.project / "docs" / "print"):
        print(f"Wrote {path.relative_to(args.project)}.")
    return 0


def cmd_security_headers(args: argparse.Namespace) -> int:
    """The site's security headers (hasselthelpt/security.py), readable or as an nginx snippet."""
    from urllib.parse import urlsplit

    from . import security

    site_path = urlsplit(pelican_settings(args.project / PROD_CONF).get("SITEURL", "")).path.rstrip("/")
    if args.nginx:
        text = security.nginx(site_path)
    else:
        sets = {"": security.SITE_HEADERS, **security.SECTIONS}
        text = "".join(f"{site_path}/{folder}{'/' if folder else ''}...:\n" + "".join(
            f"  {k}: {v}\n" for k, v in found.items()) for folder, found in sets.items())
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
        print(f"Wrote {args.output}.")
    else:
        sys.stdout.write(text)
    return 0


def build_site(project: Path, production: bool, output: Path | None = None, **override) -> Path:
    """Run Pelican with the development or production settings; production fails on any warning.
    Content errors raise build.ContentErrors (the plugin checks all content first). Prints what was written
    and left unchanged, instead of Pelican's count of its own articles and pages (always 0 here)."""
    started = time.perf_counter()
    options = {"production": production, "output": str(output.resolve()) if output else None, "override": dict(override)}
    record_path = incremental.shortcut_file(project, options)
    record = incremental.load_shortcut(record_path)
    skip = {str(project / "output"), str(project / "output-intranet"), *record.get("roots", [])}
    today = dt.datetime.now(hh_settings.TIMEZONE).date()
    # `serve` (deferring) keeps no shortcut: it builds only after a change, its other outputs follow the build,
    # and a build after a stop before they ran must make them.
    shortcut = not incremental.is_deferring()
    key, others = incremental.input_keys(project, options, today, skip) if shortcut else ("", "")
    if shortcut and incremental.up_to_date(record, key):
        print(f"Nothing changed since the last build into {record['roots'][0]}: every file is up to date.",
              flush=True)
        return Path(record["roots"][0])

    from pelican import Pelican
    from pelican.log import FatalLogger, console, init as init_logging

    init_logging(level=logging.WARNING, fatal="warnings" if production else "")
    if output:
        override["OUTPUT_PATH"] = str(output)
    settings = pelican_settings(project / (PROD_CONF if production else DEV_CONF), **override)
    output = Path(settings["OUTPUT_PATH"])
    hh = hh_settings.from_pelican(settings)
    roots = [output, hh.staff_folder(output)]
    console.push_render_hook(_WITHOUT_PELICAN_SUMMARY)
    try:
        with counting(*roots) as tally:
            Pelican(settings).run()
    finally:  # Pelican keeps fatal mode in a class attribute: reset it for later builds in this process
        FatalLogger.fatal_lvl = logging.CRITICAL + 1
        console.pop_render_hook()
    if not tally.paths:  # Pelican logs a plugin that failed to load, and goes on without it
        raise RuntimeError("The build made no files: a plugin did not load (see the errors above). Check PLUGINS "
                           "and PLUGIN_PATHS in pelicanconf.py, and run `make deps` to install what it imports.")
    inside = [hh.root, Path(settings["THEME"]).resolve(), *(Path(p).resolve() for p in settings["PLUGIN_PATHS"])]
    # The key covers the project folder only, and is kept only when no other input changed during the build.
    if shortcut and all(p.is_relative_to(project.resolve()) for p in inside):
        key, others_after = incremental.input_keys(project, options, today, skip)  # the ledger may have grown
        if others_after == others:
            outputs = incremental.output_stats(sorted(tally.paths))
            folders = [str(r.absolute()) for r in roots] + [str(hh.cache_path)]
            incremental.save_shortcut(record_path, key, outputs, folders)
    print(tally.summary(time.perf_counter() - started), flush=True)
    return output


class _WithoutPelicanSummary(RenderHook):
    """Drops Pelican's closing "Done: Processed 0 articles, ... 0 pages" line (the plugin writes every page, so
    Pelican counts none); build_site prints its own."""

    def process_renderables(self, renderables):
        return [r for r in renderables if not (isinstance(r, Text) and r.plain.startswith("Done: Processed"))]


_WITHOUT_PELICAN_SUMMARY = _WithoutPelicanSummary()


def _check_and_build(args: argparse.Namespace) -> Path | None:
    """Build; on content errors print every one, as `check` does (one pass: content is read once)."""
    live = {"HH_LIVE_RELOAD": True} if getattr(args, "live_reload", False) else {}
    try:
        output = build_site(args.project, args.production, args.output, **live)
    except Exception as exc:
        from .build import ContentErrors  # only here: a build with nothing to do never imports the build

        if not isinstance(exc, ContentErrors):
            raise
        _print_errors(exc.errors)
        if getattr(args, "errors_json", None):  # for `serve`, which shows them in the browser
            args.errors_json.write_text(json.dumps([dataclasses.asdict(e) for e in exc.errors], ensure_ascii=False),
                                        encoding="utf-8")
        return None
    print(f"Built the {'production' if args.production else 'development'} site in {output}.")
    return output


def cmd_build(args: argparse.Namespace) -> int:
    return 0 if _check_and_build(args) else 1


def cmd_serve(args: argparse.Namespace) -> int:
    """Production: build once, then serve. Development: build, serve, and build again after every change,
    with the browser reloading by itself and content errors shown in it (hasselthelpt/live.py)."""
    from .endpoint.commands import serve_site  # the site and its forms, on one address

    settings = hh_settings.from_pelican(pelican_settings(args.project / (PROD_CONF if args.production else DEV_CONF)))
    if args.production and getattr(args, "editor", False):
        print("--editor is for development: the production editor works through the git host (docs/editor.md).",
              file=sys.stderr)
        return 2
    if args.production:
        output = _check_and_build(args)
        return serve_site(args, output, settings.form_action) if output else 1
    from .live import LiveBuilds

    if getattr(args, "editor", False):  # the web editor on /admin/, with decap-server (hasselthelpt/editor_dev.py)
        from .editor_dev import EditorLiveBuilds

        here = dataclasses.replace(settings, dev_site_url=f"http://{args.host}:{args.port}")  # the editor's links
        live = EditorLiveBuilds(args.project, args.output or args.project / "output", here, args.editor_port)
        live.start_editor()
        print(f"The web editor is at http://{args.host}:{args.port}/admin/ (decap-server on 127.0.0.1:"
              f"{args.editor_port}); content errors at http://{args.host}:{args.port}/__hh/fouten/.", flush=True)
    else:
        live = LiveBuilds(args.project, args.output or args.project / "output")
    if live.build(whole=True).broken:
        print("The site has errors: the browser shows them until they are fixed.", file=sys.stderr)
    return serve_site(args, live.output, settings.form_action, live)


def cmd_publish(args: argparse.Namespace) -> int:
    """Check, build a new release, switch to it (hasselthelpt/publish.py); the reason and exit 1 if not."""
    from .publish import PublishError, publish

    def settings() -> hh_settings.Settings:
        return hh_settings.from_pelican(pelican_settings(args.project / PROD_CONF))

    def build(output: Path, **override) -> Path:
        return build_site(args.project, True, output, **override)

    try:
        summary = publish(settings, build, args.releases, args.keep, args.reload_command)
    except PublishError as exc:
        print(f"Not published: {exc}", file=sys.stderr)
        return 1
    print(summary.text())
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    from .publish import PublishError, rollback

    try:
        print(f"Rolled back: {rollback(args.releases, args.reload_command)} is live again.")
    except PublishError as exc:
        print(f"Not rolled back: {exc}", file=sys.stderr)
        return 1
    return 0


def _keep(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError("give a number of releases, 1 or more (2 or more to be able to roll back)")
    return int(value)


def parser(endpoint: bool = True) -> argparse.ArgumentParser:
    """The command line; without `endpoint`, the endpoint's commands are left out (they import the whole build,
    which a `build` with nothing to do never needs)."""
    p = argparse.ArgumentParser(prog="hasselthelpt", description="HASSELT Helpt: content, site and channels.")
    p.add_argument("--project", type=Path, default=Path.cwd(), help="project folder (default: the current one)")
    sub = p.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="check all content and report every error and warning")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.set_defaults(func=cmd_check)

    new = sub.add_parser("new", help="write a new content file from the template")
    new.add_argument("type", choices=list(CONTENT_TYPES), help="what to make")
    new.add_argument("slug", type=_slug, help="file name without extension, e.g. kok-buurtsoep")
    new.add_argument("--title", help="title to fill in")
    new.set_defaults(func=cmd_new)

    sub.add_parser("schema", help="write the JSON Schemas for editors to schema/").set_defaults(func=cmd_schema)
    sub.add_parser("signage-preview", help="remake docs/signage/*.png, each screen's first slide").set_defaults(
        func=cmd_signage_preview)
    sub.add_parser("print-preview", help="remake docs/print/*.png, each print format's first page").set_defaults(
        func=cmd_print_preview)

    headers = sub.add_parser("security-headers", help="the site's security headers (CSP and others), or with "
                             "--nginx as an nginx snippet for production")
    headers.add_argument("--nginx", action="store_true", help="as nginx configuration for the server { } block")
    headers.add_argument("--output", type=Path, help="file to write (default: standard output)")
    headers.set_defaults(func=cmd_security_headers)

    for name, func, text in (("publish", cmd_publish, "check, build a new production release under --releases "
                              "and make it live (atomically), keeping the last few"),
                             ("rollback", cmd_rollback, "make the release before the live one live again")):
        pub = sub.add_parser(name, help=text)
        pub.add_argument("--releases", type=Path, required=True, help="releases folder; DIR/current is the live one")
        pub.add_argument("--reload-command", default=os.environ.get("HH_PUBLISH_RELOAD") or None,
                         help="command run after the switch, e.g. 'sudo systemctl reload nginx' (default: the "
                              "environment variable HH_PUBLISH_RELOAD; none if unset)")
        if name == "publish":
            pub.add_argument("--keep", type=_keep, default=5, help="how many releases to keep (default: 5)")
        pub.set_defaults(func=func)

    if endpoint:
        from .endpoint.commands import add_commands  # review, outbox, export, purge, erase

        add_commands(sub)
        from .report import add_command as add_report  # the city's figures, for the intranet
        from .vacancy_import import add_command as add_import  # vacancies from the city's vacancy bank (CSV)

        add_report(sub)
        add_import(sub)

    from .deploy import add_command as add_deploy_config

    add_deploy_config(sub)

    for name, func, text in (("build", cmd_build, "check, then build the site"),
                             ("serve", cmd_serve, "build, then serve the site locally")):
        b = sub.add_parser(name, help=text)
        b.add_argument("--production", action="store_true", help="use publishconf.py (absolute URLs, no drafts)")
        b.add_argument("--output", type=Path, help="output folder (default: output/)")
        if name == "serve":
            b.add_argument("--host", default="127.0.0.1")
            b.add_argument("--port", type=int, default=8000)
            b.add_argument("--editor", action="store_true", help="development: also the web editor at /admin/ "
                           "(Decap CMS with decap-server, writing into this checkout; docs/editor.md)")
            b.add_argument("--editor-port", type=int, default=8081, help="decap-server's port (default: 8081)")
        else:  # what `serve` asks of the builds it runs
            b.add_argument("--live-reload", action="store_true", help="development: pages reload after a rebuild")
            b.add_argument("--errors-json", type=Path, help="also write the content errors to this file as JSON")
        b.set_defaults(func=func)
    return p


def _slug(value: str) -> str:
    from .content.schema import SLUG_RE

    if not SLUG_RE.match(value):
        raise argparse.ArgumentTypeError("use lowercase letters, digits and hyphens, e.g. kok-buurtsoep")
    return value


def _command(argv: list[str]) -> str | None:
    """The subcommand named on the command line (after the options before it)."""
    rest = list(argv)
    while rest and rest[0].startswith("-"):
        rest = rest[2:] if rest[0] == "--project" else rest[1:]
    return rest[0] if rest else None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parser(endpoint=_command(argv) != "build").parse_args(argv)
    args.project = args.project.resolve()
    try:
        return args.func(args)
    except hh_settings.SettingsError as exc:
        print(f"Settings error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
