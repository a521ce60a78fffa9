"""cross-source-conflict, probable-copy, date-out-of-range and year-vs-published."""

from cellrows import PARAMS, cell, frame
from hypothesis import given, settings
from hypothesis import strategies as st

from memwall.checks.copies import probable_copy
from memwall.checks.crosssource import _all_pairs_disagree, _disagree, cross_source_conflict
from memwall.checks.dates import published_date_range, year_vs_published

V11, V26 = "raw/v11.md", "raw/v26.md"


def params_in(source, text, number, published):
    return cell("models", "resnet152", "params", text, number, 27, source, published)


def test_newer_snapshot_changing_params_fires_a_warning_with_both_lines():
    cells = frame(
        [params_in(V11, "60.19M", 60_190_000, False), params_in(V26, "55M", 55_000_000, True)]
    )
    (f,) = cross_source_conflict(cells, PARAMS)
    assert (f.code, f.severity, f.fields) == ("cross-source-conflict", "warning", ("params",))
    assert f.sources == (f"{V11}:27:1", f"{V26}:27:1")


def test_two_tables_disagreeing_on_tokens_is_an_error():
    cells = frame(
        [
            cell("models", "gpt-2", "input_tokens", "1024", 1024, 19),
            cell("memory", "gpt-2", "input_tokens", "2014", 2014, 58),
        ]
    )
    (f,) = cross_source_conflict(cells, PARAMS)
    assert f.severity == "error"


def test_values_equal_to_printed_rounding_do_not_conflict():
    cells = frame(
        [
            cell("models", "r", "inference_flop", "23.05", 23.05e9, 27, V11, published=False),
            cell("models", "r", "inference_flop", "23", 23e9, 39, V26),
        ]
    )
    assert cross_source_conflict(cells, PARAMS) == []


def facts(model_id, line, params, features, gflops):
    return [
        cell(
            "models",
            model_id,
            "params",
            params,
            int(float(params[:-1].replace(",", "")) * 1e6),
            line,
        ),
        cell(
            "models",
            model_id,
            "features",
            features,
            int(float(features[:-1].replace(",", "")) * 1e6),
            line,
        ),
        cell(
            "models", model_id, "inference_flop", gflops, float(gflops.replace(",", "")) * 1e9, line
        ),
    ]


def test_row_copied_from_another_model_fires_one_probable_copy_for_the_pair():
    cells = frame(
        facts("gpt-2", 19, "1,500M", "2,000M", "3,400"),
        facts("roberta", 20, "1,500M", "2,000M", "3,400"),
    )
    found = probable_copy(cells, PARAMS)
    assert [(f.code, f.model_id) for f in found] == [("probable-copy", "gpt-2")]
    assert "roberta" in found[0].message
    assert len(found[0].sources) == 6


def test_models_sharing_two_facts_are_not_copies():
    cells = frame(
        facts("bert", 17, "330M", "230M", "340"), facts("electra", 24, "330M", "230M", "79")
    )
    assert probable_copy(cells, PARAMS) == []


def date(model_id, iso, text, line=1):
    return [cell("models", model_id, "published", text, iso, line)]


def test_date_after_the_latest_accepted_fires_date_out_of_range():
    (f,) = published_date_range(frame(date("m", "2202-05-28", "05/28/2202")), PARAMS)
    assert (f.code, f.severity) == ("date-out-of-range", "error")


def test_dates_inside_the_range_are_clean():
    assert published_date_range(frame(date("m", "2020-05-28", "05/28/2020")), PARAMS) == []


def test_memory_year_other_than_publication_year_fires_year_vs_published():
    cells = frame(
        date("bert", "2018-10-11", "10/11/2018"), [cell("memory", "bert", "year", "2019", 2019, 57)]
    )
    (f,) = year_vs_published(cells, PARAMS)
    assert (f.code, f.severity, f.observed["year"]) == ("year-vs-published", "warning", "2019")


def test_memory_year_equal_to_publication_year_is_clean():
    cells = frame(
        date("bert", "2018-10-11", "10/11/2018"), [cell("memory", "bert", "year", "2018", 2018, 57)]
    )
    assert year_vs_published(cells, PARAMS) == []


def _statement(status, number, half, text=None):
    value = text if number is None else repr(number)
    return {"status": status, "number": number, "half": half, "value": value}


# Numbers whose rounding intervals meet exactly, touch, nearly touch or miss: the ties the
# interval shortcut must leave to the pairwise comparison.
NUMBERS = st.sampled_from([9.5, 10.0, 10.5, 10.05, 9.95, 11.0, 1e24, 1e24 + 1e8, 0.1 + 0.2, 0.3])
HALVES = st.sampled_from([None, 0.0, 0.5, 0.05, 5e-7, 1e8])
STATUSES = st.sampled_from(["value", "estimate"])
STATEMENT = st.one_of(
    st.builds(_statement, STATUSES, NUMBERS, HALVES),
    st.builds(_statement, st.just("value"), st.none(), st.none(), st.sampled_from(["a", "b"])),
)


def _key(row):
    return tuple(row.values())


@st.composite
def numbers_of_one_status(draw):
    """More distinct numbers than are compared pair by pair, of one status (plus, maybe, one
    of another): 10 +- 8 steps, whose intervals of half width 8 steps meet at 10, or just
    miss, or just overlap, in steps binary floats hold exactly (1/8) or not (0.1, 0.3): the
    interval shortcut's own cases and its ties."""
    status = draw(STATUSES)
    step = draw(st.sampled_from([0.125, 0.1, 0.3]))
    factor = draw(st.sampled_from([1.0, 1.0 - 1e-9, 1.0 + 1e-9, 1.0 - 1e-15, 0.5, 2.0]))
    half = 8 * step * factor
    every_step = st.just(list(range(-8, 9)))
    steps = draw(st.one_of(every_step, st.lists(st.integers(-8, 8), min_size=17, max_size=40)))
    halves = st.just(half) if draw(st.booleans()) else st.sampled_from([half, 2 * half])
    rows = [_statement(status, 10.0 + k * step, draw(halves)) for k in steps]
    if draw(st.booleans()):  # one statement of the other status, inside the others or not
        other = "estimate" if status == "value" else "value"
        rows.append(_statement(other, draw(st.sampled_from([10.0, 30.0])), half))
    return rows


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.lists(STATEMENT, max_size=40),
        st.lists(STATEMENT, min_size=17, max_size=60, unique_by=_key),
        numbers_of_one_status(),
    )
)
def test_disagreement_is_the_pairwise_answer_without_comparing_every_pair(rows):
    assert _disagree(rows) == _all_pairs_disagree(rows)


def test_intervals_meeting_at_one_point_agree_and_one_past_it_disagrees():
    spread = [_statement("value", 10.0 + k / 8, 1.0) for k in range(-8, 9)]  # 17 distinct
    assert not _disagree(spread)  # lowest high end 10.0, highest low end 10.0: they meet
    assert _disagree([*spread, _statement("value", 11.0 + 1 / 8 + 1.0, 1.0)])


def test_thousands_of_statements_of_one_model_make_one_finding_listing_ten():
    cells = frame(
        [
            cell("models", "m", "params", f"{100 + k}M", (100 + k) * 10**6, line=k + 2)
            for k in range(3000)
        ]
    )
    (f,) = cross_source_conflict(cells, PARAMS)
    assert len(f.sources) == 3000
    assert f.message.count("(models, raw/t.md:") == 10  # the statements listed
    assert f.message.count(" (models)") == 10  # the published values listed
    assert f.message.count("and 2,990 more") == 2
