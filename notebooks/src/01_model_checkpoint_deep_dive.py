# %% [markdown] lang="ko"
# # 01 심화. `ModelCheckpoint`의 세부 동작
#
# 이 노트북은 선택 사항입니다. [01 레슨](01_model_checkpoint.ipynb)의 핵심을 마친 뒤, 더 알고 싶은
# 세부 동작을 실제 Keras로 하나씩 확인합니다. 파일 이름 서식과 로그에 없는 이름, 모니터링
# 지표(monitor)와 `mode="auto"`가 방향을 정하는 방식(Keras 3.10까지의 `acc` 규칙 포함), 에포크별
# 판단과 초기 기준값(`initial_value_threshold`), 확장자 규칙과 가중치만 저장한 파일 불러오기,
# `safe_mode`, `verbose`, 사라진 `period`와 배치 단위의 `save_freq`를 다룹니다.

# %% [markdown] lang="en"
# # 01 deep dive. `ModelCheckpoint` in detail
#
# This notebook is optional: it checks, on real Keras, the details behind the core of
# [lesson 01](01_model_checkpoint.ipynb): file name formatting and names missing from the logs,
# `monitor` and how `mode="auto"` picks a direction (the `acc` rule of Keras up to 3.10 included),
# the decision at each epoch and `initial_value_threshold`, the suffix rules and loading a
# weights-only file, `safe_mode`, `verbose`, and the removed `period` with `save_freq` in batches.

# %% [markdown] lang="ko"
# ## 시작하기
#
# 첫 셀은 01 레슨과 비슷합니다. 이 노트북은 실제 MNIST 학습 없이, `overfit` 기록(recorded run)을
# 리플레이(replay)하거나 아주 작은 모델을 잠깐 학습해서 확인합니다. 파일은 모두 이 노트북의 출력
# 폴더 `folder`에 들어갑니다. 다시 실행하면 `run-2`, `run-3`처럼 새 폴더가 생기므로 예전 파일을
# 덮어쓰지 않습니다.

# %% [markdown] lang="en"
# ## Getting started
#
# The first cell is much like lesson 01's. This notebook trains no MNIST model: it replays the
# `overfit` recording or briefly trains a tiny model. Every file it writes goes into its output
# folder, `folder`; running it again makes a new one, `run-2`, `run-3` and so on, so earlier files
# are never overwritten.

# %%
# NBVAL_IGNORE_OUTPUT
LANGUAGE = "en"

import cbteach

import inspect
import os
import warnings

import keras
import numpy as np
import pandas as pd

from cbteach import recorded, workbook
from cbteach.replay import drive, replay, standin_model

plan = workbook.start(LANGUAGE)
overfit = recorded.load("overfit")
folder = workbook.output_folder("01_model_checkpoint_deep_dive")

# %% [markdown] lang="ko"
# ## 파일 이름 서식(`filepath`)
#
# 노트에는 이렇게 적혀 있습니다.
#
# > `filepath` : path for save file. format기능을 가질 수 있음 ...
# > epoch:02d와 val_loss:.2f 의 자리에 해당 information을 넣어 저장됨
#
# 맞는 설명입니다. `ModelCheckpoint`는 저장할 때마다 파이썬의 `str.format`으로 파일 이름을
# 만듭니다. Keras 소스에서는 `filepath.format(epoch=epoch + 1, **logs)` 한 줄입니다. 자리
# 표시자(placeholder) `{epoch}`에는 에포크 번호가, 나머지 자리에는 그 에포크가 끝날 때의 로그 값이
# 들어갑니다. 훅(hook)이 받는 `epoch`는 0부터 세지만 `+ 1`을 하므로 파일 이름의 에포크는 1부터
# 셉니다. `:02d`는 두 자리 정수, `:.2f`는 소수점 아래 두 자리라는 뜻입니다.
#
# `overfit` 기록의 첫 에포크 로그로 파일 이름을 직접 만들어 봅시다. 노트의 `.hdf5` 대신 `.keras`
# 확장자를 쓴 이유는 뒤에서 설명합니다. 노트의 예시 문자열 `'weights.{epoch:02d}-{val_loss:.2f}.hdf5 ='`은
# 끝의 ` =`까지 따옴표 안에 들어 있어서 확장자가 `.hdf5 =`가 됩니다. 이 이름은 Keras 3이 만드는
# 순간 거절합니다(다음 셀은 **일부러 오류를 냅니다**). 아래에서는 ` =`를 뺀 이름을 씁니다.

# %% [markdown] lang="en"
# ## File name formatting (`filepath`)
#
# The notes say:
#
# > `filepath`: path for save file. It can be formatted ... the information is put in place of
# > epoch:02d and val_loss:.2f when saving
#
# That is right. Each time it saves, `ModelCheckpoint` builds the file name with Python's
# `str.format`; in the Keras source it is the one line `filepath.format(epoch=epoch + 1, **logs)`.
# The placeholder `{epoch}` gets the epoch number, every other placeholder a value from the logs at
# the end of that epoch. The `epoch` passed to the hooks counts from 0, but with the `+ 1` the
# epoch in a file name counts from 1. `:02d` means a two-digit integer, `:.2f` two decimals.
#
# Build the name by hand from the first epoch's logs of the `overfit` recording. The suffix is
# `.keras` rather than the notes' `.hdf5`; the reason comes later. The notes' example string,
# `'weights.{epoch:02d}-{val_loss:.2f}.hdf5 ='`, has the ` =` inside the quotes, so its suffix is
# `.hdf5 =`, which Keras 3 refuses the moment the callback is built (the next cell **fails on
# purpose**). Below, the name is written without it.

# %% tags=["raises-exception"]
# NBVAL_CHECK_OUTPUT
keras.callbacks.ModelCheckpoint('weights.{epoch:02d}-{val_loss:.2f}.hdf5' + ' =')

# %%
# NBVAL_CHECK_OUTPUT
filepath = "weights.{epoch:02d}-{val_loss:.2f}.keras"
epoch = 0
logs = {name: values[epoch] for name, values in overfit.history.items()}
print({name: round(value, 4) for name, value in logs.items()})
print(filepath.format(epoch=epoch + 1, **logs))

