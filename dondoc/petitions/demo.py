"""Demo petitions of 2020 (deterministic, idempotent): about 60, received from January to early October
across the seven categories and the agencies that answer them, as they might stand on 05/10/2020.

Each petition KN-2020-NNN is routed one to three working days after it arrives; a stable roll per number
decides its fate: most are answered on time and published (some closed), some answered late, some still
overdue, a few escalated to the PPC. Site-clearance petitions name the project they block and link to task
2.1.d (site clearance holding up disbursement); tax, credit and border-trade ones link to their tasks. Two
petitions are duplicates merged into earlier ones, and three (KN-2020-101…103) come from agencies' monthly
reports. Events after
``as_of`` are left out. Numbers already present are skipped, so a second run changes nothing. Tracking codes
are random by design (unguessable), the only part that differs between machines.
"""

from __future__ import annotations

import datetime as dt
import zlib

from django.contrib.auth import get_user_model
from django.db import transaction

from dondoc.accounts.models import Agency, Role
from dondoc.core import clock

from . import actions, queries
from .models import Channel, Petition, PetitionCategory

D = dt.date
# category -> (lead agencies cycled, coordinating agencies, task (section, item) or None)
DESKS = {
    "land": (["TPLC", "BT", "BX", "VB", "TXSP", "STNMT"], ["STNMT", "STC"], ("2.1", "d")),
    "tax": (["CT"], ["STC"], ("1.2", "1")),
    "credit": (["NHNN"], [], ("1.4", "1")),
    "customs": (["BQLKKT", "SCT"], ["SNGV"], ("1.5", "6")),
    "procedures": (["SKHDT", "STP", "STNMT"], [], None),
    "planning": (["SGTVTXD", "SKHDT"], ["STNMT"], None),
    "other": (["SLDTBXH", "SYT", "SCT"], [], None),
}
ORDER = ["land", "tax", "credit", "land", "customs", "procedures", "planning", "other", "tax", "land"]
BUSINESSES = [
    "Công ty TNHH Xây dựng Hoàng Liên", "Công ty CP Thương mại Kim Thành", "Công ty TNHH MTV Nông sản Bát Xát",
    "Công ty CP Du lịch Sa Pa Xanh", "Hợp tác xã Chè Tả Phìn", "Công ty TNHH Vận tải Cốc Lếu",
    "Công ty CP Khoáng sản Tằng Loỏng", "Công ty TNHH Xuất nhập khẩu Hà Khẩu - Lào Cai",
    "Công ty CP Đầu tư Hạ tầng Bảo Thắng", "Doanh nghiệp tư nhân Minh Phát", "Công ty TNHH Chế biến gỗ Văn Bàn",
    "Công ty CP Dược liệu Bắc Hà",
]
PROJECTS = [
    "Đường nối Quốc lộ 4D - thị xã Sa Pa", "Kè bờ sông Hồng đoạn Cốc Lếu", "Hạ tầng khu công nghiệp Tằng Loỏng",
    "Đường Bảo Hà - Tân An", "Nâng cấp tỉnh lộ 151", "Khu tái định cư Xuân Giao",
]
TEXTS = {
    "land": [
        ("Vướng mắc giải phóng mặt bằng dự án {project}",
         "Doanh nghiệp là nhà thầu thi công dự án {project}. Còn {n} hộ dân chưa nhận tiền bồi thường, chưa bàn "
         "giao mặt bằng nên không thể thi công, khối lượng không nghiệm thu được và dự án không giải ngân được vốn "
         "theo kế hoạch. Đề nghị UBND huyện, thành phố đẩy nhanh công tác giải phóng mặt bằng."),
        ("Đề nghị hỗ trợ bàn giao mặt bằng thi công dự án {project}",
         "Công tác kiểm đếm, áp giá bồi thường tại dự án {project} kéo dài, {n} thửa đất chưa xác định được nguồn "
         "gốc. Doanh nghiệp kiến nghị cơ quan có thẩm quyền sớm xác định nguồn gốc đất và phê duyệt phương án bồi "
         "thường để bàn giao mặt bằng."),
    ],
    "tax": [
        ("Đề nghị gia hạn nộp thuế thu nhập doanh nghiệp do ảnh hưởng dịch Covid-19",
         "Doanh thu quý II/2020 giảm {n}% so với cùng kỳ do dịch Covid-19. Doanh nghiệp đề nghị được gia hạn thời "
         "hạn nộp thuế thu nhập doanh nghiệp và tiền thuê đất theo Nghị định 41/2020/NĐ-CP."),
        ("Vướng mắc hoàn thuế giá trị gia tăng hàng xuất khẩu",
         "Hồ sơ hoàn thuế giá trị gia tăng của doanh nghiệp nộp từ tháng trước nhưng chưa được giải quyết. Đề nghị "
         "cơ quan thuế xem xét, giải quyết hoàn thuế để doanh nghiệp có vốn duy trì sản xuất."),
    ],
    "credit": [
        ("Đề nghị cơ cấu lại thời hạn trả nợ khoản vay",
         "Doanh nghiệp bị ảnh hưởng bởi dịch Covid-19, doanh thu giảm {n}%. Đề nghị ngân hàng thương mại cơ cấu lại "
         "thời hạn trả nợ, miễn, giảm lãi vay theo Thông tư 01/2020/TT-NHNN."),
        ("Khó khăn tiếp cận vốn vay ưu đãi để trả lương người lao động",
         "Doanh nghiệp đề nghị được hướng dẫn thủ tục vay vốn ưu đãi của Ngân hàng Chính sách xã hội để trả lương "
         "ngừng việc cho {n} người lao động theo Nghị quyết 42/NQ-CP."),
    ],
    "customs": [
        ("Ùn tắc xe hàng nông sản tại cửa khẩu Kim Thành",
         "Xe chở nông sản của doanh nghiệp phải chờ thông quan {n} ngày tại cửa khẩu quốc tế đường bộ số II Kim "
         "Thành. Đề nghị các cơ quan phối hợp với phía Trung Quốc tăng thời gian thông quan."),
        ("Đề nghị hướng dẫn thủ tục xuất khẩu chính ngạch nông sản",
         "Doanh nghiệp đề nghị được hướng dẫn thủ tục cấp mã vùng trồng, truy xuất nguồn gốc để xuất khẩu chính "
         "ngạch chuối, dứa sang thị trường Trung Quốc."),
    ],
    "procedures": [
        ("Thời gian giải quyết thủ tục cấp phép kéo dài",
         "Hồ sơ đề nghị cấp phép của doanh nghiệp đã nộp tại Trung tâm Phục vụ hành chính công tỉnh nhưng quá hạn "
         "{n} ngày chưa có kết quả. Đề nghị cơ quan giải quyết thủ tục trả lời doanh nghiệp."),
        ("Đề nghị hướng dẫn thủ tục điều chỉnh chủ trương đầu tư",
         "Doanh nghiệp đề nghị được hướng dẫn hồ sơ, trình tự điều chỉnh tiến độ thực hiện dự án trong chủ trương "
         "đầu tư do ảnh hưởng của dịch Covid-19."),
    ],
    "planning": [
        ("Đề nghị điều chỉnh quy hoạch chi tiết khu đất thực hiện dự án",
         "Khu đất doanh nghiệp được giao thực hiện dự án chồng lấn {n} m² với quy hoạch đường giao thông. Đề nghị "
         "cơ quan quản lý quy hoạch xem xét điều chỉnh cục bộ quy hoạch chi tiết."),
    ],
    "other": [
        ("Đề nghị hỗ trợ tuyển dụng lao động sau dịch Covid-19",
         "Doanh nghiệp cần tuyển {n} lao động phổ thông; đề nghị Trung tâm Dịch vụ việc làm hỗ trợ kết nối, tổ chức "
         "phiên giao dịch việc làm."),
        ("Đề nghị hướng dẫn phòng, chống dịch tại cơ sở sản xuất",
         "Doanh nghiệp đề nghị được hướng dẫn phương án phòng, chống dịch Covid-19 cho người lao động làm việc tại "
         "cơ sở sản xuất gần khu vực biên giới."),
    ],
}
COUNT = 57
DUPLICATES = {24: 22, 56: 53}  # number -> the earlier number it repeats (merged into it)
RECOMMENDATIONS = [  # (number after which it arrives, agency, recommendation, report)
    (15, "BX", "Đề nghị Sở Tài nguyên và Môi trường sớm thẩm định giá đất cụ thể để bồi thường giải phóng mặt bằng "
               "dự án Đường Bảo Hà - Tân An, hiện còn 12 hộ chưa nhận tiền nên chưa bàn giao mặt bằng.",
     "Báo cáo tháng 4/2020 của UBND huyện Bát Xát"),
    (38, "VB", "Đề nghị bố trí vốn cho công tác giải phóng mặt bằng khu tái định cư Xuân Giao để kịp giải ngân "
               "kế hoạch vốn năm 2020.", "Báo cáo tháng 7/2020 của UBND huyện Văn Bàn"),
    (52, "CT", "Đề nghị các sở, ngành phối hợp rà soát doanh nghiệp nợ tiền thuê đất để thực hiện gia hạn theo "
               "Nghị định 41/2020/NĐ-CP.", "Báo cáo tháng 9/2020 của Cục Thuế tỉnh"),
]


