"""engine/contacts: the contact table. One declared list of columns; the day's contacts fill it
at once, retries and transfer legs append rows; only the exported columns reach the records."""

from __future__ import annotations

import math
from dataclasses import fields

import numpy as np
import pytest

from sim.engine.contacts import ContactTable
from tests.engine.days import agent, calls, centre, contacts, run


def test_a_fill_takes_the_given_columns_and_defaults_elsewhere():
    table = ContactTable()
    table.extend(2, arrival=np.array([5.0, 7.0]), type_of=[0, 1])
    assert table.arrival == [5.0, 7.0] and table.type_of == [0, 1]
    assert table.patience == [math.inf, math.inf] and table.agent_of == [-1, -1]
    assert all(math.isnan(x) for x in table.answer)
    assert len(table) == 2
    assert all(len(getattr(table, f.name)) == 2 for f in fields(table))


def test_an_appended_row_gets_defaults_and_its_index():
    table = ContactTable()
    table.extend(3, arrival=[0.0, 1.0, 2.0])
    j = table.append(arrival=9.0, transfer_of=1)
    assert j == 3 and len(table) == 4
    assert table.transfer_of == [-1, -1, -1, 1] and table.attempt[j] == 0
    assert table.on_done[j] is None and table.deadline[j] == math.inf


def test_columns_keep_their_identity_so_the_parts_can_hold_them():
    """The pool, router and lines look columns up once, after the first fill: appends and
    later fills must go into those same lists."""
    table = ContactTable()
    table.extend(2, arrival=[0.0, 1.0])
    arrival, answer = table.arrival, table.answer
    table.append(arrival=2.0)
    table.extend(1, arrival=np.array([3.0]))
    assert table.arrival is arrival and table.answer is answer
    assert arrival == [0.0, 1.0, 2.0, 3.0] and len(answer) == 4
    table.clear()
    assert table.arrival is arrival and arrival == [] and len(table) == 0


def test_an_unknown_column_is_an_error_not_ignored():
    table = ContactTable()
    with pytest.raises(KeyError, match="waiting_since"):
        table.extend(1, arrival=[0.0], waiting_since=[0.0])
    table = ContactTable()
    table.extend(1, arrival=[0.0])
    with pytest.raises(KeyError, match="colour"):
        table.append(arrival=1.0, colour="red")


def test_only_exported_columns_reach_the_records_typed_by_their_defaults():
    table = ContactTable()
    table.extend(2, arrival=[0.0, 1.0], agent_of=[3, -1], balked=[False, True])
    out = table.exported()
    exported = {f.name for f in fields(ContactTable) if f.metadata["exported"]}
    assert set(out) == exported
    assert {"deadline", "line_of", "key", "on_done", "retry_u"}.isdisjoint(out)
    assert out["agent_of"].dtype.kind == "i" and out["agent_of"].tolist() == [3, -1]
    assert out["balked"].dtype == bool and out["balked"].tolist() == [False, True]
    assert out["answer"].dtype == float and np.isnan(out["answer"]).all()
    assert out["speed"].tolist() == [1.0, 1.0]  # never changed: made at once, same values


def test_retries_and_legs_come_after_the_days_contacts_in_the_records():
    """Call 1 (at 10) gives up after 50 s and retries 100 s later; call 0 has a second leg.
    The records list the day's two contacts first, then the rows appended as they came: the
    retry (at 160), the leg (at 1000)."""
    from sim.distributions import Deterministic
    from sim.model import Retrial

    model = centre(
        [agent("a1", ("calls", "tech"))],
        types=(calls(transfer_to="tech"), calls("tech")),
        retrials={"phone": Retrial(1.0, 0.0, Deterministic(100))},
    )
    engine = run(
        model,
        contacts(
            model, [0.0, 10.0], patience=[math.inf, 50.0], handle=1000.0, legs={0: ("tech", 5)}
        ),
    )
    records = engine.records()
    assert records.arrival_s.tolist() == [0, 10, 160, 1000]
    assert records.attempt.tolist() == [0, 0, 1, 0]
    assert records.transfer_of.tolist() == [-1, -1, -1, 0]
    assert records.customer.tolist() == [0, 1, 1, 0]
