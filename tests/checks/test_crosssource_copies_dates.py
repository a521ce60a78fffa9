"""cross-source-conflict, probable-copy, date-out-of-range and year-vs-published."""

from cellrows import PARAMS, cell, frame

from memwall.checks.copies import probable_copy
from memwall.checks.crosssource import cross_source_conflict
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
