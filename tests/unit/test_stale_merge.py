"""A stale save merged field by field: only a field both sides changed is a conflict."""

from __future__ import annotations

from dext_tui.screens.manage.stale_merge import merge_message, merge_stale


def test_each_side_keeps_the_field_only_it_changed():
    base = {"name": "Old", "code": "A", "crn": "1"}
    mine = {"name": "Old", "code": "MINE", "crn": "1"}
    theirs = {"name": "New", "code": "A", "crn": "1"}
    merge = merge_stale(base, mine, theirs)
    assert merge.values == {"name": "New", "code": "MINE", "crn": "1"}
    assert merge.taken == ["name"] and merge.conflicts == {}


def test_the_same_change_on_both_sides_is_no_conflict():
    merge = merge_stale({"code": "A"}, {"code": "B"}, {"code": "B"})
    assert merge.values == {"code": "B"} and merge.conflicts == {} and merge.taken == []


def test_different_changes_to_one_field_are_a_conflict_keeping_mine_in_the_field():
    merge = merge_stale({"name": "Old"}, {"name": "Mine"}, {"name": "Theirs"})
    assert merge.values == {"name": "Mine"} and merge.conflicts == {"name": "Theirs"}
    said = merge_message("Admin", merge, {"name": "Client name"})
    assert "you both changed Client name" in said and "ctrl+t" in said
