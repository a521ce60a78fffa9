"""memory-sum and optimizer-ratio: totals and optimizer state against the printed parts."""

from cellrows import PARAMS, frame, memory_row

from memwall.checks.memory import memory_sum, optimizer_ratio


def test_total_with_transposed_digits_fires_memory_sum():
    cells = frame(memory_row("alexnet", "0.23 GB", "0.23 GB", "0.71 GB", "1.71 GB"))
    (f,) = memory_sum(cells, PARAMS)
    assert (f.code, f.severity, f.model_id) == ("memory-sum", "error", "alexnet")
    assert "1.17 GB" in f.message
    assert len(f.sources) == 4


def test_total_equal_to_parts_within_rounding_is_clean():
    cells = frame(memory_row("vgg19", "0.54 GB", "0.54 GB", "4.64 GB", "5.73 GB"))
    assert memory_sum(cells, PARAMS) == []


def test_optimizer_one_digit_off_adam_fires_optimizer_ratio():
    cells = frame(memory_row("gpt-2", "5.86 GB", "11.62 GB", "8.63 GB", "26.21 GB"))
    (f,) = optimizer_ratio(cells, PARAMS)
    assert (f.code, f.severity) == ("optimizer-ratio", "warning")
    assert "11.72 GB" in f.message


def test_sgd_and_adam_ratios_are_clean():
    cells = frame(
        memory_row("sgd", "0.22 GB", "0.22 GB", "5.14 GB", "5.58 GB"),
        memory_row("adam", "1.02 GB", "2.04 GB", "11.78 GB", "14.84 GB"),
    )
    assert optimizer_ratio(cells, PARAMS) == []
