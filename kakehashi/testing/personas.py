"""Named people for tests, one per role in shared/DOMAIN.md §2 (the Nagaoka–Kyrgyzstan
scenario). Tests read like stories: "hana (care home clerk) completes the COE step".

  hana    clerk at Shinano Care Home (receiving organization in Nagaoka)
  vic     viewer at Shinano Care Home
  ito     clerk at Echigo Soft (receiving organization in Nagaoka)
  oscar   clerk at Osaka Metal (receiving organization in no hub city)
  mayu    clerk at Nagaoka City (municipality hub)
  isao    officer at the ISA Residence Management Division (JP contact point)
  aida    officer at the Center for Employment of Citizens Abroad (KG contact point)
  bakyt   staff of Ala-Too Bridge (certified sending agency)
  rustam  staff of Fast Visa KG (uncertified sending agency)
  sato    staff of Niigata Support (registered support organization)
  erlan   consular officer at the Kyrgyz Embassy in Japan
  nobody  a user with no organization
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, cast

from kakehashi.accounts.models import MemberRole, Organization, OrganizationKind, User

from .factories import MembershipFactory, OrganizationFactory, UserFactory, certify


@dataclass
class World:
    city: Organization
    care_home: Organization
    it_firm: Organization
    osaka_metal: Organization
    isa: Organization
    center: Organization
    agency: Organization
    rogue_agency: Organization
    support: Organization
    embassy: Organization
    hana: User
    vic: User
    ito: User
    oscar: User
    mayu: User
    isao: User
    aida: User
    bakyt: User
    rustam: User
    sato: User
    erlan: User
    nobody: User

    def user(self, name: str) -> User:
        value = getattr(self, name)
        assert isinstance(value, User)
        return value


def _org(**fields: Any) -> Organization:
    return cast(Organization, OrganizationFactory(**fields))


def _member(username: str, org: Organization, role: str = MemberRole.CLERK) -> User:
    user = cast(User, UserFactory(username=username))
    MembershipFactory(user=user, organization=org, role=role)
    return user


def build_world() -> World:
    K = OrganizationKind
    city = _org(kind=K.MUNICIPALITY, name_en="Nagaoka City", name_ja="長岡市")
    care_home = _org(name_en="Shinano Care Home", name_ja="信濃ケアホーム", municipality=city)
    it_firm = _org(name_en="Echigo Soft", name_ja="越後ソフト", municipality=city)
    osaka_metal = _org(name_en="Osaka Metal", name_ja="大阪金属")
    isa = _org(
        kind=K.JP_CONTACT_POINT,
        name_en="ISA Residence Management Division",
        name_ja="出入国在留管理庁 在留管理課",
    )
    center = _org(
        kind=K.SENDING_CONTACT_POINT,
        country="KG",
        name_ja="",
        name_en="Center for Employment of Citizens Abroad",
    )
    agency = _org(kind=K.SENDING_AGENCY, country="KG", name_ja="", name_en="Ala-Too Bridge")
    rogue = _org(kind=K.SENDING_AGENCY, country="KG", name_ja="", name_en="Fast Visa KG")
    support = _org(kind=K.SUPPORT_ORGANIZATION, name_en="Niigata Support", name_ja="新潟サポート")
    embassy = _org(
        kind=K.EMBASSY, country="KG", name_ja="", name_en="Embassy of the Kyrgyz Republic"
    )
    certify(agency, datetime.date(2024, 1, 1), datetime.date(2099, 12, 31))
    return World(
        city=city,
        care_home=care_home,
        it_firm=it_firm,
        osaka_metal=osaka_metal,
        isa=isa,
        center=center,
        agency=agency,
        rogue_agency=rogue,
        support=support,
        embassy=embassy,
        hana=_member("hana", care_home),
        vic=_member("vic", care_home, MemberRole.VIEWER),
        ito=_member("ito", it_firm),
        oscar=_member("oscar", osaka_metal),
        mayu=_member("mayu", city),
        isao=_member("isao", isa),
        aida=_member("aida", center),
        bakyt=_member("bakyt", agency),
        rustam=_member("rustam", rogue),
        sato=_member("sato", support),
        erlan=_member("erlan", embassy),
        nobody=cast(User, UserFactory(username="nobody")),
    )
