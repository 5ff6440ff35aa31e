"""The endpoint's commands for `hasselthelpt`: review, outbox, export, purge, erase, and serving the site
with its forms. This is an edge: the endpoint settings are read here from the environment (config.py)."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from pathlib import Path

from ..settings import PROD_CONF, TIMEZONE, config_values
from . import review as review_queue
from .config import EndpointSettings, from_env
from .exports import FORMATS, KINDS, export
from .storage import UTC, Storage, open_storage

log = logging.getLogger("hasselthelpt.endpoint")


def _now() -> dt.datetime:
    return dt.datetime.now(UTC)


def _open(args: argparse.Namespace) -> tuple[EndpointSettings, Storage]:
    settings = from_env(os.environ, root=args.project)
    storage = open_storage(settings.database)
    storage.migrate()
    return settings, storage


def _public_site_url(args: argparse.Namespace, settings: EndpointSettings) -> str:
    if settings.site_url:
        return settings.site_url
    return config_values(args.project / PROD_CONF).get("SITEURL", "")


def cmd_review(args: argparse.Namespace) -> int:
    settings, storage = _open(args)
    today = _now().astimezone(TIMEZONE).date()
    try:
        if args.action == "list":
            records = storage.records(kind="vacature", status=None if args.all else "pending")
            if not records:
                print("No vacancies waiting for review." if not args.all else "No vacancy submissions.")
            for r in records:
                org = r.data.get("organisation") or f"(new) {r.data.get('organisation_name')}"
                print(f"{r.id:>5}  {r.created_at:%Y-%m-%d}  {r.status:<8}  {r.data['vacancy']['title']}  [{org}]")
            _review_follow_up(storage, args.all)
        elif args.action == "show":
            print(review_queue.show(storage, args.project, args.id, today))
        elif args.action == "approve":
            path = review_queue.approve(storage, args.project, args.id, today, _now(),
                                        _public_site_url(args, settings), args.slug, args.organisation)
            print(f"Approved: wrote {path.relative_to(args.project)}. Run 'hasselthelpt check', then commit it. "
                  "The submitter gets a mail.")
        else:
            review_queue.reject(storage, args.id, args.reason or "", _now())
            print(f"Rejected submission {args.id}; the submitter gets a mail with the reason.")
    except review_queue.ReviewError as exc:
        print(exc, file=sys.stderr)
        return 1
    finally:
        storage.close()
    return 0


def _review_follow_up(storage: Storage, everything: bool) -> None:
    """`review list`'s part of the follow-up: the changes of vacancies, and how many sign-ups are flagged."""
    from . import follow_up, vacancy_changes

    changes = storage.records(kind=vacancy_changes.CHANGE_KIND, status=None if everything else "pending")
    if changes:
        print("Changes of vacancies (answers to 'still open?'):")
    for r in changes:
        print(f"{r.id:>5}  {r.created_at:%Y-%m-%d}  {r.status:<8}  {vacancy_changes.summary(r)}")
    flagged = follow_up.flagged(storage)
    if flagged:
        print(f"{len(flagged)} sign-up(s) without an answer from the organisation: see 'hasselthelpt follow-up "
              "--flagged'.")


