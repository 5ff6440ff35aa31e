"""`hasselthelpt deploy-config --out DIR`: the production configuration of one installation, rendered from the
templates in deploy/ (Jinja) with its host names, folders, user and ports: the nginx site with its security
headers (hasselthelpt/security.py), the systemd units and timers, the same schedule as cron lines, and an
example settings file. Installing them is in docs/operators.md ("Install on a server").
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import jinja2

from . import security
from .settings import PROD_CONF, config_values

TEMPLATES = Path(__file__).resolve().parents[1] / "deploy"
BROTLI_ENABLED = Path("/etc/nginx/modules-enabled")  # Debian enables an installed module here
UNITS = ("hasselthelpt-endpoint@.service", "hasselthelpt-publish.service", "hasselthelpt-publish.timer",
         "hasselthelpt-outbox.service", "hasselthelpt-outbox.timer", "hasselthelpt-purge.service",
         "hasselthelpt-purge.timer", "hasselthelpt-backup.service", "hasselthelpt-backup.timer",
         "hasselthelpt-digest.service", "hasselthelpt-digest.timer", "hasselthelpt-follow-up.service",
         "hasselthelpt-follow-up.timer")
TIMERS = tuple(u for u in UNITS if u.endswith(".timer"))


def brotli_available() -> bool:
    """Whether this machine's nginx loads the brotli_static module (Debian's libnginx-mod-http-brotli-static)."""
    return any(BROTLI_ENABLED.glob("*brotli-static*"))


@dataclass(frozen=True)
class Installation:
    """What differs between installations. `config_dir` is where the rendered files will live on the server
    (the nginx site includes its snippets from there)."""

    site_url: str = "https://www.hasselt.be/hasselthelpt"
    intranet_host: str = "hasselthelpt.intranet.hasselt.be"
    config_dir: Path = Path("/etc/hasselthelpt")
    project: Path = Path("/srv/hasselthelpt/content")  # the checkout of the content repository
    releases: Path = Path("/srv/hasselthelpt/www")  # `publish --releases`: releases/ and current
    backups: Path = Path("/var/backups/hasselthelpt")
    venv: Path = Path("/srv/hasselthelpt/venv")
    user: str = "hasselthelpt"
    group: str = "hasselthelpt"
    listen: str = "80"
    tls_listen: str = "443"
    tls_certificate: str = ""  # with a certificate (and key): https, and port 80 redirects to it
    tls_certificate_key: str = ""
    endpoint_ports: tuple[int, ...] = (8001,)
    workers: int = 2
    threads: int = 8
    brotli: bool = False
    intranet_allow: tuple[str, ...] = ("127.0.0.1", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
    keep_backups: int = 14
    page_max_age: int = 300
    theme_max_age: int = 3600

    @property
    def host(self) -> str:
        return urlsplit(self.site_url).hostname or "localhost"

    @property
    def site_path(self) -> str:
        return urlsplit(self.site_url).path.rstrip("/")

    @property
    def env_file(self) -> Path:
        return self.config_dir / "hasselthelpt.env"

    def values(self) -> dict:
        return {**{f.name: getattr(self, f.name) for f in dataclasses.fields(self)}, "host": self.host,
                "site_path": self.site_path, "env_file": self.env_file}


def render(inst: Installation) -> dict[str, str]:
    """Every file of the configuration: relative path -> text."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True, autoescape=False)
    values = inst.values()
    files = {"nginx/hasselthelpt.conf": env.get_template("nginx/hasselthelpt.conf.j2").render(values),
             "nginx/security-headers.conf": security.nginx(inst.site_path),
             # The intranet is at its host's root, with the staff page's headers.
             "nginx/security-headers-intranet.conf": security.nginx("", security.STAFF_HEADERS),
             "cron/hasselthelpt": env.get_template("cron.j2").render(values),
             "hasselthelpt.env.example": env.get_template("hasselthelpt.env.example.j2").render(values)}
    for unit in UNITS:
        files[f"systemd/{unit}"] = env.get_template(f"systemd/{unit}.j2").render(values)
    return files


def write(inst: Installation, out: Path) -> list[Path]:
    written = []
    for rel, text in render(inst).items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def add_command(sub) -> None:
    d = Installation()
    p = sub.add_parser("deploy-config", help="render the nginx site, systemd units and timers and cron lines of "
                       "an installation (deploy/)")
    p.add_argument("--out", type=Path, required=True, help="folder to write them to")
    p.add_argument("--site-url", help="the public site's address (default: SITEURL of publishconf.py)")
    p.add_argument("--intranet-host", default=d.intranet_host, help="host name of the staff channels")
    p.add_argument("--config-dir", type=Path, help="where these files will live on the server "
                   "(default: --out)")
    p.add_argument("--content", type=Path, default=d.project,
                   help=f"the content checkout on the server (default: {d.project})")
    p.add_argument("--releases", type=Path, default=d.releases, help=f"publish's folder (default: {d.releases})")
    p.add_argument("--backups", type=Path, default=d.backups, help=f"backup folder (default: {d.backups})")
    p.add_argument("--venv", type=Path, default=Path(sys.prefix),
                   help="the virtualenv holding hasselthelpt and gunicorn (default: this one)")
    p.add_argument("--user", default=d.user, help=f"system user that runs everything (default: {d.user})")
    p.add_argument("--group", help="its group (default: the user's name)")
    p.add_argument("--listen", default=d.listen, help="nginx listen address for http (default: 80)")
    p.add_argument("--tls-certificate", default="", help="certificate file: serve https, redirect http")
    p.add_argument("--tls-certificate-key", default="", help="its key file")
    p.add_argument("--endpoint-port", dest="endpoint_ports", type=int, action="append",
                   help="a port of an endpoint instance; repeat to scale out (default: 8001)")
    p.add_argument("--workers", type=int, default=d.workers, help="gunicorn workers per instance")
    p.add_argument("--brotli", action=argparse.BooleanOptionalAction, default=None,
                   help="serve the .br files (default: when this machine's nginx has the module)")
    p.add_argument("--intranet-allow", action="append", help="a network allowed on the intranet host; repeat")
    p.set_defaults(func=cmd_deploy_config)


def cmd_deploy_config(args) -> int:
    if args.site_url is None:
        args.site_url = config_values(args.project / PROD_CONF).get("SITEURL", "")
    if not urlsplit(args.site_url).hostname:
        print(f"--site-url {args.site_url!r}: give the public address, e.g. https://www.hasselt.be/hasselthelpt",
              file=sys.stderr)
        return 2
    if bool(args.tls_certificate) != bool(args.tls_certificate_key):
        print("Give both --tls-certificate and --tls-certificate-key, or neither.", file=sys.stderr)
        return 2
    out = args.out.resolve()
    d = Installation()
    inst = Installation(
        site_url=args.site_url, intranet_host=args.intranet_host, config_dir=args.config_dir or out,
        project=args.content, releases=args.releases, backups=args.backups, venv=args.venv, user=args.user,
        group=args.group or args.user, listen=args.listen, tls_certificate=args.tls_certificate,
        tls_certificate_key=args.tls_certificate_key, endpoint_ports=tuple(args.endpoint_ports or d.endpoint_ports),
        workers=args.workers, brotli=brotli_available() if args.brotli is None else args.brotli,
        intranet_allow=tuple(args.intranet_allow or d.intranet_allow))
    for path in write(inst, out):
        print(f"Wrote {path}.")
    return 0
