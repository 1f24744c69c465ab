# %% [markdown] lang="ko"
# # 01. ModelCheckpoint: 가장 좋은 모델을 파일로 남기기
#
# 00 레슨에서 본 `overfit` 기록(recorded run)은 7번째 에포크(epoch)에서 검증 손실(validation loss)
# `val_loss`가 가장 낮았고, 그 뒤로는 과적합(overfitting)이 진행되었습니다. 학습이 끝났을 때 손에
# 남는 것은 100번째 에포크의 모델입니다. 7번째 에포크의 모델을 쓰고 싶다면 학습 도중에 파일로
# 저장해 두어야 합니다. 이렇게 학습 중간에 저장한 파일을 체크포인트(checkpoint)라고 하고, 그 일을
# 맡는 콜백(callback)이 `ModelCheckpoint`입니다.
#
# 노트의 예제는 이렇습니다.
#
# ```python
# save_path = os.getcwd() + 'weights.{epoch:02d}-{val_loss:.2f}.hdf5'
#
# mcp_cb = ModelCheckpoint(filepath = save_path, monitor = 'val_loss',
#                         save_best_only = True, save_weights_only = True,
#                         mode = 'min', verbose = 1)
# ```
#
# 이 코드는 Keras 3에서 그대로는 동작하지 않고, 동작하도록 고쳐도 파일이 엉뚱한 폴더에 생깁니다.
# 이 레슨에서는 인자(argument)를 하나씩 실제 Keras로 확인하면서 어디가 왜 틀렸는지 보고, 마지막에는
# 실제로 학습해서 저장한 모델을 다시 불러와 봅니다.
#
# - 파일 이름 서식(`filepath`), 그리고 로그(logs)에 없는 이름을 넣었을 때
# - `monitor`와 `mode`, 그리고 Keras 3의 `mode="auto"`가 방향을 정하는 방법
# - `save_best_only`, `initial_value_threshold`
# - `save_weights_only`와 파일 확장자, `os.getcwd() + ...`의 함정, `verbose`
# - 사라진 `period`와 그 자리를 대신하는 `save_freq`
# - 실제 학습 한 번: 가장 좋은 모델을 저장하고 다시 불러와 확인하기
#
# 실제 학습은 마지막에 한 번만 합니다. 나머지는 `overfit` 기록을 리플레이(replay)해서 확인하므로
# 누가 언제 실행해도 결과가 같습니다.

# %% [markdown] lang="en"
# # 01. ModelCheckpoint: keeping the best model in a file
#
# On the `overfit` recording from lesson 00, the validation loss `val_loss` was lowest at epoch 7
# and the model overfitted from there on. What you hold when training ends is epoch 100's model, so
# if you want epoch 7's model you have to write it to a file while training is still running. Such
# a file is a checkpoint, and the callback that writes it is `ModelCheckpoint`.
#
# The notes' example:
#
# ```python
# save_path = os.getcwd() + 'weights.{epoch:02d}-{val_loss:.2f}.hdf5'
#
# mcp_cb = ModelCheckpoint(filepath = save_path, monitor = 'val_loss',
#                         save_best_only = True, save_weights_only = True,
#                         mode = 'min', verbose = 1)
# ```
#
# As written, this fails in Keras 3, and once it runs, its files land in the wrong folder. This
# lesson checks the arguments one by one on real Keras, shows what is wrong and why, and at the end
# trains for real and loads the saved model back.
#
# - file name formatting (`filepath`), and a name that is not in the logs
# - `monitor` and `mode`, and how Keras 3's `mode="auto"` picks a direction
# - `save_best_only`, `initial_value_threshold`
# - `save_weights_only` and file suffixes, the `os.getcwd() + ...` trap, `verbose`
# - the removed `period`, and `save_freq` in its place
# - one real training run: save the best model, load it back, check it
#
# There is one real training run, at the end. Everything else replays the `overfit` recording, so
# it comes out the same for everyone, every time.

# %%
# NBVAL_IGNORE_OUTPUT
LANGUAGE = "en"

import cbteach

import inspect
import os
import warnings

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from cbteach import recorded, workbook
from cbteach.replay import drive, replay, standin_model

