"""Staffing search: the cheapest roster (from a menu of shifts) meeting service targets, found
by an Erlang requirement covered with an integer program and corrected by simulation.
`python -m sim.staffing`; see README, 'Staffing search'."""