# %% [markdown] lang="ko"
# 훅의 `epoch=0`이 파일 이름에서는 `01`이 되었습니다.
#
# 이번에는 `ModelCheckpoint`가 직접 이름을 짓게 해 봅시다. `cbteach.ModelCheckpoint`는 Keras의
# `ModelCheckpoint`를 상속한 하위 클래스(subclass)라서 Keras의 인자를 모두 그대로 받습니다. 여기에
# cbteach에만 있는 인자가 더 있습니다. 여기서 쓰는 `write`, 판단마다 설명을 한 줄씩 출력하는
# `explain`, 그리고 이벤트를 모아 둘 `log`입니다. Keras의 `ModelCheckpoint`에는 없는 인자이니, 여러분의 학습 스크립트에 옮겨 쓸
# 때는 빼야 합니다.
# `write=False`를 주면 저장 여부와 파일 이름은 Keras가 그대로 정하지만 파일은 쓰지 않습니다.
# `overfit` 기록의 100 에포크를 리플레이하면서, 기본 설정(`save_best_only=False`)이라면 쓸 파일
# 이름을 모아 봅시다.

# %% [markdown] lang="en"
# The hooks' `epoch=0` became `01` in the file name.
#
# Now let `ModelCheckpoint` name the files itself. `cbteach.ModelCheckpoint` is a subclass of Keras'
# `ModelCheckpoint` and takes every Keras argument as it is. It adds arguments of cbteach's own:
# `write`, used here, `explain`, which prints a line per decision, and `log`, where the events
# can be collected. Keras' `ModelCheckpoint` has none of them, so leave them out when you copy a
# line into your own training script. With `write=False`, Keras still decides whether to save and what to call the file, but nothing is written. Replay the 100
# epochs of the `overfit` recording and collect the names the default setting
# (`save_best_only=False`) would write:

# %%
# NBVAL_CHECK_OUTPUT
every_epoch = cbteach.ModelCheckpoint(filepath, write=False)
names = [event.saved_path for event in replay(overfit, [every_epoch]).saves]
print(len(names))
print(names[:3])
print(names[-1])

# %% [markdown] lang="ko"
# 기본 설정에서는 에포크마다 파일을 하나씩, 모두 100개를 씁니다. 이름에 `{epoch}`가 들어 있어서
# 파일이 서로 덮어쓰지 않습니다. 마지막 파일 이름의 `0.62`는 100번째 에포크의 `val_loss`로, 7번째
# 에포크의 0.21보다 한참 나쁩니다.
#
# ### 로그에 없는 이름을 넣으면
#
# `{epoch}` 말고는 자리 표시자에 로그에 있는 이름만 쓸 수 있습니다. `val_loss`는 `fit()`이 검증을 할
# 때, 즉 `validation_data`나 `validation_split`을 주었을 때만 로그에 생기므로, 검증 데이터(validation
# data) 없이 학습하면 `{val_loss}`를 채울 수 없습니다. 언제 오류가 나는지 보려고 아주 작은 모델을 준비합니다. `print_epoch`는 에포크가 끝날
# 때마다 에포크 번호(1부터)를 출력하는 콜백입니다.

# %% [markdown] lang="en"
# The default writes one file per epoch, 100 in all; `{epoch}` in the name keeps them from
# overwriting each other. The `0.62` in the last name is epoch 100's `val_loss`, far worse than
# epoch 7's 0.21.
#
# ### A name that is not in the logs
#
# A placeholder other than `{epoch}` must be a key of the logs. `val_loss` is in the logs only
# when `fit()` validates, with `validation_data` or `validation_split`, so without validation there
# is nothing to fill `{val_loss}` with. To see
# when that fails, set up a tiny model; `print_epoch` is a callback that prints the epoch number
# (from 1) at the end of every epoch.

# %%
rng = np.random.default_rng(0)
x_tiny = rng.random((64, 28, 28, 1), dtype="float32")
y_tiny = rng.integers(0, 10, size=64)


def tiny_model(metrics=("accuracy",)):
    model = keras.Sequential(
        [keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=list(metrics))
    return model


tiny = tiny_model()
print_epoch = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: print(epoch + 1))

# %% [markdown] lang="ko"
# 다음 셀은 **일부러 오류를 냅니다.** 노트처럼 `save_best_only=True`를 주고, `validation_data`
# 없이 3 에포크를 학습합니다.

# %% [markdown] lang="en"
# The next cell **fails on purpose**. It sets `save_best_only=True`, as the notes do, and trains
# for 3 epochs without `validation_data`:

# %% tags=["raises-exception"]
# NBVAL_CHECK_OUTPUT
no_validation = keras.callbacks.ModelCheckpoint(filepath, save_best_only=True)
tiny.fit(x_tiny, y_tiny, epochs=3, batch_size=32, callbacks=[print_epoch, no_validation], verbose=0)

# %% [markdown] lang="ko"
# 콜백을 만들 때는 아무 문제가 없었습니다. `1`이 찍혔으니 첫 에포크 학습도 끝났습니다. 오류는 첫
# 에포크가 끝나고 `ModelCheckpoint`가 파일 이름을 만들 때 `KeyError`로 납니다. Keras는 저장할지
# 판단하기 전에 이름부터 만들기 때문에 `save_best_only=True`여도 피할 수 없습니다. 긴 학습이라면
# 에포크 하나를 통째로 날리는 셈이니, 파일 이름의 자리 표시자가 로그에 실제로 있는 이름인지 먼저
# 확인하세요. 학습이 끝난 뒤 `history.history`의 키를 보면 로그에 든 이름을 알 수 있습니다.

# %% [markdown] lang="en"
# Building the callback went fine, and the `1` shows the first epoch trained. The error comes at
# the end of that first epoch, as a `KeyError`, when `ModelCheckpoint` builds the file name. Keras
# builds the name before it decides whether to save, so `save_best_only=True` does not avoid it. In
# a long run that costs a whole epoch, so check that every placeholder is really a key of the logs;
# after a run, the keys of `history.history` are the names in the logs.