plan = workbook.start(LANGUAGE)
overfit = recorded.load("overfit")

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
# 확장자를 쓴 이유는 뒤에서 설명합니다.

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
# `.keras` rather than the notes' `.hdf5`; the reason comes later.

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
# cbteach에만 있는 인자가 더 있습니다. 여기서 쓰는 `write`, 뒤에서 쓸 `explain`, 그리고 이벤트를
# 모아 둘 `log`입니다. Keras의 `ModelCheckpoint`에는 없는 인자이니, 여러분의 학습 스크립트에 옮겨 쓸
# 때는 빼야 합니다.
# `write=False`를 주면 저장 여부와 파일 이름은 Keras가 그대로 정하지만 파일은 쓰지 않습니다.
# `overfit` 기록의 100 에포크를 리플레이하면서, 기본 설정(`save_best_only=False`)이라면 쓸 파일
# 이름을 모아 봅시다.

# %% [markdown] lang="en"
# The hooks' `epoch=0` became `01` in the file name.
#
# Now let `ModelCheckpoint` name the files itself. `cbteach.ModelCheckpoint` is a subclass of Keras'
# `ModelCheckpoint` and takes every Keras argument as it is. It adds arguments of cbteach's own:
# `write`, used here, `explain`, used later, and `log`, where the events can be collected. Keras'
# `ModelCheckpoint` has none of them, so leave them out when you copy a line into your own training
# script. With `write=False`, Keras
# still decides whether to save and what to call the file, but nothing is written. Replay the 100
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
# 자리 표시자에는 로그에 있는 이름만 쓸 수 있습니다. `val_loss`는 `fit()`에 `validation_data`를
# 주었을 때만 로그에 생기므로, 검증 데이터(validation data) 없이 학습하면 `{val_loss}`를 채울 수
# 없습니다. 언제 오류가 나는지 보려고 아주 작은 모델을 준비합니다. `print_epoch`는 에포크가 끝날
# 때마다 에포크 번호(1부터)를 출력하는 콜백입니다.

# %% [markdown] lang="en"
# The default writes one file per epoch, 100 in all; `{epoch}` in the name keeps them from
# overwriting each other. The `0.62` in the last name is epoch 100's `val_loss`, far worse than
# epoch 7's 0.21.
#
# ### A name that is not in the logs
#
# A placeholder must be a key of the logs. `val_loss` is in the logs only when `fit()` gets
# `validation_data`, so without validation data there is nothing to fill `{val_loss}` with. To see
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

# %% [markdown] lang="en"
# - With `val_loss` the last save is epoch 7; with `val_accuracy` it is epoch 20. Which model you
#   keep depends on what you watch.
# - With the training data's `loss` and `accuracy`, saves go on until epoch 94: the training
#   metrics keep improving while the model overfits, so watching them keeps an overfitted model as
#   the "best". That is why a validation metric is the usual choice. The notes' remark should read
#   "you usually have it watch the validation data", not "it always watches the validation data".

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
# `min`과 `max`는 맞습니다. `auto`(기본값)는 Keras 2까지는 이름에 `acc` 세 글자가 들어 있는지를
# 보았지만, Keras 3.11부터는 방법이 다릅니다.
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
# `min` and `max` are right. `auto` (the default) looked for `acc` in the name up to Keras 2; from
# Keras 3.11 on it works differently:
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
# ## 언제 저장하나: `save_best_only`
#
# 노트에는 이렇게 적혀 있습니다.
#
# > `save_best_only` : 가장 좋은 performance를 가진 model만 save할지 (True ro False)
# >
# > model의 크기가 커지면 매 epoch마다 저장할 때 공간을 많이 잡아먹음
# >
# > 결국 가장 마지막에 학습된 model이 저장되는 경우가 대부분
#
# 앞의 두 줄은 맞습니다. `save_best_only=True`는 모니터링 지표가 최고 기록(best)보다 나아졌을 때만
# 저장하고, `False`(기본값)는 에포크마다 저장합니다. 세 번째 줄은 `save_best_only=True`라면
# 틀렸습니다. 파일 이름에 서식을 쓰는 경우와 `best.keras`처럼 고정된 이름을 쓰는 경우를 모두
# 리플레이해서 확인해 봅시다. `saves`는 저장한 횟수, `files`는 서로 다른 파일 수입니다.

