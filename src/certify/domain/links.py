"""Where a case lives for each reader: the one rule behind every link to a case (e-mails, pages,
redirects after an action, the timeline's and access log's links).

The owner follows a case on the shop's page; the inspector on the inspection page; the kommun on
its case page. `/arenden/{id}` answers every reader with a redirect to their own page, so a link
that names no reader (or an e-mail sent before this rule) still lands right.
"""

from __future__ import annotations

from certify.domain.status import Role


def case_path(reader: str, application_id: int, business_id: int) -> str:
    """The path of the case's page for a reader in this role."""
    if reader == Role.owner:
        return f"/butiker/{business_id}"
    if reader == Role.inspector:
        return f"/besiktningar/{application_id}"
    if reader == Role.kommun:
        return f"/kommun/arenden/{application_id}"
    raise ValueError(f"no case page for the role {reader!r}")


def case_url(base_url: str, reader: str, application_id: int, business_id: int) -> str:
    """The absolute link to the case's page for a reader, as e-mails carry it."""
    return base_url.rstrip("/") + case_path(reader, application_id, business_id)


def shared_case_path(application_id: int) -> str:
    """A reader-neutral link: the page redirects each reader to case_path for their role."""
    return f"/arenden/{application_id}"


def material_change_path(change_id: int) -> str:
    """The kommun's page for one reported material change (its decision)."""
    return f"/kommun/forandringar/{change_id}"