# %% [markdown] lang="ko"
# ## 무엇을 지켜볼까: `monitor`
#
# 노트에는 이렇게 적혀 있습니다.
#
# > `monitor` : 모니터 할 지표 (validation data를 모니터함)
#
# 기본값(default) `"val_loss"`는 검증 데이터의 지표(metric)가 맞습니다. 하지만 `monitor`에는
# 로그에 있는 이름이면 무엇이든 쓸 수 있습니다. 학습 데이터(training data)의 `loss`나 `accuracy`도
# 됩니다. `save_best_only=True`로 두고 모니터링 지표(monitor)를 네 가지로 바꿔 가며 `overfit` 기록을
# 리플레이해서, 몇 번 저장하는지와 마지막으로 저장한 에포크를 비교해 봅시다. 표의 `monitor_op` 열은
# Keras가 '나아졌다'고 판단할 때 쓰는 비교 함수입니다. `less`는 작을수록, `greater`는 클수록 좋다는
# 뜻입니다.

# %% [markdown] lang="en"
# ## What to watch: `monitor`
#
# The notes say:
#
# > `monitor`: the metric to monitor (monitors the validation data)
#
# The default, `"val_loss"`, is indeed a validation metric. But `monitor` can be any name in the
# logs, including the training data's `loss` and `accuracy`. Replay the `overfit` recording with
# four monitors and `save_best_only=True`, and compare how often each saves and which epoch it
# saved last. `monitor_op` is the comparison Keras uses to decide "improved": `less` means lower is
# better, `greater` higher is better.

# %%
# NBVAL_CHECK_OUTPUT
rows = []
for monitor in ["val_loss", "val_accuracy", "loss", "accuracy"]:
    checkpoint = cbteach.ModelCheckpoint("best.keras", monitor=monitor, save_best_only=True, write=False)
    saves = replay(overfit, [checkpoint]).saves
    rows.append((monitor, checkpoint.monitor_op.__name__, len(saves), saves[-1].epoch, round(saves[-1].value, 4)))
pd.DataFrame(rows, columns=["monitor", "monitor_op", "saves", "last_saved_epoch", "best_value"])

# %% [markdown] lang="ko"
# - 마지막으로 저장되는 것은 `val_loss`로는 7번째 에포크의 모델, `val_accuracy`로는 20번째
#   에포크의 모델입니다. 어떤 지표를 지켜보느냐에 따라 남는 모델이 달라집니다.
# - 학습 데이터의 `loss`와 `accuracy`로는 94번째 에포크까지 저장이 이어집니다. 과적합이 진행되는
#   동안에도 학습 데이터의 지표는 계속 좋아지기 때문입니다. 이렇게 지켜보면 과적합된 모델이
#   '최고'로 남으니, 보통은 검증 데이터의 지표를 지켜봅니다. 노트의 괄호는 "반드시 검증 데이터를
#   본다"가 아니라 "보통 검증 데이터를 지켜보게 한다"로 읽어야 맞습니다.
#
# 노트는 `monitor = val_loss`, `monitor = val_accuracy`처럼 따옴표 없이 적었습니다. 코드로 쓰면
# `NameError`가 납니다. `monitor`에는 지표 이름을 문자열로, `monitor="val_loss"`처럼 넘겨야 합니다.
# 다음 셀은 **일부러 오류를 냅니다.**

# %% [markdown] lang="en"
# - With `val_loss` the last save is epoch 7; with `val_accuracy` it is epoch 20. Which model you
#   keep depends on what you watch.
# - With the training data's `loss` and `accuracy`, saves go on until epoch 94: the training
#   metrics keep improving while the model overfits, so watching them keeps an overfitted model as
#   the "best". That is why a validation metric is the usual choice. The notes' remark should read
#   "you usually have it watch the validation data", not "it always watches the validation data".
#
# The notes also write `monitor = val_loss` and `monitor = val_accuracy` without quotes. As code
# that is a `NameError`: `monitor` takes the metric's name as a string, `monitor="val_loss"`. The
# next cell **fails on purpose**:

# %% tags=["raises-exception"]
# NBVAL_CHECK_OUTPUT
keras.callbacks.ModelCheckpoint("best.keras", monitor = val_loss)

# %% [markdown] lang="ko"
# ## 좋아지는 방향: `mode`
#
# 노트에는 이렇게 적혀 있습니다.
#
# > - `mode = 'min'` : moniter지표가 감소해야 좋을 경우
# > - `mode = 'max'` : moniter지표가 증가해야 좋을 경우
# > - `mode = 'auto'` : moniter지표가 감소해야 좋을지 증가해야 좋을지를 moniter arg의 name을 보고
# >   자동 유추
#
# `min`과 `max`는 맞습니다. `auto`(기본값)에서 `ModelCheckpoint`와 `ReduceLROnPlateau`는 Keras 2와
# Keras 3.10까지 이름에 `acc` 세 글자가 들어 있는지를 보았습니다(Colab에 깔린 Keras가 3.10이라면 아직
# 이 방식입니다). Keras 3.11부터는 방법이 다릅니다.
#
# 1. 이름 앞의 `val_`을 뗍니다.
# 2. 남은 이름이 `loss`면 작을수록 좋은 값(min)으로 봅니다.
# 3. 아니면 `compile()`한 지표 가운데 그 이름을 찾아, 그 지표에 정해진 방향을 씁니다. `accuracy`는
#    클수록 좋은 지표라서 max가 됩니다.
#
# 그래서 방향은 콜백을 만들 때가 아니라, 모델의 지표가 준비된 뒤인 첫 에포크가 끝날 때 정해집니다.

