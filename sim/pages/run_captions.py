"""The run report's figure captions: each figure's title and how to read it, in words that
name the run's own interval length, replications and target."""

from __future__ import annotations

from sim.rundir.read import Run


def captions(run: Run) -> dict[str, tuple[str, str]]:
    """(title, how to read it) per figure of the run report."""
    minutes = f"{run.interval_s / 60:g}-minute"
    reps = run.replications
    target = f"{run.target:.0%}"
    return {
        "service_level": (
            "Service level per interval",
            f"One line per queue, coloured by channel (a channel's queues told apart by line "
            f"style), plotted at the middle of each {minutes} interval; past 24 hours each "
            f"channel has its own row. The shaded band is the 95% confidence interval over the {reps} "
            f"replications (clipped to 0-100%). Triangles mark intervals whose mean is below the "
            f"{target} target (dashed line). Contacts count in the interval they arrived in; "
            "intervals with no contacts are left out, so lines break while a channel is closed. "
            "A band that straddles the target means the replications disagree: more "
            "replications would settle it."
            + (
                " Dotted, with dots: the replayed log's own service level (one day as it happened)."
                if "log" in run.summary
                else ""
            ),
        ),
        "volumes": (
            "Contacts per interval",
            "Mean contacts per interval over the replications, by arrival interval, one panel per "
            "channel (its queues summed; each panel has its own scale; past 24 hours one row "
            "each). Offered counts every "
            "attempt (retries too); contained ended at the IVR or bot; the gap between offered "
            "and answered plus contained is the abandoned, blocked (busy signal: every line "
            "taken), balked, failed-callback and unserved contacts (those shown when there are "
            "any).",
        ),
        "queue": (
            "Queue length and longest wait",
            "Channels whose queues are on scales more than ten times apart (an email backlog "
            "beside a phone queue) are drawn in separate rows, each with its own axis. Queue "
            "length: the number of contacts waiting in queue (from joining it, after the IVR or bot, as "
            "the waits count), averaged over each interval and over the "
            "replications (1.5 means one or two contacts were waiting on average). Longest wait: "
            "the longest wait among contacts that arrived in the interval (each replication's "
            "maximum, averaged); the scale turns logarithmic when waits span orders of magnitude "
            "(then intervals where nobody waited are blank), and a dashed line marks a channel's "
            "threshold when it is within range. Up to 24 hours the two sit side by side; past "
            "24 hours each has a full-width row. The queue is shown up to the end of the "
            "horizon; contacts still waiting after it are not drawn.",
        ),
        "wait_cdf": (
            "How long contacts waited",
            "Read a point (x, y) as: a share y of the contacts that reached a queue waited x or "
            "less. The curve's height at 0 is the share answered at once (callers who balked at "
            "the announced wait count there too); where a channel's curve crosses its "
            "dashed threshold line is the share within threshold (abandoners count with the time "
            "they waited, so this is close to, not exactly, the service level). Contacts of all "
            "replications are pooled; segments (right) are not channels, so they share one dark "
            "colour, told apart by line style. When waits span seconds to hours the axis is "
            "symlog: linear below 1 s, logarithmic above.",
        ),
        "staffing": (
            "Staffing gap",
            "Solid: agents scheduled with the queue's skill (planned shifts less planned breaks, "
            "averaged over the interval); multi-skilled agents count in every queue they serve, "
            "so panels do not add up to the head count. Dashed and dotted: the fewest agents "
            f"Erlang C (no abandonment) and Erlang A (with abandonment) need for {target} of the "
            "forecast volume within threshold. Light red: fewer scheduled than Erlang C; dark "
            "red: fewer than Erlang A too; marked only for real-time queues in their opening "
            "hours. A deferrable channel (email) gets no shortfall: its backlog waits for free "
            "agents by design and is judged by its deadline (the service level and the wait "
            "distribution), so its Erlang lines are a guide to the load only. Erlang assumes a "
            "dedicated team in steady state, so it is a guide only for shared agents. Past 24 "
            "hours each queue has a full-width row.",
        ),
        "events": (
            "Busy signals, balks, callbacks, retries and transfers",
            "Per interval and channel, mean over the replications: callers blocked by a busy "
            "signal (every line of the channel taken), callers who balked at the announced wait, "
            "callers who took a callback instead of waiting, retries (a customer who abandoned, "
            "balked or was blocked, trying again; counted where the retry arrives) and transfer "
            "legs (second agents after a transfer or a misroute; counted in the queue they join). "
            "Shown only when any happened.",
        ),
        "alerts": (
            "Alerts over the day",
            f"Top: for each alert rule, in the colour of the channel it watches (rules on one "
            f"channel told apart by line style), the share of the {reps} replications in which it was "
            f"raised, averaged over each {minutes} interval (100%: raised throughout the "
            "interval in every replication; 25%: for instance raised a quarter of the time, or "
            "in a quarter of the replications). The legend gives how often each rule was raised "
            "a day and its condition; a rarely raised rule can stay near 0 all day. Bottom, "
            "when there were any: on-call agents arriving per interval (bars; counted when they "
            "logged in, which is later than the alert that called them) and agents moved onto "
            "another queue (line: the mean number at a time), each a mean over the "
            "replications. Shown only when an alert was raised.",
        ),
        "occupancy": (
            "Occupancy by agent group",
            "Each cell is the share of available time (logged in, not on break) the group's "
            "agents spent handling or wrapping up contacts in that interval, averaged over the "
            "replications; the number after the group's name is its head count. Blank: nobody of "
            "the group was logged in. Sustained values above about 85-90% wear agents out and "
            "let queues grow; low values are idle capacity. Busy time counts when it happens, so "
            "an agent finishing a contact after shift end can show a short 100% sliver.",
        ),
    }
