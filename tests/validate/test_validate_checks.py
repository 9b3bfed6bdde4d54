"""The recomputations behind the derived check tables, on figures printed in the seed report."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from pipelines.validate.checks import (
    crop_balance,
    estimate_vs_plan,
    is_share,
    pct_of_plan,
    pct_shares,
    ratio_recomputation,
    ratio_verdict,
)

D = Decimal
ZERO = D(0)
R = "r1"


def test_ratio_producible_at_printed_precision() -> None:
    # GRDP per head: 39,48 / 37,18 printed as 106,2.
    assert ratio_verdict((D("39.48"), 2), (D("37.18"), 2), (D("106.2"), 1), ZERO) == "true"


def test_ratio_of_a_negative_base_is_not_producible() -> None:
    # Investment growth: 23,3 over -18,0 printed as 123,3 (the report divides as if the base were positive).
    assert ratio_verdict((D("23.3"), 1), (D("-18.0"), 1), (D("123.3"), 1), ZERO) == "false"


def test_ratio_that_rounding_cannot_reach_and_tolerance_can() -> None:
    # 14,00 / 15,00 is 93.3 %; printed 95,0 is out of reach unless 2 points of tolerance are allowed.
    assert ratio_verdict((D("14.00"), 2), (D("15.00"), 2), (D("95.0"), 1), ZERO) == "false"
    assert ratio_verdict((D("14.00"), 2), (D("15.00"), 2), (D("95.0"), 1), D(2)) == "true"


def test_ratio_unknown_without_a_figure_or_with_a_zero_base() -> None:
    assert ratio_verdict(None, (D(5), 0), (D("0.0"), 1), ZERO) == "unknown"
    assert ratio_verdict((D(5), 0), (D(0), 0), (D("0.0"), 1), ZERO) == "unknown"


def _observations(rows: list[tuple]) -> pd.DataFrame:
    columns = ["report_id", "indicator_id", "measure", "period", "value", "decimals"]
    return pd.DataFrame(rows, columns=columns).astype(object)


def test_ratio_recomputation_table_compares_flag_and_computed_pct() -> None:
    observations = _observations(
        [(R, "i", "estimate", "2022", "39.48", "2"), (R, "i", "actual", "2021", "37.18", "2")]
    )
    ratios = pd.DataFrame(
        [[R, "i", "all", "estimate", "2022", "actual", "2021", "106,2", "106.2", "106.186122", "true"]],
        columns=[
            "report_id",
            "indicator_id",
            "breakdown",
            "numerator_measure",
            "numerator_period",
            "denominator_measure",
            "denominator_period",
            "published_printed",
            "published_pct",
            "computed_pct",
            "consistent",
        ],
    ).astype(object)
    row = ratio_recomputation({"ratios": ratios, "observations": observations}, ZERO).iloc[0]
    assert (row.consistent, row.recomputed_consistent) == ("true", "true")
    assert row.published_pct == row.published_printed_value == "106.2"
    assert row.computed_pct_error < 1e-6


def test_share_rule_keeps_proportions_and_leaves_growth_rates_out() -> None:
    assert is_share("pct", "Tỷ lệ che phủ rừng")
    assert not is_share("pct", "Tốc độ tăng trưởng GRDP")
    assert not is_share("pct", "Giảm tỷ lệ hộ nghèo")
    assert not is_share("pct", "Công nghiệp")
    assert not is_share("schools", "Tỷ lệ trường")


def test_pct_shares_and_estimate_gaps() -> None:
    indicators = pd.DataFrame(
        [[R, "a", "pct", "Tỷ lệ che phủ rừng"], [R, "b", "million_usd", "Kim ngạch nhập khẩu"]],
        columns=["report_id", "indicator_id", "unit", "name_vi"],
    ).astype(object)
    observations = _observations(
        [
            (R, "a", "estimate", "2022", "120.5", "1"),
            (R, "b", "plan", "2022", "125", "0"),
            (R, "b", "estimate", "2022", "600.0", "1"),
        ]
    )
    frames = {"indicators": indicators, "observations": observations}
    assert pct_shares(frames)["value"].tolist() == [120.5]
    gaps = estimate_vs_plan(frames)
    assert gaps[["indicator_id", "gap_pct"]].values.tolist() == [["b", 380.0]]


def _crops(rows: list[tuple]) -> pd.DataFrame:
    columns = ["report_id", "crop_vi", "metric", "measure", "value", "unit", "value_printed", "pct_of_plan"]
    return pd.DataFrame(rows, columns=columns).astype(object)


def test_crop_balance_and_pct_of_plan_from_the_rice_line() -> None:
    # "+ Cây lúa: Gieo trồng được 30.168,2 ha/29.633,0 ha, đạt 101,8% KH; Năng suất đạt 46,8 tạ/45,0 tạ/ha;
    #  Sản lượng đạt 141.082,1 tấn/134.069,0 tấn"
    crops = _crops(
        [
            (R, "lúa", "planted_area", "actual", "30168.2", "ha", "30.168,2", "101.8"),
            (R, "lúa", "planted_area", "plan", "29633.0", "ha", "29.633,0", None),
            (R, "lúa", "yield", "actual", "46.8", "quintal_per_ha", "46,8", None),
            (R, "lúa", "output", "actual", "141082.1", "tonnes", "141.082,1", None),
            (R, "ngô", "planted_area", "actual", "41440.01", "ha", "41.440,01", "99.0"),
            (R, "ngô", "planted_area", "plan", "39340.0", "ha", "39.340,0", None),
            (R, "ngô", "yield", "actual", "37.67", "quintal_per_ha", "37,67", None),
            (R, "ngô", "output", "actual", "100000.0", "tonnes", "100.000,0", None),
        ]
    )
    balance = crop_balance({"crops": crops}).set_index("crop_vi")["balanced"].to_dict()
    assert balance == {"lúa": "true", "ngô": "false"}
    agrees = pct_of_plan({"crops": crops}).set_index("item")["agrees"].to_dict()
    assert agrees == {"lúa": "true", "ngô": "false"}


def test_builders_skip_when_the_package_lacks_their_inputs() -> None:
    assert crop_balance({}) is None
    assert pct_of_plan({}) is None
    assert ratio_recomputation({}, ZERO) is None
    assert pct_shares({}) is None
