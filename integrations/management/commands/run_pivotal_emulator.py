from django.core.management.base import BaseCommand

from pivotal_emulator.__main__ import DEFAULT_PORT, main


class Command(BaseCommand):
    help = ("Runs the local Pivotal Tracker API v5 emulator with the demo data (the people of the demo "
            "company, whose tokens it prints). Point PIVOTAL_API_URL at the URL it shows.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=DEFAULT_PORT)
        parser.add_argument("--empty", action="store_true", help="Start with no data instead of the demo data")

    def handle(self, *args, host, port, empty, **options):
        argv = ["--host", host, "--port", str(port), "--print-tokens"] + ([] if empty else ["--demo"])
        raise SystemExit(main(argv))
