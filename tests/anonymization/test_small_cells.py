"""Small-cell suppression: primary cells, complementary cells, and an audit checked by algebra."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from anonymization.small_cells import SuppressedTable, disclosed_cells, suppress
from catalog.errors import CartableError


def frame(rows: list[list[int]], index: list[str] | None = None) -> pd.DataFrame:
    labels = index or [f"r{i}" for i in range(len(rows))]
    return pd.DataFrame(rows, index=labels, columns=[f"c{j}" for j in range(len(rows[0]))])


def cells(table: SuppressedTable, grid: list[list[bool]]) -> set[tuple[str, str]]:
    return {
        (table.rows[i], table.columns[j])
        for i, line in enumerate(grid)
        for j, flag in enumerate(line)
        if flag
    }


def determined_by_algebra(table: SuppressedTable) -> list[tuple[str, str]]:
    """Suppressed cells the published totals fix, by linear algebra alone (no graph).

    The unknowns are the suppressed cells; each published total is one equation over the
    unknowns of its line. A cell is determined iff its unit vector lies in the row space of
    the equations, i.e. adding it as an equation does not raise the rank.
    """
    unknowns = [
        (i, j) for i, line in enumerate(table.suppressed) for j, flag in enumerate(line) if flag
    ]
    if not unknowns:
        return []
    equations = [[1.0] * len(unknowns)]  # the grand total, always published
    if table.row_totals is not None:
        equations += [[float(i == r) for r, _ in unknowns] for i in range(len(table.rows))]
    if table.column_totals is not None:
        equations += [[float(j == c) for _, c in unknowns] for j in range(len(table.columns))]
    matrix = np.array(equations)
    rank = np.linalg.matrix_rank(matrix)
    found = []
    for k, (i, j) in enumerate(unknowns):
        unit = np.zeros(len(unknowns))
        unit[k] = 1.0
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.append((table.rows[i], table.columns[j]))
    return found


def hand_built(counts: list[list[int]], suppressed: list[list[bool]]) -> SuppressedTable:
    """A two-way table with the given cells suppressed (all of them counted as primary)."""
    return SuppressedTable(
        rows=[f"r{i}" for i in range(len(counts))],
        columns=[f"c{j}" for j in range(len(counts[0]))],
        counts=counts,
        primary=suppressed,
        suppressed=suppressed,
        row_totals=[sum(line) for line in counts],
        column_totals=[sum(column) for column in zip(*counts, strict=True)],
        total=sum(map(sum, counts)),
        threshold=5,
    )


# --- primary suppression ---------------------------------------------------------------------


def test_primary_cells_are_the_small_counts_below_the_default_threshold_of_five():
    table = suppress(frame([[4, 5, 30], [1, 60, 70], [20, 40, 50]]))

    assert table.threshold == 5
    assert cells(table, table.primary) == {("r0", "c0"), ("r1", "c0")}
    assert cells(table, table.primary) <= cells(table, table.suppressed)


def test_a_large_table_needs_no_suppression():
    table = suppress(frame([[10, 20], [30, 40]]))

    assert not cells(table, table.suppressed)
    assert table.complementary() == []


def test_the_threshold_can_be_changed():
    table = suppress(frame([[2, 3], [3, 2]]), threshold=3)

    assert cells(table, table.primary) == {("r0", "c0"), ("r1", "c1")}


def test_zeros_are_published_by_default_and_suppressed_with_suppress_zeros():
    counts = frame([[0, 20, 30], [40, 50, 60], [70, 80, 90]])

    kept = suppress(counts)
    assert not cells(kept, kept.suppressed)
    assert kept.to_frame().loc["r0", "c0"] == 0
    hidden = suppress(counts, suppress_zeros=True)
    assert cells(hidden, hidden.primary) == {("r0", "c0")}
    assert disclosed_cells(hidden) == []


# --- complementary suppression ---------------------------------------------------------------


def test_a_row_with_one_small_cell_gets_the_smallest_non_zero_cell_of_that_row():
    table = suppress(frame([[2, 30, 15, 0], [40, 50, 60, 70], [20, 80, 90, 100]]))

    assert ("r0", "c2") in table.complementary()  # 15: smaller than 30, and not the zero
    assert ("r0", "c3") not in table.complementary()
    assert disclosed_cells(table) == []


def test_a_column_with_one_small_cell_gets_the_smallest_non_zero_cell_of_that_column():
    table = suppress(frame([[2, 40, 20], [30, 50, 80], [15, 60, 90], [0, 70, 100]]))

    assert ("r2", "c0") in table.complementary()  # 15: smaller than 30, and not the zero
    assert ("r3", "c0") not in table.complementary()
    assert disclosed_cells(table) == []


def test_a_lone_small_cell_is_protected_by_a_rectangle_of_the_smallest_cells():
    table = suppress(frame([[2, 30, 15], [40, 50, 60], [20, 70, 80]]))

    assert table.complementary() == [("r0", "c2"), ("r2", "c0"), ("r2", "c2")]


def test_a_zero_is_suppressed_only_when_nothing_else_can_protect_the_line():
    # Row r0 holds one non-zero cell: it equals the row total unless the zero is withheld.
    table = suppress(frame([[3, 0], [10, 20]]))

    assert ("r0", "c1") in table.complementary()
    assert disclosed_cells(table) == []
    assert determined_by_algebra(table) == []


# --- the bridge ------------------------------------------------------------------------------

# Two 2 × 2 blocks of small cells (r0-r1 × c0-c1 and r2-r3 × c2-c3) joined by (r1, c2).
BRIDGED = [
    [2, 3, 40, 12],
    [4, 1, 2, 60],
    [30, 35, 3, 4],
    [45, 55, 2, 1],
]
BRIDGED_CELLS = [
    [True, True, False, False],
    [True, True, True, False],
    [False, False, True, True],
    [False, False, True, True],
]


def test_a_cell_joining_two_blocks_is_disclosed_though_every_line_hides_two_cells():
    table = hand_built(BRIDGED, BRIDGED_CELLS)

    assert all(sum(line) >= 2 for line in BRIDGED_CELLS)
    assert all(sum(column) >= 2 for column in zip(*BRIDGED_CELLS, strict=True))
    assert disclosed_cells(table) == [("r1", "c2")]
    assert determined_by_algebra(table) == [("r1", "c2")]


def test_suppress_closes_the_bridge_with_the_smallest_cell_across_the_two_blocks():
    table = suppress(frame(BRIDGED))

    assert cells(table, table.primary) == cells(hand_built(BRIDGED, BRIDGED_CELLS), BRIDGED_CELLS)
    assert table.complementary() == [("r0", "c3")]  # 12: the smallest cell joining the blocks
    assert disclosed_cells(table) == []
    assert determined_by_algebra(table) == []


def test_a_line_with_one_suppressed_cell_is_disclosed():
    table = hand_built([[2, 30], [40, 50]], [[True, False], [False, False]])

    assert disclosed_cells(table) == [("r0", "c0")]


# --- one-column and one-row tables -----------------------------------------------------------

CATEGORIES = ["Arts", "Sciences", "Sports", "Music"]


def test_a_single_small_category_gets_a_second_category_suppressed():
    table = suppress(pd.DataFrame({"Students": [3, 40, 12, 25]}, index=CATEGORIES))

    assert table.complementary() == [("Sports", "Students")]
    assert table.row_totals is None
    assert table.column_totals == [80]
    assert disclosed_cells(table) == []
    assert determined_by_algebra(table) == []
    published = table.to_frame()
    assert list(published.columns) == ["Students"]  # no per-row totals
    assert list(published.index) == [*CATEGORIES, "Total"]
    assert published["Students"].tolist() == ["x", 40, "x", 25, 80]


def test_two_small_categories_protect_each_other():
    table = suppress(pd.DataFrame({"Students": [3, 40, 2, 25]}, index=CATEGORIES))

    assert table.complementary() == []
    assert disclosed_cells(table) == []


def test_a_one_row_table_publishes_only_the_grand_total():
    table = suppress(pd.DataFrame([[3, 40, 12, 25]], index=["Students"], columns=CATEGORIES))

    assert table.complementary() == [("Students", "Sports")]
    assert table.column_totals is None
    published = table.to_frame()
    assert list(published.index) == ["Students"]  # no per-column totals
    assert published.loc["Students"].tolist() == ["x", 40, "x", 25, 80]


def test_a_single_suppressed_category_is_disclosed_by_the_grand_total():
    table = SuppressedTable(
        rows=["Arts", "Sciences"],
        columns=["Students"],
        counts=[[3], [40]],
        primary=[[True], [False]],
        suppressed=[[True], [False]],
        row_totals=None,
        column_totals=[43],
        total=43,
        threshold=5,
    )

    assert disclosed_cells(table) == [("Arts", "Students")]
    assert determined_by_algebra(table) == [("Arts", "Students")]


def test_a_one_cell_table_with_a_small_count_cannot_be_protected():
    with pytest.raises(CartableError, match="table too small to protect"):
        suppress(pd.DataFrame({"Students": [3]}, index=["Arts"]))

    assert suppress(pd.DataFrame({"Students": [30]}, index=["Arts"])).to_frame().shape == (1, 1)


# --- randomised checks against linear algebra -------------------------------------------------


def test_the_bridge_audit_agrees_with_linear_algebra_on_random_suppression_patterns():
    rng = np.random.default_rng(7)
    disclosures = 0
    for _ in range(300):
        n_rows, n_columns = (int(n) for n in rng.integers(1, 7, size=2))
        counts = rng.integers(0, 13, size=(n_rows, n_columns)).tolist()
        hidden = (rng.random((n_rows, n_columns)) < 0.4).tolist()
        table = SuppressedTable(
            rows=[f"r{i}" for i in range(n_rows)],
            columns=[f"c{j}" for j in range(n_columns)],
            counts=counts,
            primary=hidden,
            suppressed=hidden,
            row_totals=[sum(line) for line in counts] if n_columns > 1 else None,
            column_totals=[sum(c) for c in zip(*counts, strict=True)] if n_rows > 1 else None,
            total=sum(map(sum, counts)),
            threshold=5,
        )
        assert disclosed_cells(table) == determined_by_algebra(table), (counts, hidden)
        disclosures += len(disclosed_cells(table))
    assert disclosures > 100  # the patterns do disclose: the comparison is not vacuous


def test_no_suppressed_cell_of_200_random_tables_can_be_recomputed():
    rng = np.random.default_rng(20240611)
    complementary = 0
    for _ in range(200):
        n_rows, n_columns = (int(n) for n in rng.integers(2, 7, size=2))
        counts = rng.integers(0, 13, size=(n_rows, n_columns)).tolist()
        zeros = bool(rng.random() < 0.25)
        table = suppress(frame(counts), suppress_zeros=zeros)

        expected = [[0 < n < 5 or (zeros and n == 0) for n in line] for line in counts]
        assert table.primary == expected
        assert disclosed_cells(table) == [], counts
        assert determined_by_algebra(table) == [], counts
        complementary += len(table.complementary())
    assert complementary > 200  # most tables needed complementary cells


def test_no_category_of_random_one_column_or_one_row_tables_can_be_recomputed():
    rng = np.random.default_rng(11)
    for _ in range(100):
        counts = rng.integers(0, 13, size=int(rng.integers(2, 7))).tolist()
        for table in (suppress(frame([[n] for n in counts])), suppress(frame([counts]))):
            assert disclosed_cells(table) == [], counts
            assert determined_by_algebra(table) == [], counts


# --- the published frame ---------------------------------------------------------------------


def test_to_frame_shows_suppressed_cells_as_x_with_row_column_and_grand_totals():
    published = suppress(frame([[2, 30, 15], [40, 50, 60], [20, 70, 80]])).to_frame()

    assert list(published.index) == ["r0", "r1", "r2", "Total"]
    assert list(published.columns) == ["c0", "c1", "c2", "Total"]
    assert published.loc["r0"].tolist() == ["x", 30, "x", 47]
    assert published.loc["r1"].tolist() == [40, 50, 60, 150]
    assert published.loc["r2"].tolist() == ["x", 70, "x", 170]
    assert published.loc["Total"].tolist() == [62, 150, 155, 367]


def test_to_frame_takes_another_mark_and_total_label():
    published = suppress(frame([[2, 3], [40, 50]])).to_frame(mark="*", total_label="Ensemble")

    assert published.loc["r0"].tolist() == ["*", "*", 5]
    assert published.loc["r1"].tolist() == ["*", "*", 90]  # the rectangle around row r0
    assert published.loc["Ensemble"].tolist() == [42, 53, 95]


def test_to_frame_refuses_a_total_label_that_is_already_a_label():
    table = suppress(frame([[20, 30], [40, 50]], index=["Total", "Other"]))

    with pytest.raises(CartableError, match="total label"):
        table.to_frame()


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        (frame([[3, -1], [4, 5]]), "negative"),
        (pd.DataFrame({"a": [2.5, 3.0], "b": [1.0, 9.0]}), "integers"),
        (pd.DataFrame({"a": [np.nan, 3.0], "b": [1.0, 9.0]}), "integers"),
        (pd.DataFrame({"a": ["3", "4"], "b": [1, 9]}), "integers"),
        (pd.DataFrame({"a": [True, False], "b": [1, 9]}), "integers"),
        (pd.DataFrame(), "empty"),
        (pd.DataFrame(index=["a", "b"]), "empty"),
        (frame([[3, 4], [5, 6]], index=["a", "a"]), "duplicate row labels: a"),
        (pd.DataFrame([[3, 4]], columns=["x", "x"]), "duplicate column labels: x"),
        ([[3, 4], [5, 6]], "DataFrame"),
    ],
)
def test_bad_input_raises_a_one_line_cartable_error(counts, message):
    with pytest.raises(CartableError, match=message) as raised:
        suppress(counts)

    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("threshold", [0, -3, 2.5, True])
def test_a_threshold_below_one_or_not_an_integer_is_refused(threshold):
    with pytest.raises(CartableError, match="threshold"):
        suppress(frame([[3, 4], [5, 6]]), threshold=threshold)


def test_whole_numbers_stored_as_floats_are_accepted():
    table = suppress(pd.DataFrame({"a": [2.0, 30.0], "b": [3.0, 40.0]}))

    assert table.counts == [[2, 3], [30, 40]]


def test_a_hand_built_table_must_be_consistent():
    with pytest.raises(ValidationError, match="row_totals"):
        SuppressedTable(
            rows=["r0"],
            columns=["c0", "c1"],
            counts=[[1, 2]],
            primary=[[False, False]],
            suppressed=[[False, False]],
            row_totals=[4],
            column_totals=None,
            total=3,
            threshold=5,
        )