# %% [markdown] lang="en"
# ## Which way is better: `mode`
#
# The notes say:
#
# > - `mode = 'min'`: when the monitored metric should decrease
# > - `mode = 'max'`: when the monitored metric should increase
# > - `mode = 'auto'`: infers from the name of the monitor argument whether it should decrease or
# >   increase
#
# `min` and `max` are right. With `auto` (the default), `ModelCheckpoint` and `ReduceLROnPlateau`
# looked for `acc` in the name in Keras 2 and in Keras 3 up to 3.10 (still the case if your Colab
# runs Keras 3.10). From Keras 3.11 on it works differently:
#
# 1. Strip a leading `val_` from the name.
# 2. If what is left is `loss`, lower is better (min).
# 3. Otherwise, find the compiled metric of that name and use that metric's direction: `accuracy`
#    is a higher-is-better metric, so max.
#
# So the direction is not settled when the callback is built, but at the end of the first epoch,
# once the model's metrics exist.

# %%
# NBVAL_CHECK_OUTPUT
checkpoint = cbteach.ModelCheckpoint("best.keras", monitor="val_accuracy", save_best_only=True, write=False)
print(checkpoint.mode, checkpoint.monitor_op)
replay(overfit, [checkpoint])
print(checkpoint.mode, checkpoint.monitor_op.__name__)

# %% [markdown] lang="ko"
# 만든 직후에는 `monitor_op` 값이 `None`이고, 리플레이를 한 번 돌린 뒤에야 `greater`(max)로
# 정해졌습니다.
#
# 그래서 방향을 정할 수 없는 이름은 첫 에포크가 끝난 뒤에야 오류가 됩니다. 옛 Keras 코드에서 흔히
# 쓰던 `monitor="val_acc"` 설정이 그렇습니다. `metrics=["accuracy"]`로 컴파일한 모델에는 이름이 `acc`인
# 지표가 없습니다. 다음 셀은 **일부러 오류를 냅니다.**

# %% [markdown] lang="en"
# Right after construction `monitor_op` is `None`; only after running is it set to `greater` (max).
#
# So a name whose direction cannot be found fails only after the first epoch. `monitor="val_acc"`,
# common in older Keras code, is such a name: a model compiled with `metrics=["accuracy"]` has no
# metric called `acc`. The next cell **fails on purpose**:

# %% tags=["raises-exception"]
# NBVAL_CHECK_OUTPUT
val_acc = keras.callbacks.ModelCheckpoint("best.keras", monitor="val_acc", save_best_only=True)
print(val_acc.monitor_op)
tiny.fit(
    x_tiny,
    y_tiny,
    epochs=3,
    batch_size=32,
    validation_data=(x_tiny[:32], y_tiny[:32]),
    callbacks=[print_epoch, val_acc],
    verbose=0,
)

# %% [markdown] lang="ko"
# 만들 때는 `None`인 채로 통과했고, 첫 에포크가 끝난 뒤(`1`) `ValueError`가 났습니다. 고치는 방법은
# 두 가지입니다. 로그에 실제로 있는 이름(`"val_accuracy"`)을 쓰거나, `mode="max"`처럼 방향을 직접
# 주면 됩니다. 거꾸로 `metrics=["acc"]`로 컴파일하면 로그에도, 컴파일한 지표에도 이름이 `acc`
# 그대로 쓰이므로 `monitor="val_acc"`도 제대로 동작합니다. 요컨대 `monitor`는 로그에 있는 이름이면서
# 컴파일한 지표의 이름과도 맞아야 합니다.

# %% [markdown] lang="en"
# It passed construction as `None`, and the `ValueError` came after the first epoch (`1`). There
# are two fixes: use the name that is really in the logs (`"val_accuracy"`), or give the direction
# yourself, e.g. `mode="max"`. Conversely, a model compiled with `metrics=["acc"]` logs `acc`, has
# a metric named `acc`, and `val_acc` works. What matters is that `monitor` matches the name in the
# logs and the name of a compiled metric:

# %%
# NBVAL_CHECK_OUTPUT
acc_checkpoint = cbteach.ModelCheckpoint("best.keras", monitor="val_acc", save_best_only=True, write=False)
history = tiny_model(["acc"]).fit(
    x_tiny,
    y_tiny,
    epochs=2,
    batch_size=32,
    validation_data=(x_tiny[:32], y_tiny[:32]),
    callbacks=[acc_checkpoint],
    verbose=0,
)
print(sorted(history.history))
print(acc_checkpoint.monitor_op.__name__)

# %% [markdown] lang="ko"
# 노트는 `monitor='val_loss'`에 `mode='min'`을 직접 주었습니다. 맞는 방향이라 `auto`와 결과가
# 같습니다. 방향을 거꾸로 주면 어떻게 될까요? `val_loss`에 `mode="max"`를 주면 `val_loss`가
# **가장 큰 값을 새로 쓸 때마다** 저장합니다.

# %% [markdown] lang="en"
# The notes give `mode='min'` with `monitor='val_loss'`. That is the right direction, so it does the
# same as `auto`. What if the direction is wrong? With `mode="max"` on `val_loss`, it saves each
# time `val_loss` **rises** to a new high:

# %%
# NBVAL_CHECK_OUTPUT
wrong_way = cbteach.ModelCheckpoint("best.keras", monitor="val_loss", mode="max", save_best_only=True, write=False)
print([(event.epoch, round(event.value, 4)) for event in replay(overfit, [wrong_way]).saves])

# %% [markdown] lang="ko"
# 마지막으로 저장되는 모델은 97번째 에포크, 즉 `val_loss`가 가장 나빴던 에포크의 모델입니다. 오류도
# 경고도 없이 가장 나쁜 모델을 남기므로, `mode`를 직접 줄 때는 방향을 꼭 확인하세요.
#
# `mode`에 `min`, `max`, `auto`가 아닌 값을 주면 Keras는 경고만 하고 `auto`로 돌아갑니다. 여기에
# 오타가 있어도 학습은 그대로 진행됩니다.

# %% [markdown] lang="en"
# The last save is epoch 97, the model with the worst `val_loss`. No error, no warning, and the
# worst model is the one kept, so when you set `mode` yourself, check the direction.
#
# A `mode` other than `min`, `max` or `auto` only makes Keras warn and fall back to `auto`; a typo
# there does not stop anything:

# %%
# NBVAL_CHECK_OUTPUT
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    typo = keras.callbacks.ModelCheckpoint("best.keras", mode="minimum")
print([(warning.category.__name__, str(warning.message)) for warning in caught])
print(typo.mode)

