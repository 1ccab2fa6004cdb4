"""The figures' rules, checked on synthetic tables (no simulation): channels on unlike scales
never share a panel, a deferrable channel and closed hours get no staffing shortfall, every
colour means one thing, and no two labels overlap, on a one-day and a week-long horizon."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from sim.pages import figures

CHANNELS = {"phone": ["phone_general", "phone_senior"], "chat": ["chat"], "email": ["email"]}
INTERVAL_S = 1800.0
COLOURS = figures.channel_colours(CHANNELS)
THRESHOLDS = {"phone": 20.0, "chat": 30.0, "email": 86400.0}


def _intervals(days: int, seed: int = 1) -> pd.DataFrame:
    """An interval table of `days` days: phone and chat open 08:00-22:00, email all day;
    staffing short of Erlang at the peaks of every queue, email at night too."""
    rng = np.random.default_rng(seed)
    n = 48 * days
    hour = (np.arange(n) % 48) / 2
    rows = []
    for channel, queues in CHANNELS.items():
        open_ = np.ones(n, bool) if channel == "email" else (hour >= 8) & (hour < 22)
        for queue in queues:
            offered = np.where(open_, rng.poisson(40, n), 0).astype(float)
            need = np.where(open_, np.ceil(offered / 4) + 1, 0.0)
            scheduled = np.where(open_, need - (hour > 9) * (hour < 11) * 3, 0.0)
            if channel == "email":
                scheduled = np.where(hour < 7, 0.0, need)  # nobody at night: a backlog
            sl = np.where(offered > 0, rng.uniform(0.5, 1.0, n), np.nan)
            rows.append(
                pd.DataFrame(
                    {
                        "channel": channel,
                        "queue": queue,
                        "interval": np.arange(n),
                        "forecast": offered,
                        "agents_scheduled": scheduled.clip(0),
                        "erlang_c_required": need,
                        "erlang_a_required": np.maximum(need - 1, 0),
                        "offered": offered,
                        "answered": offered * 0.9,
                        "abandoned": offered * 0.05,
                        "contained": offered * 0.2,
                        "unserved": offered * 0.01,
                        "service_level": sl,
                        "service_level_lo": sl - 0.1,
                        "service_level_hi": sl + 0.1,
                        "balked": offered * 0.02,
                        "retrials": offered * 0.03,
                        "transfers": offered * 0.04,
                    }
                )
            )
    return pd.concat(rows, ignore_index=True)


def _queues(days: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mean queue length (phone and chat about 3, email's backlog about 80) and longest waits."""
    n = 48 * days
    t = np.arange(n)
    index = pd.RangeIndex(n, name="interval")
    waiting = pd.DataFrame(
        {
            "phone": 3 * (np.sin(t / 5) ** 2),
            "chat": 2.5 * (np.cos(t / 7) ** 2),
            "email": 80 * t / n,
        },
        index=index,
    )
    longest = pd.DataFrame(
        {"phone": 60 + 30 * np.sin(t), "chat": 90 + 20 * np.cos(t), "email": 3600 + 10 * t},
        index=index,
    )
    return waiting, longest


def _all_figures(days: int) -> dict[str, Figure]:
    intervals = _intervals(days)
    n = 48 * days
    waiting, longest = _queues(days)
    rng = np.random.default_rng(2)
    waits = pd.DataFrame(
        {
            "channel": rng.choice(list(CHANNELS), 3000),
            "segment": rng.choice(["vip", "regular"], 3000),
            "wait_s": rng.exponential(60, 3000),
        }
    )
    groups = ["chat_team", "email_team", "phone_team", "senior"]
    occupancy = pd.DataFrame(rng.uniform(0, 1, (len(groups), n)), index=groups)
    raised = pd.DataFrame(
        {"phone_sl": rng.uniform(0, 1, n), "chat_wait": rng.uniform(0, 1, n)},
        index=pd.RangeIndex(n),
    )
    activity = pd.DataFrame(
        {"call_ins": rng.poisson(1, n).astype(float), "moved": rng.uniform(0, 2, n)},
        index=pd.RangeIndex(n),
    )
    hours = {"email"}, {c: np.ones(n, bool) for c in CHANNELS}
    return {
        "service_level": figures.service_level(intervals, 0.8, INTERVAL_S, n, COLOURS, THRESHOLDS),
        "volumes": figures.volumes(intervals, INTERVAL_S, n, COLOURS),
        "events": figures.events(intervals, INTERVAL_S, n, COLOURS),
        "queue": figures.queue(waiting, longest, INTERVAL_S, n, COLOURS, THRESHOLDS),
        "wait_cdf": figures.wait_cdf(waits, THRESHOLDS, COLOURS, ["vip", "regular"]),
        "staffing": figures.staffing(intervals, INTERVAL_S, n, COLOURS, 0.8, *hours),
        "occupancy": figures.occupancy(occupancy, INTERVAL_S, n, dict.fromkeys(groups, 5)),
        "alerts": figures.alerts(
            raised,
            {"phone_sl": "phone_sl: raised 4× a day", "chat_wait": "chat_wait: raised 20× a day"},
            activity,
            INTERVAL_S,
            n,
            10,
            rule_channel={"phone_sl": "phone", "chat_wait": "chat"},
            colours=COLOURS,
        ),
    }


