"""Structured data for search engines (schema.org, as JSON-LD in the page's <head>).

- an open vacancy is a JobPosting with employmentType VOLUNTEER, datePosted, validThrough, hiringOrganization,
  jobLocation and directApply (its page holds the sign-up form); work from home is `jobLocationType: TELECOMMUTE`
  with Belgium as the applicants' location; an expired vacancy carries none;
- an event is an Event (start and end with their UTC offset, location with its wheelchair access, organizer,
  offers with the price, isAccessibleForFree, status, attendance mode);
- an organisation is an Organization.
Contact persons appear only when the content marks them public (`contact_public`). Pure: dicts in, text out.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any, Callable

from .. import brand
from ..content.facts import ADDRESS
from ..content.loading import Item
from ..content.schema import DEELGEMEENTEN
from ..settings import TIMEZONE
from .pages import url_of

POSTCODE_RE = re.compile(r"\b(3\d{3})\b")  # Hasselt and its deelgemeenten: 3500, 3510, 3511, 3512


def locality(deelgemeente: str) -> str:
    """'Kermt, Hasselt'; the centre is just 'Hasselt'."""
    return "Hasselt" if deelgemeente == "hasselt-centrum" else f"{DEELGEMEENTEN[deelgemeente]}, Hasselt"


def postal_address(address: str | None, deelgemeente: str | None) -> dict[str, Any]:
    """A PostalAddress from 'Kerkstraat 1, 3510 Kermt': the street, the postcode when there is one."""
    out: dict[str, Any] = {"@type": "PostalAddress"}
    if address:
        street = address.split(",")[0].strip()
        if not POSTCODE_RE.search(street):
            out["streetAddress"] = street
        if m := POSTCODE_RE.search(address):
            out["postalCode"] = m.group(1)
    out["addressLocality"] = locality(deelgemeente) if deelgemeente else "Hasselt"
    out["addressRegion"] = "Limburg"
    out["addressCountry"] = "BE"
    return out


def place(p: dict, wheelchair: bool | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": "Place"}
    if p.get("name"):
        out["name"] = p["name"]
    out["address"] = postal_address(p["address"], p["deelgemeente"])
    if wheelchair is not None:
        out["amenityFeature"] = [{"@type": "LocationFeatureSpecification", "name": "Rolstoeltoegankelijk",
                                  "value": wheelchair}]
    return out


def job_location(vacancy: Item) -> dict[str, Any]:
    """Where the work is: the address; work from home is TELECOMMUTE for applicants in Belgium; different
    places in Hasselt are the town itself."""
    if vacancy.location == ADDRESS:
        return {"jobLocation": place(vacancy.place)}
    if vacancy.location == "thuis":
        return {"jobLocationType": "TELECOMMUTE",
                "applicantLocationRequirements": {"@type": "Country", "name": "BE"}}
    return {"jobLocation": {"@type": "Place", "address": postal_address(None, None)}}


def _contact_point(item: Item) -> dict[str, Any] | None:
    if not item.data.get("contact_public"):
        return None
    c = item.contact
    point = {"@type": "ContactPoint", "name": c["name"]}
    if c.get("email"):
        point["email"] = c["email"]
    if c.get("phone"):
        point["telephone"] = c["phone"]
    return point


def organization(org: Item, url: str, logo_url: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": "Organization", "name": org.name, "url": url, "description": org.summary}
    if org.website:
        out["sameAs"] = [org.website]
    if logo_url:
        out["logo"] = logo_url
    if org.address or org.deelgemeente:
        out["address"] = postal_address(org.address, org.deelgemeente)
    if point := _contact_point(org):
        out["contactPoint"] = point
    return out


def end_of_day(day: dt.date) -> str:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=TIMEZONE).isoformat()


def job_posting(vacancy: Item, org: Item, url: str, org_url: str, image_url: str | None,
                org_logo_url: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": vacancy.title,
        "description": vacancy.html.get("description") or vacancy.summary,
        "url": url,
        "identifier": {"@type": "PropertyValue", "name": brand.NAME, "value": vacancy.slug},
        "datePosted": vacancy.publish_from.isoformat(),
        "validThrough": end_of_day(vacancy.valid_through),
        "employmentType": "VOLUNTEER",
        "hiringOrganization": organization(org, org_url, org_logo_url),
        **job_location(vacancy),
        "directApply": True,
        "inLanguage": "nl-BE",
    }
    if image_url:
        out["image"] = image_url
    if vacancy.volunteers_needed:
        out["totalJobOpenings"] = vacancy.volunteers_needed
    if point := _contact_point(vacancy):
        out["applicationContact"] = point
    return out


def event(ev: Item, url: str, image_url: str | None, organizer: dict[str, Any]) -> dict[str, Any]:
    """organizer: the Organization that organises it (the city's HASSELT Helpt, or an organisation)."""
    price = ev.price or 0
    out: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": ev.title,
        "description": ev.summary,
        "url": url,
        "startDate": ev.start.replace(tzinfo=TIMEZONE).isoformat(),
        "endDate": ev.end.replace(tzinfo=TIMEZONE).isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": place(ev.place, bool(ev.wheelchair_accessible)),
        "organizer": organizer,
        "offers": {"@type": "Offer", "url": ev.registration_url or url, "price": price, "priceCurrency": "EUR",
                   "availability": "https://schema.org/InStock"},
        "isAccessibleForFree": price == 0,
        "inLanguage": "nl-BE",
    }
    if image_url:
        out["image"] = [image_url]
    return out


def script(data: dict[str, Any] | None) -> str:
    """The JSON for a <script type="application/ld+json">, safe inside HTML (no '</script>' can end it)."""
    if not data:
        return ""
    text = json.dumps(data, ensure_ascii=False, indent=None, sort_keys=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def for_page(template: str, context: dict[str, Any], abs_url: Callable[[str], str],
             photo: Callable[[Item], str | None], logo: Callable[[Item], str | None]) -> dict[str, Any] | None:
    """The structured data of a page, by its template: JobPosting, Event, Organization or none (an expired
    vacancy's page uses another template, so it carries none). abs_url turns a site path into an absolute URL;
    photo and logo give the absolute URL of an item's share photo and an organisation's logo, or None."""
    if template == "vacancy":
        v, org = context["vacancy"], context["organisation"]
        return job_posting(v, org, abs_url(url_of(v)), abs_url(url_of(org)), photo(v), logo(org))
    if template == "event":
        e = context["event"]
        org = context["orgs"].get(e.organiser) if e.organiser else None
        organizer = ({"@type": "Organization", "name": org.name, "url": abs_url(url_of(org))} if org else
                     {"@type": "Organization", "name": brand.NAME, "url": abs_url("")})
        return event(e, abs_url(url_of(e)), photo(e), organizer)
    if template == "organisation":
        o = context["organisation"]
        return {"@context": "https://schema.org", **organization(o, abs_url(url_of(o)), logo(o))}
    return None
