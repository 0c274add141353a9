"""The owner's self-assessment, one point per screen: each point is its own form, saved on its own.

On a phone the whole checklist was about 18 screens with 13 "Spara" buttons that all sent
everything and landed at the top. Here the overview lists the 13 points; each point has a page of
its own whose save lands back on that point (or goes on to the next unanswered one), and every
screen shows the progress and the points still to answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from certify.domain.errors import Conflict, InvalidField, NotFound, RuleNotMet
from certify.domain.status import ANSWER_EDITABLE_STATES, AnswerStatus
from certify.services import case_screen, cases, checklist, evidence
from certify.services.actor import Actor
from certify.services.case_screen import CaseScreen, ScreenPoint
from certify.services.evidence import UploadLimits
from certify.text.catalogue import N_, gettext
from certify.text.vocabulary import answer_label
from certify.web.api.evidence import limits_of, read_upload
from certify.web.guards import OWNER
from certify.web.pages import forms
from certify.web.pages.render import notice_for, page, see_other

SAVED = N_("Punkt {point} är sparad.")
NOTICES = {"borttagen": N_("Filen är borttagen.")}
CHOOSE_FOR_COMMENT = N_("Välj ett svar för att kunna spara kommentaren.")
CHOOSE_ANSWER = N_("Välj ett av svaren.")
FILE_REFUSED = N_("Filen {name}: {reason}")
# "Spara och gå vidare" (the first button, what Enter presses) goes on to the next point still to
# answer; "Spara" stays on the point.
NEXT = "nasta"


@dataclass(frozen=True, slots=True)
class PointForm:
    """One point of the self-assessment: the shared screen point with what its form shows."""

    point: ScreenPoint
    choices: list[tuple[str, str]]
    status: str
    comment: str
    marks: Mapping[str, str]  # criterion id -> met / not_met / not_applicable

    @property
    def number(self) -> int:
        return self.point.number

    @property
    def carried_over(self) -> bool:
        """Brought over from the previous case by a renewal: the owner has still to confirm it."""
        return self.point.answer is not None and self.point.answer.carried_over

    @property
    def answered(self) -> bool:
        """Answered by the owner in this case: a brought-over answer counts once it is saved."""
        return self.point.answer is not None and not self.point.answer.carried_over


@dataclass(frozen=True, slots=True)
class Progress:
    """How far the owner has come: shown on every screen of the self-assessment."""

    answered: int
    total: int
    remaining: list[PointForm]


def answer_choices(point: int, not_applicable: frozenset[int]) -> list[tuple[str, str]]:
    """The answers the owner may give to a point, each with the vocabulary's label; `not_applicable`
    is the case screen's (services.not_applicable, by the domain rule)."""
    statuses = [AnswerStatus.fulfilled, AnswerStatus.not_fulfilled]
    if point in not_applicable:
        statuses.append(AnswerStatus.not_applicable)
    return [(s.value, answer_label(s)) for s in statuses]


def _saved_notice(point: int | None) -> str | None:
    return gettext(SAVED).format(point=point) if point else None


Posted = tuple[str, str, Mapping[str, str]]  # status, comment, criterion marks


def _points(screen: CaseScreen, posted: dict[int, Posted] | None = None) -> list[PointForm]:
    """The 13 points with the saved answers, or what was just posted where that failed to save."""
    saved: dict[int, Posted] = {a.point: (a.status, a.comment, a.criteria) for a in screen.case.answers}
    shown = {**saved, **(posted or {})}
    nothing: Posted = ("", "", {})
    return [
        PointForm(
            point=p,
            choices=answer_choices(p.number, screen.not_applicable),
            status=shown.get(p.number, nothing)[0],
            comment=shown.get(p.number, nothing)[1],
            marks=shown.get(p.number, nothing)[2],
        )
        for p in screen.points
    ]


def _progress(points: list[PointForm]) -> Progress:
    remaining = [p for p in points if not p.answered]
    return Progress(answered=len(points) - len(remaining), total=len(points), remaining=remaining)


def next_unanswered(after: int, answered: set[int], points: Sequence[int]) -> int | None:
    """The next of the case's points still to answer after this one, going round to the first;
    None when all are."""
    order = [p for p in points if p > after] + [p for p in points if p < after]
    return next((p for p in order if p not in answered), None)


def _uploads(form: Any, point: int) -> list[UploadFile]:
    """The files chosen for a point (an empty file input still sends a part with no name)."""
    return [f for f in form.getall(f"bevis-{point}", []) if isinstance(f, UploadFile) and f.filename]


def overview_path(application_id: int) -> str:
    return f"/arenden/{application_id}/egenkontroll"


def point_path(application_id: int, point: int) -> str:
    return f"/arenden/{application_id}/egenkontroll/punkt/{point}"


def _check_point(point: int, points: Sequence[int]) -> None:
    """A point of the case's own checklist version (its 13 and any local points), else 404."""
    if point not in points:
        raise NotFound("point_not_found", count=len(points))