def _text_boxes(fig: Figure) -> list[tuple[str, object]]:
    """Window extents of every visible text: tick labels, titles, axis labels, figure texts,
    and each legend as one box."""
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw_without_rendering()
    boxes = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        drawn = [*ax.xaxis._update_ticks(), *ax.yaxis._update_ticks()]  # within the limits
        labels = [t.label1 for t in drawn] + [t.label2 for t in drawn]
        titles = [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label]
        for text in [*labels, *titles]:
            if text.get_visible() and text.get_text().strip():
                boxes.append((text.get_text(), text.get_window_extent(renderer)))
    for text in fig.texts:  # the title and the shared axis labels
        if text.get_text().strip():
            boxes.append((text.get_text(), text.get_window_extent(renderer)))
    for legend in fig.legends:
        boxes.append(("legend", legend.get_window_extent(renderer)))
    return boxes


@pytest.mark.parametrize("days", [1, 7])
def test_no_two_labels_overlap_and_all_stay_on_the_figure(days):
    for name, fig in _all_figures(days).items():
        boxes = _text_boxes(fig)
        width, height = fig.bbox.width, fig.bbox.height
        for text, box in boxes:
            assert box.x0 >= -1 and box.y0 >= -1, (name, text, "off the figure")
            assert box.x1 <= width + 1 and box.y1 <= height + 1, (name, text, "off the figure")
        for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
            assert not box_a.overlaps(box_b) or box_a.width == 0 or box_b.width == 0, (
                name,
                a,
                b,
            )


def test_scale_groups_split_where_peaks_differ_more_than_ten_fold():
    assert figures.scale_groups({"phone": 3, "chat": 2.5, "email": 80}) == [
        ["phone", "chat"],
        ["email"],
    ]
    assert figures.scale_groups({"phone": 3, "chat": 2.5, "email": 25}) == [
        ["phone", "chat", "email"]
    ]
    # Near-empty queues count as 1 contact, so they join the small ones rather than stand alone.
    assert figures.scale_groups({"phone": 0.0, "chat": 0.2, "email": 9}) == [
        ["phone", "chat", "email"]
    ]
    for groups in (
        figures.scale_groups({"a": 1, "b": 12, "c": 130, "d": 1400}),
        figures.scale_groups({"a": 5, "b": 40, "c": 60, "d": 700}),
    ):
        assert sorted(itertools.chain(*groups)) == ["a", "b", "c", "d"]
        for group in groups:
            assert len(group) >= 1


@pytest.mark.parametrize("days", [1, 7])
def test_queue_lengths_on_unlike_scales_never_share_an_axis(days):
    waiting, longest = _queues(days)
    fig = figures.queue(waiting, longest, INTERVAL_S, 48 * days, COLOURS, THRESHOLDS)
    colour_channel = {colour: channel for channel, colour in COLOURS.items()}
    for ax in fig.axes:
        drawn = {
            colour_channel[to_hex(line.get_color())]
            for line in ax.get_lines()  # the steps of each channel (and its threshold)
            if to_hex(line.get_color()) in colour_channel
        }
        peaks = [float(waiting[c].max()) for c in drawn]
        if "Queue length" in ax.get_title(loc="left") and peaks:
            assert max(peaks) <= figures.SCALE_RATIO * max(min(peaks), 1.0), drawn
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert "Queue length: phone, chat" in titles and "Queue length: email" in titles


def _short_fills(ax) -> int:
    """Vertices of the shortfall shading drawn in one staffing panel."""
    return sum(
        len(path.vertices)
        for collection in ax.collections
        if isinstance(collection, PolyCollection)
        for path in collection.get_paths()
    )


