"""The protective core where other pages meet it: confirming a test result on the person
page, asking for return support on the case page, a corrective measure on a report, closing
an improvement order, fees on a job offer, an agency's fee policy, the home page's counts."""

from __future__ import annotations

import pytest
from django.utils import timezone

from kakehashi.access import Actor
from kakehashi.people.models import TestKind, TestResult, Verification
from kakehashi.protection.models import CorrectiveMeasure, FeePolicy, ReturnCase
from kakehashi.protection.services import reports
from kakehashi.registries import services as registry_services
from kakehashi.testing.clients import client_for

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate().isoformat()


def test_the_center_confirms_an_agency_entered_result_on_the_person_page(world, agency_case):
    result = agency_case.person.test_results.get(kind=TestKind.SKILL)
    TestResult.objects.filter(pk=result.pk).update(
        verification=Verification.PENDING, entered_by_organization=world.agency
    )
    url = f"/persons/{agency_case.person_id}/"
    hana_page = client_for(world.hana).get(url).content.decode()
    assert f"/tests/{result.pk}/confirm/" not in hana_page  # an employer cannot confirm
    refused = client_for(world.hana).post(f"{url}tests/{result.pk}/confirm/", {"basis": "x"})
    assert refused.status_code == 403
    center = client_for(world.aida)
    assert f"/tests/{result.pk}/confirm/" in center.get(url).content.decode()
    empty = center.post(f"{url}tests/{result.pk}/confirm/", {"basis": ""})
    assert empty.status_code == 422
    result.refresh_from_db()
    assert result.verification == Verification.PENDING
    done = center.post(f"{url}tests/{result.pk}/confirm/", {"basis": "Test body letter 7"})
    assert done.status_code == 302
    result.refresh_from_db()
    assert result.verification == Verification.CONFIRMED
    assert result.verified_by_organization == world.center


def test_japan_asks_for_return_support_on_the_case_page(world, agency_case):
    url = f"/cases/{agency_case.pk}/"
    assert "/return/" not in client_for(world.hana).get(url).content.decode()
    assert (
        client_for(world.hana).post(f"{url}return/", {"return-reason": "suspension"}).status_code
        == 403
    )
    assert not ReturnCase.objects.exists()
    isao = client_for(world.isao)
    assert f"{url}return/" in isao.get(url).content.decode()
    done = isao.post(f"{url}return/", {"return-reason": "suspension"})
    assert done.status_code == 302
    returning = ReturnCase.objects.get()
    assert returning.reason == "suspension"
    assert returning.embassy == world.embassy
    # A second one while the first is open: refused, nothing more.
    again = isao.post(f"{url}return/", {"return-reason": "suspension"})
    assert again.status_code == 409
    assert ReturnCase.objects.count() == 1


def test_japan_records_a_corrective_measure_behind_a_report_and_closes_the_order(world):
    report = reports.misconduct_report_file(
        actor=Actor.of(world.isao),
        data={
            "country": "KG",
            "categories": ["b"],
            "subject_name": "Shinano Care Home",
            "subject_kind": "legal_entity",
            "subject_country": "JP",
            "facts": "Penalty clause.",
        },
    )
    order = registry_services.improvement_order_record(
        actor=Actor.of(world.isao),
        receiving_organization_id=world.care_home.pk,
        issued_on=timezone.localdate(),
        summary="Remove the penalty clause.",
    )
    isao = client_for(world.isao)
    done = isao.post(
        f"/protection/items/{report.pk}/measure/",
        {
            "measure-organization_id": world.care_home.pk,
            "measure-kind": "improvement_order",
            "measure-improvement_order_id": order.pk,
            "measure-description": "Improvement order issued.",
            "measure-taken_on": TODAY,
        },
    )
    assert done.status_code == 302, done.content.decode()[:2000]
    measure = CorrectiveMeasure.objects.get()
    assert [r.pk for r in measure.reports.all()] == [report.pk]
    assert measure.improvement_order == order
    page = isao.get(f"/protection/items/{report.pk}/").content.decode()
    assert "Improvement order issued." in page
    # The Center cannot record Japan's measures.
    refused = client_for(world.aida).post(
        f"/protection/items/{report.pk}/measure/",
        {
            "measure-organization_id": world.care_home.pk,
            "measure-kind": "guidance",
            "measure-description": "x",
            "measure-taken_on": TODAY,
        },
    )
    assert refused.status_code in (403, 422)
    assert CorrectiveMeasure.objects.count() == 1

    closed = isao.post(
        "/registries/japan/",
        {
            "form": "close",
            "close-order_id": order.pk,
            "close-closed_on": TODAY,
            "close-note": "Clause removed.",
        },
    )
    assert closed.status_code == 302
    order.refresh_from_db()
    assert order.closed_on == timezone.localdate()
    again = isao.post(
        "/registries/japan/",
        {"form": "close", "close-order_id": order.pk, "close-closed_on": TODAY, "close-note": "x"},
    )
    assert again.status_code == 409