def cmd_follow_up(args: argparse.Namespace) -> int:
    """Reminders, the volunteers' 'did it lead to a match?' and 'still open?' (endpoint/follow_up.py)."""
    from ..settings import DEFAULTS
    from . import follow_up
    from .app import index_content

    settings, storage = _open(args)
    now = args.now or _now()
    try:
        if args.flagged:
            rows = follow_up.flagged(storage)
            if not rows:
                print("No sign-ups flagged: every organisation answered in time.")
            for record, fu in rows:
                d = record.data
                print(f"{record.id:>5}  signed up {record.created_at:%Y-%m-%d}, flagged {fu.flagged_at:%Y-%m-%d}"
                      f"{', reminded' if fu.reminded_at else ''}  {record.vacancy}  {d.get('name')} "
                      f"<{d.get('email')}> {d.get('phone') or ''}".rstrip())
            if rows:
                print("After following one up: 'hasselthelpt follow-up --handled ID'.")
            return 0
        if args.handled:
            if not follow_up.handled(storage, args.handled, now):
                print(f"Sign-up {args.handled} is not on the flagged list.", file=sys.stderr)
                return 1
            print(f"Sign-up {args.handled} is handled: it leaves the flagged list.")
            return 0
        if settings.secret_is_random:
            print("Set HH_SECRET to the endpoint's key: it signs the links in the follow-up mails.", file=sys.stderr)
            return 2
        prefix = os.environ.get("HH_FORM_ACTION", DEFAULTS["HH_FORM_ACTION"][0]).rpartition("/")[0]
        api_url = _public_site_url(args, settings).rstrip("/") + prefix
        vacancies, _ = index_content(args.project)  # content errors: logged; those files are left out
        todo, counts = follow_up.run(storage, vacancies, args.project, settings, api_url, now, dry_run=args.dry_run)
    finally:
        storage.close()
    if args.dry_run:
        lines = todo.lines(vacancies)
        print("\n".join(lines) if lines else "Nothing to send or flag.")
        print("(dry run: nothing was sent or recorded)")
        return 0
    for why in todo.skipped:
        print(f"Skipped: {why}", file=sys.stderr)
    print(f"Follow-up: {counts['reminders']} reminder(s), {counts['volunteers']} volunteer mail(s) and "
          f"{counts['checks']} 'still open?' mail(s) queued; {counts['flags']} sign-up(s) flagged for the coaches.")
    return 0


def cmd_outbox(args: argparse.Namespace) -> int:
    from .outbox import Outbox

    settings, storage = _open(args)
    queued = None
    try:
        if args.retry:
            queued = storage.retry_dead(_now(), None if args.retry == "all" else int(args.retry))
            if not queued:
                print(f"No dead letter {args.retry}: see the list below.", file=sys.stderr)
            else:
                print(f"Queued {queued} dead letter(s) again.")
        if args.send:
            sent, failed = Outbox(storage, settings).send_due()
            print(f"Sent {sent} mail(s); {failed} failed.")
        state = storage.outbox_state()
        print(f"Outbox: {state.pending} waiting, {state.sent} sent, {len(state.dead)} dead.")
        for mail_id, attempts, next_at, error in state.failing:
            print(f"  mail {mail_id}: {attempts} failed attempt(s), next {next_at}: {error}")
        if state.dead:
            print("Dead letters (given up; fix the cause, then 'hasselthelpt outbox --retry ID' or '--retry all'):")
        for dead in state.dead:
            print(f"  mail {dead.id} to {dead.to}, '{dead.subject}': given up {dead.dead_at} after {dead.attempts} "
                  f"attempt(s): {dead.reason}")
    finally:
        storage.close()
    return 1 if queued == 0 else 0


def cmd_export(args: argparse.Namespace) -> int:
    _, storage = _open(args)
    since = dt.datetime.combine(args.since, dt.time(), TIMEZONE) if args.since else None
    try:
        text, count = export(storage, args.format, args.kind, since, "cli", _now())
    finally:
        storage.close()
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"Wrote {count} submission(s) to {args.output}. This export is logged.", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    settings, storage = _open(args)
    days = settings.retention_days if args.days is None else args.days
    try:
        counts = storage.purge(_now() - dt.timedelta(days=days), _now())
        storage.forget_rate_hits(_now() - dt.timedelta(seconds=max(settings.rate_limit[1], 86400)))
        from .alerts import expire

        counts["alerts"] = expire(storage, _now())
    finally:
        storage.close()
    print(f"Deleted {counts['submissions']} submission(s) older than {days} days and {counts['mails']} mail(s); "
          f"{counts['alerts']} unconfirmed alert(s) expired.")
    return 0


