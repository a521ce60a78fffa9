"""params-memory, inference-flops and training-below-inference on tiny rows."""

from cellrows import GIB, PARAMS, cell, frame

from memwall.checks.physics import inference_flops, params_memory, training_below_inference


def model(model_id, params=None, tokens=None, gflops=None, pflops=None):
    """A models-table row from printed texts ("330M", "512", "340", "250,000")."""
    out = []
    if params:
        number = float(params.rstrip("M").replace(",", "")) * 1e6
        out.append(cell("models", model_id, "params", params, int(number), char=2))
    if tokens:
        out.append(cell("models", model_id, "input_tokens", tokens, int(tokens), char=3))
    if gflops:
        out.append(
            cell("models", model_id, "inference_flop", gflops, float(gflops.replace(",", "")) * 1e9)
        )
    if pflops:
        out.append(
            cell("models", model_id, "training_flop", pflops, float(pflops.replace(",", "")) * 1e15)
        )
    return out


def params_mem(model_id, text):
    return [cell("memory", model_id, "params_memory_bytes", text, round(float(text[:-3]) * GIB))]


def test_count_of_another_variant_fires_params_memory():
    cells = frame(model("vgg-19", params="138M"), params_mem("vgg-19", "0.54 GB"))
    (f,) = params_memory(cells, PARAMS)
    assert (f.code, f.severity, f.model_id) == ("params-memory", "warning", "vgg-19")
    assert "145.0M" in f.message


def test_memory_in_decimal_gb_fires_and_says_so():
    cells = frame(model("bert", params="330M"), params_mem("bert", "1.32 GB"))
    (f,) = params_memory(cells, PARAMS)
    assert "1,000,000,000 bytes" in f.message


def test_count_times_four_bytes_is_clean():
    cells = frame(model("alexnet", params="61M"), params_mem("alexnet", "0.23 GB"))
    assert params_memory(cells, PARAMS) == []


def test_flops_copied_from_a_bigger_model_fire_inference_flops():
    cells = frame(model("ro", params="355M", tokens="512", gflops="3,400"))
    (f,) = inference_flops(cells, PARAMS)
    assert (f.code, f.severity) == ("inference-flops", "error")


def test_flops_near_two_params_tokens_are_clean():
    cells = frame(
        model("bert", params="330M", tokens="512", gflops="340"),
        model("gpt1", params="110M", tokens="512", gflops="96"),
        model("cnn", params="61M", gflops="1.4"),  # no token count: not a transformer row
    )
    assert inference_flops(cells, PARAMS) == []


def test_training_printed_in_the_wrong_unit_fires_training_below_inference():
    cells = frame(model("m", gflops="3,400", pflops="0.000001"))
    (f,) = training_below_inference(cells, PARAMS)
    assert (f.code, f.severity) == ("training-below-inference", "error")


def test_training_larger_than_inference_is_clean():
    assert training_below_inference(frame(model("m", gflops="54", pflops="23,000")), PARAMS) == []


def test_memory_only_model_is_seen_and_its_implied_count_stated():
    # Transformer Big: 1.02 GiB / 4 bytes = 1.02 x 2^30 / 4 = 273.8M parameters (by hand).
    cells = frame(params_mem("transformer-big-wmt", "1.02 GB"))
    (f,) = params_memory(cells, PARAMS)
    assert (f.code, f.model_id, f.fields) == (
        "params-memory",
        "transformer-big-wmt",
        ("params_memory_bytes",),
    )
    assert "273.8M" in f.message and "no parameter count" in f.message
