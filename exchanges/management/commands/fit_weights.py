"""``python manage.py fit_weights``: fit the matching weights to the hosts' decisions.

Each offer's decided applications (accepted above shortlisted above declined) say which of
them should have scored higher; a pairwise logistic model with non-negative weights
(``matchmaking.scoring.fitting``) finds the weights that order them best. The command reports
the nDCG of held-out offers (k-fold cross-validation by offer: each offer is ranked by weights
fitted without it) with the weights in use and with the fitted ones, then saves the weights
fitted on every decision as a draft ``MatchingWeights`` version, which the secretariat compares
and activates in the admin. ``--benchmark`` adds the judgements of the labelled quality
benchmark (``bench/quality_data``), each interest profile's judged offers as one more group.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from matchmaking.scoring import COMPONENTS
from matchmaking.scoring.fitting import Decisions, cross_validate, fit_weights

from ...matching.weights import decided_applications, weights_in_use
from ...services import matching_weights_create


class Command(BaseCommand):
    help = "Fit the matching weights to the hosts' decisions and save them as a draft version."

    def add_arguments(self, parser):
        parser.add_argument("--folds", type=int, default=5, help="cross-validation folds")
        parser.add_argument("--seed", type=int, default=0, help="how offers fall into folds")
        parser.add_argument(
            "--benchmark",
            action="store_true",
            help="also fit to the quality benchmark's judgements (bench/quality_data)",
        )
        parser.add_argument("--note", default="", help="a note kept with the version")
        parser.add_argument(
            "--dry-run", action="store_true", help="report the figures, save nothing"
        )

    def handle(self, *args, folds, seed, benchmark, note, dry_run, **options):
        if folds < 2:
            raise CommandError("--folds must be at least 2.")
        decisions, left_out = decided_applications()
        parts, sources = [decisions], ["decisions"]
        if benchmark:
            parts.append(_benchmark_judgements())
            sources.append("benchmark")
        data = Decisions.concatenate(parts)
        prior = weights_in_use()
        check = cross_validate(data, prior=prior, folds=folds, seed=seed)
        if not check.pairs:
            raise CommandError(
                f"Nothing to learn from: {len(decisions)} decided applications, and no offer "
                "has both a better and a worse decision (left out: "
                f"{left_out['excluded']} excluded, {left_out['not_scored']} not scored)."
            )
        fitted = fit_weights(data, prior=prior)
        figures = {
            "source": "+".join(sources),
            "decisions": len(decisions),
            "groups": check.groups,
            "pairs": check.pairs,
            "folds": check.folds,
            "ndcg_before": round(check.ndcg_before, 4),
            "ndcg_after": round(check.ndcg_after, 4),
            "left_out": left_out,
        }
        self.stdout.write(json.dumps(figures))
        self.stdout.write(
            "weights: " + ", ".join(f"{name} {getattr(fitted, name):.3f}" for name in COMPONENTS)
        )
        if dry_run:
            return
        version = matching_weights_create(weights=fitted, figures=figures, note=note)
        self.stdout.write(
            self.style.SUCCESS(
                f"Saved draft version {version.version}: held-out nDCG {check.ndcg_before:.4f}"
                f" with the weights in use, {check.ndcg_after:.4f} with these. Review and "
                "activate it in the admin (Matching weights)."
            )
        )


def _benchmark_judgements() -> Decisions:
    try:
        from bench.quality import judged_decisions
    except ImportError as error:  # the benchmark is in the repository, not in a deployment
        raise CommandError(f"The quality benchmark is not available here: {error}") from error
    return judged_decisions()