class AssessmentPages(Controller):
    opt = OWNER
    include_in_schema = False

    @get("/arenden/{application_id:int}/egenkontroll")
    async def overview(
        self,
        request: Request[Actor, Any, Any],
        application_id: FromPath[int],
        sparad: FromQuery[int | None] = None,
    ) -> Template:
        """All 13 points with their answers: where to start, what is left, and the way to submit."""
        screen = await case_screen.load(request.user, application_id)
        points = _points(screen)
        return await page(
            request,
            "owner/assessment.html",
            case=screen.case,
            points=points,
            progress=_progress(points),
            editable=screen.case.state in ANSWER_EDITABLE_STATES,
            notice=_saved_notice(sparad),
            max_files=limits_of(request).max_per_case,
            file_count=screen.file_count,
        )

    async def _point_page(
        self,
        request: Request[Actor, Any, Any],
        application_id: int,
        point: int,
        *,
        posted: Posted | None = None,
        errors: dict[str, str] | None = None,
        notice: str | None = None,
    ) -> Template:
        screen = await case_screen.load(request.user, application_id)
        _check_point(point, [p.number for p in screen.points])
        points = _points(screen, {point: posted} if posted else None)
        limits = limits_of(request)
        return await page(
            request,
            "owner/assessment_point.html",
            status_code=400 if errors else 200,
            case=screen.case,
            item=points[point - 1],
            previous=points[point - 2] if point > 1 else None,
            following=points[point] if point < len(points) else None,
            progress=_progress(points),
            editable=screen.case.state in ANSWER_EDITABLE_STATES,
            errors=errors or {},
            notice=notice,
            max_mb=limits.max_bytes // (1024 * 1024),
            max_files=limits.max_per_case,
            file_count=screen.file_count,
        )

    @get("/arenden/{application_id:int}/egenkontroll/punkt/{point:int}")
    async def point(
        self,
        request: Request[Actor, Any, Any],
        application_id: FromPath[int],
        point: FromPath[int],
        sparad: FromQuery[int | None] = None,
        klart: FromQuery[str | None] = None,
    ) -> Template:
        notice = _saved_notice(sparad) or notice_for(NOTICES, klart)
        return await self._point_page(request, application_id, point, notice=notice)

    @post("/arenden/{application_id:int}/egenkontroll/punkt/{point:int}")
    async def save_point(
        self, request: Request[Actor, Any, Any], application_id: FromPath[int], point: FromPath[int]
    ) -> Template | Redirect:
        """Save this point's answer and files; a failure shows the point again with what was typed."""
        actor = request.user
        form = await request.form()
        case = await cases.view(actor, application_id)
        numbers = await checklist.version_points(case.checklist_version)
        _check_point(point, numbers)
        saved = {a.point: (a.status, a.comment, a.criteria) for a in case.answers}
        to_confirm = {a.point for a in case.answers if a.carried_over}
        status, comment = forms.text(form, f"svar-{point}", 40), forms.text(form, f"kommentar-{point}")
        marks = forms.criterion_marks(form)
        uploads = _uploads(form, point)
        errors: dict[str, str] = {}
        changed = False
        if status or marks:
            if (status, comment, marks) != saved.get(point) or point in to_confirm:
                changed = await _save_answer(actor, application_id, point, (status, comment, marks), errors)
        elif comment and comment != saved.get(point, ("", ""))[1]:
            errors[f"svar-{point}"] = gettext(CHOOSE_FOR_COMMENT)
        limits = limits_of(request)
        for upload in uploads:
            changed = await _save_file(actor, application_id, point, upload, limits, errors) or changed
        if errors:
            return await self._point_page(
                request, application_id, point, posted=(status, comment, marks), errors=errors
            )
        answered = (set(saved) - to_confirm) | ({point} if status or marks else set())
        told = f"?sparad={point}" if changed or point in answered else ""
        if forms.text(form, "efter", 10) != NEXT:
            return see_other(point_path(application_id, point) + told)
        following = next_unanswered(point, answered, numbers)
        if following is None:
            return see_other(overview_path(application_id) + told)
        return see_other(point_path(application_id, following) + told)

    @post("/arenden/{application_id:int}/bevis/{evidence_id:int}/ta-bort")
    async def remove_file(
        self, request: Request[Actor, Any, Any], application_id: FromPath[int], evidence_id: FromPath[int]
    ) -> Redirect:
        removed = await evidence.remove(request.user, evidence_id)
        return see_other(point_path(removed.application_id, removed.point) + "?klart=borttagen")


async def _save_answer(
    actor: Actor, application_id: int, point: int, posted: Posted, errors: dict[str, str]
) -> bool:
    """The answer as posted: a status, marks on the criteria, or both (the criteria decide)."""
    status, comment, marks = posted
    try:
        answer = AnswerStatus(status) if status else None
        await cases.set_answer(actor, application_id, point, answer, comment, marks=marks)
    except ValueError:
        errors[f"svar-{point}"] = gettext(CHOOSE_ANSWER)
    except (RuleNotMet, Conflict, InvalidField) as exc:
        errors[f"svar-{point}"] = exc.message
    else:
        return True
    return False


async def _save_file(
    actor: Actor,
    application_id: int,
    point: int,
    upload: UploadFile,
    limits: UploadLimits,
    errors: dict[str, str],
) -> bool:
    try:
        data = await read_upload(upload, limits)
        await evidence.add(actor, application_id, point, upload.filename, data, limits)
    except (RuleNotMet, Conflict, InvalidField) as exc:
        if "file_name" in exc.params:  # the refusal of a photo names the file itself
            errors[f"bevis-{point}"] = exc.message
            return False
        name = evidence.display_name(upload.filename, "application/pdf")
        errors[f"bevis-{point}"] = gettext(FILE_REFUSED).format(name=name, reason=exc.message)
        return False
    return True
