"""The generated documents open as PDF and show Japanese and Cyrillic text as drawn on the
page (rendered to PNG, test-output/pdf/): the support plan, the notification drafts (ad hoc
and periodic) and a case's checklist for its next step; only to those who see them."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kakehashi.access import Actor
from kakehashi.cases import services as case_services
from kakehashi.cases.tests.helpers import landed_case
from kakehashi.support import notifications
from kakehashi.support.models import SupportPlan
from kakehashi.testing.clients import client_for
from kakehashi.testing.factories import PersonFactory, make_eligible
from kakehashi.testing.pdf import assert_drawn, render

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def download(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    return response.content


@pytest.fixture
def plan(world: Any) -> SupportPlan:
    case = landed_case(world, family_name="TOKTOGULOV", native_name="Токтогулов Айбек")
    return SupportPlan.objects.get(case=case)


def test_the_support_plan_in_japanese_and_kyrgyz(world, plan):
    data = download(client_for(world.sato), f"/support/plans/{plan.pk}/plan.pdf?lang=ky")
    pdf = render(data, "support-plan-ky")
    assert_drawn(pdf, "一号特定技能外国人支援計画")
    assert_drawn(pdf, "日本語学習の機会の提供")
    assert_drawn(pdf, "Жапон тилин үйрөнүү мүмкүнчүлүктөрү")  # Kyrgyz letters ү, ө
    assert_drawn(pdf, "Токтогулов Айбек")
    assert_drawn(pdf, "TOKTOGULOV")
    # In Russian for a worker who reads Russian.
    russian = render(
        download(client_for(world.hana), f"/support/plans/{plan.pk}/plan.pdf?lang=ru"),
        "support-plan-ru",
    )
    assert_drawn(russian, "Возможности изучать японский язык")


def test_the_notification_drafts_ad_hoc_and_periodic(world, plan):
    notification = notifications.event_record(
        actor=Actor.of(world.hana),
        plan_id=plan.pk,
        kind="contract_changed",
        event_on=TODAY,
        details="月給を230,000円から245,000円に変更",
    )
    hana = client_for(world.hana)
    pdf = render(
        download(hana, f"/support/notifications/{notification.pk}/draft.pdf?lang=ru"),
        "notification-ad-hoc",
    )
    assert_drawn(pdf, "特定技能所属機関による随時届出")
    assert_drawn(pdf, "月給を230,000円から245,000円に変更")
    assert_drawn(pdf, "Токтогулов Айбек")
    periodic = notifications.periodic_notifications_open(datetime.date(TODAY.year + 1, 4, 1))[0]
    pdf = render(
        download(hana, f"/support/notifications/{periodic.pk}/draft.pdf?lang=ky"),
        "notification-periodic",
    )
    assert_drawn(pdf, "特定技能所属機関による定期届出")
    assert_drawn(pdf, "TOKTOGULOV")
    # Outsiders get 404, as for the page.
    for outsider in (world.ito, world.bakyt):
        url = f"/support/notifications/{notification.pk}/draft.pdf"
        assert client_for(outsider).get(url).status_code == 404


def test_the_checklist_of_the_next_step(world):
    worker = PersonFactory(
        created_by_organization=world.care_home,
        family_name="ABDYKADYROV",
        native_name="Абдыкадыров",
    )
    make_eligible(worker, "care")
    case = case_services.case_create(
        actor=Actor.of(world.hana),
        person_id=worker.pk,
        field_code="care",
        category_code="care",
        pattern="direct",
    ).case
    hana = client_for(world.hana)
    page = hana.get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Documents for the next step" in page
    assert "SSW employment contract" in page
    pdf = render(download(hana, f"/cases/{case.pk}/checklist.pdf?lang=ky"), "checklist-ky")
    assert_drawn(pdf, "次の手続の書類チェックリスト")
    assert_drawn(pdf, "特定技能雇用契約書")
    assert_drawn(pdf, "Атайын квалификациялуу жумушчунун эмгек келишими")
    assert_drawn(pdf, "Абдыкадыров")
    assert client_for(world.ito).get(f"/cases/{case.pk}/checklist.pdf").status_code == 404


def test_the_check_fails_for_text_not_drawn():
    """The check can fail: text in the PDF's text layer but drawn in white, and text that is
    not there at all."""
    from weasyprint import HTML

    data = HTML(string='<p style="color:white">Кыргызча 日本語</p><p>Visible</p>').write_pdf()
    pdf = render(data, "check-fails")
    assert_drawn(pdf, "Visible")
    with pytest.raises(AssertionError, match="not drawn"):
        assert_drawn(pdf, "Кыргызча")
    with pytest.raises(AssertionError, match="not in the PDF"):
        assert_drawn(pdf, "支援計画")