def cmd_digest(args: argparse.Namespace) -> int:
    """Queue the alerts' digests that are due (endpoint/digest.py); the outbox sends them."""
    from ..content.loading import load_corpus
    from ..settings import DEFAULTS
    from . import digest

    settings, storage = _open(args)
    if settings.secret_is_random:
        print("Set HH_SECRET to the endpoint's key: it signs the links in the digests.", file=sys.stderr)
        return 2
    now = args.now or _now()
    site_url = _public_site_url(args, settings).rstrip("/")
    prefix = os.environ.get("HH_FORM_ACTION", DEFAULTS["HH_FORM_ACTION"][0]).rpartition("/")[0]
    corpus, errors = load_corpus(args.project)
    if errors:
        print(f"{len(errors)} content error(s); run 'hasselthelpt check'. Files with errors are left out.",
              file=sys.stderr)
    try:
        counts = digest.run(storage, corpus, settings.secret, site_url, site_url + prefix, now)
    finally:
        storage.close()
    print(f"Digest: {counts['due']} alert(s) due, {counts['mails']} mail(s) queued; {counts['expired']} "
          "unconfirmed alert(s) expired.")
    return 0


def cmd_erase(args: argparse.Namespace) -> int:
    if not args.email and not args.phone:
        print("Give --email or --phone of the person whose data must go.", file=sys.stderr)
        return 2
    _, storage = _open(args)
    try:
        counts = storage.erase(_now(), email=args.email, phone=args.phone)
    finally:
        storage.close()
    print(f"Erased {counts['submissions']} submission(s), {counts['alerts']} alert(s), {counts['checks']} "
          f"'still open?' question(s) and {counts['mails']} mail(s). This erasure is logged.")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from . import backup

    settings = from_env(os.environ, root=args.project)
    folder = args.to if args.to.is_absolute() else args.project / args.to
    try:
        path = backup.backup(settings.database, folder)
    except backup.BackupError as exc:
        print(f"Backup failed: {exc}", file=sys.stderr)
        return 1
    removed = backup.prune(folder, args.keep)
    print(f"Wrote {path} ({path.stat().st_size} bytes); {len(removed)} older backup(s) removed, "
          f"{args.keep} kept.")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from . import backup

    settings = from_env(os.environ, root=args.project)
    if not args.yes:
        print(f"This replaces every submission, mail and log entry in {_safe(settings.database)} by those in "
              f"{args.file}. Run again with --yes to do it.", file=sys.stderr)
        return 2
    try:
        backup.restore(settings.database, args.file)
    except backup.BackupError as exc:
        print(f"Restore failed, the database is unchanged: {exc}", file=sys.stderr)
        return 1
    storage = open_storage(settings.database)
    try:
        storage.migrate()  # a backup from an older version gets the newer tables
        count = storage.count()
    finally:
        storage.close()
    print(f"Restored {args.file}: {count} submission(s).")
    return 0


def _safe(database: str) -> str:
    """The database without a password, for messages."""
    from urllib.parse import urlsplit

    parts = urlsplit(database)
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl() if parts.scheme else database


