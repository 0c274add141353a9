"""The words of every error, in one table: stable code → Swedish text with {named} placeholders.

The domain and the services raise a code with named values (certify.domain.errors); this table
words it, in the language of the moment, when the message is read: the JSON API's `detail`, an
error page, a form's notice. The codes are the API's `extra.code` and are listed, with these
texts, in the OpenAPI schema. A code never changes meaning; a text may be improved at will.

A workflow guard's refusal (ActionRefused) is worded "Kan inte <the action's verb>: <problems>.",
the problems worded by certify.text.problems.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Final

from certify.domain.actions import ACTIONS
from certify.domain.errors import ActionRefused, DomainError
from certify.domain.rules import Problem
from certify.formatting import format_date, format_file_size
from certify.text import catalogue
from certify.text.catalogue import N_, _
from certify.text.languages import DEFAULT
from certify.text.problems import PROBLEM_CODES, problem_text
from certify.text.vocabulary import state_label

ERRORS: Final[dict[str, str]] = {
    # --- the request itself (raised by the web edge) ------------------------------------------
    "invalid_field": N_("Uppgiften {field} har fel form eller saknas."),
    "invalid_body": N_("Innehållet i anropet kunde inte läsas."),
    "body_nested_too_deeply": N_("Innehållet i anropet är för djupt nästlat."),
    "number_out_of_range": N_("Ett tal i anropet är för stort."),
    "not_json": N_("Innehållet måste skickas som JSON, med Content-Type: application/json."),
    "not_logged_in": N_("Du är inte inloggad."),
    "wrong_login": N_("Fel e-postadress eller lösenord."),
    "forbidden": N_("Din roll har inte behörighet till detta."),
    "must_change_password": N_(
        "Du måste välja ett nytt lösenord innan du kan fortsätta: POST /api/me/password med "
        "current_password och new_password."
    ),
    "csrf_failed": N_(
        "Sidan hade legat öppen för länge eller skickades från fel ställe. Gå tillbaka och försök igen."
    ),
    "not_found": N_("Det som efterfrågades finns inte."),
    "method_not_allowed": N_("Det går inte att göra så här."),
    "body_too_large": N_("Det du skickade var för stort. Ladda upp färre filer åt gången."),
    "too_many_login_attempts": N_(
        "Du har försökt logga in för många gånger. Vänta en minut och försök igen."
    ),
    "too_many_failed_logins": N_("För många misslyckade inloggningar. Vänta en minut och försök igen."),
    "too_many_failed_logins_to_account": N_(
        "För många misslyckade inloggningar till kontot. Vänta en kvart och försök igen."
    ),
    "too_many_requests": N_("För många förfrågningar. Vänta en stund och försök igen."),
    "too_many_sign_ups": N_("För många nya konton från din anslutning. Vänta en stund och försök igen."),
    "too_many_password_resets": N_(
        "För många förfrågningar om nytt lösenord. Vänta en stund och försök igen."
    ),
    "invalid_idempotency_key": N_(
        "Idempotency-Key ska vara 1–255 synliga ASCII-tecken, till exempel ett UUID."
    ),
    "idempotency_key_reused": N_(
        "Idempotency-Key har redan använts för en annan ändring. Skapa en ny nyckel för varje ändring."
    ),
    "idempotency_in_progress": N_(
        "Samma ändring med denna Idempotency-Key håller fortfarande på att sparas. Vänta en stund och "
        "skicka den igen."
    ),
    "write_collided": N_("Uppgiften krockade med en samtidig ändring. Ladda om och försök igen."),
    "internal_error": N_("Ett oväntat fel uppstod. Ange felkoden {request_id} om du kontaktar kommunen."),
    "bad_request": N_("Anropet kunde inte tas emot."),
    # --- things that do not exist (404) -------------------------------------------------------
    "case_not_found": N_("Ärendet finns inte."),
    "business_not_found": N_("Butiken finns inte."),
    "user_not_found": N_("Användaren finns inte."),
    "file_not_found": N_("Filen finns inte."),
    "thumbnail_not_found": N_("Filen har ingen miniatyrbild."),
    "certificate_not_found": N_("Det finns inget intyg med det numret."),
    "case_has_no_certificate": N_("Ärendet har inget intyg."),
    "change_not_found": N_("Den anmälda ändringen finns inte."),
    "checklist_not_published": N_("Ingen checklista är publicerad."),
    "protocol_purged": N_("Protokollet är gallrat enligt kommunens beslut."),
    "round_not_found": N_("Den besiktningsomgången finns inte."),
    "webhook_not_found": N_("Webhooken finns inte."),
    "message_not_found": N_("Meddelandet finns inte eller skickas just nu."),
    "smtp_not_configured": N_("E-post kan inte skickas: SMTP är inte inställt (CERTIFY_SMTP_HOST)."),
    "action_not_found": N_("Det finns ingen åtgärd som heter '{action}'."),
    "point_not_found": N_("Egenkontrollen har punkterna 1–{count}."),
    "reset_link_spent": N_("Länken har redan använts eller gått ut. Be om en ny länk."),
    "invitation_not_found": N_("Inbjudan finns inte, har redan använts eller har gått ut."),
    "representative_not_found": N_("Företrädaren finns inte."),
    "inspector_email_unknown": N_(
        "Det finns ingen besiktningsperson med den e-postadressen. Skapa kontot i stället."
    ),
    # --- who may do what (403) ----------------------------------------------------------------
    "role_may_not_act": N_("Din roll får inte utföra den här åtgärden."),
    "only_owner_registers_business": N_("Bara butikens ägare kan registrera en butik."),
    "only_owner_starts_application": N_("Bara butikens ägare kan starta en ansökan."),
    "only_owner_answers": N_("Bara butikens ägare besvarar egenkontrollen."),
    "only_owner_deletes_own_files": N_("Bara butikens ägare kan ta bort sina egna filer."),
    "only_assigned_inspector_judges": N_("Bara den tilldelade besiktningspersonen bedömer punkterna."),
    "only_assigned_inspector_decides_chain_case": N_(
        "Bara den tilldelade besiktningspersonen godkänner kedjeärendet."
    ),
    "only_assigned_inspector_reschedules": N_("Bara den tilldelade besiktningspersonen bokar om besöket."),
    "only_kommun_decides_change": N_("Bara kommunen kan godkänna eller avslå en anmäld ändring."),
    "only_owner_reports_change": N_("Bara den som företräder butiken kan anmäla en förändring."),
    "only_kommun_lists_users": N_("Bara kommunen kan se användarlistan."),
    "only_kommun_administers_users": N_("Bara kommunen administrerar användare."),
    "only_kommun_sends_reset_link": N_("Bara kommunen kan skicka en länk för nytt lösenord."),
    "only_kommun_invites": N_("Bara kommunen bjuder in butiker."),
    "only_kommun_reads_access_log": N_("Bara kommunen kan läsa åtkomstloggen."),
    "only_kommun_sees_outreach": N_("Bara kommunen ser hur långt butikerna har kommit."),
    "only_kommun_searches_cases": N_("Bara kommunen ser alla ärenden."),
    "only_kommun_changes_org_number": N_("Organisationsnumret kan bara ändras av kommunen."),
    "only_inspectors_have_worklist": N_("Bara besiktningspersoner har en besiktningslista."),
    "inspector_may_not_edit_business": N_("Besiktningspersonen kan inte ändra butikens uppgifter."),
    "kommun_does_not_upload": N_("Kommunen laddar inte upp bevis i ärenden."),
    "owner_must_log_in_to_claim": N_("Logga in som butiksägare för att ta emot inbjudan."),
    "only_representative_invites": N_("Bara företagets företrädare kan bjuda in fler företrädare."),
    "only_representative_states_basis": N_("Bara företrädaren själv anger hur hen företräder företaget."),
    "only_representative_removes": N_("Bara företagets egna företrädare kan ta bort en företrädare."),
    "only_kommun_checks_representation": N_("Bara kommunen kontrollerar företrädarnas behörighet."),
    "inspector_serves_other_kommuner": N_(
        "Besiktningspersonen arbetar även för andra kommuner. Kontakta systemförvaltningen för att "
        "ändra kontot."
    ),
    # --- the current state, or someone else first (409) ---------------------------------------
    "transition_not_allowed": N_("Det går inte att göra nu, när ärendet har status {state}."),
    "stale_version": N_("Ärendet har ändrats sedan du läste det. Ladda om och försök igen."),
    "changed_concurrently": N_("Ärendet ändrades av någon annan samtidigt. Ladda om och försök igen."),
    "answers_locked": N_("Svaren kan bara ändras när ärendet är ett utkast eller väntar på åtgärder."),
    "verdicts_locked": N_("Bedömningar kan bara göras när besiktningen är bokad."),
    "visit_not_reschedulable": N_("Besöket kan bara bokas om när besiktningen är bokad."),
    "evidence_locked": N_(
        "Bevis kan bara laddas upp när ansökan är ett utkast eller när brister ska åtgärdas."
    ),
    "inspector_uploads_when_scheduled": N_(
        "Besiktningspersonen kan ladda upp bilder när besiktningen är bokad."
    ),
    "case_not_closed": N_("Ärendet kan arkiveras först när det är avslutat."),
    "case_not_registered": N_("Ärendet kan inte arkiveras: det har inget diarienummer."),
    "change_already_decided": N_("Ändringen är redan avgjord."),
    "email_taken": N_("Det finns redan ett konto med den e-postadressen."),
    "already_linked": N_("Ditt konto är redan kopplat till en e-legitimation."),
    "person_linked": N_("Den här e-legitimationen hör redan till ett annat konto."),
    "not_owner": N_("Bara butiksägare kan logga in med e-legitimation."),
    "staff_password_login_off": N_(
        "Din kommun har stängt av inloggning med lösenord för personal. "
        "Logga in via kommunens inloggning i stället (knappen Logga in som personal)."
    ),
    "kommun_exists": N_("Kommun {kommun} finns redan."),
    "diarienummer_not_typed": N_(
        "Ärendet får sitt diarienummer när det kommer in. Kommunen skriver bara in nummer från sitt "
        "eget ärendesystem om den har valt det."
    ),
    "diarienummer_already_set": N_("Ärendet har redan diarienumret {diarienummer}."),
    "diarienummer_taken": N_("Diarienumret {diarienummer} används redan för ett annat ärende."),
    "disclosure_requester_invalid": N_("Skriv vem som begärde handlingen, högst {longest} tecken."),
    "disclosure_assessment_unknown": N_(
        "Välj om handlingen lämnas ut, lämnas ut delvis eller inte lämnas ut."
    ),
    "disclosure_decision_invalid": N_("Skriv beslutets diarienummer eller paragraf, högst {longest} tecken."),
    "disclosure_document_unknown": N_("Välj en sekretessmarkerad handling i ärendet."),
    "reinspection_not_withdrawable": N_(
        "Ombesiktningen går inte att dra tillbaka: kommunen har krävt den efter en anmäld förändring. "
        "Kontakta kommunen."
    ),
    "fullmakt_awaited": N_(
        "Besiktningen kan inte bokas ännu: kommunen har begärt en fullmakt av en företrädare för "
        "företaget och den är inte uppladdad."
    ),
    # --- business rules (422) -----------------------------------------------------------------
    "open_case_exists": N_("Butiken har redan ett pågående ärende."),
    "change_needs_certificate": N_(
        "Butiken har inget intyg som gäller i dag. En förändring anmäls för en certifierad butik."
    ),
    "renewal_not_open": N_("Butiken har ett giltigt intyg till {valid_until}. Förnyelsen öppnar {opens_on}."),
    "not_applicable_not_allowed": N_(
        "Punkt {point} kan inte vara ej tillämplig: bara de punkter som checklistan anger för en butik "
        "utan kontanter eller värdehandlingar."
    ),
    "not_applicable_switched_off": N_(
        "Punkt {point} kan inte vara ej tillämplig: kommunen har stängt av det valet för punkten."
    ),
    "remark_required": N_("Punkt {point}: skriv en anmärkning som förklarar bedömningen."),
    # a point's criteria (rules.answer_from_criteria, rules.failed_criteria_problem)
    "criterion_unknown": N_("Punkt {point} har inget kriterium {criteria}."),
    "criterion_always_applies": N_(
        "Punkt {point}: {criteria} är krav som alltid gäller och kan inte vara ej tillämpliga."
    ),
    "answer_contradicts_criteria": N_(
        "Punkt {point}: svaret stämmer inte med kriterierna. Ett krav som inte är uppfyllt gör punkten "
        "ej uppfylld."
    ),
    "criteria_unmarked": N_("Punkt {point}: markera också {criteria}."),
    "failed_criteria_without_fail": N_(
        "Punkt {point}: kriterier som inte är uppfyllda anges bara när punkten underkänns."
    ),
    "criterion_recommended": N_("Punkt {point}: {criteria} är råd och kan inte underkänna punkten."),
    "failed_criteria_missing": N_(
        "Punkt {point}: ange vilka kriterier som inte är uppfyllda (failed_criteria)."
    ),
    "visit_time_missing": N_("Välj en ny tid för besöket."),
    "visit_in_past": N_("Den tiden har redan passerat. Välj en senare tid för besöket."),
    "file_too_large": N_("Filen är för stor ({size_bytes}). En fil får vara högst {limit_bytes}."),
    "file_empty": N_("Filen är tom. Välj filen igen."),
    "file_type_not_accepted": N_(
        "Filen går inte att använda. Ladda upp en bild (JPEG, PNG, WebP eller HEIC) eller ett PDF-dokument."
    ),
    "pdf_javascript": N_(
        "PDF-dokumentet går inte att använda: det innehåller JavaScript. Spara dokumentet som en "
        "vanlig PDF (till exempel med Skriv ut som PDF) och ladda upp det igen."
    ),
    "pdf_launch": N_(
        "PDF-dokumentet går inte att använda: det innehåller en åtgärd som startar ett program, öppnar "
        "en annan fil eller skickar uppgifter vidare. Spara dokumentet som en vanlig PDF (till exempel "
        "med Skriv ut som PDF) och ladda upp det igen."
    ),
    "pdf_embedded_file": N_(
        "PDF-dokumentet går inte att använda: det innehåller inbäddade filer. Spara dokumentet som en "
        "vanlig PDF (till exempel med Skriv ut som PDF) och ladda upp det igen."
    ),
    "pdf_unreadable": N_(
        "PDF-dokumentet går inte att använda: filen går inte att läsa som PDF. Spara dokumentet som en "
        "vanlig PDF (till exempel med Skriv ut som PDF) och ladda upp det igen."
    ),
    "pdf_encrypted": N_(
        "PDF-dokumentet går inte att använda: det är skyddat med lösenord. Spara dokumentet som en "
        "vanlig PDF (till exempel med Skriv ut som PDF) och ladda upp det igen."
    ),
    "too_many_files": N_(
        "Ärendet har redan {limit} filer, så många som är tillåtet. Ta bort en fil innan du laddar upp en ny."
    ),
    "thumbnail_too_many_pixels": N_(
        "Bilden har för många bildpunkter för att visas som miniatyr (högst {millions} miljoner). "
        "Öppna hela filen i stället."
    ),
    "thumbnail_unreadable": N_("Bilden går inte att läsa, så den kan inte visas som miniatyr."),
    "image_too_many_pixels": N_(
        "Bilden ”{file_name}” har för många bildpunkter: högst {millions} miljoner går att ta emot. "
        "Spara bilden i lägre upplösning och ladda upp den igen."
    ),
    "image_unreadable": N_(
        "Bilden ”{file_name}” går inte att läsa. Ta bilden igen, eller spara den som JPEG eller PNG "
        "och ladda upp den igen."
    ),
    "import_file_too_large": N_("Filen är större än 20 MB. Dela upp den i flera filer."),
    "wrong_password": N_("Lösenordet stämmer inte."),
    "wrong_current_password": N_("Det nuvarande lösenordet stämmer inte."),
    "same_password": N_("Välj ett annat lösenord än det nuvarande."),
    "open_applications_first": N_("Dra först tillbaka dina pågående ansökningar."),
    "chain_representative_first": N_(
        "Du är den enda företrädaren för en kedja. Lägg till en ny företrädare för kedjan innan du "
        "stänger kontot."
    ),
    "account_inactive": N_("Kontot är stängt eller inaktiverat."),
    "business_already_claimed": N_("Butiken är redan kopplad till ett konto."),
    "already_representative": N_("Personen företräder redan företaget."),
    "last_representative": N_(
        "Företaget måste ha minst en företrädare. Bjud in en ny företrädare innan den sista slutar."
    ),
    "only_owner_keeps_chains": N_(
        "Bara butiksägare kan företräda en kedja. Logga in med ditt konto som butiksägare."
    ),
    "chain_not_found": N_("Kedjan finns inte."),
    "chain_name_missing": N_("Skriv kedjans namn."),
    "chain_org_number_taken": N_("Det finns redan en kedja med det organisationsnumret."),
    "chain_account_unknown": N_(
        "Det finns inget konto för butiksägare med den e-postadressen. Personen skapar först ett konto."
    ),
    "already_chain_representative": N_("Personen företräder redan kedjan."),
    "last_chain_representative": N_(
        "Kedjan måste ha minst en företrädare. Lägg till en ny företrädare innan den sista slutar."
    ),
    "shop_already_in_chain": N_("Butiken hör redan till en kedja. En butik kan höra till en kedja i taget."),
    "chain_member_not_found": N_("Butiken hör inte till kedjan."),
    "chain_invitation_not_found": N_("Inbjudan finns inte, har redan använts eller har gått ut."),
    "chain_case_not_found": N_("Kedjeärendet finns inte."),
    "chain_no_members_in_kommun": N_("Kedjan har inga medlemsbutiker i den kommunen."),
    "chain_case_open_exists": N_("Kedjan har redan ett öppet kedjeärende i den kommunen."),
    "chain_document_not_found": N_("Dokumentet finns inte."),
    "chain_audit_comment_missing": N_("Motivera varför punkten inte är tillämplig i butiken."),
    "chain_case_not_draft": N_(
        "Kedjeärendet är skickat. Den interna revisionen kan bara ändras innan ärendet skickas."
    ),
    "chain_shop_already_sampled": N_("Butiken är redan med i stickprovet."),
    "chain_drawn_shop_stays": N_(
        "En butik som har dragits till stickprovet kan inte tas bort. Kommunen kan bara ta bort "
        "butiker som kommunen själv har lagt till."
    ),
    "decided_in_chain_case": N_(
        "Butiken besiktas i ett kedjeärende. Ärendet avgörs i kedjeärendet, inte för sig, och svaren "
        "är kedjans interna revision."
    ),
    "chain_sample_shop_judged": N_(
        "Besiktningspersonen har redan bedömt punkter i butiken. Den kan inte längre tas bort ur stickprovet."
    ),
    "chain_central_verdicts_locked": N_(
        "De centrala punkterna kan bara bedömas medan kedjeärendet besiktas (nu: {state})."
    ),
    "chain_point_not_central": N_("Punkt {point} är inte en central punkt i kedjeärendet."),
    "chain_sample_not_open": N_("Stickprovet kan bara ändras medan kedjeärendet besiktas (nu: {state})."),
    "chain_reject_reason_missing": N_("Skriv skälet till att kedjeärendet avslås."),
    "chain_systemic_comment_missing": N_("Skriv vad kedjan har gjort i butiken där samma brist finns."),
    "chain_systemic_check_not_open": N_(
        "Kedjans besked om samma brist i butikerna lämnas medan åtgärder krävs (nu: {state})."
    ),
    "chain_point_not_failed": N_("Punkt {point} är inte underkänd där."),
    "chain_point_already_serious": N_("Punkt {point} är redan markerad som allvarlig brist."),
    "chain_serious_not_open": N_(
        "En allvarlig brist kan bara markeras medan kedjeärendet besiktas (nu: {state})."
    ),
    "chain_point_not_serious": N_("Punkt {point} är inte markerad som allvarlig brist."),
    "chain_case_not_held": N_(
        "Underlag om allvarliga brister lämnas och bedöms medan kedjeärendet är vilande (nu: {state})."
    ),
    "chain_fix_not_found": N_("Underlaget finns inte."),
    "chain_revoke_reason_missing": N_("Skriv skälet till att kedjeärendet återkallas."),
    "chain_certificate_does_not_fit": N_(
        "Ett av intygen får inte plats på en sida: kedjans kommentarer till punkter som inte är "
        "tillämpliga är för långa. Inget intyg har utfärdats."
    ),
    "chain_central_points_fixed": N_(
        "De centrala punkterna kan bara ändras innan kedjeärendet tilldelas en besiktningsperson."
    ),
    "basis_not_stated": N_("Företrädaren har inte angett hur hen företräder företaget."),
    "not_with_own_account": N_("Du kan inte göra det med ditt eget konto. Be en kollega."),
    "kommun_creates_staff_only": N_(
        "Kommunen skapar bara besiktningspersoner och handläggare. Butiksägare skapar sina konton "
        "själva eller bjuds in från butikslistan."
    ),
    "own_kommun_only": N_(
        "Du kan bara skapa användare för din egen kommun. En besiktningsperson som även arbetar för en "
        "annan kommun läggs till där av den kommunen."
    ),
    "inspector_account_inactive": N_("Besiktningspersonens konto är inaktiverat."),
    "inspector_serves_only_this_kommun": N_(
        "Besiktningspersonen arbetar bara för er kommun. Inaktivera kontot i stället."
    ),
    # --- one input field is wrong (400; `extra.field` names it) -------------------------------
    "field_empty": N_("Fältet får inte vara tomt."),
    "email_invalid": N_("Det är inte en e-postadress."),
    "password_too_short": N_("Lösenordet måste ha minst {length} tecken."),
    "kommun_code_unknown": N_("Ingen kommun har koden {kommun}."),
    "issuer_invalid": N_("Utfärdaren måste vara en https-adress, till exempel {example}."),
    "kommun_login_incomplete": N_(
        "Ange både utfärdare (issuer) och klient-id (client id) när kommunens inloggning ansluts."
    ),
    "kommun_login_too_long": N_("För långt ({field}): högst {limit} tecken."),
    "password_login_needs_provider": N_(
        "Inloggning med lösenord kan stängas av först när kommunens egen inloggning är ansluten "
        "med en grupp för kommunens handläggare. Annars kan ingen i kommunen logga in."
    ),
    "kommun_login_clear_locks_out": N_(
        "Ge minst en handläggare i kommunen ett lösenord innan kommunens egen inloggning kopplas "
        "bort. Annars kan ingen i kommunen logga in."
    ),
    "kommun_login_change_while_off": N_(
        "Slå först på inloggningen med lösenord om ni ska ändra anslutningen till kommunens "
        "inloggningstjänst, och stäng av den igen när den ändrade inloggningen är prövad. "
        "Annars kan ni bli utelåsta."
    ),
    "password_login_off_unproven": N_(
        "Logga först in via kommunens egen inloggning, så att den är prövad, och stäng sedan av "
        "inloggningen med lösenord. Annars kan ni bli utelåsta."
    ),
    "kommun_code_required": N_("Ange kommunkoden: den här installationen har flera kommuner."),
    "kommun_code_invalid": N_("En kommunkod har fyra siffror, till exempel 2081."),
    "kommun_option_required": N_("Ange --kommun när det inte finns exakt en kommun."),
    "inspector_needs_kommun": N_("En besiktningsperson måste arbeta för minst en kommun."),
    "kommun_user_needs_one_kommun": N_("En handläggare hör till exakt en kommun."),
    "owner_has_no_kommun": N_("En butiksägare hör inte till någon kommun."),
    "postal_code_invalid": N_("Postnumret ska ha fem siffror, till exempel 781 81."),
    "org_number_invalid": N_("Organisationsnumret ska ha tio siffror: NNNNNN-NNNN eller NNNNNNNNNN."),
    "org_number_check_digit": N_(
        "Organisationsnumret stämmer inte: sista siffran (kontrollsiffran) är fel. Kontrollera att det "
        "är rätt skrivet."
    ),
    "certificate_number_invalid": N_(
        "Intygsnumret ska se ut som {example}: bokstäver eller siffror, ett år och ett löpnummer."
    ),
    "certificate_prefix_invalid": N_("Prefixet ska vara 1 till 5 bokstäver A–Z eller siffror."),
    "diarienummer_format_invalid": N_(
        "Formatet ska innehålla {{seq}} en gång och får innehålla {{year}}, till exempel {example} "
        "(högst 40 tecken)."
    ),
    "diarienummer_invalid": N_("Diarienumret får vara högst {longest} tecken långt."),
    "point_number_invalid": N_("Ange en punkt från 1 till {count}."),
    "local_point_without_criteria": N_("Skriv minst ett kriterium för punkten."),
    "local_point_not_found": N_("Den lokala punkten finns inte."),
    "local_point_retired": N_("Punkten är borttagen ur utkastet och kan inte ändras."),
    "publish_date_in_past": N_(
        "Välj i dag eller en senare dag: ärenden som redan har startat behåller sin version."
    ),
    "rejection_reason_missing": N_("Skriv varför ändringen avslås."),
    "change_description_missing": N_("Beskriv förändringen med högst {limit} tecken."),
    "shop_email_missing": N_("Butiken saknar e-postadress. Lägg till den först."),
    "basis_invalid": N_("Välj firmatecknare eller ombud med fullmakt."),
    "fullmakt_missing": N_("Ett ombud laddar upp sin fullmakt: välj filen."),
    "event_types_missing": N_("Ange minst en händelsetyp (eller * för alla)."),
    "period_reversed": N_("Periodens första dag får inte komma efter den sista."),
    "period_out_of_range": N_("Perioden måste ligga mellan åren 2000 och 2999."),
    "date_invalid": N_("Skriv datumet som ÅÅÅÅ-MM-DD."),
    "compliance_invalid": N_("Välj hur väl tjänsten uppfyller kraven."),
    "text_too_long": N_("Texten får vara högst {longest} tecken lång."),
    "review_in_future": N_("Dagen för granskningen kan inte ligga i framtiden."),
    "retention_kinds_incomplete": N_(
        "Planen ska ha exakt en rad för varje slag av handling: ärendeuppgifter, egenkontroller, bevis, "
        "besiktningsprotokoll, intyg, e-post och händelselogg."
    ),
    "retention_action_invalid": N_("Välj om handlingarna bevaras eller gallras."),
    "retention_years_invalid": N_("Ange efter hur många år handlingarna gallras, från {least} till {most}."),
    "retention_decision_missing": N_("Skriv vilket beslut raden bygger på, till exempel KS 2025/118 § 45."),
    "url_invalid": N_("Adressen är inte en giltig URL."),
    "url_has_credentials": N_(
        "Adressen får inte innehålla användarnamn eller lösenord (innehållet signeras)."
    ),
    "url_without_host": N_("Adressen måste vara en https-adress med ett värdnamn."),
    "url_not_https": N_("Adressen måste börja med https."),
    "url_address_refused": N_("Adressen går inte att använda: den pekar på en adress som inte är tillåten."),
    "field_missing": N_("saknas"),
    "duplicate_row": N_("samma butik som på rad {row}"),
    "import_not_text": N_("Filen gick inte att läsa. Spara den som CSV (UTF-8) och försök igen."),
    "import_not_csv": N_("Filen gick inte att läsa som CSV. Spara den som CSV (UTF-8) och försök igen."),
    "import_empty": N_("Filen är tom."),
    "import_header_incomplete": N_(
        "Rubrikraden saknar {missing}. Första raden ska vara till exempel "
        "namn;organisationsnummer;adress;postnummer;ort;område;e-post."
    ),
}

# A workflow guard's refusal; the action's verb is the Action's own (certify.domain.actions).
REFUSED_ACTION: Final = N_("Kan inte {verb}: {problems}.")

CODES: Final = tuple(sorted({*ERRORS, *PROBLEM_CODES}))
"""Every code an error answer can carry in `extra.code`."""


def _shown(name: str, value: object) -> str:
    """A value as a reader sees it: a state's label, dates and sizes in the language of the moment."""
    if name == "state" and isinstance(value, str):
        return state_label(value).lower()
    if isinstance(value, datetime | date):
        return format_date(value)
    if name.endswith("_bytes") and isinstance(value, int):
        return format_file_size(value)
    return str(value)


