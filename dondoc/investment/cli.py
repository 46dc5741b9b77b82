"""Sub-commands of `dondoc investment`. Each is a pair ``add_<name>_arguments(parser)`` and
``handle_<name>(options, stdout, stderr) -> exit status``; the command lists them in SUBCOMMANDS."""

from __future__ import annotations

import json

from dondoc.core import clock
from dondoc.domain import disbursement as rules_mod
from dondoc.domain.vn_numbers import format_money

from . import queries


def _write(stream, text: str) -> None:
    stream.write(text if text.endswith("\n") else text + "\n")


def add_evaluate_arguments(parser) -> None:
    parser.add_argument("--as-of", dest="as_of", help="the date to evaluate as of (YYYY-MM-DD; default: today)")
    parser.add_argument("--year", type=int, help="plan year (default: the year of --as-of)")
    parser.add_argument("--denominator", choices=[rules_mod.TINH, rules_mod.TTG],
                        help="plan the rates are computed on (default: the rule set's, province-assigned)")
    parser.add_argument("--json", action="store_true", help="print the evaluation as JSON")


def handle_evaluate(options: dict, stdout, stderr) -> int:
    try:
        as_of = clock.parse_date(options["as_of"]) if options.get("as_of") else clock.today()
    except ValueError as exc:
        _write(stderr, f"--as-of: {exc}")
        return 2
    result = queries.evaluate(year=options.get("year") or as_of.year, as_of=as_of,
                              denominator=options.get("denominator"))
    if options.get("json"):
        _write(stdout, json.dumps(result.as_dict(), ensure_ascii=False))
        return 0
    pct = rules_mod.pct_vi
    _write(stdout, f"Giải ngân đến ngày {as_of:%d/%m/%Y} (mẫu số: kế hoạch "
                   f"{'TTg giao' if result.denominator == rules_mod.TTG else 'HĐND/UBND tỉnh giao'})")
    _write(stdout, f"  kế hoạch năm {result.year}: {format_money(result.province.disbursed)}/"
                   f"{format_money(result.province.plan)} triệu đồng = {pct(result.province.rate)}")
    _write(stdout, f"  vốn kéo dài: {format_money(result.extended.disbursed)}/{format_money(result.extended.plan)} "
                   f"triệu đồng = {pct(result.extended.rate)}")
    for f in result.findings:
        _write(stdout, f"- [{f.rule}] {f.explanation}")
    return 0