# %% [markdown] lang="ko"
# ## `save_best_only`, 에포크마다
#
# 01 레슨에서는 서식 이름에 `save_best_only=True`를 주면 `overfit` 기록에서 파일 6개가 남는다는 것을
# 확인했습니다. 에포크마다 무엇을 판단했는지는 이벤트 로그(event log)로 볼 수 있습니다. 처음 10
# 에포크입니다.

# %% [markdown] lang="en"
# ## `save_best_only`, epoch by epoch
#
# Lesson 01 showed that a formatted name with `save_best_only=True` leaves 6 files on the `overfit`
# recording. The event log shows what was decided at each epoch. The first 10 epochs:

# %%
# NBVAL_CHECK_OUTPUT
best_only = cbteach.ModelCheckpoint(filepath, save_best_only=True, write=False)
for event in list(replay(overfit, [best_only]).events)[:10]:
    print(event.explain())

# %% [markdown] lang="ko"
# 5번째 에포크의 `val_loss` 0.2413은 최고 기록 0.2245(에포크 4)보다 나쁘므로 저장하지 않습니다.
# 6번째 에포크는 최고 기록보다 다시 나아졌으므로(0.2186 < 0.2245) 저장합니다. 이름의 `{val_loss:.2f}`는 반올림한 값이라
# 4번째와 6번째 에포크의 파일에 똑같이 `0.22`가 찍히지만, 이름에 `{epoch}`가 있어 서로 덮어쓰지
# 않습니다.
#
# ### `initial_value_threshold`
#
# `initial_value_threshold`(초기 기준값)는 `save_best_only=True`일 때 최고 기록의 처음 값을
# 정합니다. 기본값 `None`이면 첫 에포크의 값이 바로 최고 기록이 되고, `0.22`를 주면 `val_loss`가
# 0.22보다 낮아져야 처음으로 저장합니다. 학습을 이어서 할 때, 예전에 저장해 둔 좋은 파일을 그보다
# 못한 모델로 덮어쓰지 않으려고 씁니다.

# %% [markdown] lang="en"
# Epoch 5's `val_loss` of 0.2413 is worse than the best, 0.2245 (epoch 4), so nothing is saved;
# epoch 6 beats the best again and is saved. `{val_loss:.2f}` rounds, so the files of epochs 4 and
# 6 both say `0.22`; the `{epoch}` in the name keeps them apart.
#
# ### `initial_value_threshold`
#
# With `save_best_only=True` it sets the starting value of the best. With the default `None` the
# first epoch's value becomes the best; with `0.22`, nothing is saved until `val_loss` drops below
# 0.22. It is for resuming training without overwriting a good file saved earlier with a worse
# model:

# %%
# NBVAL_CHECK_OUTPUT
threshold = cbteach.ModelCheckpoint(filepath, save_best_only=True, initial_value_threshold=0.22, write=False)
print([event.saved_path for event in replay(overfit, [threshold]).saves])

# %% [markdown] lang="ko"
# ## 확장자 규칙
#
# 01 레슨에서 노트의 `.hdf5` 확장자가 거절되는 것을 보았습니다. Keras 3은 콜백을 만드는 순간
# 확장자를 검사합니다. 가중치(weights)만 저장하려면(`save_weights_only=True`) 파일 이름이
# `.weights.h5`로 끝나야 하고, 모델 전체를 저장하려면(기본값 `False`) `.keras`로 끝나야 하며, 예전
# HDF5 형식인 `.h5`도 받아 줍니다. 한눈에 보면 이렇습니다. `accepted`가 `False`인 조합에서는 모두
# `ValueError`가 납니다.

# %% [markdown] lang="en"
# ## The suffix rules
#
# Lesson 01 showed the notes' `.hdf5` refused. Keras 3 checks the suffix the moment the callback is
# built: saving only the weights (`save_weights_only=True`) needs a name ending in `.weights.h5`;
# saving the whole model (the default, `False`) needs `.keras`, or the older HDF5 format's `.h5`.
# At a glance; every combination with `accepted` `False` raises a `ValueError`:

# %%
# NBVAL_CHECK_OUTPUT
rows = []
for path, weights_only in [
    ("best.weights.h5", True),
    ("best.keras", True),
    ("best.hdf5", True),
    ("best.keras", False),
    ("best.h5", False),
    ("best.hdf5", False),
]:
    try:
        keras.callbacks.ModelCheckpoint(path, save_weights_only=weights_only)
        rows.append((path, weights_only, True))
    except ValueError:
        rows.append((path, weights_only, False))
pd.DataFrame(rows, columns=["filepath", "save_weights_only", "accepted"])

# %% [markdown] lang="ko"
# 두 형식은 담는 내용이 다릅니다.
#
# - `.keras`(모델 전체): 모델 구조(architecture), 가중치, `compile()` 설정까지 파일 하나에 담습니다.
#   `keras.models.load_model(경로)` 한 줄이면 바로 쓸 수 있는 모델이 돌아옵니다.
# - `.weights.h5`(가중치만): 파일이 작지만 모델 구조가 없습니다. 같은 구조의 모델을 코드로 먼저
#   만든 다음 `model.load_weights(경로)`로 채워야 합니다.
#
# "`False`에는 TF 2의 문제가 있어 `True`만 쓴다"는 말은 Keras 2 시절 HDF5와 SavedModel 저장에서
# 나온 이야기입니다. 작은 모델에 `ModelCheckpoint` 두 개를 붙여, 하나는 모델 전체를 `best.keras`에,
# 다른 하나는 가중치만 `best.weights.h5`에 `save_best_only=True`로 저장하고 둘 다 다시 불러와
# 봅시다. 확인할 내용은 세 가지입니다.
#
# 1. 불러온 `best.keras`의 `val_loss`가 히스토리(history)에 기록된 가장 낮은 `val_loss`와
#    같습니다(`np.isclose`, 상대 허용 오차 1e-4).
# 2. 같은 구조로 새로 만든 모델에 가중치만 불러와도 같은 `val_loss`가 나옵니다.
# 3. 가중치만 담은 `best.weights.h5`가 모델 전체를 담은 `best.keras`보다 작습니다.