# %% [markdown] lang="en"
# ## When to save: `save_best_only`
#
# The notes say:
#
# > `save_best_only`: whether to save only the model with the best performance (True or False)
# >
# > as the model grows, saving every epoch takes a lot of space
# >
# > in the end, most of the time it is the last trained model that gets saved
#
# The first two lines are right: `save_best_only=True` saves only when the monitored metric beats
# the best so far, `False` (the default) saves every epoch. The third line is wrong for
# `save_best_only=True`. Replay both a formatted file name and a fixed one such as `best.keras`;
# `saves` counts the saves, `files` the distinct files:

# %%
# NBVAL_CHECK_OUTPUT
rows = []
for path in [filepath, "best.keras"]:
    for best_only in [False, True]:
        checkpoint = cbteach.ModelCheckpoint(path, save_best_only=best_only, write=False)
        saves = replay(overfit, [checkpoint]).saves
        paths = [event.saved_path for event in saves]
        rows.append((path, best_only, len(paths), len(set(paths)), saves[-1].epoch, paths[-1]))
pd.DataFrame(rows, columns=["filepath", "save_best_only", "saves", "files", "last_saved_epoch", "last_file"])

# %% [markdown] lang="ko"
# - 서식 이름 + `save_best_only=True`: 파일 6개가 생기고, 마지막 파일은 `weights.07-0.21.keras`입니다.
#   가장 나중에 쓴 파일에는 100번째 에포크가 아니라 `val_loss`가 가장 좋았던 7번째 에포크의 모델이
#   들어 있습니다.
# - `best.keras` + `save_best_only=True`: 같은 파일에 6번 쓰고(처음 한 번, 덮어쓰기 다섯 번), 마지막에 남는 것은 7번째 에포크의
#   모델입니다. 파일 하나에 늘 최고 기록의 모델이 들어 있으니 가장 흔히 쓰는 설정입니다.
# - `best.keras` + `save_best_only=False`: 에포크마다 덮어써서 100번째 에포크의 모델이 남습니다.
#   노트의 세 번째 줄은 **이 경우에만** 맞고, 이때 파일에 든 것은 이름과 달리 '최고' 모델이 아니라
#   '마지막' 모델입니다.
#
# 에포크마다 무엇을 판단했는지는 이벤트 로그(event log)로 볼 수 있습니다. 처음 10 에포크입니다.

# %% [markdown] lang="en"
# - Formatted name + `save_best_only=True`: 6 files, the last one `weights.07-0.21.keras`. The
#   file written last holds epoch 7, the best `val_loss`, not epoch 100.
# - `best.keras` + `save_best_only=True`: the same file is written 6 times (once, then 5 overwrites) and ends up holding
#   epoch 7's model. One file that always holds the best so far: the most common setting.
# - `best.keras` + `save_best_only=False`: overwritten every epoch, so it ends up holding epoch
#   100's model. The notes' third line is true **only in this case**, and then the file holds the
#   last model, not the best.
#
# The event log shows what was decided at each epoch. The first 10 epochs:

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
# ## 무엇을 저장하나: `save_weights_only`와 파일 확장자
#
# 노트에는 이렇게 적혀 있습니다.
#
# > `save_weights_only` : weights만 save할 지 여부 (True ro False)
# >
# > False엔 tf ver.2 의 issue가 있다고 하여 True만 사용
#
# Keras 3에서는 콜백을 만드는 순간 파일 확장자를 검사합니다. 가중치(weights)만
# 저장하려면(`save_weights_only=True`) 파일 이름이 `.weights.h5`로 끝나야 하고, 모델 전체를
# 저장하려면(기본값 `False`) `.keras`로 끝나야 합니다. 예전 HDF5 형식인 `.h5`도 받아 줍니다. 다음
# 셀은 노트의 설정을 확장자까지 그대로 옮긴 것으로, **일부러 오류를 냅니다.**

