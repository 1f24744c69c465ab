"""cbteach.workbook: the plan a lesson trains with, its output folders, its first printed lines."""

from __future__ import annotations

import pytest

from cbteach import device, plots, workbook

CPU = {"backend": "tensorflow", "keras": "3", "gpu": False, "name": "CPU (x86_64)"}
GPU = {"backend": "jax", "keras": "3", "gpu": True, "name": "NVIDIA H100"}


@pytest.fixture
def on(monkeypatch):
    """Pretend to be on a given device, with no workbook variables set."""
    for name in (workbook.FAST_ENV, workbook.DATA_ENV, workbook.OUT_ENV):
        monkeypatch.delenv(name, raising=False)

    def use(info):
        monkeypatch.setattr(device, "describe", lambda: dict(info))

    return use


@pytest.mark.parametrize(("value", "fast"), [("1", True), ("yes", True), ("0", False), ("", False)])
def test_fast_mode_reads_the_environment(monkeypatch, value, fast):
    monkeypatch.setenv(workbook.FAST_ENV, value)
    assert workbook.fast_mode() is fast


@pytest.mark.parametrize(("lang", "words"), [("en", "set it to 1"), ("ko", "빠른 모드는 1")])
def test_a_bad_fast_value_says_what_to_write(monkeypatch, lang, words):
    monkeypatch.setenv(workbook.FAST_ENV, "fast please")
    with pytest.raises(ValueError, match=words):
        workbook.fast_mode(lang)


def test_the_plan_follows_the_device(on, monkeypatch):
    on(CPU)
    cpu = workbook.plan()
    assert (cpu.kind, cpu.source, cpu.epochs) == ("cpu", "sample", workbook.EPOCHS["cpu"])
    on(GPU)
    gpu = workbook.plan()
    assert (gpu.kind, gpu.source) == ("gpu", "auto")
    assert gpu.epochs == workbook.EPOCHS["gpu"]
    monkeypatch.setenv(workbook.FAST_ENV, "1")
    fast = workbook.plan()
    assert (fast.kind, fast.source, fast.fast) == ("fast", "sample", True)
    assert fast.epochs < cpu.epochs


def test_cbteach_data_overrides_the_plan_source(on, monkeypatch):
    on(GPU)
    monkeypatch.setenv(workbook.DATA_ENV, "sample")
    assert workbook.plan().source == "sample"
    monkeypatch.setenv(workbook.DATA_ENV, "mnist")
    with pytest.raises(ValueError, match="CBTEACH_DATA"):
        workbook.plan()


def test_train_args_are_what_train_accepts(on):
    import inspect

    from cbteach.training import train

    on(CPU)
    args = workbook.plan().train_args
    assert set(args) <= set(inspect.signature(train).parameters)
    assert args["model"] == "mlp" and args["epochs"] == workbook.EPOCHS["cpu"]


@pytest.mark.parametrize(
    ("lang", "device_word", "plan_word"),
    [("en", "no GPU", "epochs of the MLP"), ("ko", "GPU 없음", "에포크")],
)
def test_start_prints_device_and_plan_in_the_language(on, capsys, lang, device_word, plan_word):
    on(CPU)
    try:
        chosen = workbook.start(lang)
    finally:
        plots.use_pyplot(False)
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2
    assert device_word in out[0] and "CPU (x86_64)" in out[0]
    assert plan_word in out[1] and str(chosen.epochs) in out[1]
    from cbteach import i18n

    assert i18n.get_language() == lang


def test_start_switches_plots_to_pyplot(on):
    import matplotlib.pyplot as plt

    from cbteach import recorded

    on(CPU)
    try:
        workbook.start("en", fast=True)
        figure = plots.plot_lr(recorded.load("plateau"))
        assert plt.fignum_exists(figure.number)
        plt.close(figure)
    finally:
        plots.use_pyplot(False)
    figure = plots.plot_lr(recorded.load("plateau"))
    assert not hasattr(figure, "number") or not plt.fignum_exists(figure.number)


def test_output_folders_never_reuse_an_earlier_run(tmp_path):
    first = workbook.output_folder("01_model_checkpoint", tmp_path)
    (first / "best.keras").write_text("a learner's checkpoint")
    second = workbook.output_folder("01_model_checkpoint", tmp_path)
    assert first.name == "run-1" and second.name == "run-2"
    assert (first / "best.keras").read_text() == "a learner's checkpoint"
    assert list(second.iterdir()) == []
    (tmp_path / "01_model_checkpoint" / "run-7").mkdir()
    assert workbook.output_folder("01_model_checkpoint", tmp_path).name == "run-8"


def test_output_folder_reads_cbteach_out(monkeypatch, tmp_path):
    monkeypatch.setenv(workbook.OUT_ENV, str(tmp_path / "elsewhere"))
    folder = workbook.output_folder("00_setup")
    assert folder.parent.parent == tmp_path / "elsewhere"