def test_no_shortfall_for_a_deferrable_channel_or_closed_hours():
    intervals = _intervals(1)
    n = 48
    hours = {c: np.ones(n, bool) for c in CHANNELS}
    fig = figures.staffing(intervals, INTERVAL_S, n, COLOURS, 0.8, {"email"}, hours)
    panels = {ax.get_title(loc="left").split(" (")[0]: ax for ax in fig.axes if ax.get_visible()}
    assert _short_fills(panels["email"]) == 0  # short at night, but deferrable
    assert _short_fills(panels["phone: phone_general"]) > 0  # short at the 09:00-11:00 peak
    # The same email panel as a real-time queue would be shaded: the rule, not the data.
    fig = figures.staffing(intervals, INTERVAL_S, n, COLOURS, 0.8, (), hours)
    panels = {ax.get_title(loc="left"): ax for ax in fig.axes if ax.get_visible()}
    assert _short_fills(panels["email"]) > 0


def test_shortfalls_only_where_open_and_real_time():
    scheduled = np.array([0, 2, 5, 5, 0])
    need_c = np.array([1, 3, 6, 4, 2])
    need_a = np.array([1, 3, 5, 4, 2])
    open_ = np.array([False, True, True, True, False])
    short_c, short_a = figures.shortfalls(scheduled, need_c, need_a, True, open_)
    assert short_c.tolist() == [False, True, True, False, False]
    assert short_a.tolist() == [False, True, False, False, False]
    short_c, short_a = figures.shortfalls(scheduled, need_c, need_a, False, open_)
    assert not short_c.any() and not short_a.any()


def test_every_colour_means_one_thing():
    roles = list(figures.ROLE_COLOURS.values())
    assert len(set(roles)) == len(roles), "two meanings share a colour"
    channel_pool = [*figures.FIXED_CHANNEL_COLOURS.values(), *figures.EXTRA_CHANNEL_COLOURS]
    assert len(set(channel_pool)) == len(channel_pool)
    assert not set(roles) & set(channel_pool), "a channel's colour used for something else"
    variants = figures.VARIANT_COLOURS  # the sweep page's variants, drawn on per-channel panels
    assert len(set(variants)) == len(variants)
    assert not set(variants) & (set(roles) | set(channel_pool))
    five = figures.channel_colours(["email", "fax", "chat", "phone", "sms"])
    assert len(set(five.values())) == 5
    assert five["phone"] == figures.FIXED_CHANNEL_COLOURS["phone"]


@pytest.mark.parametrize("name", ["volumes", "events", "alerts", "wait_cdf", "occupancy"])
def test_channel_colours_draw_only_channels(name):
    """In the outcome, event and alert figures no line, bar or fill is in a channel's colour
    except where it stands for that channel (the alert rules watching it; the per-channel wait
    curves and thresholds)."""
    fig = _all_figures(1)[name]
    channel_colours = set(COLOURS.values())
    allowed = {
        "alerts": {COLOURS["phone"], COLOURS["chat"]},  # rules on phone and chat
        "wait_cdf": channel_colours,  # the left panel's curves per channel
    }.get(name, set())
    for ax in fig.axes:
        colours = {to_hex(line.get_color()) for line in ax.get_lines()}
        colours |= {to_hex(p.get_edgecolor()) for p in ax.patches if p.get_fill() is False}
        colours |= {to_hex(p.get_facecolor()) for p in ax.patches if p.get_fill()}
        assert not (colours & channel_colours) - allowed, (name, colours & channel_colours)
    segments_panel = fig.axes[1] if name == "wait_cdf" else None
    if segments_panel is not None:  # segments are not channels: no channel colour on curves
        curves = {to_hex(line.get_color()) for line in segments_panel.get_lines()[:2]}
        assert not curves & channel_colours


def test_legends_use_plain_words():
    fig = _all_figures(1)["volumes"]
    texts = [t.get_text() for legend in fig.legends for t in legend.get_texts()]
    assert texts and all("_" not in t for t in texts), texts  # no column names


def test_alert_rules_take_their_channels_colour_and_differ_by_line_style():
    styles = figures.rule_styles(
        ["phone_queue", "phone_sl", "chat_wait", "mystery"],
        {"phone_queue": "phone", "phone_sl": "phone", "chat_wait": "chat"},
        COLOURS,
    )
    assert styles["phone_queue"][0] == styles["phone_sl"][0] == COLOURS["phone"]
    assert styles["phone_queue"][1] != styles["phone_sl"][1]
    assert styles["chat_wait"][0] == COLOURS["chat"]
    assert styles["mystery"][0] == figures.ROLE_COLOURS["unknown_channel"]


def test_channel_colours_and_clock_labels():
    colours = figures.channel_colours(["email", "fax", "chat", "phone", "sms"])
    assert colours["phone"] == figures.FIXED_CHANNEL_COLOURS["phone"]
    assert colours["email"] == figures.FIXED_CHANNEL_COLOURS["email"]
    assert len(set(colours.values())) == 5
    assert figures.clock_label(8.5) == "08:30"
    assert figures.clock_label(32) == "32:00"  # 08:00 on day two, as in intervals.csv
