"""Fault injection between a real adapter and the sandbox: every write, every way it can break.

A raw-socket proxy (``proxy.py``) sits between an adapter and the sandbox server and breaks the
one write under test before or after the sandbox acts (``faults.py``); ``writes.py`` knows each
vendor's write routes and envelopes, ``verdicts.py`` judges one cell and keeps the matrix totals
printed at the end of the run.
"""
