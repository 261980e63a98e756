"""Every text a user reads, in English: the same keys as `wording_nb`.

A key missing here (or empty) shows its bokmål text, so a page never breaks for want of a translation.
"""
from __future__ import annotations

WORDS: dict[str, str] = {
    # the explorer: navigation and sidebar
    "app.title": "Saksflyt",
    "nav.overview": "Overview",
    "nav.map": "Process map",
    "nav.variants": "Variants",
    "nav.bottlenecks": "Bottlenecks and rework",
    "nav.backlog": "Automation backlog",
    "nav.compare": "Compare",
    "nav.open_cases": "Open cases",
    "nav.handovers": "Handovers",
    "nav.accessibility": "Accessibility statement",
    "sidebar.lang": "Language / Språk",
    "sidebar.log": "Log",
    "sidebar.refresh": "Refresh",
    "sidebar.refresh_help": "Read the store again (a new load or analysis then shows).",
    "sidebar.run": "Analysis no. {seq} · {when}",
    "sidebar.store": "Store: `{path}`",
    "sidebar.stale": "The store is being updated right now. Showing the last data read; press “Refresh” in a moment.",
    "sidebar.loaded_after_run": "The log was loaded again after the last analysis. Run `saksflyt mine --log {log}` "
                                "to update the numbers.",
    # date patterns: a chart axis (d3-time-format) and the period picker (st.date_input)
    "format.chart_date": "%Y-%m-%d",
    "format.date_input": "YYYY-MM-DD",
    # filters
    "filters.title": "Filters",
    "filters.period": "Period (cases with activity in the period)",
    "filters.attributes": "Case attributes",
    "filters.attribute_values": "{name}",
    "filters.variants": "Variants",
    "filters.present": "Activity present in the case",
    "filters.absent": "Activity absent from the case",
    "filters.reset": "Clear filters",
    "filters.active": "Filters in use: {cases} of {total} cases.",
    "filters.none_left": "No case passes the filters. Change or clear the filters in the sidebar.",
    "filters.not_mined": "Filters become available once the log is analysed.",
    "filters.variant_option": "#{id} · {cases} cases · {acts}",
    "filters.person_note": "Attributes that name people are not offered as filters (privacy).",
    # bad states
    "state.no_store": "No store found at `{path}`. Load a log first: `saksflyt ingest FILE --log NAME`, then "
                      "analyse it: `saksflyt mine --log NAME`, and start the explorer again.",
    "state.empty_store": "The store `{path}` has no logs yet. Load one: `saksflyt ingest FILE --log NAME`, then "
                         "press “Refresh”.",
    "state.not_mined": "The log “{log}” has not been analysed yet. Run `saksflyt mine --log {log}` and press "
                       "“Refresh”.",
    "state.locked": "The store is being updated right now (a load or analysis is writing). Wait a moment and press "
                    "“Refresh”.",
    "state.store_error": "Could not read the store: {msg}",
    "state.read_error": "Something went wrong reading the store ({msg}). Try “Refresh”, or check the log with "
                        "`saksflyt logs --quality {log}`.",
    "state.no_insights": "This analysis has no bottlenecks or rework yet. Run `saksflyt mine --log {log}` again "
                         "with a version that computes them.",
    "state.no_candidates": "No automation candidates for “{log}” yet. Run `saksflyt mine --log {log}` (or `saksflyt "
                           "candidates --log {log}`) and press “Refresh”.",
    "state.no_resources": "The log has no resources (who did the activities): resource statistics are not shown.",
    "state.no_start_times": "The log has no start times: waiting is the time between two completions, and "
                            "processing time cannot be measured.",
    # common words
    "word.choose": "Choose …",
    "word.chart": "Chart",
    "word.choose_many": "Choose one or more",
    "word.table": "Table",
    "word.start": "Start",
    "word.end": "End",
    "word.yes": "yes",
    "word.no": "no",
    "word.pseudonym": "pseudonym",
    "word.hidden_k": "fewer than {k}",
    "basis.measured": "measured waiting (previous completion to start)",
    "basis.between_completions": "time between completions",
    "kind.person": "people",
    "kind.system": "systems",
    "kind.external": "outside parties",
    "kind.unknown": "unknown",
    # overview
    "overview.title": "Overview",
    "overview.cases": "Cases",
    "overview.open": "Open cases",
    "overview.closed": "Closed cases",
    "overview.events": "Events",
    "overview.median_lead": "Median lead time",
    "overview.median_lead_help": "Over closed cases, from first to last event.",
    "overview.target": "Target lead time (days)",
    "overview.within": "Closed within target",
    "overview.within_help": "{n} of {closed} closed cases.",
    "overview.rule": "Closed case: the last activity is one of {acts}.",
    "overview.monthly": "Cases started and finished per month",
    "overview.monthly_alt": "Line chart: cases started and finished per month (the numbers are in the Table tab)",
    "overview.series": "Series",
    "overview.month": "Month",
    "overview.started": "Started",
    "overview.finished": "Finished",
    "overview.logs": "Logs in the store",
    "overview.quality": "Data quality",
    "overview.months_note": "Months in Norwegian time (Europe/Oslo).",
    "col.log": "Log",
    "col.source": "Source",
    "col.cases": "Cases",
    "col.events": "Events",
    "col.activities": "Activities",
    "col.first": "First event",
    "col.last": "Last event",
    "col.measure": "Measure",
    "col.value": "Value",
    "quality.events_with_start_time": "Events with a start time",
    "quality.missing_resource_events": "Events without a resource",
    "quality.day_precision_events": "Events with a date only",
    "quality.events_in_timestamp_ties": "Events sharing a timestamp in their case",
    "quality.rows_rejected": "Rows rejected at load",
    "quality.future_dates": "Times in the future",
    "quality.suspicious_default_dates": "Suspicious default dates (before 1971)",
    # process map
    "map.title": "Process map",
    "map.mode": "Show on the map",
    "map.mode.frequency": "Frequency",
    "map.mode.performance": "Performance",
    "map.activities": "Activities (%)",
    "map.activities_help": "Show the most frequent activities. Hidden activities are skipped in the cases.",
    "map.paths": "Paths (%)",
    "map.paths_help": "Show the most frequent transitions (share of all transitions), plus those needed to keep the "
                      "map connected.",
    "map.shown": "Showing {acts} of {acts_total} activities and {edges} of {edges_total} transitions.",
    "map.legend": "Arrow colour shows the median waiting time ({basis}); thickness shows the count.",
    "map.legend_no_time": "no hours (dates only)",
    "map.legend_start_end": "start/end",
    "map.alt": "Process map of {log}: {acts} activities and {edges} transitions. See the table for the numbers.",
    "wait.0": "< 1 h",
    "wait.1": "1–24 h",
    "wait.2": "1–7 d",
    "wait.3": "> 7 d",
    "map.colour": "Colour",
    "map.wait_range": "Median waiting",
    "map.choose": "Choose an activity to see its statistics",
    "map.downloads": "Download",
    "map.dl_dot": "Map (DOT)",
    "map.dl_svg": "Map (SVG)",
    "map.dl_bpmn": "Process model (model.bpmn)",
    "map.dl_report": "Report (report.html)",
    "map.no_svg": "SVG needs Graphviz (`make system-deps`).",
    "map.no_model": "No model or report in this analysis.",
    "col.from": "From",
    "col.to": "To",
    "col.count": "Count",
    "col.median_between": "Median time between completions",
    "col.median_wait": "Median waiting",
    "col.activity": "Activity",
    "col.median_processing": "Median processing time",
    "col.share": "Share",
    "col.kind": "Done by",
    "col.resources": "Number",
    "act.events": "Events",
    "act.cases": "Cases",
    "act.share": "Share of cases",
    "act.processing": "Median processing time",
    "act.processing_p90": "90th percentile processing",
    "act.wait": "Median waiting before",
    "act.predecessors": "Comes after",
    "act.successors": "Followed by",
    "act.resources": "Who does the activity",
    "act.per_person": "{n} people; median {med} and 90th percentile {p90} events per person.",
    "act.too_few": "Fewer than {k} people do the activity: per-person statistics are not shown (privacy).",
    # variants
    "variants.title": "Variants",
    "variants.summary": "{variants} variants in {cases} cases. Showing the {shown} most common.",
    "variants.pick": "Choose a variant",
    "variants.filter": "Filter on this variant",
    "variants.filtered": "The filter now shows variant #{id} only.",
    "variants.chart": "Cases in the ten most common variants",
    "col.variant": "Variant",
    "col.length": "Steps",
    "col.median_duration": "Median duration (closed)",
    "col.sequence": "Activities",
    # bottlenecks and rework
    "bn.title": "Bottlenecks and rework",
    "bn.bottlenecks": "Bottlenecks",
    "bn.note": "Ranked by total waiting in the whole log (latest analysis). The distributions below are for the "
               "filtered cases.",
    "bn.pick": "Choose a bottleneck",
    "bn.evidence": "Evidence",
    "bn.distribution": "Waiting before “{act}”",
    "bn.weekdays": "When “{act}” is completed (weekday)",
    "bn.no_pairs": "No waiting times with hours in the selection.",
    "bn.rework": "Rework",
    "bn.needless": "Possibly needless steps",
    "bn.unexplained": "For review: unexplained steps",
    "bn.unexplained_note": "Neither the case data nor the people on the case predict whether these steps happen: "
                           "spot checks or judgement. They are not proposed for elimination and no hours are "
                           "counted.",
    "bn.none": "None found.",
    "col.rank": "Rank",
    "col.where": "Where",
    "col.occurrences": "Occurrences",
    "col.total_wait": "Total waiting",
    "col.basis": "Basis",
    "col.internal": "Internal",
    "col.rework_kind": "Kind",
    "col.hours_added": "Time added",
    "col.case_share": "Share of cases",
    "col.verdict": "Verdict",
    "col.pairs": "Transitions",
    "col.bin": "Waiting",
    "col.weekday": "Weekday",
    "bin.0": "< 1 h",
    "bin.1": "1–4 h",
    "bin.2": "4–8 h",
    "bin.3": "8–24 h",
    "bin.4": "1–3 d",
    "bin.5": "3–7 d",
    "bin.6": "1–2 wk",
    "bin.7": "2–4 wk",
    "bin.8": "> 4 wk",
    "weekday.1": "Mon",
    "weekday.2": "Tue",
    "weekday.3": "Wed",
    "weekday.4": "Thu",
    "weekday.5": "Fri",
    "weekday.6": "Sat",
    "weekday.7": "Sun",
    "rework.repeat": "repeat",
    "rework.loop": "loop",
    "rework.ping-pong": "ping-pong",
    # automation backlog
    "bl.title": "Automation backlog",
    "bl.totals": "The candidates claim {claimed} of the log's {staff} staff hours a year ({share}); each activity's "
                 "hours are counted by at most one candidate.",
    "bl.review": "For review (unexplained: neither case data nor habits predict them, no hours): {steps}.",
    "bl.no_hours": "No hours (no person on the events and no measured time): {steps}.",
    "bl.note": "Ranked for the whole log. “Cases in selection” counts the filtered cases that have the candidate's "
               "activities.",
    "bl.pick": "Choose a candidate",
    "bl.reasons": "Reasons",
    "bl.rule": "Rule",
    "bl.no_rule": "No learnable rule (judgement).",
    "bl.assumptions": "Assumptions",
    "bl.basis": "Processing-time basis: {basis}",
    "processing_basis.measured": "measured (start to end)",
    "processing_basis.norm": "standard time",
    "processing_basis.estimated_availability": "estimated from the performer's available time",
    "processing_basis.estimated": "estimated",
    "processing_basis.instant": "instant (automatic step)",
    "processing_basis.unknown": "unknown",
    "bl.mark": "Your decision",
    "bl.decision": "Decision",
    "bl.comment": "Comment",
    "bl.save": "Save decision",
    "bl.saved": "Saved: {decision} for “{cand}”.",
    "bl.current": "Current decision: {decision} ({when}).",
    "bl.marks": "Decisions",
    "bl.no_marks": "No decisions yet.",
    "bl.export_csv": "Export decisions (CSV)",
    "bl.export_xlsx": "Export decisions (Excel)",
    "bl.marks_stale": "The store is being updated: the decisions may be slightly old.",
    "bl.sim_title": "Simulated effect",
    "bl.sim_run": "Simulated {when} ({runs} runs of the log's period). The difference from today with the change, "
                  "with 90% interval: simulated numbers, not a forecast.",
    "bl.sim_change": "Change: {text}",
    "bl.sim.lead_time_median_days": "Median lead time",
    "bl.sim.lead_time_p90_days": "Lead time, 90th percentile",
    "bl.sim.share_within_deadline": "Share completed within the target ({days} days)",
    "bl.sim.staff_hours_per_year": "Staff hours per year",
    "bl.sim_unit.days": "days",
    "bl.sim_unit.points": "percentage points",
    "bl.sim_unit.hours": "hours",
    "bl.sim_diff": "{value} {unit} ({low} to {high})",
    "bl.sim_unclear": "no clear difference ({low} to {high} {unit})",
    "bl.sim_value_only": "{value} {unit}",
    "bl.sim_better": "better",
    "bl.sim_worse": "worse",
    "bl.sim_warning": "**Warning:** {text}",
    "bl.sim_verdict": "Validation: **{verdict}**. {text}",
    "bl.sim_verdict.good": "good",
    "bl.sim_verdict.fair": "fair",
    "bl.sim_verdict.poor": "poor",
    "bl.sim_not_validated": "The simulation was not validated against the log, so the numbers are unchecked. Run "
                            "`saksflyt simulate --log {log} --validate`.",
    "bl.sim_none": "The candidate has not been simulated yet. See its simulated effect on lead time and hours: "
                   "`saksflyt simulate --log {log} --candidate {cid} --out DIR`.",
    "bl.stale_scores": "These candidates were scored on an older mining run than the latest one. "
                       "Run `saksflyt candidates --log {log}` to score them again.",
    "decision.accepted": "accepted",
    "decision.rejected": "rejected",
    "decision.needs_review": "needs review",
    "decision.none": "–",
    "cand.eliminate": "eliminate",
    "cand.simplify": "simplify",
    "cand.automate": "automate",
    "cand.unblock": "unblock",
    "col.score": "Score",
    "col.hours_saved": "Hours saved/year",
    "col.nok_saved": "NOK saved/year",
    "col.quality_cases": "Cases of higher quality/year",
    "col.cases_selection": "Cases in selection",
    "col.decision": "Decision",
    "col.comment": "Comment",
    "col.marked_at": "When",
    "col.candidate": "Candidate",
    # open cases (deadline monitor)
    "oc.title": "Open cases",
    "oc.no_run": "The log “{log}” has no deadline monitoring yet. Run `saksflyt monitor --log {log} --config FILE` "
                 "(the TOML file with the deadline rules, as for `saksflyt mine --config`) and press “Refresh”.",
    "oc.run": "Monitoring no. {seq} · known up to {as_of} · run {when}",
    "oc.no_predictions": "No predictions in this run: {msg}",
    "oc.open": "Open cases",
    "oc.at_risk": "At risk",
    "oc.at_risk_help": "Cases with at least a {p} probability of missing the deadline.",
    "oc.expected_refund": "Expected refunds",
    "oc.expected_refund_help": "Summed over the open cases: the probability of missing the deadline × the fee × the "
                               "share repaid for the expected weeks over.",
    "oc.in_time": "Decided in time, last 12 months",
    "oc.in_time_help": "{n} cases decided {first} – {last}.",
    "oc.list": "The cases, ranked by expected cost",
    "oc.filter_activity": "Current activity",
    "oc.filter_p": "Minimum probability of missing the deadline",
    "oc.filter_p_off": "The run has no predictions to filter on.",
    "oc.filter_past": "Only cases past their deadline",
    "oc.shown": "Showing {n} of {total} open cases.",
    "oc.none_left": "No case passes the filters.",
    "oc.pick": "Choose a case",
    "oc.timeline": "The case so far",
    "oc.timeline_alt": "Timeline of case {case}: the events as points, the clock start, the deadline and pauses "
                       "marked.",
    "oc.reasons": "Reasons",
    "oc.facts": "Clock started {start} · deadline {deadline} · {paused} days paused · {left} days left",
    "oc.prediction": "{p} chance of missing the deadline · probably {days} days to go ({low}–{high}, 80% interval) "
                     "· next probably {next}",
    "oc.later_events": "{n} later events in the store are not shown: the run did not know of them.",
    "oc.mark_event": "event",
    "oc.mark_clock_start": "clock starts",
    "oc.mark_pause_start": "pause starts",
    "oc.mark_pause_end": "pause ends",
    "oc.mark_stop": "decision (clock stops)",
    "oc.mark_deadline": "deadline (end of day)",
    "oc.mark_as_of": "the run knew up to here",
    "oc.mark_pause": "pause",
    "oc.mark_pause_open": "pause (still open)",
    "oc.history": "Share decided in time per month",
    "oc.history_alt": "Bar chart: share of cases decided in time per month.",
    "oc.no_history": "No decided cases with a deadline yet.",
    "oc.yearly": "Refunds per year",
    "oc.evaluation": "How good the predictions are",
    "oc.mae": "Error in remaining time (MAE)",
    "oc.mae_help": "Mean absolute error in days. The change is against the best simple rule ({name}: {best} days).",
    "oc.auc": "AUC, missing the deadline",
    "oc.auc_help": "0.5 is chance, 1 is perfect. Brier {brier} against {base} with the base rate.",
    "oc.coverage": "Coverage, 80% interval",
    "oc.coverage_help": "Share of test observations whose actual remaining time fell in the interval (target "
                        "{target}).",
    "oc.split": "Tested on a temporal split at {cut}: trained on {train} cases decided before, tested on {test} "
                "cases open then.",
    "oc.not_evaluated": "The model was not evaluated in this run.",
    "oc.download": "Download the report (monitor.html)",
    "oc.days": "{n} days",
    "col.case": "Case",
    "col.deadline": "Deadline",
    "col.days_left": "Days left",
    "col.p_miss": "P(miss)",
    "col.remaining": "Remaining days (80% interval)",
    "col.expected_refund": "Expected refund",
    "col.current_activity": "Current activity",
    "col.waiting_days": "Waiting (days)",
    "col.next_activity": "Next probably",
    "col.time": "Time",
    "col.resource": "Done by",
    "col.clock": "Clock",
    "col.decided": "Decided",
    "col.in_time": "In time",
    "col.share_in_time": "Share in time",
    "col.refunded": "Refunded",
    "col.late": "Late",
    "col.year": "Year",
    "word.nok": "NOK {n}",
    # handovers between units (mining.handovers)
    "ho.title": "Handovers",
    "ho.intro": "How cases pass between units: a handover is two consecutive events of a case in different units. "
                "The figures are for the whole log (latest analysis); the filters do not apply here.",
    "ho.not_mined": "This analysis was made before Saksflyt found handovers between units. Run `saksflyt mine --log "
                    "{log}` again and press “Refresh”.",
    "ho.no_actors": "The log has neither units nor resources: there are no handovers to show.",
    "ho.resource_basis": "The log has no unit column, so handovers are counted between the caseworkers and shown "
                         "only together (own staff, unknown) – never between individual people. Load the log with a "
                         "unit column to see the units.",
    "ho.small_units": "Units where fewer than {k} people worked are shown only merged as “{label}” (privacy).",
    "ho.hidden_units": "{n} small units together have fewer than {k} people and are left out.",
    "ho.flow": "Flow between units",
    "ho.cases_with_handover": "Cases with a handover",
    "ho.cases_with_handover_help": "{share} of {cases} cases pass between at least two units.",
    "ho.ping_pong": "Ping-pong",
    "ho.ping_pong_help": "Share of cases that return to a unit they have been in before ({n} cases).",
    "ho.median_units": "Median units per case",
    "ho.median_units_help": "Among cases with at least one unit; at most {max}.",
    "ho.wait": "Median wait at a handover",
    "ho.wait_help": "Time from one unit finishing to the next starting; {n} handovers, {total} in all.",
    "ho.doors": "One door in, one voice out",
    "ho.multi_voice": "Heard from several units",
    "ho.multi_voice_help": "Share of cases where the citizen got letters from more than one unit ({n} cases).",
    "ho.repeat_door": "Got in touch more than once",
    "ho.repeat_door_help": "Share of cases where the citizen got in touch more than once ({n} cases).",
    "ho.letters_saved": "Letters saved by one voice out",
    "ho.letters_saved_help": "If each case got one joint letter instead of one per unit.",
    "ho.contacts_config": "The contacts ({doors} in, {voices} out) are the activities in `[logs.{log}.contacts]` of "
                          "the config file.",
    "ho.contacts_noark5": "The contacts ({doors} in, {voices} out) are the Noark 5 journal post types: I (incoming) "
                          "and U (outgoing).",
    "ho.contacts_none": "No contacts are configured for this log. List the activities where the citizen gets in "
                        "touch and where the municipality writes to the citizen in the config file and run "
                        "`saksflyt mine --config FILE` again:\n\n```text\n[logs.{log}.contacts]\nincoming = "
                        "[\"Søknad mottatt\"]\noutgoing = [\"Vedtak sendt\"]\n```",
    "ho.units": "Units (%)",
    "ho.units_help": "Show the units with the most events. Handovers to hidden units are not shown.",
    "ho.shown": "Showing {units} of {units_total} units and {edges} of {edges_total} handovers.",
    "ho.alt": "Handovers in {log}: {units} units and {edges} handovers. See the table for the numbers.",
    "ho.legend": "Arrow colour shows the median waiting at the handover; thickness shows the count. In performance "
                 "mode the arrows show the waiting.",
    "ho.handovers": "Handovers",
    "ho.units_table": "Units",
    "ho.loops": "Loops in the process",
    "ho.loops_note": "Parts of the process cases can go round (strongly connected components of the transitions at "
                     "least 1% of cases make).",
    "ho.loop": "Loop {n}: {acts} activities, {cases} cases repeat one of them",
    "col.unit": "Unit",
    "col.returns": "Returns",
    "col.people": "People",
    "col.handovers_in": "In",
    "col.handovers_out": "Out",
    "col.first_cases": "Cases starting here",
    "col.last_cases": "Cases ending here",
    "col.voices": "Letters out",
    "col.staff_hours": "Measured staff hours",
    # report.html (mining/report.py): headings and labels
    "report.title": "Process analysis",
    "report.generated": "Generated",
    "report.run": "run",
    "report.kpis": "Key figures",
    "report.cases": "Cases",
    "report.closed": "Closed cases",
    "report.events": "Events",
    "report.activities": "Activities",
    "report.variants": "Variants",
    "report.median_duration": "Median case duration",
    "report.period": "Period",
    "report.map": "Process map",
    "report.no_map": "The process map is missing: Graphviz (`dot`) is not installed.",
    "report.bottlenecks": "Bottlenecks",
    "report.bottlenecks_intro": "Where cases wait, ranked by total waiting. “Internal” means the wait ends with the "
                                "organisation's own staff; waiting on outside parties and systems is shown apart.",
    "report.worst_internal": "Worst internal queue",
    "report.rank": "Rank",
    "report.where": "Step or transition",
    "report.internal": "Internal",
    "report.yes": "yes",
    "report.no": "no",
    "report.median_wait": "Median wait",
    "report.total_wait": "Total wait",
    "report.evidence": "Evidence",
    "report.rework": "Rework",
    "report.rework_intro": "Steps done again: repeats, loops back, and cases going back and forth.",
    "report.kind": "Kind",
    "report.share": "Share",
    "report.hours_added": "Time added",
    "report.needless": "Needless steps?",
    "report.needless_intro": "Optional steps compared in cases with and without them: outcome (chi-square/Fisher), "
                             "case duration (Mann–Whitney), corrected for many tests (Benjamini–Hochberg), and what "
                             "predicts whether the step happens. Mandatory steps are never proposed for "
                             "elimination.",
    "report.step": "Step",
    "report.with_without": "With / without",
    "report.verdict": "Verdict",
    "report.predicted_by": "Predicted by",
    "report.variants_title": "Most common variants",
    "report.sequence": "Sequence",
    "report.model": "Model and conformance",
    "report.fitness": "Fitness",
    "report.precision": "Precision",
    "report.deviations": "Activities that deviate most",
    "report.log_moves": "Done but not allowed there",
    "report.model_moves": "Skipped",
    "report.plots": "Over time",
    "report.monthly": "Cases started and finished per month",
    "report.started": "started",
    "report.finished": "finished",
    "report.durations": "Case duration, closed cases (days)",
    "report.quality": "Data quality",
    "report.definitions": "How the numbers are computed",
    "report.none": "None found.",
    # report.html: what a needless-step test concluded
    "report.verdict.needless": "candidate for elimination",
    "report.verdict.unexplained": "unexplained: for review",
    "report.verdict.triggered": "triggered from outside",
    "report.verdict.rule_driven": "rule-driven",
    "report.verdict.changes_outcome": "changes the outcome",
    "report.verdict.rework": "rework",
    "report.verdict.mandatory": "mandatory",
    "report.verdict.too_few_cases": "too few cases",
    # report.html: what predicts a needless step
    "report.predictor.case_attributes": "case attributes",
    "report.predictor.resource": "only the handler",
    "report.predictor.nothing": "nothing",
    # report.html: kinds of rework
    "report.rework.repeat": "repeat",
    "report.rework.loop": "loop",
    "report.rework.ping-pong": "ping-pong",
    # who a wait ends with, in the evidence sentences (mining.report.Text.kind)
    "report.kind.person": "own staff",
    "report.kind.system": "systems",
    "report.kind.external": "outside parties",
    "report.kind.unknown": "no resource",
    # weekdays in sentences, ISO numbering (1 = Monday): "gjøres på mandager" / "happens on Mondays"
    "weekdays.1": "Mondays",
    "weekdays.2": "Tuesdays",
    "weekdays.3": "Wednesdays",
    "weekdays.4": "Thursdays",
    "weekdays.5": "Fridays",
    "weekdays.6": "Saturdays",
    "weekdays.7": "Sundays",
    # monitor.html: what a deadline forecast is compared with
    "monitor.baseline.baseline_type_and_last_activity": "median by deadline type and last activity",
    "monitor.baseline.baseline_prefix_length": "median by number of steps so far",
    # simulation.html: how well the simulation matches the log
    "simulation.verdict.good": "Good",
    "simulation.verdict.fair": "Fair",
    "simulation.verdict.poor": "Poor",
    # the explorer's compare page
    "compare.title": "Compare: gains realised",
    "compare.mode": "Compare",
    "compare.split": "before and after a change",
    "compare.other": "with another log",
    "compare.before": "Side A: cases started before",
    "compare.after": "Side B: cases started from",
    "compare.other_log": "Side B: log",
    "compare.shared": "Shared activities only",
    "compare.target": "Lead-time target (days)",
    "compare.run": "Compare",
    "compare.median": "Median lead time (days)",
    "compare.hours": "Hours saved per year",
    "compare.nok": "NOK saved per year",
    "compare.rework": "Cases spared rework per year",
    "compare.removed": "Removed activities",
    "compare.added": "Added activities",
    "compare.edges": "Changes in the process map",
    "compare.ci": "95% CI",
    "compare.from": "From",
    "compare.to": "To",
    "compare.change": "Change",
    "compare.share": "case share",
    "compare.median_h": "median wait",
    "compare.faster": "Faster in",
    "compare.no_changes": "No significant changes.",
    "compare.together": "Handovers and contact with the citizen",
    # compare.html (mining/compare_report.py)
    "compare_report.volume_changed_by_cases": "Volume changed by {change} cases a year: gains are computed per "
                                              "case and multiplied by the later volume.",
    "compare_report.the_case_mix_changed": "The case mix changed ({attrs}): see «Like with like» and the case-mix "
                                           "table before crediting the change.",
    "compare_report.cases_were_still_open": "{open_cases} cases were still open at extraction. Lead times use "
                                            "Kaplan–Meier (open cases count until extraction); hours per case are "
                                            "over closed cases, which after the change are more often the quick "
                                            "ones.",
    "compare_report.only_activities_occur_on": "Only {shared} activities occur on both sides: use a mapping file "
                                               "(--mapping) for activities named differently.",
    "compare_report.appeared": "appeared",
    "compare_report.vanished": "vanished",
    "compare_report.frequency_changed": "frequency changed",
    "compare_report.time_changed": "time changed",
    "compare_report.frequency_and_time_changed": "frequency and time changed",
    "compare_report.comparison": "Comparison",
    "compare_report.gains_realised": "Gains realised",
    "compare_report.side": "Side",
    "compare_report.log": "Log",
    "compare_report.cases": "Cases",
    "compare_report.closed": "Closed",
    "compare_report.cases_per_year": "Cases per year",
    "compare_report.events": "Events",
    "compare_report.variants": "Variants",
    "compare_report.gains_per_year": "Gains per year",
    "compare_report.95_confidence_interval": "95% confidence interval",
    "compare_report.hours_saved_processing": "Hours saved, processing",
    "compare_report.not_measured": "not measured",
    "compare_report.hours_saved_waiting": "Hours saved, waiting",
    "compare_report.waiting": "waiting",
    "compare_report.nok_saved": "NOK saved",
    "compare_report.hours_nok": "hours × NOK {hourly_cost}",
    "compare_report.cases_spared_rework": "Cases spared rework",
    "compare_report.gain": "Gain",
    "compare_report.per_year": "Per year",
    "compare_report.basis": "Basis",
    "compare_report.hours_are_working_hours": "Hours are working hours. Gain = (before − after) per closed case × "
                                              "cases per year after.",
    "compare_report.lead_time_days": "Lead time (days)",
    "compare_report.median": "Median",
    "compare_report.share_within_days": "Share within {target_days} days",
    "compare_report.difference": "Difference",
    "compare_report.activities_and_waiting": "Activities and waiting",
    "compare_report.removed": "Removed",
    "compare_report.added": "Added",
    "compare_report.no_clear_difference": "no clear difference",
    "compare_report.activity": "Activity",
    "compare_report.mean_wait_h": "mean wait (h)",
    "compare_report.difference_95_ci": "Difference, 95% CI",
    "compare_report.waits_less": "Waits less",
    "compare_report.changes_in_the_process": "Changes in the process map",
    "compare_report.from": "From",
    "compare_report.to": "To",
    "compare_report.change": "Change",
    "compare_report.case_share": "case share",
    "compare_report.median_h": "median (h)",
    "compare_report.no_significant_changes": "No significant changes.",
    "compare_report.variants_in_in_shared": "{a_variants} variants in {la}, {b_variants} in {lb}, "
                                            "{shared_variants} shared; {b_case_share_in_a_variants} of the cases "
                                            "in {lb} follow a variant of {la}.",
    "compare_report.activities": "Activities",
    "compare_report.share": "Share",
    "compare_report.case_mix": "Case mix",
    "compare_report.attribute": "Attribute",
    "compare_report.value": "Value",
    "compare_report.share_word": "share",
    "compare_report.median_lead_time": "median lead time",
    "compare_report.like_with_like": "Like with like",
    "compare_report.weighted_to_the_case": "{la} weighted to the case mix of {lb} by {attr} "
                                           "({b_cases_matched_share} of the closed cases in {lb} have a value {la} "
                                           "also has).",
    "compare_report.processing_per_case_h": "Processing per case (h)",
    "compare_report.waiting_per_case_h": "Waiting per case (h)",
    "compare_report.mean_lead_time_days": "Mean lead time (days)",
    "compare_report.share_with_rework": "Share with rework",
    "compare_report.adjusted": "(adjusted)",
    "compare_report.gain_at_the_same": "Gain at the same case mix: {processing} processing hours and {waiting} "
                                       "waiting hours a year.",
    "compare_report.cases_per_month": "Cases per month",
    "compare_report.month": "Month",
    "compare_report.handovers_per_case": "Handovers per case",
    "compare_report.share_of_cases_returning": "Share of cases returning to a unit",
    "compare_report.letters_out_per_case": "Letters out per case (voices)",
    "compare_report.share_of_cases_hearing": "Share of cases hearing from several units",
    "compare_report.share_of_cases_where": "Share of cases where the citizen got in touch more than once",
    "compare_report.p_two_proportions": "p (two proportions)",
    "compare_report.closed_cases_in_in": "Closed cases: {cases_a} in {la}, {cases_b} in {lb}. Handovers are "
                                         "between units (or, without units, between people); the contacts are the "
                                         "ones the log's own analysis used.",
    "compare_report.handovers_and_contact_with": "Handovers and contact with the citizen",
    "compare_report.neither_log_has_units": "Neither log has units or contacts.",
    # the bundle comparison page (mining/bundle_compare_report.py)
    "bundle_compare_report.at_least": "at least {iv_low}",
    "bundle_compare_report.significant": "(significant)",
    "bundle_compare_report.may_be_noise": "(may be noise)",
    "bundle_compare_report.comparison_and_published_figures": "Comparison: {la} and {lb} (published figures)",
    "bundle_compare_report.the_figures_of_carry": "The figures of {lb} carry noise that protects its citizens. The "
                                                  "intervals include the noise, and a difference is called "
                                                  "significant only when neither the noise nor chance can explain "
                                                  "it.",
    "bundle_compare_report.lead_time_and_volume": "Lead time and volume",
    "bundle_compare_report.95_interval": "95% interval",
    "bundle_compare_report.difference": "Difference",
    "bundle_compare_report.median_lead_time_days": "Median lead time (days)",
    "bundle_compare_report.90th_percentile_days": "90th percentile (days)",
    "bundle_compare_report.cases_per_year": "Cases per year",
    "bundle_compare_report.differences_in_the_process": "Differences in the process map",
    "bundle_compare_report.only_in_b": "only in {lb}",
    "bundle_compare_report.only_in_a": "only in {la}",
    "bundle_compare_report.frequency_differs": "frequency differs",
    "bundle_compare_report.transitions_that_differ_signific": "Transitions that differ significantly",
    "bundle_compare_report.from_to": "From → to",
    "bundle_compare_report.case_share": "case share",
    "bundle_compare_report.no_significant_differences": "No significant differences.",
    "bundle_compare_report.waiting_per_step": "Waiting per step",
    "bundle_compare_report.median_wait_before_the": "Median wait before the step",
    "bundle_compare_report.step": "Step",
    "bundle_compare_report.variants": "Variants",
    "bundle_compare_report.of_the_closed_cases": "{a_case_share_in_b_variants} of the closed cases in {la} follow "
                                                 "one of the variants {lb} published.",
    "bundle_compare_report.variants_published_by": "Variants published by {lb}",
    "bundle_compare_report.steps": "Steps",
    # the published bundle page (mining/bundle_page.py)
    "bundle_page.days": "days",
    "bundle_page.at_least": "at least {iv_low}",
    "bundle_page.between_and": "between {iv_low} and {iv_high}",
    "bundle_page.expected_case_handling_time": "Expected case-handling time: {label}",
    "bundle_page.period_to": "Period {first_month} to {last_month}",
    "bundle_page.published": "published {created_month}",
    "bundle_page.other_language_link": "<a class=\"lang\" href=\"index.html\" hreflang=\"nb\" lang=\"nb\">Bokmål</a>",
    "bundle_page.how_long_does_a": "How long does a case take?",
    "bundle_page.half_of_the_cases": "Half of the cases were done within <strong>{median_days}</strong> "
                                     "({median_days_interval}). Nine in ten were done within "
                                     "<strong>{p90_days}</strong> ({p90_days_interval}).",
    "bundle_page.the_municipality_received_about": "The municipality received about {per_month} cases a month in "
                                                   "the period, and about {closed_estimate} cases were closed.",
    "bundle_page.case_handling_time_by": "Case-handling time by {name}",
    "bundle_page.case_type": "Case type",
    "bundle_page.cases": "Cases",
    "bundle_page.half_within": "Half within",
    "bundle_page.nine_in_ten_within": "Nine in ten within",
    "bundle_page.how_a_typical_case": "How a typical case runs",
    "bundle_page.the_steps_follow_the": "The steps follow the most frequent transitions between steps.",
    "bundle_page.waiting_and_handling_per": "Waiting and handling per step",
    "bundle_page.step": "Step",
    "bundle_page.median_wait_before_the": "Median wait before the step",
    "bundle_page.median_handling_time": "Median handling time",
    "bundle_page.steps_with_the_most": "Steps with the most cases first",
    "bundle_page.cases_per_month": "Cases per month",
    "bundle_page.new_cases_per_month": "New cases per month (with noise)",
    "bundle_page.month": "Month",
    "bundle_page.too_few_to_show": "too few to show",
    "bundle_page.privacy": "Privacy",
    "bundle_page.the_numbers_on_this": "The numbers on this page had random noise added before they were published "
                                       "(differential privacy, ε = {eps}). The probability of any number shown "
                                       "changes by at most a factor of {factor} whether or not any one case is "
                                       "included, so nobody can tell from it whether a particular citizen had a "
                                       "case, or anything about it. The page shows no case numbers, names, "
                                       "caseworkers or dates finer than a month. Small numbers are hidden.",
    "bundle_page.the_intervals_show_how": "The intervals show how much the numbers may vary because of the noise "
                                          "and chance variation between cases.",
    # report.html's handovers section (mining/report_handovers.py)
    "collaboration.small_units": "Small units (under 5 people)",
    "report_handovers.handovers_events_per_unit": "Handovers: events per unit; on the arrows handovers · median "
                                                  "waiting.",
    "report_handovers.contacts_config": "The contacts are the activities in [logs.NAME.contacts] of the config file.",
    "report_handovers.contacts_noark5": "The contacts are the Noark 5 journal post types I (incoming) and U "
                                        "(outgoing).",
    "report_handovers.contacts_none": "No contacts are configured: list them in [logs.NAME.contacts] (incoming, "
                                      "outgoing) of the config file.",
    "report_handovers.handovers": "Handovers",
    "report_handovers.how_cases_pass_between": "How cases pass between units. A handover is two consecutive events "
                                               "of a case in different units; a case that comes back to a unit it "
                                               "has been in goes back and forth (ping-pong).",
    "report_handovers.the_log_has_no": "The log has no unit column: handovers are shown between kinds of "
                                       "resources, never between people.",
    "report_handovers.the_log_has_neither": "The log has neither units nor resources.",
    "report_handovers.small_units_merged": "Units where fewer than {min_people} people worked are shown merged as "
                                           "{small_units}.",
    "report_handovers.small_units_together_have": "{n} small units together have fewer than {min_people} people "
                                                  "and are left out.",
    "report_handovers.cases_with_a_handover": "cases with a handover",
    "report_handovers.cases_going_back_and": "cases going back and forth",
    "report_handovers.median_units_per_case": "median units per case",
    "report_handovers.median_wait_at_a": "median wait at a handover",
    "report_handovers.heard_from_several_units": "heard from several units",
    "report_handovers.got_in_touch_more": "got in touch more than once",
    "report_handovers.letters_saved_by_one": "letters saved by one voice out",
    "report_handovers.handovers_between_units": "Handovers between units",
    "report_handovers.units_and_handovers_the": "{units} units and {edges} handovers; the most common are in the "
                                                "table below.",
    "report_handovers.from": "From",
    "report_handovers.to": "To",
    "report_handovers.count": "Count",
    "report_handovers.cases": "Cases",
    "report_handovers.median_wait": "Median wait",
    "report_handovers.returns": "Returns",
    "report_handovers.most_common_handovers": "Most common handovers",
    "report_handovers.loops_in_the_process": "Loops in the process",
    "report_handovers.cases_repeat_one_of": "cases repeat one of the steps",
    "report_handovers.none_found": "None found.",
    # report.html (mining/report.py)
    "report.total_waiting_before_the": "Total waiting before the steps that wait most",
    "report.process_map_of_steps": "Process map of {n_acts} steps and {map_edges} transitions; the same "
                                   "transitions are in the table below the map.",
    "report.the_process_map_as": "The process map as a table",
    "report.from": "From",
    "report.to": "To",
    "report.count": "Count",
    "report.median_time": "Median time",
    "report.the_model_was_discovered": "The model was discovered with",
    "report.activities_in_the_model": "activities in the model",
    "report.the_given_model_model": "the given model (--model)",
    "report.the_discovered_model": "the discovered model",
    "report.alignment_fitness": "Alignment fitness",
    "report.measured_against": "Measured against",
    "report.token_based_replay_per": "token-based replay per variant, weighted by cases",
    "report.variants_word": "variants",
    "report.alignments_on_the": "alignments on the",
    "report.most_frequent_variants": "most frequent variants",
    "report.cases_word": "cases",
    "report.cases_are_not_closed": "{open_cases} cases ({open_share}) are not closed and are left out of case "
                                   "durations. Closed = the last step is {end_activities}.",
    "report.of_events_share_their": "{tie_share} of events share their timestamp with another in the case (the "
                                    "source order breaks the tie).",
    "report.events_have_a_date": "{day_precision_events} events have a date only (no time): they are left out of "
                                 "hour figures and counted in days.",
    "report.of_events_have_no": "{missing_resource_share} of events have no resource (who did it).",
    "report.the_log_has_no": "The log has no start times: waiting is the time between completions, not measured "
                             "waiting, and processing time cannot be measured.",
    "report.rows_were_rejected_at": "{rows_rejected} rows were rejected at ingest.",
    "report.suspicious_dates_before_1971": "Suspicious dates: {suspicious_default_dates} before 1971, "
                                           "{future_dates} in the future.",
    "report.events_in_a_case": "Events in a case are ordered by completion time, ties by their order in the source.",
    "report.waiting_before_a_step": "Waiting before a step runs from the previous step's end to the step's start "
                                    "where the log has start times, otherwise it is the time between the two "
                                    "completions (labelled so). Hours are calendar hours.",
    "report.people_are_pseudonymised_outside": "People are pseudonymised; outside parties are marked at ingest or "
                                               "with --external.",
    "report.mandatory_steps_never_proposed": "Mandatory steps (never proposed for elimination): {mandatory}.",
    # the monitor's notes and reasons (mining/monitor.py)
    "monitor.decision_close": "decision/close",
    "monitor.other": "other",
    "monitor.risk": "(+{effect} risk)",
    "monitor.queue_cases_wait_after": "queue: {v} cases wait after {last} (usually {typical}) {up}",
    "monitor.many_open_cases_usually": "many open cases: {v} (usually {typical}) {up}",
    "monitor.days_without_activity_usually": "{v} days without activity (usually {typical}) {up}",
    "monitor.paused_so_far_days": "paused so far: {paused_days} days {up}",
    "monitor.steps_repeated_times": "steps repeated {v} times {up}",
    "monitor.came_from": "came from {prev} {up}",
    "monitor.days_to_the_next": "{v} days to the next meeting day {up}",
    "monitor.case_attribute": "case attribute {label} = {shown} {up}",
    "monitor.days_paused": ", {days_paused} days paused",
    "monitor.deadline_days_left": "deadline {d}: {left} days left{pause}",
    "monitor.nok_to_repay_so": ", NOK {refund} to repay so far",
    "monitor.deadline_passed_started_weeks": "deadline passed {d}: {weeks_over} started weeks over{owed}",
    "monitor.clock_stopped_waiting_for": "clock stopped: waiting for a reply from outside",
    "monitor.has_waited_days_after": "has waited {wait} days after {act}",
    "monitor.next_probably": "; next probably {nxt}",
    "monitor.send_the_now_was": "send the {name} now (was due {due})",
    "monitor.send_the_by_the": "send the {name} by {due}: the case will probably not be decided before",
    "monitor.prioritise_chance_of_missing": "prioritise: {p} chance of missing the deadline, probably {over} days "
                                            "over",
    "monitor.follow_up_no_activity": "follow up: no activity for {wait} days",
    # monitor.html (mining/monitor_report.py)
    "monitor_report.nok": "NOK\u00a0{amount}",
    "monitor_report.deadline_monitor": "Deadline monitor",
    "monitor_report.generated": "Generated",
    "monitor_report.run": "run",
    "monitor_report.what_the_run_knew": "What the run knew",
    "monitor_report.later_events_were_not": "Later events were not known to this run.",
    "monitor_report.events_completed_up_to": "Events completed up to",
    "monitor_report.open_cases": "Open cases",
    "monitor_report.decided_cases": "Decided cases",
    "monitor_report.at_risk_p": "At risk (P ≥ {at_risk})",
    "monitor_report.expected_refunds_open_cases": "Expected refunds, open cases",
    "monitor_report.decided_in_time_last": "Decided in time, last 12 months",
    "monitor_report.the_deadline_rules_as": "The deadline rules as read",
    "monitor_report.history": "History",
    "monitor_report.share_decided_in_time": "Share decided in time per month",
    "monitor_report.bar_chart_to_lowest": "Bar chart, {first_month} to {last_month}: lowest {low_share} "
                                          "({low_month}), highest {high_share} ({high_month}). The numbers are in "
                                          "the table below.",
    "monitor_report.decided_cases_per_month": "Decided cases per month",
    "monitor_report.month": "Month",
    "monitor_report.decided": "Decided",
    "monitor_report.in_time": "In time",
    "monitor_report.share_in_time": "Share in time",
    "monitor_report.refunded": "Refunded",
    "monitor_report.no_decided_cases_with": "No decided cases with a deadline yet.",
    "monitor_report.refunds_per_year": "Refunds per year",
    "monitor_report.decided_cases_late_cases": "Decided cases, late cases and fees refunded per year",
    "monitor_report.year": "Year",
    "monitor_report.late": "Late",
    "monitor_report.share_late": "Share late",
    "monitor_report.open_cases_at_risk": "Open cases at risk",
    "monitor_report.ranked_by_expected_refund": "Ranked by expected refund: the probability of missing the "
                                                "deadline times the fee times the share repaid for the expected "
                                                "weeks over. The interval for the remaining time is an 80% "
                                                "prediction interval.",
    "monitor_report.at_risk": "at risk",
    "monitor_report.passed": "passed",
    "monitor_report.the_top_of_open": "The top {shown} of {oc} open cases",
    "monitor_report.rank": "Rank",
    "monitor_report.case": "Case",
    "monitor_report.deadline": "Deadline",
    "monitor_report.days_left": "Days left",
    "monitor_report.p_miss": "P(miss)",
    "monitor_report.remaining_days_80_interval": "Remaining days (80% interval)",
    "monitor_report.expected_refund": "Expected refund",
    "monitor_report.current_activity": "Current activity",
    "monitor_report.waiting_days": "Waiting (days)",
    "monitor_report.reasons": "Reasons",
    "monitor_report.no_open_cases": "No open cases.",
    "monitor_report.how_good_the_predictions": "How good the predictions are",
    "monitor_report.how_the_clock_is": "How the clock is counted",
    "monitor_report.no_deadline_is_configured": "No deadline is configured for the log: cases are followed until "
                                                "{stop}.",
    "monitor_report.the_case_s_first": "the case's first event",
    "monitor_report.the_clock_starts_at": "The clock starts at {start} and stops at {stop}.",
    "monitor_report.deadline_days_weeks_unless": "Deadline: {days} days ({weeks} weeks) unless a rule below applies.",
    "monitor_report.and": " and ",
    "monitor_report.when_days": "When {conds}: {days} days.",
    "monitor_report.the_clock_stands_still": "The clock stands still from {a} to {b}.",
    "monitor_report.the_deadline_is_extended": "The deadline is extended at {activity} by the days in "
                                               "{days_attribute}.",
    "monitor_report.the_case_attribute": "the case attribute {fee_attribute}",
    "monitor_report.unknown": "unknown",
    "monitor_report.fee_is_repaid_per": "Fee: {fee}; {rate} is repaid per started week past the deadline.",
    "monitor_report.within_days_of": "{name}: {to} within {days} days of {from_value}.",
    "monitor_report.the_model_was_not": "The model was not evaluated in this run.",
    "monitor_report.days": "days",
    "monitor_report.mean_absolute_error_model": "Mean absolute error, model",
    "monitor_report.mae_best_simple_rule": "MAE, best simple rule",
    "monitor_report.coverage_interval": "Coverage, {target} interval",
    "monitor_report.missing_the_deadline": "missing the deadline",
    "monitor_report.next_activity_right": "Next activity right",
    "monitor_report.the_remaining_time_is": "The remaining time is off by {model_mae} days on average, against "
                                            "{best_high} for the best simple rule ({name}): {imp} better.",
    "monitor_report.the_model_days_is": "The model ({model_mae} days) is no better than the best simple rule "
                                        "({name}, {best_high} days): use the predictions with care.",
    "monitor_report.the_interval_held_the": "The {target} interval held the actual remaining time in {coverage} of "
                                            "the test observations (target: {target}); median width {width} days.",
    "monitor_report.miss_evaluated": "The probability of missing the deadline: AUC {auc} (0.5 is "
                                                 "chance, 1 is perfect); Brier {brier} against {brier_base_rate} "
                                                 "if every case got the base rate {base_rate} (lower is better).",
    "monitor_report.miss_not_evaluated": "The probability of missing the deadline could not be evaluated "
                                                   "(one outcome only in the test).",
    "monitor_report.error_by_how_far": "Error by how far the case has come",
    "monitor_report.mean_absolute_error_in": "Mean absolute error in days, model against simple rules, by number "
                                             "of steps so far",
    "monitor_report.steps_so_far": "Steps so far",
    "monitor_report.observations": "Observations",
    "monitor_report.model": "Model",
    "monitor_report.all": "All",
    "monitor_report.calibration": "Calibration",
    "monitor_report.predicted_probability_of_missing": "Predicted probability of missing the deadline against the "
                                                       "observed share, test observations",
    "monitor_report.predicted": "Predicted",
    "monitor_report.mean_predicted": "Mean predicted",
    "monitor_report.observed_share": "Observed share",
    "monitor_report.how_the_model_was": "How the model was tested",
    "monitor_report.temporal_split_at_trained": "Temporal split at {cut}: trained on {train_cases} cases decided "
                                                "before, tested on {test_cases} cases open then and decided since.",
    "monitor_report.random_split_cases_to": "Random split: {train_cases} cases to train, {test_cases} to test.",
    "monitor_report.cases_open_at_the": "{censored_open_cases} cases open at the split are still open and left out "
                                        "of the test (their outcome is unknown).",
    "monitor_report.observations_to_train_one": "{train_observations} observations to train (one per event in the "
                                                "cases), {observations} to test.",
    "monitor_report.features_used": "{features} features used: {features_2}.",
    "monitor_report.case_attributes_left_out": "Case attributes left out of the model, and why",
    "monitor_report.attribute": "Attribute",
    "monitor_report.why": "Why",
    "monitor_report.why_too_many_values": "too many distinct values (an identifier or free text)",
    "monitor_report.the_clock_counts_calendar": "The clock counts calendar days in {zone}: it starts on the local "
                                                "day of the start activity, and a deadline of D days ends at the "
                                                "end of the local day D days later. Public holidays do not stop "
                                                "the clock.",
    "monitor_report.pauses_the_case_waits": "Pauses (the case waits for the applicant) are added up, overlapping "
                                            "pauses count once, and the total is rounded up to whole days; the "
                                            "deadline moves by as many days.",
    "monitor_report.a_pause_still_open": "A pause still open counts until the decision, or for an open case until "
                                         "the moment the run knew of.",
    "monitor_report.weeks_over_started_weeks": "Weeks over = started weeks past the deadline day (one day late is "
                                               "one started week).",
    "monitor_report.refund_rule": "Refund = fee × min(1, {shown} × weeks over): {rate} of the fee per started "
                                       "week, at most the whole fee (SAK10 § 7-6).",
    "monitor_report.legal_basis_plan_og": "Legal basis: plan- og bygningsloven § 21-7 (case-processing deadlines), "
                                          "byggesaksforskriften (SAK10) § 7-4 (when the deadline runs and stops) "
                                          "and § 7-6 (fee reduction for a missed deadline), forvaltningsloven § 11 "
                                          "a (preliminary reply).",
    # bottleneck evidence (mining/bottlenecks.py)
    "bottlenecks.basis_measured": "measured from the previous step's end to this one's start",
    "bottlenecks.basis_between_completions": "time between two completions, not measured waiting: the log has no "
                                             "start times",
    "bottlenecks.waiting_before_median_in": "Waiting before {what}: median {median}, {total} in total over "
                                            "{occurrences} events ({basis_text}).",
    "bottlenecks.this_transition_accounts_for": "This transition accounts for {edge_share} of all waiting before "
                                                "{edge_high}.",
    "bottlenecks.internal_queue_of_the": "Internal queue: {internal_share} of the waiting ends with the "
                                         "organisation's own staff.",
    "bottlenecks.waiting_on_others_than": "Waiting on others than the organisation's own staff ({parts}).",
    "bottlenecks.batch_pattern_weekly": "Batch pattern: {share} of {activity} happens on {day} (while the "
                                            "previous step finishes on that day only {ready_share} of the time), "
                                            "{hour_share} of it between {hour_from}:00 and {hour_to}:00 – like a "
                                            "fixed weekly meeting; cases wait for the next one.",
    "bottlenecks.batch_pattern_daily": "Batch pattern: {hour_share} of {activity} happens between "
                                              "{hour_from}:00 and {hour_to}:00 (the previous step finishes then "
                                              "only {ready_share} of the time) – like a fixed daily run.",
    # rework evidence (mining/rework.py)
    "rework.the_case_goes_back": "The case goes back and forth between two people (at least twice) in {cases} "
                                 "cases ({share} of cases), most often at {steps}; this adds a median of {med} per "
                                 "case, {added} in total.",
    "rework.it_adds_a_median": "it adds a median of {med} per case, {added} in total",
    "rework.cases_of_cases": "{cases} cases ({share} of cases)",
    "rework.is_done_again_right": "{key_low} is done again right after itself in {n}; {cost}.",
    "rework.the_case_goes_back_3": "The case goes back and forth between {key_low} and {key_high} in {n}; {cost}.",
    "rework.the_case_goes_back_2": "The case goes back from {key_low} to {key_high} in {n}; the loop is most often "
                                   "{cycle}; {cost}.",
    "rework.a_median_of_after": "a median of {gap} after the first",
    "rework.of_the_repeats_are_2": "{other_share} of the repeats are done by another person ({when}): this looks "
                                   "like a four-eyes check, but may be duplicate work – check whether it is "
                                   "required.",
    "rework.of_the_repeats_are_3": "{same_share} of the repeats are done by the same person shortly after "
                                   "({when}): this looks like a duplicate entry or a correction.",
    "rework.of_the_repeats_are": "{other_share} of the repeats are done by another person, {same_share} by the "
                                 "same one ({when}): mixed – possibly duplicate work, possibly a check.",
    # the process map (mining/discovery.py)
    "discovery.process_map_events_per": "Process map: events per activity; on the arrows transitions · median time "
                                        "between completions. Showing {activities} activities; hidden "
                                        "{dropped_activities} activities and {dropped_edges} rare transitions.",
    # gain estimates (automation_scoring/gains.py)
    "gains.nok_hours_saved_nok": "NOK = hours saved × {hourly_cost} NOK per hour (--hourly-cost).",
    "gains.quality_cases_decided_differentl": "Quality: cases decided differently from the rule today would be "
                                              "decided consistently.",
    "gains.no_quality_gain_no_rule": "No quality gain is claimed: no rule decides this step.",
    "gains.automation_removes_of_the": "Automation removes {automate_factor} of the step's processing time "
                                       "({processing_hours_per_year} working hours a year, basis {basis}); the "
                                       "rest goes to exceptions.",
    "gains.removing_the_step_removes": "Removing the step removes {eliminate_factor} of its processing time "
                                       "({processing_hours_per_year} working hours a year, basis {basis}).",
    "gains.no_quality_gain_no_outcome": "No quality gain is claimed: the step changes no outcome.",
    "gains.simplification_prevents_of_the": "Simplification prevents {simplify_factor} of the rework: the steps "
                                            "done again take {redone_hours_per_year} working hours a year (basis "
                                            "{basis}).",
    "gains.quality_of_the_affected": "Quality: {simplify_factor} of the affected cases are spared the rework.",
    "gains.unblocking_saves_waiting_not": "Unblocking saves waiting, not staff time: staff hours and NOK are 0.",
    "gains.halving_the_queue_would": "Halving the queue would save {saved} working hours of waiting a year, "
                                     "{per_case} per affected case (waiting basis {wait_basis}).",
    "gains.no_quality_gain": "No quality gain is claimed.",
    "gains.fewer_returns_of_the": "Fewer returns: {simplify_factor} of the returns between the units are avoided. "
                                  "The work done again where the case comes back takes {redone_hours_per_year} "
                                  "hours a year (people's processing time measured from start to completion; 0 "
                                  "where the log has no starts).",
    "gains.the_waiting_at_the": "The waiting at the returns is {waiting_hours_per_year} calendar hours a year; "
                                "{simplify_factor} of it is saved in lead time, not in staff time.",
    "gains.quality_of_the_cases": "Quality: {simplify_factor} of the cases that bounce are spared it.",
    "gains.one_letter_from_the": "One letter from the municipality instead of one per unit saves "
                                 "{letters_saved_per_year} letters a year (units that wrote − 1, per case).",
    "gains.no_staff_hours_are": "No staff hours are claimed here: the letter steps' hours belong to their own "
                                "candidates.",
    "gains.quality_the_cases_that": "Quality: the cases that hear from several units today hear one voice.",
    "gains.fewer_handovers_save_waiting": "Fewer handovers save waiting: half of the waiting at these cases' "
                                          "handovers is {saved} calendar hours a year.",
    "gains.the_staff_time_a": "The staff time a handover costs (getting to know the case again) is not in the "
                              "events: hours and NOK are 0.",
    # scoring notes (automation_scoring/run.py)
    "scoring_run.default_weights": "default weights",
    "scoring_run.model_trained_on": "model trained on {labels} labels on {created}",
    "scoring_run.model_trained_just_now": "model trained on {labels} labels just now",
    # simulation.html and simulation_validation.html (automation_scoring/simulation_report.py)
    "simulation_report.days": "days",
    "simulation_report.percentage_points": "percentage points",
    "simulation_report.hours": "hours",
    "simulation_report.to": "to",
    "simulation_report.no_clear_difference": "no clear difference ({low} {to} {high}\u00a0{unit})",
    "simulation_report.generated": "Generated",
    "simulation_report.simulations": "{runs} simulations",
    "simulation_report.years": "{start} – {end} ({years} years)",
    "simulation_report.warning": "Warning",
    "simulation_report.warnings": "Warnings",
    "simulation_report.of_the_real_mean": " ({share} of the real mean)",
    "simulation_report.n_gram_distance": "n-gram distance",
    "simulation_report.how_differently_the_steps": "How differently the steps follow each other in simulated and "
                                                   "real cases: 0 is the same, 1 is nothing shared.",
    "simulation_report.lead_time_emd": "Lead time (EMD)",
    "simulation_report.lead_time_help": "How many hours the distributions of lead time are apart, and that as "
                                            "a share of the real mean lead time ({mean} days).",
    "simulation_report.arrivals_emd": "Arrivals (EMD)",
    "simulation_report.arrivals_help": "How many hours the moments new cases arrive are apart.",
    "simulation_report.completions_emd": "Completions (EMD)",
    "simulation_report.completions_help": "How many hours the moments cases are completed are apart.",
    "simulation_report.all_events_emd": "All events (EMD)",
    "simulation_report.all_events_help": "How many hours the moments of all events are apart.",
    "simulation_report.work_in_progress": "Work in progress",
    "simulation_report.how_far_apart_the": "How far apart the curves of open cases over time are, in hours.",
    "simulation_report.how_far_the_simulation": "How far the simulation can be trusted",
    "simulation_report.the_simulation_re_created": "The simulation re-created the log's own period, {period}, "
                                                   "{runs} times, and was compared with the real cases. The "
                                                   "numbers below are the mean over the runs; lower is better for "
                                                   "all of them.",
    "simulation_report.median_lead_time_real": "Median lead time, real",
    "simulation_report.median_lead_time_simulated": "Median lead time, simulated",
    "simulation_report.the_measures": "The measures",
    "simulation_report.how_far_simulated_cases": "How far simulated cases are from the real ones, with the limits "
                                                 "for the verdict",
    "simulation_report.measure_column": "Measure",
    "simulation_report.value": "Value",
    "simulation_report.what_it_means": "What it means",
    "simulation_report.good_when_at_most": "Good when at most",
    "simulation_report.fair_when_at_most": "Fair when at most",
    "simulation_report.the_verdict_is_good": "The verdict is “good” when both the n-gram distance and the lead "
                                             "time (as a share) are within the limits for good, “fair” when both "
                                             "are within the limits for fair, and “poor” otherwise.",
    "simulation_report.the_model_learnt": "The model learnt",
    "simulation_report.activities": "{activities} activities.",
    "simulation_report.model_queues": "With a queue (waits for a free clerk)",
    "simulation_report.model_batches": "Collected and done in batches",
    "simulation_report.model_external": "Waits for outside parties",
    "simulation_report.each_run": "Each run",
    "simulation_report.the_measures_for_each": "The measures for each of the {per_run} runs (EMD and work in "
                                               "progress in {hours})",
    "simulation_report.run": "Run",
    "simulation_report.lead_time": "Lead time",
    "simulation_report.arrivals": "Arrivals",
    "simulation_report.completions": "Completions",
    "simulation_report.all_events": "All events",
    "simulation_report.work_in_progress_column": "Work in progress",
    "simulation_report.simulation_validation": "Simulation validation",
    "simulation_report.the_simulation_does_not": "The simulation does not re-create the log well enough: use the "
                                                 "numbers of scenarios with great care.",
    "simulation_report.median_lead_time": "Median lead time",
    "simulation_report.lead_time_90th_percentile": "Lead time, 90th percentile",
    "simulation_report.share_completed_within_the": "Share completed within the target ({days} days)",
    "simulation_report.staff_hours_per_year": "Staff hours per year",
    "simulation_report.cases": "Cases",
    "simulation_report.unclear": "unclear",
    "simulation_report.better": "better",
    "simulation_report.worse": "worse",
    "simulation_report.the_simulation_was_not": "The simulation was not validated against the log: the numbers are "
                                                "unchecked.",
    "simulation_report.the_validation_is_poor": "The validation is poor: the numbers are uncertain. {verdict_text}",
    "simulation_report.simulated_effect": "Simulated effect",
    "simulation_report.what_changes": "What changes",
    "simulation_report.the_log_s_period": "The log's period, {period}, was simulated {runs} times with and without "
                                          "the change. The numbers are the difference between the two (with the "
                                          "change minus today), paired by run; the interval covers 90% of the "
                                          "runs. When the interval includes 0, there is no clear difference.",
    "simulation_report.the_target_the_share": "The target the share is counted against",
    "simulation_report.difference_from_today": "Difference from today",
    "simulation_report.simulated_difference_with_the": "Simulated difference with the change (90% interval)",
    "simulation_report.measure": "Measure",
    "simulation_report.difference_90_interval": "Difference (90% interval)",
    "simulation_report.effect": "Effect",
    "simulation_report.waiting_per_activity": "Waiting per activity",
    "simulation_report.simulated_difference_in_waiting": "Simulated difference in waiting before each activity, "
                                                         "hours per year, largest difference first",
    "simulation_report.activity": "Activity",
    "simulation_report.simulated_levels": "Simulated levels",
    "simulation_report.the_levels_are_simulated": "The levels are simulated, not forecasts: they underlie the "
                                                  "differences above and are less certain than those.",
    "simulation_report.percent_sign": "%",
    "simulation_report.today_simulated": "Today (simulated)",
    "simulation_report.with_the_change_simulated": "With the change (simulated)",
    "simulation_report.simulated_levels_per_year": "Simulated levels, per year where it applies, with 90% interval",
    "simulation_report.simulated_waiting_before_each": "Simulated waiting before each activity, hours per year",
    "simulation_report.assumptions": "Assumptions",
    "simulation_report.validation": "Validation",
    "simulation_report.no_validation_in_this": "No validation in this run. Run `saksflyt simulate --log {log} "
                                               "--validate` to see how well the simulation re-creates the log.",
    "simulation_report.each_run_and_the": "Each run and the model are in {validation_page}.",
    # possibly needless steps' evidence (mining/needless.py)
    "needless.occurs_in_closed_cases": "{activity} occurs in {cases_with} closed cases and is absent from "
                                       "{cases_without}.",
    "needless.given_as_mandatory": "Given as mandatory (--mandatory): never proposed for elimination.",
    "needless.triggered_by_name": "Its name says something arrived from outside (received, a reply, a payment): the "
                                  "step is triggered from outside and is not the municipality's to drop, even if a "
                                  "clerk registers it.",
    "needless.triggered_by_non_staff": "{share} of its events are done by systems or outside parties: the step is "
                                       "triggered from outside (a payment, a reply, an appeal) and is not the "
                                       "municipality's to drop.",
    "needless.triggered_by_event": "Comes after {trigger} (an event by a system or outside party) in {follows} of its "
                                   "cases, and {covers} of the cases with {trigger} get the step: the event triggers "
                                   "it, and it is not the municipality's to drop.",
    "needless.too_few_cases": "Too few cases to test (at least {min_cases} with and {min_cases} without).",
    "needless.outcome_differs": "Outcome: {outcome} in {share_with} of cases with the step against {share_without} "
                                "without ({test} test p {p_outcome}, adjusted for many tests q {q_outcome}; Cramér's "
                                "V = {cramers_v}).",
    "needless.all_closed_cases_end": "All closed cases end the same way: outcomes cannot be compared.",
    "needless.duration_differs": "Case duration: median {median_hours_with} with the step against "
                                 "{median_hours_without} without (Mann–Whitney p {p_duration}, q {q_duration}; "
                                 "rank-biserial r = {rank_biserial}).",
    "needless.most_often_followed_by": "Most often followed by {next_step} ({share}).",
    "needless.largest_other_difference_in": "Largest other difference: {other_step} in {share_with} of cases with the "
                                            "step against {share_without} without.",
    "needless.presence_predicted": "How well its presence is predicted (balanced accuracy, cross-validated): case "
                                   "attributes {attribute_score}, {who} {resource_score}.",
    "needless.outcome_test.chi2": "chi-square",
    "needless.outcome_test.fisher": "Fisher",
    "needless.outcome_test.fisher_monte_carlo": "Fisher (Monte Carlo)",
    "needless.habit_basis.previous_step": "who did the step before it",
    "needless.habit_basis.handler": "who handles the case",
    "needless.habit_basis.co_workers": "who else worked on the case",
    "needless.verdict.rework": "The step sends the case back: see rework instead.",
    "needless.verdict.changes_outcome": "The step goes with a different outcome: not needless.",
    "needless.verdict.rule_driven": "The case attributes decide whether the step happens: rule-driven, not needless "
                                    "(a candidate for automation instead).",
    "needless.verdict.needless": "Candidate for elimination: it changes no outcome, and {who} predicts whether it "
                                 "happens better than the case data do (a habit, not a rule).",
    "needless.verdict.unexplained": "Unexplained: neither the case data nor the people on the case predict whether it "
                                    "happens. It may be spot checks or judgement; listed for review, not proposed for "
                                    "elimination.",
    # automation candidates' reasons (automation_scoring/candidate_sources.py)
    "candidates.volume": "{activity} is done {events_per_year} times a year, in {case_share} of cases; ",
    "candidates.starts_recorded_no_hours": "the log records starts for its work but not for this step: a status "
                                           "change or a registered receipt with no time of its own (basis instant), "
                                           "so no hours are counted.",
    "candidates.no_time_measured": "no time is measured and no person is on its events (basis unknown), so no hours "
                                   "are counted.",
    "candidates.processing_hours": "{processing_hours_per_year} working hours of processing a year by staff "
                                   "({minutes} min per event, basis {basis}; {person_share} of its events are done by "
                                   "people).",
    "candidates.neighbours": "It follows {top_predecessor} in {top_predecessor_share} of its events and is followed "
                             "by {top_successor} in {top_successor_share}; its processing time varies by "
                             "{duration_variability} (coefficient of variation).",
    "candidates.one_rule_predicts": "One rule on the case data predicts which way: right in {accuracy} of {decisions} "
                                    "decisions (grouped cross-validation; the commonest way alone gives {baseline}).",
    "candidates.branch_rule_decides": "A rule on the case data decides whether the case goes to {ruled_branches}: "
                                      "right in {accuracies} of {decisions} decisions (grouped cross-validation). The "
                                      "way on to {other_branches} follows no rule ({output_judgement} of the "
                                      "branching is unexplained), but is not mostly left to judgement at the step "
                                      "either.",
    "candidates.decision_branches": "After {decision_point} the case goes on to {branches}.",
    "candidates.decision_automatable": "The decision taken at {decision_point} can be automated. The hours are only "
                                       "the step's own processing; the branches' work is not counted (they are "
                                       "candidates only on their own evidence).",
    "candidates.decision_rule_text": "{rule} [the decision after {decision_point}; accuracy {accuracy}, {decisions} "
                                     "decisions in {cases} cases]",
    "candidates.standardised_step": "A standardised step: its processing time varies little ({duration_variability} "
                                    "coefficient of variation, limit {standard_cv}), and what follows it is not left "
                                    "to judgement ({output_judgement} unexplained branching).",
    "candidates.present_in_closed_cases": "Present in {cases_with} closed cases and absent from {cases_without}; the "
                                          "case attributes predict whether it happens with {attribute_score}, who "
                                          "handles the case with {resource_score} (balanced accuracy): a habit, not a "
                                          "rule.",
    "candidates.it_adds_a_queue": "It adds a queue of {waiting_hours_per_year} working hours of waiting a year in "
                                  "front of it ({wait_basis}).",
    "candidates.rework_path": "{kind}: {path} in {cases} cases ({case_share} of cases), {cases_per_year} a year.",
    "candidates.staff_steps_done_again": "Staff steps done again (the second and later time in a case): "
                                         "{staff_steps}, {redone} working hours a year. The loop absorbs its steps: "
                                         "no other candidate counts their hours.",
    "candidates.the_rework_adds_calendar": "The rework adds {added_per_case} calendar hours to each affected case's "
                                           "lead time on average ({added_total} hours in all).",
    "candidates.cases_wait_working_hours": "Cases wait {waiting_hours_per_year} working hours a year in front of "
                                           "{activity}, {per_event} per event ({wait_basis}); bottleneck rank "
                                           "{bottleneck_rank} by total waiting.",
    "candidates.the_queue_is_internal": "The queue is internal: the waiting ends with the organisation's own staff "
                                        "({person_share} of its events are done by people).",
    "candidates.back_and_forth_between": "Back and forth between the units {unit_a} and {unit_b}: {return_cases} "
                                         "cases ({return_share} of cases) come back to a unit they have been in, "
                                         "{returns} returns in all, {cases_per_year} cases a year.",
    "candidates.the_return_most_often": "The return most often goes from {source_activity} in {unit_b} to "
                                        "{target_activity} in {unit_a}; median wait at the handover "
                                        "{median_wait_hours}.",
    "candidates.work_done_again_where": "Work done again where the case comes back: {steps}, {redone} hours a year.",
    "candidates.cases_pass_many_units": "Cases pass many units: {cases_many_units} cases ({many_units_share}) pass 3 "
                                        "units or more, median {median_units} per case; {handovers} handovers in all.",
    "candidates.most_frequent_handovers": "Most frequent handovers: {route}.",
    "candidates.several_voices_out": "Several voices out: {multi_voice_cases} cases ({multi_voice_share} of cases) "
                                     "get letters from more than one unit; one joint letter would save {letters} "
                                     "letters ({letters_per_year} a year).",
    "candidates.the_letters_in_these": "The letters in these cases: {who}.",
    "candidates.repeat_contact": "{cases_repeat_door} cases ({repeat_door_share}) had to get in touch more than once.",
    "candidates.wait_basis.measured": "measured",
    "candidates.wait_basis.between_completions": "between completions",
    "candidates.rework_kind.repeat": "Repeat",
    "candidates.rework_kind.loop": "Loop",
    "candidates.rework_kind.ping-pong": "Ping-pong",
    # ranking notes (automation_scoring/ranking.py)
    "ranking.hours_counted_elsewhere": "The hours of the work done again are counted under {candidate_id}, not here.",
    "ranking.also_covers": "Also covers (its hours are counted only here): {absorbed}.",
    "ranking.nothing_stands_out": "nothing stands out",
    "ranking.score": "Score {score} ({model_note})",
    "ranking.strongest": "; strongest: {strongest}.",
    "ranking.feature.hours_saved_per_year": "hours saved per year",
    "ranking.feature.quality_cases_per_year": "quality cases per year",
    "ranking.feature.events_per_year": "events per year",
    "ranking.feature.case_share": "case share",
    "ranking.feature.waiting_hours_per_year": "waiting hours per year",
    "ranking.feature.rule_determinism": "rule determinism",
    "ranking.feature.needless_evidence": "needless evidence",
    "ranking.feature.rework_share": "rework share",
    "ranking.feature.judgement": "judgement",
    "ranking.feature.duration_variability": "duration variability",
    "ranking.feature.predecessor_variability": "predecessor variability",
    "ranking.feature.successor_variability": "successor variability",
    "ranking.feature.handover_share": "handover share",
    "ranking.feature.person_share": "person share",
    "ranking.feature.kind_eliminate": "kind eliminate",
    "ranking.feature.kind_simplify": "kind simplify",
    "ranking.feature.kind_automate": "kind automate",
    "ranking.feature.kind_unblock": "kind unblock",
    # the simulation's sentences, kept in both languages with a run (automation_scoring/simulation.py)
    "simulation.target_days": "Target: a lead time of {days} days (--target-days)",
    "simulation.target_real_p80": "Target: {days} days, what 80 % of the log's closed cases met (no deadline "
                                  "configured)",
    "simulation.deadline_per_case": "Deadline: as configured, per case from the real cases with the same steps (from "
                                    "the latest `saksflyt monitor`)",
    "simulation.deadline_every_case": "Deadline: {days} days for every case (the rules per case type need a `saksflyt "
                                      "monitor` run)",
    "simulation.verdict_text.good": "The simulation reproduces the log well: the order of steps differs little "
                                    "(n-gram {ngram}) and lead times are off by {share} of the mean. Differences "
                                    "between scenarios can be used.",
    "simulation.verdict_text.fair": "The simulation reproduces the log in part (n-gram {ngram}, lead times {share} of "
                                    "the mean off): use the direction of differences, not their size.",
    "simulation.verdict_text.poor": "The simulation does not reproduce the log (n-gram {ngram}, lead times {share} of "
                                    "the mean off): scenario numbers cannot be trusted.",
    "simulation.validation_fair": "The validation is fair: {verdict_text}",
    "simulation.validation_poor": "The validation is poor: {verdict_text}",
    "simulation.few_runs": "Only {runs} runs: the intervals are rough.",
    "simulation.assume_same_model": "Differences are between two simulations of the same model (with and without the "
                                    "change) on the same random numbers; the levels are simulated, not forecasts.",
    "simulation.assume_intervals": "Intervals are the range {level} of the {runs} runs fall in (5th–95th percentile): "
                                   "what one period may show.",
    "simulation.assume_intervals_bootstrap": "Intervals are the range {level} of the {runs} runs fall in (5th–95th "
                                             "percentile): what one period may show, each run with a model learnt "
                                             "from a bootstrap sample of the cases.",
    "simulation.assume_followed": "Every case arriving in the log's period is followed until it ends; staff hours are "
                                  "measured or estimated processing time (the basis is in the model).",
    # what a scenario changes (automation_scoring/simulation_scenarios.py)
    "simulation_scenarios.handover_wait_halved": "The wait before “{activity}”, where cases arrive after a handover, "
                                                 "is halved (the candidate's assumption).",
    "simulation_scenarios.eliminate": "“{activity}” is removed: the step disappears from the cases.",
    "simulation_scenarios.automate": "“{activity}” is automated in {share} of executions: a minute of system time, no "
                                     "staff, no queue; the rest are exceptions staff handle as before (the "
                                     "candidate's assumption).",
    "simulation_scenarios.simplify_loop": "The loop is simplified: from “{activity}” back to “{back}” {share} less "
                                          "often (the share the candidate's hours assume).",
    "simulation_scenarios.simplify_step": "“{activity}” is simplified: its processing time is halved.",
    "simulation_scenarios.extra_batch_day": "“{activity}” gets an extra batch day each week (weekday {weekdays}).",
    "simulation_scenarios.double_capacity": "The queue before “{activity}” gets twice the capacity.",
    "simulation_scenarios.wait_halved": "The wait before “{activity}” is halved (the log shows no capacity-bound "
                                        "queue there: an assumption, the candidate's own).",
    "simulation_scenarios.change.eliminate": "“{activity}” is removed.",
    "simulation_scenarios.change.automate": "“{activity}” is automated ({share} of executions).",
    "simulation_scenarios.change.branch": "From “{activity}” to “{target}” × {factor}.",
    "simulation_scenarios.change.capacity": "Capacity before “{activity}” × {factor}.",
    "simulation_scenarios.change.delay": "The wait before “{activity}” × {factor}.",
    "simulation_scenarios.change.processing": "Processing time of “{activity}” × {factor}.",
    "simulation_scenarios.change.batch": "“{activity}” also on weekday {weekdays}.",
    # the audit trail (admin page, app/app_pages/audit.py)
    "nav.audit": "Audit log",
    "audit.title": "Audit log",
    "audit.intro": "Who viewed, exported, marked, loaded, analysed or dropped which log, and when (UTC). Who is an "
                   "id (the user name on the machine or the login's id), never a name. Rows are deleted after "
                   "{days} days.",
    "audit.filter_log": "Log",
    "audit.filter_action": "Action",
    "audit.filter_subject": "Who",
    "audit.since": "From date",
    "audit.all_logs": "All logs",
    "audit.shown": "{shown} of {total} rows shown (newest first).",
    "audit.empty": "No rows in the audit log yet.",
    "audit.col.at": "When (UTC)",
    "audit.col.subject": "Who",
    "audit.col.action": "Action",
    "audit.col.log": "Log",
    "audit.col.what": "What",
    "audit.col.detail": "Detail",
    "audit.action.view": "viewed the page",
    "audit.action.export": "exported",
    "audit.action.mark": "marked a candidate",
    "audit.action.ingest": "loaded",
    "audit.action.mine": "analysed",
    "audit.action.drop": "dropped the log",
    "audit.action.refused": "was refused",
    # login and access (app/explore_login.py)
    "login.title": "Log in",
    "login.intro": "Saksflyt shows only the logs you have access to. Log in with the municipality's login to see them.",
    "login.button": "Log in",
    "login.as": "Logged in as {who}",
    "login.role": "Role in “{log}”: {role}",
    "login.role.reader": "reader",
    "login.role.owner": "process owner",
    "login.role.admin": "administrator",
    "login.logout": "Log out",
    "login.no_access": "You are logged in but have access to no log. Ask whoever administers Saksflyt for access "
                       "(give them the id {who}).",
    "access.log_refused": "You have no access to the log “{log}”, or it does not exist. The attempt is recorded in "
                          "the audit log.",
    "access.page_refused": "This page is for administrators only. The attempt is recorded in the audit log.",
    "access.read_only": "You can read this log but not mark candidates (that takes the process owner role).",
}