# %% [markdown] lang="en"
# ## What to save: `save_weights_only` and file suffixes
#
# The notes say:
#
# > `save_weights_only`: whether to save only the weights (True or False)
# >
# > False reportedly has a TF 2 issue, so only True is used
#
# Keras 3 checks the file suffix the moment the callback is built. Saving only the weights
# (`save_weights_only=True`) needs a name ending in `.weights.h5`; saving the whole model (the
# default, `False`) needs `.keras`, or the older HDF5 format's `.h5`. The next cell copies the
# notes' settings, suffix included, and **fails on purpose**:

# %% tags=["raises-exception"]
# NBVAL_CHECK_OUTPUT
keras.callbacks.ModelCheckpoint(
    filepath="weights.{epoch:02d}-{val_loss:.2f}.hdf5",
    monitor="val_loss",
    save_best_only=True,
    save_weights_only=True,
    mode="min",
    verbose=1,
)

# %% [markdown] lang="ko"
# 확장자 규칙을 한눈에 보면 이렇습니다. `accepted`가 `False`인 조합에서는 모두 위와 같은
# `ValueError`가 납니다.

# %% [markdown] lang="en"
# The suffix rules at a glance; every combination with `accepted` `False` raises a `ValueError`
# like the one above:

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
# 나온 이야기입니다. Keras 3에서는 모델 전체를 `.keras`로 저장하는 방식이 기본이고, 문제없이
# 동작합니다. 레슨 끝에서 실제로 학습해 두 형식으로 저장하고, 둘 다 다시 불러와 확인합니다.
#
# ## `os.getcwd() + ...`: 구분자가 빠졌습니다
#
# 노트는 경로를 이렇게 만듭니다.
#
# > `save_path = os.getcwd() + 'weights.{epoch:02d}-{val_loss:.2f}.hdf5'`
#
# `os.getcwd()`는 현재 작업 폴더의 경로를 끝에 `/` 없이 돌려줍니다. 그래서 문자열을 그냥 이어
# 붙이면 폴더 이름과 파일 이름이 한데 붙어 버립니다. 현재 폴더가 `/home/me/project`라고 하고, 이어
# 붙인 경로와 `os.path.join`으로 만든 경로를 각각 (경로, 파일이 놓일 폴더, 파일 이름)으로 나눠
# 봅시다.

# %% [markdown] lang="en"
# The two formats hold different things:
#
# - `.keras` (the whole model): the architecture, the weights and the `compile()` settings, in one
#   file. `keras.models.load_model(path)` alone gives back a model ready to use.
# - `.weights.h5` (weights only): a smaller file without the architecture. You first build a model
#   of the same architecture in code, then fill it with `model.load_weights(path)`.
#
# "False has a TF 2 issue, so only use True" is a story from Keras 2's HDF5 and SavedModel saving.
# In Keras 3, saving the whole model as `.keras` is the normal way and works. At the end of the
# lesson you train for real, save in both formats and load both back.
#
# ## `os.getcwd() + ...`: the separator is missing
#
# The notes build the path like this:
#
# > `save_path = os.getcwd() + 'weights.{epoch:02d}-{val_loss:.2f}.hdf5'`
#
# `os.getcwd()` returns the current working folder without a trailing `/`, so plain string
# concatenation glues the folder name onto the file name. Say the current folder is
# `/home/me/project`, and split the concatenated path and the `os.path.join` path into (path,
# folder the file lands in, file name):

# %%
# NBVAL_CHECK_OUTPUT
project = "/home/me/project"
for path in [project + filepath, os.path.join(project, filepath)]:
    print((path, os.path.dirname(path), os.path.basename(path)))

# %% [markdown] lang="ko"
# 이어 붙인 경로에서는 파일이 `/home/me/project` **안**이 아니라 그 **옆**, 즉 `/home/me` 폴더에
# `projectweights.01-0.37.keras` 같은 이름으로 생깁니다. 오류가 나지 않아서 알아채기 어렵습니다.
# `os.path.join(os.getcwd(), ...)`이나 `pathlib.Path`의 `/` 연산자를 쓰세요. 사실 현재 작업 폴더에
# 저장하려면 `os.getcwd()`도 필요 없습니다. `"weights.{epoch:02d}-{val_loss:.2f}.keras"` 같은 상대
# 경로는 현재 작업 폴더를 기준으로 하기 때문입니다. 아래 셀들이 바로 그렇게 저장합니다.

