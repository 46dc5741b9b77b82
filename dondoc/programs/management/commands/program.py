"""`dondoc program parse FILE [--json]` and `dondoc program load FILE`."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dondoc.core import clock
from dondoc.programs import actions
from dondoc.programs.services import ParseError, parse_path, require_tasks


class Command(BaseCommand):
    help = "Read a program document (parse) or load it as a new program version (load)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True, parser_class=type(parser))
        p = sub.add_parser("parse", help="print the extracted document header, reporting rule and tasks")
        p.add_argument("file")
        p.add_argument("--json", action="store_true", help="print the JSON contract")
        p = sub.add_parser("load", help="load the document (idempotent: the same content changes nothing)")
        p.add_argument("file")
        p.add_argument("--note", default="", help="why this version (e.g. the amending decision)")
        p.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        try:
            parsed = require_tasks(parse_path(options["file"]))
        except (ParseError, OSError) as exc:
            if getattr(exc, "code", "") == "no_tasks":
                raise CommandError(f"{options['file']}: {exc}", returncode=1) from exc
            raise CommandError(_("%(file)s: the file cannot be read: %(reason)s") % {
                "file": options["file"], "reason": exc}, returncode=1) from exc
        if options["sub"] == "parse":
            if options["json"]:
                self.stdout.write(json.dumps(parsed, ensure_ascii=False, indent=1))
            else:
                self._summary(parsed)
            return
        try:
            result = actions.load_program(actor=None, parsed=parsed, source_name=options["file"],
                                          note=options["note"], at=clock.now())
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages), returncode=1) from exc
        if options["json"]:
            self.stdout.write(json.dumps({
                "program": result.program.number, "version": result.version.number, "created": result.created,
                "tasks": result.tasks, "assignments": result.assignments, "unresolved": sorted(set(result.unresolved)),
            }, ensure_ascii=False))
        else:
            for line in result.lines():
                self.stdout.write(line)

    def _summary(self, parsed):
        doc = parsed["document"]
        self.stdout.write(f"{doc.get('number')} — {doc.get('place')}, {doc.get('date')} — {doc.get('title')}")
        for rule in parsed.get("reporting", []):
            self.stdout.write(f"reporting: every {rule['every']} before day {rule.get('before_day')} to "
                              f"{', '.join(rule.get('to', []))}")
        for t in parsed["tasks"]:
            due = "; ".join(d["literal"] for d in t.get("due", [])) or "-"
            self.stdout.write(f"{t['section']}.{t['item']:<3} lead={','.join(t['lead']) or '-'} "
                              f"partners={','.join(t['partners']) or '-'} due={due}")
        self.stdout.write(f"{len(parsed['tasks'])} tasks")
