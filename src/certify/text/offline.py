"""The words of the inspector's app without a connection (static/offline.js, static/upload.js).

The scripts keep no words of their own: the page carries these, in the reader's language, in a
data attribute (templates/partials/offline_status.html), so the catalogue stays the one place.
`{time}` is filled in by the script (a date and time in the page's language), `{count}`, `{point}`,
`{name}`, `{percent}` and `{reason}` likewise.
"""

from __future__ import annotations

from collections.abc import Mapping

from certify.text.catalogue import N_, gettext

WORDS: Mapping[str, str] = {
    "saved": N_("Sparad för användning utan nät. Senast synkroniserad {time}."),
    "not_saved": N_(
        "Inte sparad för användning utan nät. Öppna Mina besiktningar med nät för att spara den."
    ),
    "saving": N_("Sparar dina kommande besiktningar för användning utan nät …"),
    "offline": N_("Du har inte nät. Det du sparar stannar i telefonen och skickas när du har nät igen."),
    "pending": N_("Sparad i telefonen, skickas när du har nät."),
    "waiting": N_("Väntar i telefonen på att skickas: {count}"),
    "sending": N_("Skickar det som väntar i telefonen …"),
    "synced": N_("Allt är skickat. Senast synkroniserad {time}."),
    "verdict": N_("Punkt {point}: bedömning"),
    "photo": N_("Punkt {point}: foto {name}"),
    "refused_title": N_("Kunde inte skickas – finns kvar i telefonen"),
    "refused_404": N_(
        "Ärendet är inte längre ditt, till exempel för att kommunen har gett besiktningen till någon annan. "
        "Kontakta kommunen. Du kan ta bort ändringen från telefonen när du har skrivit av den."
    ),
    "refused_409": N_(
        "Ärendet har ändrats sedan du sparade, till exempel har besiktningen gått vidare. "
        "Öppna ärendet med nät och gör om ändringen, eller ta bort den från telefonen."
    ),
    "refused_422": N_(
        "Servern godtog inte ändringen: {reason} Rätta och spara igen, eller ta bort den från telefonen."
    ),
    "retry": N_("Försök igen"),
    "discard": N_("Ta bort från telefonen"),
    "decide_offline": N_("Att besluta kräver nät. Bedöm punkterna nu och besluta när du har nät."),
    "needs_connection": N_("Att boka om kräver nät."),
    "uploading": N_("Laddar upp: {percent} %"),
    "upload_failed": N_("Uppladdningen avbröts. Försök igen när du har nät."),
}


def offline_words() -> dict[str, str]:
    """Every word the scripts show, in the language of the moment."""
    return {key: gettext(message) for key, message in WORDS.items()}
