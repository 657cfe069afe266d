"""Marks: a sorted id array that behaves as a set of client ids."""

from __future__ import annotations

import numpy as np

from dext_tui.widgets.marks import Marks


def test_marks_add_discard_update_and_ask_like_a_set():
    marks = Marks()
    assert not marks and len(marks) == 0 and 5 not in marks
    marks.update(np.array([9, 3, 5, 3], dtype=np.int64))
    marks.add(7)
    marks.add(5)
    assert list(marks) == [3, 5, 7, 9] and len(marks) == 4
    assert 7 in marks and np.int64(9) in marks and 4 not in marks and "7" not in marks
    marks.discard(5)
    marks.difference_update(np.array([9, 100]))
    assert list(marks) == [3, 7]
    assert marks.missing_from(np.array([7, 8])).tolist() == [3]
    marks.clear()
    assert not marks