def test_fees_on_a_job_offer_and_the_employer_pays_mark(world):
    from kakehashi.joboffers.models import JobOffer

    offer = JobOffer.objects.create(
        receiving_organization=world.care_home,
        country="KG",
        field_id=_field("care"),
        business_category_id=_category("care"),
        title="Care worker",
        description="Care",
        positions=1,
        work_location="Nagaoka",
        monthly_wage_jpy=230000,
        japanese_level_required="N4",
        organization_info="A care home",
        how_to_apply="Write",
        created_by=world.hana,
    )
    hana = client_for(world.hana)
    fee = {
        "fee-purpose": "documents",
        "fee-basis": "Health certificate",
        "fee-amount": "3000",
        "fee-currency": "JPY",
        "fee-breakdown": "Certificate | 3000",
    }
    done = hana.post(f"/job-offers/{offer.pk}/fees/", fee)
    assert done.status_code == 302, done.content.decode()[:2000]
    assert offer.fees.count() == 1
    assert client_for(world.ito).post(f"/job-offers/{offer.pk}/fees/", fee).status_code == 404
    JobOffer.objects.filter(pk=offer.pk).update(worker_pays_nothing=True)
    refused = hana.post(f"/job-offers/{offer.pk}/fees/", fee)
    assert refused.status_code == 409
    assert offer.fees.count() == 1


def _field(code: str) -> int:
    from kakehashi.reference.models import Field

    return Field.objects.get(code=code).pk


def _category(code: str) -> int:
    from kakehashi.reference.models import BusinessCategory

    return BusinessCategory.objects.get(code=code).pk


def test_an_agency_declares_employer_pays_and_its_public_page_shows_the_mark(world, client):
    public = client.get(f"/public/agencies/{world.agency.pk}/").content.decode()
    assert "雇用主負担" not in public
    assert (
        client_for(world.rustam).get(f"/protection/fee-policy/{world.agency.pk}/").status_code
        == 404
    )
    bakyt = client_for(world.bakyt)
    assert bakyt.get(f"/protection/fee-policy/{world.agency.pk}/").status_code == 200
    assert (
        bakyt.post(
            f"/protection/fee-policy/{world.agency.pk}/", {"employer_pays": "yes"}
        ).status_code
        == 302
    )
    assert FeePolicy.objects.get().employer_pays
    public = client.get(f"/public/agencies/{world.agency.pk}/").content.decode()
    assert "雇用主負担" in public


def test_the_home_page_counts_the_exchange_for_the_contact_points_only(world):
    reports.misconduct_report_file(
        actor=Actor.of(world.isao),
        data={
            "country": "KG",
            "categories": ["c"],
            "subject_name": "X",
            "subject_kind": "individual",
            "subject_country": "KG",
            "facts": "x",
        },
    )
    assert "/protection/" in client_for(world.aida).get("/").content.decode()
    assert "/protection/" not in client_for(world.hana).get("/").content.decode()
