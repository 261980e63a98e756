"""Phase `insight_inputs`: what the insight phases read from the store, checked before the long work.

Its own module because it reads a given model (`mining.conformance`), while conformance and the other
insight phases use `mining.insights_results`: kept there, the two would import each other.
"""
from __future__ import annotations

from saksflyt.extractors.errors import InputError

from .conformance import check_labels, read_model
from .context import MiningContext
from .insights_results import activity_names, load, options_of, prepare


def run_phase(ctx: MiningContext) -> None:
    """Read the store once more and build the insight phases' tables; a bad --model fails fast (exit 2)."""
    options = options_of(ctx)
    inputs = load(ctx.con, ctx.store_path, ctx.log, options)
    known = set(activity_names(ctx.con).values())
    for name, given in (("--mandatory", options.mandatory), ("contacts.incoming", options.incoming),
                        ("contacts.outgoing", options.outgoing)):
        unknown = [a for a in given if a not in known]
        if unknown:
            raise InputError(f"{name}: not an activity of this log: {', '.join(unknown)}")
    model = None
    if options.model:  # read before the long work, so a bad file fails fast (exit 2)
        model = read_model(options.model)
        check_labels(model, known, where=options.model)
    prepare(ctx.con, end_activities=tuple(ctx.facts.rule.end_activities))
    ctx.facts.insight_inputs = inputs
    if model is not None:
        ctx.facts.given_model = model
