"""Sub-commands of `dondoc investment`. Each is a pair ``add_<name>_arguments(parser)`` and
``handle_<name>(options, stdout, stderr) -> exit status``; the command lists them in SUBCOMMANDS."""

from __future__ import annotations

import json

from dondoc.core import clock
from dondoc.domain import disbursement as rules_mod
from dondoc.domain.formats import format_date, format_money

from . import queries


def _write(stream, text: str) -> None:
    stream.write(text if text.endswith("\n") else text + "\n")


def add_evaluate_arguments(parser) -> None:
    parser.add_argument("--as-of", dest="as_of", help="the date to evaluate as of (YYYY-MM-DD; default: today)")
    parser.add_argument("--year", type=int, help="plan year (default: the year of --as-of)")
    parser.add_argument("--denominator", choices=[rules_mod.TINH, rules_mod.TTG],
                        help="plan the rates are computed on (default: the rule set's, province-assigned)")
    parser.add_argument("--json", action="store_true", help="print the evaluation as JSON")


def _as_of(options: dict, stderr):
    """--as-of, or the product's today; None (after saying why) when it is not a date."""
    try:
        return clock.parse_date(options["as_of"]) if options.get("as_of") else clock.today()
    except ValueError as exc:
        _write(stderr, f"--as-of: {exc}")
        return None


def handle_evaluate(options: dict, stdout, stderr) -> int:
    as_of = _as_of(options, stderr)
    if as_of is None:
        return 2
    result = queries.evaluate(year=options.get("year") or as_of.year, as_of=as_of,
                              denominator=options.get("denominator"), everything=True)
    if options.get("json"):
        _write(stdout, json.dumps(result.as_dict(), ensure_ascii=False))
        return 0
    pct = rules_mod.pct_vi
    _write(stdout, f"Giải ngân đến ngày {format_date(as_of)} (mẫu số: kế hoạch "
                   f"{'TTg giao' if result.denominator == rules_mod.TTG else 'HĐND/UBND tỉnh giao'})")
    _write(stdout, f"  kế hoạch năm {result.year}: {format_money(result.province.disbursed)}/"
                   f"{format_money(result.province.plan)} triệu đồng = {pct(result.province.rate)}")
    _write(stdout, f"  vốn kéo dài: {format_money(result.extended.disbursed)}/{format_money(result.extended.plan)} "
                   f"triệu đồng = {pct(result.extended.rate)}")
    for f in result.findings:
        _write(stdout, f"- [{f.rule}] {f.explanation}")
    return 0


def add_reallocate_arguments(parser) -> None:
    parser.add_argument("--as-of", dest="as_of", help="forecast as of this date (YYYY-MM-DD; default: today)")
    parser.add_argument("--year", type=int, help="plan year (default: the year of --as-of)")
    parser.add_argument("--json", action="store_true", help="print the proposal as JSON")
    parser.add_argument("--out", help="write the draft Tờ trình (.docx) or its annex table (.xlsx)")
    parser.add_argument("--save", action="store_true", help="store the proposal for review on the screen")


def handle_reallocate(options: dict, stdout, stderr) -> int:
    from . import actions, documents

    as_of = _as_of(options, stderr)
    if as_of is None:
        return 2
    out = options.get("out")
    if out and not out.lower().endswith((".docx", ".xlsx")):
        _write(stderr, "--out: the file name must end in .docx or .xlsx")
        return 2
    analysis = queries.analyse_reallocation(as_of=as_of, year=options.get("year"))
    if options.get("save"):
        proposal = actions.create_proposal(actor=None, as_of=as_of, year=options.get("year"))
        _write(stderr, f"proposal #{proposal.pk} saved")
    if out:
        data = (documents.to_trinh_docx(analysis) if out.lower().endswith(".docx")
                else documents.annex_xlsx(analysis))
        with open(out, "wb") as f:
            f.write(data)
    if options.get("json"):
        _write(stdout, json.dumps(analysis.as_dict(), ensure_ascii=False))
        return 0
    transfers = analysis.result.transfers
    _write(stdout, f"Đề xuất điều chuyển vốn đến ngày {format_date(as_of)}: {len(transfers)} khoản, "
                   f"{format_money(sum(t.amount for t in transfers))} triệu đồng; "
                   f"dự kiến giải ngân đến 31/12: {format_money(analysis.objective)} triệu đồng; "
                   f"không bố trí được: {format_money(analysis.result.unplaced)} triệu đồng")
    for t in transfers:
        _write(stdout, f"- {t.source_code} → {t.target_code} {analysis.label(t.source)}/"
                       f"{t.budget_level}/{t.year}: "
                       f"{format_money(t.amount)} triệu đồng")
    return 0


def add_emulation_arguments(parser) -> None:
    parser.add_argument("--as-of", dest="as_of", help="the date (YYYY-MM-DD; default: today)")
    parser.add_argument("--year", type=int, help="plan year (default: the year of --as-of)")
    parser.add_argument("--json", action="store_true", help="print the lists as JSON")
    parser.add_argument("--out", help="write both lists to an .xlsx file")


def handle_emulation(options: dict, stdout, stderr) -> int:
    from . import documents

    as_of = _as_of(options, stderr)
    if as_of is None:
        return 2
    out = options.get("out")
    if out and not out.lower().endswith(".xlsx"):
        _write(stderr, "--out: the file name must end in .xlsx")
        return 2
    lists = queries.emulation_lists(as_of=as_of, year=options.get("year"), everything=True)
    if out:
        with open(out, "wb") as f:
            f.write(documents.emulation_xlsx(lists))
    if options.get("json"):
        _write(stdout, json.dumps(lists.as_dict(), ensure_ascii=False))
        return 0
    _write(stdout, f"Đến ngày {format_date(as_of)}: {len(lists.not_eligible)} không đủ điều kiện "
                   f"“hoàn thành tốt nhiệm vụ”, {len(lists.criticism)} bị phê bình")
    for e in lists.not_eligible:
        _write(stdout, f"- {e.name} ({e.agency or '—'}): {rules_mod.pct_vi(e.rate)}")
    return 0


def add_rebuild_summaries_arguments(parser) -> None:
    parser.add_argument("--check", action="store_true",
                        help="only compare the monthly sums with the payments; exit 1 when they differ")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def handle_rebuild_summaries(options: dict, stdout, stderr) -> int:
    """Recompute the monthly disbursement sums from the payments, or (--check) compare them: exit 1 on a
    difference, each listed."""
    from . import actions, summary

    if options.get("check"):
        diff = summary.differences()
        if options.get("json"):
            _write(stdout, json.dumps({"differences": [
                {"project": k[0], "year": k[1], "extended": k[2], "source": k[3], "month": k[4].isoformat(),
                 "stored": list(have) if have else None, "computed": list(want) if want else None}
                for k, have, want in diff]}, ensure_ascii=False))
        else:
            for (pid, year, ext, source, month), have, want in diff:
                _write(stdout, f"project {pid} plan {year} {'extended' if ext else 'current'} {source or '-'} "
                               f"{month:%m/%Y}: stored {have[0] if have else 0}, payments {want[0] if want else 0}")
            _write(stdout, f"{len(diff)} difference(s)")
        return 1 if diff else 0
    stored, drift = actions.rebuild_summaries(actor=None, at=clock.now())
    if options.get("json"):
        _write(stdout, json.dumps({"sums": stored, "differed": drift}))
    else:
        _write(stdout, f"{stored} monthly sums rebuilt ({drift} differed)")
    return 0