# %% [markdown] lang="en"
# The two formats hold different things:
#
# - `.keras` (the whole model): the architecture, the weights and the `compile()` settings, in one
#   file. `keras.models.load_model(path)` alone gives back a model ready to use.
# - `.weights.h5` (weights only): a smaller file without the architecture. You first build a model
#   of the same architecture in code, then fill it with `model.load_weights(path)`.
#
# "False has a TF 2 issue, so only use True" is a story from Keras 2's HDF5 and SavedModel saving.
# Put two `ModelCheckpoint`s on the tiny model, one saving the whole model to `best.keras`, the
# other only the weights to `best.weights.h5`, both with `save_best_only=True`, and load both back.
# Three claims:
#
# 1. The loaded `best.keras` gives the lowest `val_loss` recorded in the history (`np.isclose`,
#    relative tolerance 1e-4).
# 2. A freshly built model of the same architecture, filled with the weights alone, gives the same
#    `val_loss`.
# 3. The weights-only `best.weights.h5` is smaller than the whole-model `best.keras`.

# %%
# NBVAL_CHECK_OUTPUT
whole = keras.callbacks.ModelCheckpoint(str(folder / "best.keras"), save_best_only=True)
weights = keras.callbacks.ModelCheckpoint(
    str(folder / "best.weights.h5"), save_best_only=True, save_weights_only=True
)
validation = (x_tiny[:32], y_tiny[:32])
history = tiny_model().fit(
    x_tiny, y_tiny, epochs=4, batch_size=16, validation_data=validation, callbacks=[whole, weights], verbose=0
)
lowest = min(history.history["val_loss"])
loaded = keras.models.load_model(folder / "best.keras")
rebuilt = tiny_model()
rebuilt.load_weights(folder / "best.weights.h5")
print(bool(np.isclose(loaded.evaluate(*validation, verbose=0)[0], lowest, rtol=1e-4)))
print(bool(np.isclose(rebuilt.evaluate(*validation, verbose=0)[0], lowest, rtol=1e-4)))
print((folder / "best.weights.h5").stat().st_size < (folder / "best.keras").stat().st_size)

# %% [markdown] lang="ko"
# 세 줄 모두 `True`입니다. Keras 3에서는 모델 전체를 `.keras`로 저장하는 방식이 기본이고, 문제없이
# 다시 불러옵니다.
#
# `load_model`의 `safe_mode`는 기본값이 `True`입니다. Keras 문서에 따르면 파일에 든 `lambda` 코드를
# 불러오지 못하게 막는 안전장치입니다. 이 레슨의 모델처럼 일반적인 층(layer)만 쓴 모델은 그대로
# 불러올 수 있습니다.

# %% [markdown] lang="en"
# All three are `True`. In Keras 3, saving the whole model as `.keras` is the normal way, and it
# loads back without trouble.
#
# `load_model`'s `safe_mode` defaults to `True`. Per the Keras documentation it is a guard against
# loading `lambda` code from a file; a model made of ordinary layers, like these, loads as is.

# %%
# NBVAL_CHECK_OUTPUT
print(inspect.signature(keras.models.load_model).parameters["safe_mode"].default)

# %% [markdown] lang="ko"
# ## `verbose=1`: 저장할 때마다 메시지
#
# 노트에는 "`verbose` 1 을 설정해놓으면 학습의 진행 상황을 보여준다"고 적혀 있습니다. 정확히 말하면
# `ModelCheckpoint`의 `verbose`는 이 콜백이 내린 판단을 알려 줍니다. 학습 진행 막대를 보일지는
# `fit()`의 `verbose`가 따로 정합니다. 아래 셀은 출력 폴더 안에 `verbose_demo` 폴더를 만듭니다.

# %% [markdown] lang="en"
# ## `verbose=1`: a message at each save
#
# The notes say "with `verbose` 1 it shows the progress of training". More precisely, a
# `ModelCheckpoint`'s `verbose` reports what this callback decided; the progress bar is up to
# `fit()`'s own `verbose`. The next cell makes a `verbose_demo` folder inside the output folder:

# %%
# NBVAL_IGNORE_OUTPUT
demo_folder = folder / "verbose_demo"
demo_folder.mkdir()
print(demo_folder)

# %% [markdown] lang="ko"
# 이번에는 `cbteach`의 콜백이 아니라 Keras의 `ModelCheckpoint`를 그대로 씁니다. `drive`는 `overfit`
# 기록의 처음 6 에포크 로그를 `fit()`처럼 에포크마다 하나씩 콜백에 넘겨 줍니다. 콜백은 작은 대역
# 모델(stand-in model)에 붙어 있어서 파일을 정말로 씁니다. 저장되는 것은 MNIST 모델이 아니라 이 대역
# 모델이지만, 언제 어떤 이름으로 저장하고 무엇을 출력하는지는 실제 학습과 똑같습니다. 상대 경로가
# 현재 작업 폴더를 기준으로 한다는 것을 보여 주려고, 이 셀이 실행되는 동안만 작업 폴더를
# `verbose_demo`로 옮깁니다.

# %% [markdown] lang="en"
# This time the callback is Keras' own `ModelCheckpoint`, not cbteach's. `drive` hands it the logs
# of the first 6 epochs of the `overfit` recording, one epoch at a time, as `fit()` would. The
# callback sits on a tiny stand-in model, so it really writes files. What gets saved is that
# stand-in, not an MNIST model, but when it saves, under which name, and what it prints are exactly
# as in real training. To show that a relative path is resolved against the current working
# folder, the cell moves the working folder to `verbose_demo` for its duration:

# %%
# NBVAL_CHECK_OUTPUT
first_epochs = {name: values[:6] for name, values in overfit.history.items()}
loud = keras.callbacks.ModelCheckpoint(filepath, save_best_only=True, verbose=1)
home = os.getcwd()
os.chdir(demo_folder)
try:
    drive([loud], first_epochs, standin_model())