# %% [markdown] lang="en"
# With concatenation the file does not land **inside** `/home/me/project` but **beside** it, in
# `/home/me`, under a name like `projectweights.01-0.37.keras`. Nothing fails, so it is easy to
# miss. Use `os.path.join(os.getcwd(), ...)` or `pathlib.Path`'s `/`. In fact, to save in the
# current working folder you do not need `os.getcwd()` at all: a relative path such as
# `"weights.{epoch:02d}-{val_loss:.2f}.keras"` is resolved against the current working folder.
# The cells below save exactly that way.

# %% [markdown] lang="ko"
# ## `verbose=1`: 저장할 때마다 메시지
#
# 노트에는 "`verbose` 1 을 설정해놓으면 학습의 진행 상황을 보여준다"고 적혀 있습니다. 정확히 말하면
# `ModelCheckpoint`의 `verbose`는 이 콜백이 내린 판단을 알려 줍니다. 학습 진행 막대를 보일지는
# `fit()`의 `verbose`가 따로 정합니다.
#
# 이 레슨에서 쓰는 파일은 모두 아래 셀이 만드는 폴더에 들어갑니다. 레슨을 다시 실행하면 `run-2`,
# `run-3`처럼 새 폴더가 생기므로 예전 파일을 덮어쓰지 않습니다.

# %% [markdown] lang="en"
# ## `verbose=1`: a message at each save
#
# The notes say "with `verbose` 1 it shows the progress of training". More precisely, a
# `ModelCheckpoint`'s `verbose` reports what this callback decided; the progress bar is up to
# `fit()`'s own `verbose`.
#
# Every file this lesson writes goes into the folder the next cell makes. Running the lesson again
# makes a new folder, `run-2`, `run-3` and so on, so earlier files are never overwritten.

# %%
# NBVAL_IGNORE_OUTPUT
folder = workbook.output_folder("01_model_checkpoint")
demo_folder = folder / "verbose_demo"
demo_folder.mkdir()
print(folder)

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
# 그러니 Keras 2의 `period=N`은 `save_freq=N × (에포크당 배치 수)`로 옮기면 됩니다. 에포크당 배치
# 수는 `ceil(학습 샘플 수 / batch_size)`입니다. 이 값은 데이터 크기나 `batch_size`를 바꾸면 달라지니,
# 에포크마다 한 번 저장하려면 기본값 `"epoch"`를 그대로 두세요.

# %% [markdown] lang="en"
# - `save_freq=3`: a save every 3 batches. The count runs across epoch boundaries, so it saves at
#   epoch 1 batch 3, epoch 2 batch 2, epoch 3 batch 1, ...
# - `save_freq=8`: 8 batches are 2 epochs, so it saves at the last batch of epochs 2 and 4.
#
# So Keras 2's `period=N` becomes `save_freq=N × (batches per epoch)`, where batches per epoch is
# `ceil(training samples / batch_size)`. That number changes with the data size and the
# `batch_size`, so to save once per epoch, keep the default `"epoch"`.

# %% [markdown] lang="ko"
# ## 실제로 학습하고, 가장 좋은 모델을 다시 불러오기
#
# 이제 실제로 학습합니다. `ModelCheckpoint`를 두 개 붙입니다. 둘 다 `val_loss`를 지켜보며
# `save_best_only=True`로 저장하는데, 하나는 모델 전체를 `best.keras`에, 다른 하나는 가중치만
# `best.weights.h5`에 저장합니다. 파일 이름에 자리 표시자가 없으니, 콜백마다 파일 하나를 두고 최고
# 기록이 나올 때마다 덮어씁니다. `explain=True`를 준 첫 번째 콜백은 에포크마다 무엇을 판단했는지 한
# 줄씩 출력합니다. 에포크 수는 맨 처음 셀에서 정한 학습 계획(plan)을 따릅니다.