def text_for(code: str, **params: object) -> str:
    """The text of one code with its values filled in; an unknown code reads as the general one."""
    message = ERRORS.get(code, ERRORS["bad_request"])
    return _(message).format(**{name: _shown(name, value) for name, value in params.items()})


CHAIN_CASE_VERBS: Final = {
    "hold": N_("göra kedjeärendet vilande"),
    "release": N_("häva vilandet av kedjeärendet"),
}
"""The verbs of the chain case's own actions (domain/chain_workflow.py) that a shop case lacks."""


def error_text(error: DomainError) -> str:
    """What the person reads for this error, in the language of the moment."""
    if isinstance(error, ActionRefused):
        problems = "; ".join(problem_text(p) for p in error.problems)
        verb = ACTIONS[error.action].verb if error.action in ACTIONS else CHAIN_CASE_VERBS[error.action]
        return _(REFUSED_ACTION).format(verb=_(verb), problems=problems)
    return text_for(error.code, **error.params)


def describe(code: str) -> str:
    """The Swedish text of a code, for the API documentation (a guard's problem with an example)."""
    if code in ERRORS:
        return ERRORS[code]
    with catalogue.use(DEFAULT):
        example = problem_text(Problem(code, (4,)))
    return f"a workflow action refused (422), e.g. “Kan inte …: {example}”"