finally:
    os.chdir(home)
print(sorted(os.listdir(demo_folder)))

# %% [markdown] lang="ko"
# - 저장할 때는 `Epoch N: val_loss improved from X to Y, saving model to 파일` 한 줄이 나오고, 파일을
#   다 쓴 뒤 `Epoch N: finished saving model to 파일` 한 줄이 더 나옵니다. 에포크 번호는 1부터 셉니다.
# - 첫 에포크에는 아직 최고 기록이 없어서 `improved from None`이라고 나옵니다.
# - 나아지지 않은 5번째 에포크에서는 `did not improve from 0.22447`만 출력하고 저장하지 않습니다.
# - 파일은 상대 경로 그대로 현재 작업 폴더(`verbose_demo`)에 5개 생겼습니다.

# %% [markdown] lang="en"
# - A save prints `Epoch N: val_loss improved from X to Y, saving model to FILE`, and once written,
#   `Epoch N: finished saving model to FILE`. Epochs count from 1.
# - At the first epoch there is no best yet, hence `improved from None`.
# - Epoch 5 did not improve: it prints only `did not improve from 0.22447` and saves nothing.
# - The 5 files landed, by their relative path, in the current working folder (`verbose_demo`).

# %% [markdown] lang="ko"
# ## `period`는 없어졌습니다: `save_freq`
#
# 노트에는 이렇게 적혀 있습니다.
#
# > `period` : save wights every given Integer epoch. (model size가 크면 이것도 크게 설정)
#
# Keras 2에서 `period`는 "N 에포크마다 저장"이었고, 이미 폐기 예정(deprecated) 인자였습니다.
# Keras 3에는 아예 없어서 `TypeError`가 납니다. 다음 셀은 **일부러 오류를 냅니다.**

# %% [markdown] lang="en"
# ## `period` is gone: `save_freq`
#
# The notes say:
#
# > `period`: save weights every given integer epoch (set it large for a large model)
#
# In Keras 2, `period` meant "save every N epochs" and was already deprecated. Keras 3 does not
# have it at all, so it is a `TypeError`. The next cell **fails on purpose**:

# %% tags=["raises-exception"]
# NBVAL_CHECK_OUTPUT
keras.callbacks.ModelCheckpoint("best.keras", period=5)

# %% [markdown] lang="ko"
# 그 대신 저장 주기(`save_freq`)가 있습니다. 기본값 `"epoch"`는 에포크마다 한 번 저장하고, 정수를
# 주면 에포크 수가 아니라 **배치(batch) 수**를 셉니다. 앞의 작은 모델로 확인해 봅시다. 샘플 64개를
# 16개씩 배치로 나누면 한 에포크가 4 배치입니다. 배치 단위로 저장할 때는 파일 이름에
# `{batch}`(에포크 안에서 1부터 센 배치 번호)도 쓸 수 있습니다.

# %% [markdown] lang="en"
# What it has instead is `save_freq`. The default `"epoch"` saves once per epoch; an integer counts
# **batches**, not epochs. Check it on the tiny model: 64 samples in batches of 16 make 4 batches
# per epoch. When saving by batch, the file name may also use `{batch}`, the batch number within
# the epoch, counted from 1:

# %%
# NBVAL_CHECK_OUTPUT
for save_freq in [3, 8]:
    by_batch = cbteach.ModelCheckpoint("batch.{epoch:02d}-{batch:02d}.keras", save_freq=save_freq, write=False)
    tiny.fit(x_tiny, y_tiny, epochs=4, batch_size=16, callbacks=[by_batch], verbose=0)
    print(save_freq, [event.saved_path for event in by_batch.events])

# %% [markdown] lang="ko"
# - `save_freq=3`: 3 배치마다 저장합니다. 에포크 경계와 상관없이 세므로 에포크 1의 3번째 배치,
#   에포크 2의 2번째 배치, 에포크 3의 첫 번째 배치, …에 저장합니다.
# - `save_freq=8`: 8 배치가 2 에포크이므로 2번째와 4번째 에포크의 마지막 배치에 저장합니다.
#
# 그러니 Keras 2의 `period=N`은 `save_freq=N × (에포크당 배치 수)`로 옮길 수 있습니다. 에포크당
# 배치 수는 `ceil(학습 샘플 수 / batch_size)`입니다. 다만 배치 단위 저장은 검증 전인
# `on_train_batch_end`에서, 그 배치의 로그로 합니다. 이 로그에는 검증 데이터를 주어도 `val_` 값이
# 없습니다(아래 셀). 그래서 노트의 `{val_loss}` 파일 이름은 첫 저장에서 앞에서 본 `KeyError`를 내고,
# `monitor="val_loss"`에 `save_best_only=True`를 주면 비교할 값이 없어 Keras가 경고만 하고 매번
# 저장합니다. 에포크마다 저장하려면 기본값 `"epoch"`를 그대로 두세요.

# %% [markdown] lang="en"
# - `save_freq=3`: a save every 3 batches. The count runs across epoch boundaries, so it saves at
#   epoch 1 batch 3, epoch 2 batch 2, epoch 3 batch 1, ...
# - `save_freq=8`: 8 batches are 2 epochs, so it saves at the last batch of epochs 2 and 4.
#
# So Keras 2's `period=N` can become `save_freq=N × (batches per epoch)`, where batches per epoch
# is `ceil(training samples / batch_size)`. But a batch save happens in `on_train_batch_end`, before
# validation, with that batch's logs, and those hold no `val_` values even when there is validation
# data (next cell). So the notes' `{val_loss}` file name raises the `KeyError` seen earlier at the
# first save, and `save_best_only=True` with `monitor="val_loss"` has nothing to compare: Keras
# warns and saves every time. To save once per epoch, keep the default `"epoch"`.

# %%
# NBVAL_CHECK_OUTPUT
batch_keys = []
peek = keras.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: batch_keys.append(sorted(logs)))
tiny_model().fit(x_tiny, y_tiny, epochs=1, batch_size=16, validation_split=0.25, callbacks=[peek], verbose=0)
print(batch_keys[-1])

