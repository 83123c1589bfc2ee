"""Flask commands of matching: the batch run and learning the weights."""

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from jobmatch.engine.weights import MIN_OUTCOMES
from jobmatch.labels import weights_note
from jobmatch.services import batch, learning
from jobmatch.services.matching import active_seekers

match = AppGroup("match", help="Job matching: batch runs and learned weights.")


@match.command("run")
@click.option("-k", "--top", "k", default=10, show_default=True, help="Posts stored per seeker.")
@click.option("--chunk-size", default=1024, show_default=True, help="Seekers scored per block.")
def run_command(k: int, chunk_size: int):
    """Rank every active seeker against every open post and store each seeker's top k."""
    total = len(active_seekers())
    with click.progressbar(length=total, label="Matching seekers") as bar:
        match_run = batch.run(k=k, chunk_size=chunk_size, progress=bar.update)
    stored = batch.result_count(match_run)
    click.echo(
        f"run {match_run.id}: {match_run.seekers} seekers x {match_run.posts} posts, "
        f"{stored} results stored (weights {match_run.weights_version})"
    )


@match.command("learn")
@click.option("--min-outcomes", default=MIN_OUTCOMES, show_default=True)
def learn_command(min_outcomes: int):
    """Learn factor weights from referral outcomes; activate them when they rank held-out outcomes better."""
    result = learning.retrain(min_outcomes)
    if result.stored is None:
        with force_locale("en"):
            note = weights_note(result.weights)
        click.echo(f"weights not changed ({result.outcomes} outcomes): {note}")
        return
    row = result.stored
    verb = "activated" if row.active else "kept as a candidate (not activated)"
    click.echo(
        f"{verb} {row.version}: trained on {row.trained_on} outcomes, "
        f"held-out ROC AUC {float(row.validation_auc):.3f} (in use {float(row.baseline_auc):.3f}), "
        f"NDCG {float(row.ndcg):.3f} (in use {float(row.baseline_ndcg):.3f})"
    )


commands = [match]
