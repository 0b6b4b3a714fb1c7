"""Realistic dossier history, made by driving the real services with the clock set to past moments.

Every dossier goes through `create_dossier` and `take_action` exactly as an officer's would, so the history
obeys the lifecycle, the scopes and the legal clock; only the times are chosen here. A dossier whose next
move would fall after the present stays where it is, which leaves a realistic stock of open dossiers.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from motcua.catalog.constants import OnlineLevel
from motcua.catalog.models import Case, ProcedureVersion, WorkflowStep
from motcua.catalog.selectors import in_force_on
from motcua.core.errors import DomainError
from motcua.demo.samples import fill_form, person_name, personal_id
from motcua.dossiers.lifecycle import Channel, ResultDelivery
from motcua.dossiers.models import Dossier, RatingChannel, Satisfaction, UploadedFile
from motcua.dossiers.punctuality import dossier_outcome
from motcua.dossiers.services.actions import take_action
from motcua.dossiers.services.actions.payloads import (
    Accept,
    AcceptSupplement,
    Apologise,
    Assign,
    Forward,
    IssueResult,
    Payload,
    RecordPayment,
    Refuse,
    RequestPayment,
    RequestSupplement,
    ReturnResult,
    Stop,
    SubmitSupplement,
    SupplementItem,
    Withdraw,
)
from motcua.dossiers.services.feedback import rate_dossier
from motcua.dossiers.services.files import store_upload
from motcua.dossiers.services.intake import Applicant, AttachedDocument, Intake, create_dossier
from motcua.org.constants import Role
from motcua.org.models import Agency, StaffRole
from motcua.org.services import create_citizen, create_staff
from motcua.worktime.calendar import WorkingCalendar
from motcua.worktime.constants import Punctuality
from motcua.worktime.services import calendar_for

_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass
class Outcome:
    dossiers: int = 0
    actions: int = 0
    open: int = 0
    rejected: int = 0
    by_action: dict[str, int] = field(default_factory=dict)


class Cast:
    """Who plays each part: the staff of each agency by role (simulation staff added where none exist), the
    citizens who apply online, and one scanned file per person to attach."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._staff: dict[tuple[int, str], list[User]] = {}
        for role in StaffRole.objects.select_related("user", "agency"):
            self._staff.setdefault((role.agency_id, role.role), []).append(role.user)
        self._files: dict[int, int] = {}
        self.citizens = [
            create_citizen(
                f"sim.congdan.{n}", personal_id(random.Random(n), dt.date(1985, 1, 1) + dt.timedelta(n))
            ).user
            for n in range(20)
        ]

    def staff(self, agency: Agency, role: str) -> User:
        key = (agency.pk, role)
        if key not in self._staff:
            username = f"sim.{role}.{agency.identity_code}"
            self._staff[key] = [create_staff(username, agency.identity_code, role).user]
        return self.rng.choice(self._staff[key])

    def file_of(self, user: User) -> int:
        if user.pk not in self._files:
            existing = UploadedFile.objects.filter(owner=user).values_list("pk", flat=True).first()
            self._files[user.pk] = existing or store_upload(user, SimpleUploadedFile("scan.pdf", _PDF)).pk
        return self._files[user.pk]