def serve_site(args: argparse.Namespace, output: Path, form_action: str, live=None) -> int:
    """Serve the built site and the endpoint on one address (gunicorn, threads), with the outbox running.
    With `live` (development: hasselthelpt.live.LiveBuilds), the site is built again after every change, the
    browser reloads, and the endpoint takes the new content after each good build."""
    from .app import create_app
    from .outbox import Outbox, start_thread
    from ..security import with_headers
    from .serve import StaticSite, mount, run_gunicorn

    prefix, _, route = form_action.rpartition("/")
    if route != "aanmelding" or not prefix.startswith("/"):
        print(f"HH_FORM_ACTION={form_action!r}: 'serve' needs a path ending in /aanmelding, e.g. /api/aanmelding.",
              file=sys.stderr)
        return 2
    settings = from_env(os.environ, root=args.project)

    def load():
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        endpoint = create_app(settings)
        _, wake = start_thread(Outbox(endpoint.storage, settings, endpoint.clock))
        endpoint.on_stored = wake.set
        site = StaticSite(output)
        if live:
            live.on_built = endpoint.reload_content
            live.start()
            site = live.app(site)
        return with_headers(mount(site, prefix, endpoint))

    def ready():
        watching = " It builds again after every change, and the browser reloads." if live else ""
        print(f"Serving HASSELT Helpt with its forms at http://{args.host}:{args.port}/ (Ctrl+C stops). "
              f"Sign-ups go to {settings.database}.{watching}", flush=True)

    # Development: more threads, as every open page keeps one waiting for the next build.
    run_gunicorn(load, args.host, args.port, threads=16 if live else 8, on_ready=ready)
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Add the endpoint's commands to the `hasselthelpt` parser."""
    r = sub.add_parser("review", help="the queue of vacancies that organisations submitted")
    actions = r.add_subparsers(dest="action", required=True)
    lst = actions.add_parser("list", help="the submissions waiting for review")
    lst.add_argument("--all", action="store_true", help="also those approved or rejected")
    actions.add_parser("show", help="one submission, as the vacancy file it would become").add_argument("id", type=int)
    approve = actions.add_parser("approve", help="write vacancies/<slug>.yaml and mail the submitter")
    approve.add_argument("id", type=int)
    approve.add_argument("--slug", type=_slug, help="file name (default: from the title)")
    approve.add_argument("--organisation", type=_slug, help="organisation file name (default: the one chosen)")
    reject = actions.add_parser("reject", help="refuse it and mail the reason to the submitter")
    reject.add_argument("id", type=int)
    reject.add_argument("--reason", required=True, help="in Dutch, for the organisation")
    r.set_defaults(func=cmd_review)

    o = sub.add_parser("outbox", help="how many mails wait, and the dead letters with their reason; --send sends "
                       "the due ones now")
    o.add_argument("--send", action="store_true")
    o.add_argument("--retry", metavar="ID", type=_mail_id, help="queue a dead letter again (a number, or 'all')")
    o.set_defaults(func=cmd_outbox)

    e = sub.add_parser("export", help="submissions as CSV or JSON for coaches (logged)")
    e.add_argument("--format", choices=list(FORMATS), default="csv")
    e.add_argument("--kind", choices=list(KINDS))
    e.add_argument("--since", type=dt.date.fromisoformat, help="YYYY-MM-DD")
    e.add_argument("--output", type=Path, help="file to write (default: standard output)")
    e.set_defaults(func=cmd_export)

    p = sub.add_parser("purge", help="delete submissions older than the retention period (HH_RETENTION_DAYS)")
    p.add_argument("--days", type=int, help="override the retention period")
    p.set_defaults(func=cmd_purge)

    b = sub.add_parser("backup", help="write a backup of the sign-up database (SQLite's online backup, or "
                       "pg_dump) and keep the newest")
    b.add_argument("--to", type=Path, default=Path("var/backups"), help="folder (default: var/backups)")
    b.add_argument("--keep", type=int, default=14, help="how many backups to keep (default: 14)")
    b.set_defaults(func=cmd_backup)

    rs = sub.add_parser("restore", help="replace the sign-up database by a backup")
    rs.add_argument("file", type=Path, help="a backup made by 'hasselthelpt backup'")
    rs.add_argument("--yes", action="store_true", help="really replace the database")
    rs.set_defaults(func=cmd_restore)
    d = sub.add_parser("digest", help="queue the vacancy alerts' digests that are due (run daily; idempotent)")
    d.add_argument("--now", type=_moment, help="the time to run at, ISO 8601 (tests)")
    d.set_defaults(func=cmd_digest)

    f = sub.add_parser("follow-up", help="reminders to organisations, 'did it lead to a match?' and 'still open?' "
                       "(run daily; idempotent)")
    f.add_argument("--dry-run", action="store_true", help="list what it would send and flag; change nothing")
    f.add_argument("--now", type=_moment, help="the time to run at, ISO 8601 (tests)")
    f.add_argument("--flagged", action="store_true", help="list the sign-ups flagged for the coaches")
    f.add_argument("--handled", type=int, metavar="ID", help="a flagged sign-up was followed up: take it off")
    f.set_defaults(func=cmd_follow_up)

    x = sub.add_parser("erase", help="delete all data of one person (logged)")
    x.add_argument("--email")
    x.add_argument("--phone")
    x.set_defaults(func=cmd_erase)


def _moment(value: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=TIMEZONE)


def _mail_id(value: str) -> str:
    if value != "all" and not value.isdigit():
        raise argparse.ArgumentTypeError("give a mail number from 'hasselthelpt outbox', or 'all'")
    return value


def _slug(value: str) -> str:
    from ..content.schema import SLUG_RE

    if not SLUG_RE.match(value):
        raise argparse.ArgumentTypeError("use lowercase letters, digits and hyphens, e.g. kok-buurtsoep")
    return value