# %% [markdown] lang="en"
# ## Training for real, and loading the best model back
#
# Now train for real, with two `ModelCheckpoint`s. Both watch `val_loss` with
# `save_best_only=True`; one saves the whole model to `best.keras`, the other only the weights to
# `best.weights.h5`. The names have no placeholders, so each keeps one file and overwrites it at
# every new best. `explain=True` makes the first one print a line per epoch saying what it decided.
# The number of epochs follows the plan chosen at the start.

# %%
# NBVAL_IGNORE_OUTPUT
from cbteach.data import load_mnist
from cbteach.training import train

data = load_mnist(plan.source, seed=plan.seed)
best_model = cbteach.ModelCheckpoint(
    str(folder / "best.keras"), monitor="val_loss", save_best_only=True, explain=True
)
best_weights = cbteach.ModelCheckpoint(
    str(folder / "best.weights.h5"), monitor="val_loss", save_best_only=True, save_weights_only=True
)
run = train([best_model, best_weights], data=data, **plan.train_args)

# %% [markdown] lang="ko"
# 타임라인(timeline) 그림에서 저장한 에포크를 확인해 보세요. 점선은 지금까지의 최고 기록입니다.
# `val_loss`가 최고 기록을 새로 쓴 에포크에만 저장 표시(동그라미)가 있고, 과적합이 시작된 뒤로는
# 저장이 멈춥니다. 두 콜백은 같은 에포크에 저장하므로 표시가 겹칩니다.

# %% [markdown] lang="en"
# Look for the saves on the timeline. The dotted line is the best so far; there is a save mark
# (a circle) only where `val_loss` sets a new best, and the saves stop once overfitting sets in.
# The two callbacks save at the same epochs, so their marks overlap.

# %%
from cbteach.plots import plot_run

plot_run(run)
plt.show()

# %% [markdown] lang="ko"
# 이제 `best.keras`를 `keras.models.load_model`로 불러와 검증 데이터로 평가합니다. 불러온 모델은
# 여기서 `compile()`하지 않았는데도 `evaluate()`를 할 수 있습니다. `.keras` 파일에 `compile()`
# 설정까지 들어 있기 때문입니다. 가중치만 담은 `best.weights.h5`는 같은 구조의 모델을 먼저 만들고
# 컴파일한 뒤 `load_weights`로 채웁니다.

# %% [markdown] lang="en"
# Now load `best.keras` with `keras.models.load_model` and evaluate it on the validation data. The
# loaded model was never `compile()`d here, yet `evaluate()` works, because the `.keras` file holds
# the `compile()` settings too. The weights-only `best.weights.h5` needs a model of the same
# architecture, built and compiled first, then filled with `load_weights`:

# %%
# NBVAL_IGNORE_OUTPUT
from cbteach.models import build_model, compile_model

print({path.name: path.stat().st_size for path in sorted(folder.iterdir())})
best_val_loss = min(run.history["val_loss"])
best_epoch = int(np.argmin(run.history["val_loss"])) + 1

loaded = keras.models.load_model(folder / "best.keras")
loaded_val_loss, loaded_val_accuracy = loaded.evaluate(
    data.x_val, data.y_val, batch_size=plan.batch_size, verbose=0
)

rebuilt = compile_model(build_model(plan.model, seed=plan.seed), learning_rate=plan.learning_rate)
rebuilt.load_weights(folder / "best.weights.h5")
rebuilt_val_loss, rebuilt_val_accuracy = rebuilt.evaluate(
    data.x_val, data.y_val, batch_size=plan.batch_size, verbose=0
)
print(best_epoch, run.epochs, best_val_loss, loaded_val_loss, rebuilt_val_loss)

# %% [markdown] lang="ko"
# 숫자는 실행할 때마다 조금씩 다를 수 있으니, 확인할 내용은 `True`/`False`로 찍어 봅니다.
#
# 1. 불러온 `best.keras`의 `val_loss`가 히스토리(history)에 기록된 가장 낮은 `val_loss`와
#    같습니다(`np.isclose`, 상대 허용 오차 1e-4).
# 2. `best.keras`를 마지막으로 저장한 에포크가 `val_loss`가 가장 낮았던 에포크입니다. 위에 출력한
#    처음 두 숫자가 그 에포크와 학습한 전체 에포크 수입니다.
# 3. 가중치만 불러와 다시 만든 모델도 같은 `val_loss`를 냅니다.
# 4. 가중치만 담은 `best.weights.h5`가 모델 전체를 담은 `best.keras`보다 작습니다.