def _roll(key: str, salt: str = "") -> int:
    return zlib.crc32(f"{key}:{salt}".encode()) % 100


def _user(username: str):
    return get_user_model().objects.filter(username=username, is_active=True).first()


def _officer(agency: Agency):
    return (get_user_model().objects.filter(memberships__agency=agency, memberships__role=Role.AGENCY_OFFICER)
            .order_by("username").first())


def _task(section_item):
    if section_item is None:
        return None
    from dondoc.programs.models import Task
    from dondoc.programs.queries import current_versions

    section, item = section_item
    return Task.objects.filter(version__in=current_versions(), section=section, item=item).first()


def _received(n: int, cal) -> dt.date:
    return cal.next_working_day(D(2020, 1, 6) + dt.timedelta(days=(n - 1) * 270 // (COUNT - 1)))


def _life(petition: Petition, n: int, *, as_of: dt.date, at: dt.datetime, cal, admin, leader) -> None:
    """Route, progress, answer, publish, close — as far as ``as_of`` allows (recorded at business time ``at``)."""
    key = petition.reference
    roll = _roll(key)
    category = petition.category.code
    leads, coordinators, _t = DESKS[category]
    lead = Agency.objects.get(code=leads[n % len(leads)])
    if petition.petitioner_agency_id and lead.pk == petition.petitioner_agency_id:
        lead = Agency.objects.get(code="STNMT" if lead.code != "STNMT" else "STC")
    routed = cal.add_days(petition.received_on, 1 + (roll % 3 if n < COUNT - 3 else 0), working=True)
    if routed > as_of:
        return
    partners = list(Agency.objects.filter(code__in=coordinators).exclude(pk=lead.pk).order_by("code"))
    actions.route(actor=admin, petition=petition, lead=lead, coordinators=partners[: 1 + roll % 2], on=routed, at=at)
    petition.refresh_from_db()
    officer = _officer(lead)
    progress_on = cal.add_days(routed, 2, working=True)
    if progress_on <= as_of and roll % 3 != 1:
        actions.post_update(actor=officer, petition=petition, kind="progress", on=progress_on,
                            text="Đã làm việc với doanh nghiệp và các cơ quan liên quan, đang hoàn thiện văn bản trả lời.", at=at)
    coordinator = petition.coordinators.order_by("code").first()
    contribution_on = cal.add_days(routed, 3, working=True)
    if coordinator and contribution_on <= as_of and roll % 4 == 0:
        actions.post_update(actor=_officer(coordinator), petition=petition, kind="contribution", on=contribution_on,
                            text="Đã gửi ý kiến tham gia về nội dung thuộc chức năng của cơ quan.", at=at)
    if roll >= 95 and admin is not None:  # beyond the agencies: the DPI proposes, a leader decides
        proposed = cal.add_days(routed, 4, working=True)
        if proposed <= as_of:
            actions.propose_escalation(actor=admin, petition=petition, on=proposed,
                                       reason="Vượt thẩm quyền của cơ quan chủ trì; cần UBND tỉnh quyết định.", at=at)
            decided = cal.add_days(proposed, 2, working=True)
            if leader is not None and decided <= as_of:
                actions.decide_escalation(actor=leader, petition=petition, approve=True, on=decided,
                                          note="Giao Văn phòng UBND tỉnh tham mưu.", at=at)
        return
    if petition.due_on >= as_of - dt.timedelta(days=5):
        return  # due around as_of: still being handled (some due soon, some just overdue)
    if roll < 55:
        answered = cal.add_days(routed, max(1, petition.answer_days - 1 - roll % 4), working=True)
    elif roll < 75 or petition.due_on < as_of - dt.timedelta(days=75):
        answered = cal.add_days(petition.due_on, 2 + roll % 20, working=True)  # late
    else:
        return  # still waiting: overdue once its due date has passed
    if answered > as_of:
        return
    actions.answer(actor=officer, petition=petition, on=answered,
                   text=f"{lead.name} trả lời: đã xem xét kiến nghị; nội dung thuộc thẩm quyền đã được giải quyết, "
                        "cơ quan đã có văn bản hướng dẫn doanh nghiệp thực hiện theo quy định.", at=at)
    published = cal.add_days(answered, 1, working=True)
    if published <= as_of and roll % 5 != 4:
        actions.publish(actor=officer, petition=petition, on=published, at=at)
        closed = cal.add_days(published, 5, working=True)
        if closed <= as_of and roll < 40:
            actions.close(actor=admin, petition=petition, on=closed, at=at)


@transaction.atomic
def load(*, actor=None, as_of: dt.date, **_) -> list[str]:
    categories = {c.code: c for c in PetitionCategory.objects.all()}
    if not categories:
        return ["demo petitions: skipped (categories not loaded)"]
    cal = queries.work_calendar()
    admin, leader = _user("admin"), _user("lanhdao")
    created, at = 0, clock.moment(as_of)
    for n in range(1, COUNT + 1):
        reference = f"KN-2020-{n:03d}"
        received = _received(n, cal)
        if received > as_of or Petition.objects.filter(reference=reference).exists():
            continue
        base = DUPLICATES.get(n, n)
        category = categories[ORDER[(base - 1) % len(ORDER)]]
        templates = TEXTS[category.code]
        subject, text = templates[(base // len(ORDER)) % len(templates)]
        project = PROJECTS[base % len(PROJECTS)]
        values = {"project": project, "n": 5 + _roll(f"KN-2020-{base:03d}", "n") % 40}
        subject, text = subject.format(**values), text.format(**values)
        if n in DUPLICATES:
            text = f"Nhắc lại kiến nghị đã gửi: {text}"
        business = BUSINESSES[(n * 5) % len(BUSINESSES)]
        petition = actions.intake(
            actor=admin, reference=reference, received_on=received, category=category,
            channel=[Channel.MEETING, Channel.LETTER, Channel.HOTLINE, Channel.EMAIL, Channel.LETTER][n % 5],
            source_label="Hội nghị đối thoại doanh nghiệp" if n % 5 == 0 else f"Văn bản số {n:02d}/2020",
            business_name=business, tax_code=f"530{zlib.crc32(business.encode()) % 10**7:07d}",
            contact_name=["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"][n % 4],
            contact_phone=f"0912 000 {n:03d}", contact_email=f"lienhe{n:02d}@doanhnghiep.example.invalid",
            subject=subject, text=text, task=_task(DESKS[category.code][2]),
            project_code=project if category.code == "land" else "", at=at,
        )
        created += 1
        if n in DUPLICATES:
            main = Petition.objects.filter(reference=f"KN-2020-{DUPLICATES[n]:03d}").first()
            if main is not None and main.state not in ("closed", "merged"):
                actions.merge(actor=admin, duplicate=petition, into=main, on=received,
                              reason="Cùng nội dung, cùng dự án.", at=at)
                continue
        _life(petition, n, as_of=as_of, cal=cal, admin=admin, leader=leader, at=at)
    for i, (after, code, recommendation, report) in enumerate(RECOMMENDATIONS, start=1):
        agency, reference = Agency.objects.filter(code=code).first(), f"KN-2020-{100 + i}"
        on = cal.add_days(_received(after, cal), 1, working=True)
        if agency is None or on > as_of or Petition.objects.filter(reference=reference).exists():
            continue
        petition = actions.create_from_recommendation(actor=admin, agency=agency, text=recommendation,
                                                      source_label=report, received_on=on, reference=reference, at=at)
        _life(petition, after, as_of=as_of, cal=cal, admin=admin, leader=leader, at=at)
        created += 1
    return [f"demo petitions: {created} created, {Petition.objects.count()} in all"]