class Simulator:
    def __init__(self, seed: int = 1) -> None:
        self.rng = random.Random(seed)
        self.calendar: WorkingCalendar = calendar_for()
        self.cast = Cast(self.rng)
        self.outcome = Outcome()
        self.present = timezone.now()

    def catalogue(self, day: dt.date) -> list[tuple[ProcedureVersion, Case]]:
        versions = ProcedureVersion.objects.filter(in_force_on(day)).select_related(
            "procedure", "competent_agency"
        )
        return [(v, c) for v in versions.prefetch_related("cases", "receiving_units") for c in v.cases.all()]

    def working_days(self, days: int) -> Iterator[dt.date]:
        today = timezone.localdate(self.present)
        for offset in range(days, 0, -1):
            day = today - dt.timedelta(days=offset)
            if self.calendar.is_working_day(day):
                yield day

    def later(self, moment: dt.datetime, low_hours: float, high_hours: float) -> dt.datetime:
        minutes = int(self.rng.uniform(low_hours, high_hours) * 60)
        return self.calendar.add_working_minutes(moment, max(1, minutes))

    def run(self, days: int, per_day: int, tick: Callable[[], None] = lambda: None) -> Outcome:
        for day in self.working_days(days):
            offers = self.catalogue(day)
            for _ in range(per_day):
                version, case = self.rng.choice(offers)
                try:
                    self.one_dossier(version, case, day)
                except DomainError:
                    self.outcome.rejected += 1
                tick()
        return self.outcome

    # -- one dossier from intake to its present state --------------------------------------------------------

    def one_dossier(self, version: ProcedureVersion, case: Case, day: dt.date) -> None:
        rng = self.rng
        opening = dt.datetime.combine(day, dt.time(8), tzinfo=timezone.get_current_timezone())
        at = self.calendar.add_working_minutes(opening, rng.randrange(0, 8 * 60))
        online = version.online_level != OnlineLevel.NONE and rng.random() < 0.55
        channel = Channel.ONLINE if online else (Channel.POST if rng.random() < 0.05 else Channel.COUNTER)
        receiving_units = list(version.receiving_units.all()) or [version.competent_agency]
        receiving = rng.choice(receiving_units)
        counter = self.cast.staff(receiving, Role.COUNTER_OFFICER)
        applicant_user = rng.choice(self.cast.citizens) if online else counter
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(20000))
        intake = Intake(
            procedure=version.procedure.local_code,
            case=case.code,
            channel=channel,
            receiving_unit=receiving.identity_code,
            applicant=Applicant(
                kind="person",
                full_name=person_name(rng),
                id_number=personal_id(rng, birth),
                date_of_birth=birth,
                phone=f"09{rng.randrange(10**8):08d}",
                address="Hà Nội",
            ),
            form=fill_form(case.form_schema, rng) if case.form_schema else {},
            documents=[
                AttachedDocument(d.pk, self.cast.file_of(applicant_user))
                for d in case.documents.all()
                if d.mandatory
            ],
            result_delivery=ResultDelivery.ONLINE
            if online and rng.random() < 0.3
            else ResultDelivery.COUNTER,
        )
        dossier = create_dossier(applicant_user, intake, now=at)
        self.outcome.dossiers += 1
        self.follow(dossier, counter, applicant_user, at)

    def act(self, actor: User, dossier: Dossier, payload: Payload, at: dt.datetime) -> bool:
        """Take the action at `at` unless that is still in the future; tell whether it was taken."""
        if at >= self.present:
            return False
        updated = take_action(actor, dossier.code, payload, version=dossier.version, now=at)
        dossier.version, dossier.status = updated.version, updated.status
        self.outcome.actions += 1
        self.outcome.by_action[payload.action] = self.outcome.by_action.get(payload.action, 0) + 1
        return True

    def follow(self, dossier: Dossier, counter: User, applicant: User, at: dt.datetime) -> None:
        rng = self.rng
        if dossier.channel == Channel.ONLINE:
            at = self.later(at, 0.2, 6)
            if rng.random() < 0.04:
                self.act(counter, dossier, Refuse(reason="Không thuộc thẩm quyền tiếp nhận"), at)
                return
            if not self.act(counter, dossier, Accept(), at):
                return
        fee = sum(f.amount for f in dossier.case.fees.all())
        if fee and rng.random() < 0.8:
            at = self.later(at, 0.05, 0.3)
            if not self.act(counter, dossier, RequestPayment(amount=fee), at):
                return self._count_open()
            at = self.later(at, 0.05, 4)
            receipt = RecordPayment(receipt_number=f"BL{rng.randrange(10**6):06d}")
            if not self.act(counter, dossier, receipt, at):
                return self._count_open()
        at = self.later(at, 0.1, 1)
        if not self.act(counter, dossier, Forward(), at):
            return self._count_open()
        fresh = Dossier.objects.select_related("competent_authority").get(pk=dossier.pk)
        competent = fresh.competent_authority
        steps: list[WorkflowStep | None] = list(fresh.case.steps.select_related("agency").order_by("order"))
        steps = steps or [None]  # a case without a workflow is handled in one step
        late_factor = rng.choice([0.3, 0.5, 0.7, 0.9, 0.9, 1.0, 1.4])  # one in seven runs over its budgets
        for index, step in enumerate(steps):
            agency = (step.agency if step and step.agency else None) or competent
            role = step.role if step else Role.SPECIALIST
            actor = self.cast.staff(agency, role)
            budget = (step.budget_hours if step else 8) * late_factor
            if index == 0:
                leader = self.cast.staff(agency, Role.UNIT_LEADER)
                if role != Role.UNIT_LEADER and not self.act(
                    leader, dossier, Assign(assignee=actor.get_username()), self.later(at, 0, 0.5)
                ):
                    return self._count_open()
                if rng.random() < 0.08:
                    resumed = self._supplement_round(dossier, actor, applicant, at)
                    if resumed is None:
                        return self._count_open()
                    at = resumed
                if rng.random() < 0.02:
                    self.act(
                        applicant if dossier.channel == Channel.ONLINE else counter,
                        dossier,
                        Withdraw(),
                        self.later(at, 1, 8),
                    )
                    return
                if rng.random() < 0.02:
                    self.act(leader, dossier, Stop(reason="Không đủ điều kiện"), self.later(at, 1, 16))
                    return
            if late_factor > 1 and index == len(steps) - 1 and fresh.due_at and rng.random() < 0.6:
                # Leaders who see a dossier running late apologise with a new date before the old one passes.
                leader = self.cast.staff(competent, Role.UNIT_LEADER)
                apology_at = min(self.later(at, 0.1, 1), fresh.due_at - dt.timedelta(minutes=30))
                if apology_at > at:
                    new_date = self.later(fresh.due_at, 8, 24)
                    apology = Apologise(reason="Cần xác minh thêm", new_appointment=new_date)
                    self.act(leader, dossier, apology, apology_at)
            at = self.later(at, budget * 0.5, budget)
            if index < len(steps) - 1 and not self.act(actor, dossier, Forward(), at):
                return self._count_open()
        signer = self.cast.staff(competent, Role.UNIT_LEADER)
        result = IssueResult(result_number=f"{rng.randrange(9999)}/KQ")
        if not self.act(signer, dossier, result, self.later(at, 0.1, 2)):
            return self._count_open()
        returned = self.later(at, 1, 24)
        handed_over = ReturnResult(
            recipient_name=dossier.applicant_name,
            waybill_number="EMS" if dossier.result_delivery == ResultDelivery.POST else "",
        )
        if self.act(counter, dossier, handed_over, returned):
            self._rate(dossier, counter, applicant, returned)

    def _rate(self, dossier: Dossier, counter: User, applicant: User, returned: dt.datetime) -> None:
        """About half of the applicants rate the service: online on the portal, else at the counter, where
        the officer enters what they say; a late result is more often rated dissatisfied."""
        rng = self.rng
        rated = self.later(returned, 0.1, 8)
        if rng.random() > 0.5 or rated >= self.present:
            return
        ended = Dossier.objects.only("status", "due_at", "finished_at").get(pk=dossier.pk)
        late = dossier_outcome(ended.status, ended.finished_at, ended.due_at) == Punctuality.LATE
        weights = (0.35, 0.4, 0.25) if late else (0.62, 0.34, 0.04)
        score = rng.choices(list(Satisfaction.values), weights)[0]
        online = dossier.channel == Channel.ONLINE
        rater, channel = (applicant, RatingChannel.PORTAL) if online else (counter, RatingChannel.OFFICER)
        rate_dossier(rater, dossier.code, score, channel=channel, now=rated)
        self.outcome.by_action["rate"] = self.outcome.by_action.get("rate", 0) + 1

    def _supplement_round(
        self, dossier: Dossier, officer: User, applicant: User, at: dt.datetime
    ) -> dt.datetime | None:
        at = self.later(at, 1, 8)
        items = (SupplementItem("Bản sao giấy khai sinh có chứng thực"),)
        if not self.act(officer, dossier, RequestSupplement(reason="Thiếu giấy tờ", items=items), at):
            return None
        at = self.later(at, 4, 24)
        submitter = (
            applicant
            if dossier.channel == Channel.ONLINE
            else self.cast.staff(dossier.receiving_unit, Role.COUNTER_OFFICER)
        )
        if not self.act(submitter, dossier, SubmitSupplement(), at):
            return None
        at = self.later(at, 0.5, 4)
        return at if self.act(officer, dossier, AcceptSupplement(), at) else None

    def _count_open(self) -> None:
        self.outcome.open += 1
