"""Mechanisms of docs/model.md §3, one file each, all behind the small `Policy` interface in `base.py`."""
