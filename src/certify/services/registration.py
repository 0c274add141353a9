"""A shop owner signs up, and the answer never tells whether the address already has an account.

For a new address the account is created (the owner then logs in); for a taken one nothing is
created and the address's owner gets a "du har redan ett konto" mail with links to log in and to
choose a new password. Both cost a password hash, so they also take about as long.
"""

from __future__ import annotations

from certify.domain import messages
from certify.domain.errors import Conflict
from certify.domain.messages import Recipient
from certify.domain.status import Role
from certify.services import accounts, notifications
from certify.tables import Account

LOGIN_PATH = "/logga-in"
RESET_PATH = "/glomt-losenord"


async def sign_up(*, email: str, name: str, password: str, base_url: str) -> None:
    """Raises InvalidField for a malformed field (the same whoever owns the address), else nothing."""
    address = accounts.normalise_email(email)
    try:
        await accounts.create_account(email=address, name=name, role=Role.owner, password=password)
    except Conflict:
        # Written to the account that has the address, in the language its person chose.
        holder = await Account.select(Account.language).where(Account.email == address).first().run()
        message = messages.account_exists(
            recipient=Recipient(address, (holder or {}).get("language") or ""),
            login_link=f"{base_url}{LOGIN_PATH}",
            reset_link=f"{base_url}{RESET_PATH}",
        )
        await notifications.enqueue(message, kommun_id=None, event_id=None)