# %% [markdown] lang="en"
# The numbers can differ a little from run to run, so the claims are checked as `True`/`False`:
#
# 1. The loaded `best.keras` gives the lowest `val_loss` recorded in the history (`np.isclose`,
#    relative tolerance 1e-4).
# 2. The epoch at which `best.keras` was last saved is the epoch with the lowest `val_loss`. The first
#    two numbers printed above are that epoch and the number of epochs trained.
# 3. The model rebuilt from the weights alone gives the same `val_loss`.
# 4. The weights-only `best.weights.h5` is smaller than the whole-model `best.keras`.

# %%
# NBVAL_CHECK_OUTPUT
print(bool(np.isclose(loaded_val_loss, best_val_loss, rtol=1e-4)))
print(best_model.events.with_action("saved")[-1].epoch == best_epoch)
print(bool(np.isclose(rebuilt_val_loss, best_val_loss, rtol=1e-4)))
print((folder / "best.weights.h5").stat().st_size < (folder / "best.keras").stat().st_size)

# %% [markdown] lang="ko"
# 네 줄 모두 `True`입니다. 저장된 파일에는 학습이 끝난 시점의 모델이 아니라 `val_loss`가 가장
# 좋았던 에포크의 모델이 들어 있고, 모델 전체를 저장해도(`save_weights_only=False`) 아무 문제 없이
# 다시 불러올 수 있습니다.
#
# `load_model`의 `safe_mode`는 기본값이 `True`입니다. Keras 문서에 따르면 파일에 든 `lambda` 코드를
# 불러오지 못하게 막는 안전장치입니다. 이 레슨의 모델처럼 일반적인 층(layer)만 쓴 모델은 그대로
# 불러올 수 있습니다.

# %% [markdown] lang="en"
# All four are `True`. The saved file holds the model of the epoch with the best `val_loss`, not
# the model training ended with, and saving the whole model (`save_weights_only=False`) loads back
# without any trouble.
#
# `load_model`'s `safe_mode` defaults to `True`. Per the Keras documentation it is a guard against
# loading `lambda` code from a file; a model made of ordinary layers, like this lesson's, loads as
# is.

# %%
# NBVAL_CHECK_OUTPUT
print(inspect.signature(keras.models.load_model).parameters["safe_mode"].default)

# %% [markdown] lang="ko"
# 마지막으로 학습이 끝난 시점의 모델(`run.model`)과 불러온 최고 기록 모델의 정확도(accuracy)를
# 테스트 데이터(test data)로 비교합니다. 테스트 데이터는 학습에도, 저장할 에포크를 고르는 데에도
# 쓰지 않았습니다. 결과는 실행마다 조금씩 다르고, 샘플 데이터는 테스트 이미지가 500장뿐이라 차이가
# 작거나 오히려 뒤바뀔 수도 있습니다. 체크포인트 덕분에 어느 에포크의 모델을 쓸지를 마지막 에포크에
# 맡기지 않고 검증 데이터를 보고 고를 수 있다는 점이 중요합니다.

# %% [markdown] lang="en"
# Last, compare the accuracy on the test data of the model training ended with (`run.model`) and
# the loaded best model. The test data was used neither for training nor for choosing the epoch to
# save. Results vary a little between runs, and with only 500 test images in the sample the gap
# can be small or even reversed. What the checkpoint gives you is the choice of which epoch's model
# to use, made on validation data rather than left to whichever epoch came last.

# %%
# NBVAL_IGNORE_OUTPUT
pd.DataFrame(
    {
        "epoch": [run.epochs, best_epoch],
        "test_accuracy": [
            run.model.evaluate(data.x_test, data.y_test, verbose=0)[1],
            loaded.evaluate(data.x_test, data.y_test, verbose=0)[1],
        ],
    },
    index=["run.model", "best.keras"],
)

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
# Next: **02 ReduceLROnPlateau**