# %% [markdown] lang="ko"
# ### 예측해 보기: `save_best_only=True`와 정수 `save_freq`
#
# `loss`는 배치 로그에 있으니 `monitor="loss"`, `save_best_only=True`, `save_freq=1`이면 배치마다
# 최고 기록을 비교해 저장할 것 같습니다. 한 에포크가 4 배치인 작은 모델에서는 어떻게 될지 예측한 뒤
# 실행해 보세요. 다음 셀은 **일부러 오류를 냅니다.**

# %% [markdown] lang="en"
# ### Predict: `save_best_only=True` with an integer `save_freq`
#
# `loss` is in the batch logs, so `monitor="loss"`, `save_best_only=True` and `save_freq=1` should
# compare and save the best at every batch. Predict what happens on the tiny model (4 batches an
# epoch), then run it. The next cell **fails on purpose**:

# %% tags=["raises-exception"]
# NBVAL_CHECK_OUTPUT
crash = keras.callbacks.ModelCheckpoint(str(folder / "crash.keras"), monitor="loss", save_best_only=True, save_freq=1)
tiny_model().fit(x_tiny, y_tiny, epochs=1, batch_size=16, callbacks=[crash], verbose=0)

# %% [markdown] lang="ko"
# Keras 3.15.1의 `ModelCheckpoint`는 두 번째 배치 저장에서 `TypeError`로 멈춥니다. 비교 함수
# (`monitor_op`)는 첫 에포크가 끝날 때 정해지는데, 그 전에 두 번째 저장이 아직 `None`인 비교 함수를
# 부르기 때문입니다. 첫 에포크 안에 저장이 두 번 이상 오면(MNIST 전체는 에포크당 1,719 배치) 이렇게
# 됩니다. `save_best_only=True`에는 `save_freq="epoch"`를 쓰세요.

# %% [markdown] lang="en"
# Keras 3.15.1's `ModelCheckpoint` crashes with `TypeError` at the second batch save: its
# comparison (`monitor_op`) is set only at the end of the first epoch, and the second save calls it
# while it is still `None`. Any run with two saves before the first epoch ends does this (full MNIST
# has 1,719 batches an epoch). With `save_best_only=True`, use `save_freq="epoch"`.

# %% [markdown] lang="ko"
# ## 정리: 노트의 예제를 Keras 3에 맞게 고치면
#
# | 노트 | Keras 3에서 확인한 것 |
# |---|---|
# | `filepath`에 `{epoch:02d}`, `{val_loss:.2f}` 서식 | 맞습니다. `{epoch}`는 1부터, 로그에 없는 이름은 첫 에포크가 끝날 때 `KeyError` |
# | `monitor`는 validation data를 모니터함 | 로그의 어떤 이름이든 됩니다. 학습 지표를 보면 과적합된 모델이 남습니다 |
# | `mode='auto'`는 이름을 보고 유추 | Keras 3.11부터는 `loss`면 min, 아니면 컴파일한 지표의 방향. `val_acc` 이름은 첫 에포크 뒤 `ValueError` |
# | 결국 마지막 모델이 저장되는 경우가 대부분 | `save_best_only=True`면 가장 좋은 에포크의 모델이 남습니다 |
# | `save_weights_only=False`엔 TF 2 문제가 있어 `True`만 사용 | `.keras`로 모델 전체를 저장하고 불러와도 문제없습니다 |
# | `.hdf5` 확장자 | 가중치만이면 `.weights.h5`, 모델 전체면 `.keras`(예전 HDF5 형식 `.h5`도 허용). 그 밖의 확장자는 `ValueError` |
# | `os.getcwd() + 'weights...'` | 구분자가 빠져 폴더 옆에 저장됩니다. `os.path.join`이나 상대 경로를 쓰세요 |
# | `period` | Keras 3에는 없습니다(`TypeError`). `save_freq`의 정수는 배치 수 |
#
# 고친 코드는 이렇습니다.
#
# ```python
# save_path = os.path.join(os.getcwd(), "weights.{epoch:02d}-{val_loss:.2f}.keras")
#
# mcp_cb = ModelCheckpoint(filepath=save_path, monitor="val_loss",
#                          save_best_only=True, mode="min", verbose=1)
# ```
#
# [01 레슨](01_model_checkpoint.ipynb)으로 돌아가거나, 다음 레슨으로 넘어가세요.
#
# 다음: **02 ReduceLROnPlateau**

# %% [markdown] lang="en"
# ## Summary: the notes' example, fixed for Keras 3
#
# | The notes | What Keras 3 showed |
# |---|---|
# | `filepath` formatting with `{epoch:02d}`, `{val_loss:.2f}` | Right. `{epoch}` counts from 1; a name not in the logs is a `KeyError` at the end of the first epoch |
# | `monitor` watches the validation data | Any name in the logs works; watching a training metric keeps an overfitted model |
# | `mode='auto'` infers from the name | From Keras 3.11: `loss`, or the compiled metric's direction. `val_acc` is a `ValueError` after the first epoch |
# | In the end, mostly the last model is saved | With `save_best_only=True`, the best epoch's model is what remains |
# | `save_weights_only=False` has a TF 2 issue, use only `True` | Saving and loading the whole model as `.keras` works |
# | The `.hdf5` suffix | `.weights.h5` for weights only, `.keras` for the whole model (the older HDF5 `.h5` is accepted too); any other suffix is a `ValueError` |
# | `os.getcwd() + 'weights...'` | No separator: the files land beside the folder. Use `os.path.join` or a relative path |
# | `period` | Gone in Keras 3 (`TypeError`); an integer `save_freq` counts batches |
#
# The fixed code:
#
# ```python
# save_path = os.path.join(os.getcwd(), "weights.{epoch:02d}-{val_loss:.2f}.keras")
#
# mcp_cb = ModelCheckpoint(filepath=save_path, monitor="val_loss",
#                          save_best_only=True, mode="min", verbose=1)
# ```
#
# Go back to [lesson 01](01_model_checkpoint.ipynb), or on to the next lesson.
#
# Next: **02 ReduceLROnPlateau**
