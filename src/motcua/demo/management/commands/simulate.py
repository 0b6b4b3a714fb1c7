from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from motcua.demo.simulation import Simulator
from motcua.dossiers.models import Dossier


class Command(BaseCommand):
    help = "Generate realistic dossier history over the past working days, through the real services."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=30, help="How many calendar days back to start.")
        parser.add_argument("--per-day", type=int, default=40, help="Dossiers received per working day.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when dossiers exist already (for `make run`)."
        )

    def handle(self, *args, days: int, per_day: int, seed: int, if_empty: bool, **options):
        if if_empty and Dossier.objects.exists():
            self.stdout.write("Dossiers exist already: no history simulated.")
            return
        simulator = Simulator(seed)
        total = sum(1 for _ in simulator.working_days(days)) * per_day
        with tqdm(total=total, unit="dossier", disable=options["verbosity"] == 0) as bar:
            try:
                outcome = simulator.run(days, per_day, tick=bar.update)
            except KeyboardInterrupt:
                # Each dossier is its own transactions: what was made before the interruption is whole.
                outcome = simulator.outcome
                self.stderr.write("Interrupted; the dossiers made so far are kept.")
        self.stdout.write(
            f"{outcome.dossiers} dossiers, {outcome.actions} actions, {outcome.open} still open, "
            f"{outcome.rejected} rejected by validation."
        )
        for action, count in sorted(outcome.by_action.items()):
            self.stdout.write(f"  {action:20} {count}")
