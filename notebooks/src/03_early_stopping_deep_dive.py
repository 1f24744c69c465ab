# %% [markdown] lang="ko"
# # 03 심화. `EarlyStopping`의 세부 동작
#
# 이 노트북은 선택 사항입니다. [03 레슨](03_early_stopping.ipynb)의 핵심을 마친 뒤, 더 알고 싶은
# 세부 동작을 실제 Keras로 하나씩 확인합니다. 에포크 번호를 세는 두 방식과 Keras의 메시지, 오타,
# `patience=0`, 최소 변화량(`min_delta`), 모드(`mode`), 학습이 멈추지 않아도 복원되는 가중치(weights),
# 기준값(`baseline`)의 문서와 코드의 차이, 검사 시작 에포크(`start_from_epoch`), 첫 값이 NaN일 때의
# 함정을 다룹니다.

# %% [markdown] lang="en"
# # 03 deep dive. `EarlyStopping` in detail
#
# This notebook is optional: it checks, on real Keras, the details behind the core of
# [lesson 03](03_early_stopping.ipynb): two ways of counting epochs and Keras' own messages, the
# typo, `patience=0`, `min_delta`, `mode`, the weights restored even without a stop, `baseline`'s
# docstring against its code, `start_from_epoch`, and the trap of a NaN first value.

# %% [markdown] lang="ko"
# ## 시작하기
#
# 첫 셀은 03 레슨과 같습니다. `replay`와 `drive`는 실제로 학습하지 않고 진짜 Keras 콜백을 에포크마다
# 호출해 주는 cbteach 함수입니다.

# %% [markdown] lang="en"
# ## Getting started
#
# The first cell is the same as in lesson 03. `replay` and `drive` are cbteach functions that call
# real Keras callbacks epoch by epoch without training.


# %%
# NBVAL_IGNORE_OUTPUT
LANGUAGE = "en"

import cbteach

import keras
import numpy as np
import pandas as pd

from cbteach import recorded, workbook
from cbteach.replay import drive, replay, standin_model

plan = workbook.start(LANGUAGE)


# %% [markdown] lang="ko"
# ## 1. 에포크를 세는 두 방식
#
# 03 레슨처럼 `overfit` 기록을 `patience=3`인 `EarlyStopping`으로 리플레이(replay)합니다. 최고
# 기록(best)은 에포크 7이고, 학습은 에포크 10을 마친 뒤 멈춥니다. 이 사실을 속성으로 읽어 봅니다.

# %% [markdown] lang="en"
# ## 1. Two ways of counting epochs
#
# As in lesson 03, replay the `overfit` recording through an `EarlyStopping` with `patience=3`. The
# best is epoch 7 and training stops after epoch 10. Read it from the attributes:

# %%
# NBVAL_CHECK_OUTPUT
overfit = recorded.load("overfit")
early = cbteach.EarlyStopping(monitor="val_loss", patience=3)
replayed = replay(overfit, [early])
print(replayed.epochs, replayed.stopped_epoch)
print(early.stopped_epoch, early.best_epoch, early.wait, round(early.best, 4))


# %% [markdown] lang="ko"
# 에포크 번호를 셀 때 조심할 점이 있습니다. cbteach의 `replayed.stopped_epoch`는 화면에 찍히는
# 번호처럼 1부터 세므로 10입니다. 하지만 Keras 콜백의 속성 `early.stopped_epoch`와
# `early.best_epoch`는 0부터 세므로 9와 6입니다. 가리키는 에포크는 똑같이 10과 7입니다.
#
# `verbose=1`을 주면 학습이 끝날 때 Keras가 두 줄을 찍습니다. 이 셀에서는 cbteach가 아니라 Keras의
# `EarlyStopping`을 그대로 쓰고, 최고 기록 에포크의 가중치로 되돌리는 `restore_best_weights=True`(5절)도
# 함께 켰습니다. 메시지 속 번호는 1부터 셉니다.

# %% [markdown] lang="en"
# Watch how the epochs are counted. cbteach's `replayed.stopped_epoch` counts from 1, like the
# printed messages: 10. The Keras callback's own attributes `early.stopped_epoch` and
# `early.best_epoch` count from 0: 9 and 6. They are the same epochs, 10 and 7.
#
# With `verbose=1` Keras prints two lines when training ends. This cell uses Keras' own
# `EarlyStopping`, not cbteach's, and also turns on `restore_best_weights=True` (part 5), which
# puts the best epoch's weights back. The numbers in the messages count from 1:

# %%
# NBVAL_CHECK_OUTPUT
plain = keras.callbacks.EarlyStopping(
    monitor="val_loss", patience=3, restore_best_weights=True, verbose=1
)
replayed_plain = replay(overfit, [plain])

# %% [markdown] lang="ko"
# 노트의 예제 코드 `EarlyStopping(monitor = 'val_loss', patienc = 20, mode = 'min', verbose = 1)`에는
# 오타가 있습니다. Keras 3의 `EarlyStopping`은 모르는 인자를 받지 않으므로 아래 셀은
# **일부러** `TypeError`를 냅니다. 덕분에 오타를 낸 순간 바로 알 수 있습니다.

# %% [markdown] lang="en"
# The notes' example `EarlyStopping(monitor = 'val_loss', patienc = 20, mode = 'min', verbose = 1)`
# has a typo. Keras 3's `EarlyStopping` accepts no unknown argument, so the cell below fails **on
# purpose** with a `TypeError`. The typo is caught the moment it is written:

# %% tags=["raises-exception"]
# NBVAL_CHECK_OUTPUT
keras.callbacks.EarlyStopping(monitor="val_loss", patienc=20, mode="min", verbose=1)

# %% [markdown] lang="ko"
# ## 2. `patience=0`과 `patience=1`은 같다
#
# 멈추는 조건은 `wait >= patience`이고, 개선이 없는 첫 에포크에서 `wait`는 곧바로 1이 됩니다.
# 그러니 `patience=0`도 `patience=1`도 개선 없는 첫 에포크에서 멈춥니다. 손으로 만든 곡선
# 1.0, 0.8, 0.9, 0.95, ...를 `drive`로 진짜 Keras 콜백에 한 에포크씩 넣어 확인해 봅시다.
# `drive`는 `model.fit`처럼 훅(hook)을 차례로 부르지만 학습은 하지 않습니다. `standin`은 콜백을
# 붙일 작은 대역 모델(stand-in model)입니다.

# %% [markdown] lang="en"
# ## 2. `patience=0` is the same as `patience=1`
#
# The stopping test is `wait >= patience`, and at the first epoch without improvement `wait`
# already becomes 1. So `patience=0` and `patience=1` both stop at the first epoch without
# improvement. Feed the hand-made curve 1.0, 0.8, 0.9, 0.95, ... one epoch at a time into real
# Keras callbacks with `drive`, which calls the hooks the way `model.fit` does but trains nothing.
# `standin` is the small stand-in model the callbacks are attached to:

# %%
# NBVAL_CHECK_OUTPUT
standin = standin_model()
curve = {"val_loss": [1.0, 0.8, 0.9, 0.95, 0.97, 0.99]}
rows = []
for patience in (0, 1, 2):
    early = keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience)
    epochs_run, _ = drive([early], curve, standin)
    rows.append((patience, epochs_run, early.stopped_epoch, early.stopped_epoch + 1))
pd.DataFrame(rows, columns=["patience", "epochs_run", "stopped_epoch", "stopped_epoch + 1"])

# %% [markdown] lang="ko"
# `patience` 0과 1은 둘 다 개선이 없던 첫 에포크, 즉 3번째 에포크(`stopped_epoch` 2)에서 멈춥니다.
# `patience=2`가 되어야 한 에포크를 더 기다립니다.
#
# 그런데 `EarlyStopping`의 `patience` 기본값이 바로 0입니다. `patience`를 빠뜨리면 지표가 한 번만
# 흔들려도 학습이 끝납니다. `overfit` 기록을 기본값 그대로 돌려 보면, 최고 기록이 나올 에포크 7에
# 이르기도 전에 에포크 5에서 멈춥니다.

# %% [markdown] lang="en"
# Patience 0 and 1 both stop at the 3rd epoch (`stopped_epoch` 2), the first one without
# improvement. Only `patience=2` waits one epoch longer.
#
# And 0 is exactly `EarlyStopping`'s default `patience`. Leave `patience` out and a single wobble
# of the metric ends training. On the `overfit` recording, the defaults stop at epoch 5, although
# the best epoch, 7, was still to come:

# %%
# NBVAL_CHECK_OUTPUT
default = keras.callbacks.EarlyStopping()
replayed_default = replay(overfit, [default])
print(default.patience, default.min_delta, default.monitor)
print(replayed_default.epochs)

# %% [markdown] lang="ko"
# ## 3. `min_delta`: 아주 작은 개선은 개선이 아니다
#
# `min_delta`(최소 변화량)를 주면 최고 기록보다 `min_delta` 넘게 나아져야 개선으로 칩니다. 그보다
# 적게 나아진 에포크는 개선이 없는 에포크와 똑같이 `wait`를 늘립니다. 곡선이 2번째 에포크의 0.9
# 다음부터 에포크마다 0.003 이하씩만 내려가면 어떻게 되는지 봅시다.

# %% [markdown] lang="en"
# ## 3. `min_delta`: a tiny improvement is no improvement
#
# With `min_delta`, an epoch counts as an improvement only when it beats the best by more than
# `min_delta`. An epoch that improves by less raises `wait` just like one that does not improve
# at all. Here the curve, after 0.9 at epoch 2, only creeps down by 0.003 or less per epoch:

# %%
# NBVAL_CHECK_OUTPUT
curve = {"val_loss": [1.0, 0.9, 0.897, 0.894, 0.892, 0.891, 0.8905]}
rows = []
for min_delta in (0.0, 0.01):
    early = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, min_delta=min_delta)
    epochs_run, _ = drive([early], curve, standin)
    rows.append((min_delta, epochs_run, early.stopped_epoch, early.best))
pd.DataFrame(rows, columns=["min_delta", "epochs_run", "stopped_epoch", "best"])

# %% [markdown] lang="ko"
# `min_delta=0`(기본값)이면 조금만 내려가도 개선이므로 7 에포크를 모두 학습합니다. `min_delta=0.01`이면
# 0.897, 0.894, 0.892는 최고 기록 0.9보다 낮아도 개선이 아니어서 5번째 에포크에서 멈춥니다. 최고
# 기록도 0.9에 머물러 있습니다. cbteach의 설명(explanation)으로 보면 이렇습니다.

# %% [markdown] lang="en"
# With `min_delta=0` (the default) any drop at all is an improvement, so all 7 epochs run.
# With `min_delta=0.01`, 0.897, 0.894 and 0.892 are below the best, 0.9, yet none of them is an
# improvement: training stops at the 5th epoch, and the best stays at 0.9. cbteach's explanation:

# %%
# NBVAL_CHECK_OUTPUT
early = cbteach.EarlyStopping(monitor="val_loss", patience=3, min_delta=0.01)
drive([early], curve, standin)
print(early.events.explain())

# %% [markdown] lang="ko"
# 비교 대상은 이번에도 직전 에포크가 아니라 최고 기록입니다. 개선이 아닌 에포크는 `best`를
# 바꾸지 않으므로, 작은 개선이 여러 번 쌓여 최고 기록보다 `min_delta` 넘게 낮아지면 그때는
# 개선으로 칩니다.

# %% [markdown] lang="en"
# Again the comparison is with the best, not with the previous epoch. An epoch that is no
# improvement leaves `best` where it is, so small steps that add up to more than `min_delta`
# below the best do count as an improvement when they get there.

# %% [markdown] lang="ko"
# ## 4. `mode`: 어느 쪽이 좋은가
#
# 손실은 작을수록, 정확도(accuracy)는 클수록 좋습니다. `mode="min"`은 값이 작아지는 것을,
# `mode="max"`는 커지는 것을 개선으로 봅니다. 기본값 `mode="auto"`는 Keras 3.11부터 이렇게
# 정합니다. `monitor`에서 `val_`을 떼고 `loss`면 `min`, 그 밖에는 `compile()`에 넣은 지표 가운데
# 같은 이름을 찾아 그 지표가 정한 방향을 씁니다. `standin`은 `metrics=["accuracy"]`로 컴파일되어
# 있으므로 `accuracy`는 `max`가 됩니다. Keras가 고른 비교 함수(`monitor_op`)는 `less`(min)나
# `greater`(max)입니다.

# %% [markdown] lang="en"
# ## 4. `mode`: which way is better
#
# A loss is better when lower, an accuracy when higher. `mode="min"` counts a decrease as an
# improvement, `mode="max"` an increase. The default `mode="auto"` decides, from Keras 3.11 on,
# like this: strip `val_` from `monitor`; `loss` means `min`; anything else is looked up among the
# metrics given to `compile()`, and that metric's own direction is used. `standin` was compiled
# with `metrics=["accuracy"]`, so `accuracy` comes out as `max`. The comparison Keras picks,
# `monitor_op`, is `less` (min) or `greater` (max):

# %%
# NBVAL_CHECK_OUTPUT
for monitor in ("loss", "val_loss", "accuracy", "val_accuracy"):
    early = keras.callbacks.EarlyStopping(monitor=monitor)
    drive([early], {monitor: [0.5]}, standin)
    print(monitor, early.mode, early.monitor_op.__name__)

# %% [markdown] lang="ko"
# 노트는 `mode='auto'`가 "monitor arg의 name을 보고 자동 유추"한다고 적었습니다. Keras 2에서는 실제로
# 이름에 `acc` 세 글자가 들어 있으면 `max`로 보았지만, Keras 3의 `auto`는 이름의 글자가 아니라
# 컴파일된 지표를 찾아 그 방향을 씁니다. 그래서 Keras 2 시절에 쓰던 `val_acc` 같은 이름으로는
# 방향을 찾을 수 없어, 아래 셀은 **일부러** 첫 에포크가 끝날 때 `ValueError`를 냅니다. 콜백을 만들
# 때가 아니라 학습 도중에 오류가 난다는 점도 눈여겨보세요.

# %% [markdown] lang="en"
# The notes say `mode='auto'` "guesses from the name of the monitor argument". Keras 2 did look for
# `acc` in the name and chose `max`; Keras 3's `auto` does not go by the name but looks for the
# compiled metric. So the Keras 2 era name `val_acc` cannot be resolved, and the cell below fails
# **on purpose** with a `ValueError` at the end of the first epoch. Note that it fails during
# training, not when the callback is built:

# %% tags=["raises-exception"]
# NBVAL_CHECK_OUTPUT
early = keras.callbacks.EarlyStopping(monitor="val_acc")
drive([early], {"val_acc": [0.5, 0.6]}, standin)

# %% [markdown] lang="ko"
# `mode`를 반대로 주면 어떻게 될까요? `accuracy` 기록은 CNN을 60 에포크 동안 학습하며 남긴 로그로,
# `val_accuracy`가 꾸준히 오릅니다. 이 기록에서 `monitor="val_accuracy"`, `patience=3`으로 세 가지
# `mode`를 비교해 봅시다.

# %% [markdown] lang="en"
# What if `mode` points the wrong way? The `accuracy` recording (a CNN trained for 60 epochs, with
# a `val_accuracy` that climbs steadily) with `monitor="val_accuracy"` and `patience=3`, under each
# of the three modes:

# %%
# NBVAL_CHECK_OUTPUT
accuracy_run = recorded.load("accuracy")
rows = []
for mode in ("auto", "max", "min"):
    early = cbteach.EarlyStopping(monitor="val_accuracy", patience=3, mode=mode)
    replayed_mode = replay(accuracy_run, [early])
    rows.append((mode, early.monitor_op.__name__, replayed_mode.epochs, early.best))
pd.DataFrame(rows, columns=["mode", "monitor_op", "epochs_run", "best"])

# %% [markdown] lang="ko"
# `auto`와 `max`는 결과가 같고, 에포크 17까지 갑니다. `mode="min"`은 정확도가 **떨어져야** 개선으로
# 보므로 첫 값 0.758이 최고 기록으로 남고, 그 뒤로 정확도가 오를 때마다 대기가 늘어 4번째 에포크에서
# 멈춥니다. 모델이 한창 빠르게 좋아지던 중이었는데도 말입니다. 아래는 마지막 리플레이, 즉
# `mode="min"` 리플레이의 설명입니다.

# %% [markdown] lang="en"
# `auto` and `max` agree and run to epoch 17. `mode="min"` counts a **falling** accuracy as an
# improvement: the first value, 0.758, stays the best, every rise in accuracy adds to the wait, and
# training stops at epoch 4 while the model is still getting better fast. The explanation of the
# last replay, the one with `mode="min"`:

# %%
# NBVAL_CHECK_OUTPUT
print(replayed_mode.events.explain())

# %% [markdown] lang="ko"
# ## 5. `restore_best_weights`: 어느 에포크의 가중치가 남는가
#
# `EarlyStopping`이 학습을 멈추면 모델에는 **마지막** 에포크의 가중치가 남습니다. 1절의 예라면
# 최고 기록인 에포크 7이 아니라, 그보다 3 에포크 더 과적합(overfitting)된 에포크 10의 가중치입니다.
# `restore_best_weights=True`를 주면 학습이 끝날 때(`on_train_end`) 최고 기록 에포크의 가중치로
# 복원(restore)합니다.
#
# Keras 3에서는 학습이 일찍 멈추지 **않았어도** 복원합니다. `epochs`를 모두 돌고 끝나도 최고 기록
# 에포크의 가중치로 돌아갑니다. Keras 2(tf.keras 2.x)는 조기 종료가 일어났을 때만 복원했으므로,
# 예전 자료의 설명과 다를 수 있습니다.
#
# 이를 확인하려면 에포크마다 가중치가 달라야 합니다. 그래서 에포크가 끝날 때마다 `standin`의
# 가중치 `kernel`에 에포크 번호를 적어 넣는 콜백 `stamp`를 Keras의 `LambdaCallback`으로 만들어
# `EarlyStopping` 앞에 둡니다. 학습이 끝난 뒤의 `kernel` 값을 보면 어느 에포크의 가중치인지 알 수
# 있습니다.
# `patience=10`이라서 이 곡선에서는 학습이 멈추지 않습니다.

# %% [markdown] lang="en"
# ## 5. `restore_best_weights`: whose weights does the model keep?
#
# When `EarlyStopping` stops training, the model holds the **last** epoch's weights. In part 1
# that is epoch 10, three epochs further into overfitting, not the best epoch, 7. With
# `restore_best_weights=True` the best epoch's weights are put back (restored) when training ends
# (`on_train_end`).
#
# In Keras 3 this happens **even when training did not stop early**: a run that uses up all its
# `epochs` still ends with the best epoch's weights. Keras 2 (tf.keras 2.x) restored only when
# early stopping had fired, so older material may tell you otherwise.
#
# To see it, the weights must differ from epoch to epoch. So `stamp`, a callback made with Keras'
# `LambdaCallback`, writes the epoch number into `standin`'s weight (its kernel) at the end of
# every epoch, and goes before `EarlyStopping`. The kernel's final value then says which epoch's
# weights the model holds. With `patience=10` this curve never stops training:

# %%
# NBVAL_CHECK_OUTPUT
stamp = keras.callbacks.LambdaCallback(
    on_epoch_end=lambda epoch, logs: standin.set_weights(
        [np.full((1, 1), epoch + 1.0), np.zeros(1)]
    )
)
curve = {"val_loss": [0.9, 0.7, 0.5, 0.6, 0.55, 0.65]}
rows = []
for restore in (False, True):
    early = cbteach.EarlyStopping(
        monitor="val_loss", patience=10, restore_best_weights=restore, verbose=1
    )
    epochs_run, _ = drive([stamp, early], curve, standin)
    kernel = standin.get_weights()[0].item()
    rows.append((restore, epochs_run, early.stopped_epoch, early.best_epoch + 1, kernel))
pd.DataFrame(
    rows,
    columns=["restore_best_weights", "epochs_run", "stopped_epoch", "best_epoch + 1", "kernel"],
)

# %% [markdown] lang="ko"
# 두 경우 모두 6 에포크를 모두 학습했고 멈추지 않았습니다(`stopped_epoch` 0). 그래서 "early
# stopping" 메시지는 없습니다. `restore_best_weights=False`면 `kernel` 값이 6.0, 즉 마지막(6번째)
# 에포크의 가중치가 남아 있습니다. `True`면 멈추지 않았는데도 복원 메시지가 찍히고, `kernel` 값은
# 3.0, 즉 최고 기록(0.5)을 낸 3번째 에포크의 가중치입니다. cbteach는 이 복원을 이벤트(event)로 남깁니다.

# %% [markdown] lang="en"
# Both runs went through all 6 epochs without stopping (`stopped_epoch` 0), hence no "early
# stopping" message. With `restore_best_weights=False` the kernel is 6.0: the last epoch's
# weights. With `True` the restore message is printed although nothing stopped, and the kernel is
# 3.0: the weights of the best epoch (0.5). cbteach records the restore as an event:

# %%
# NBVAL_CHECK_OUTPUT
print(early.events[-1].explain())

# %% [markdown] lang="ko"
# ## 6. `baseline`: 기준값에 못 미친 개선
#
# `baseline`은 "적어도 이만큼은 되어야 한다"는 기준값입니다. 에포크가 최고 기록보다 나아져도
# 기준값에 미치지 못하면, `best`는 바뀌지만 대기를 0으로 초기화(reset)하지 않으므로 대기가 계속
# 늘어납니다.
#
# Keras 3.15의 설명 문서(docstring)는 "기준값보다 나은 에포크가 없으면 `patience` 에포크 동안 학습한다"고
# 설명합니다. 실제 코드는 조금 다릅니다. 멈출지 말지는 **개선이 없는 에포크에서만** 따집니다.
# `baseline=0.3`, `patience=3`으로 두고, 기준값에 끝내 닿지 못하는 세 곡선을 넣어 봅시다.
#
# - A: 10 에포크 내내 조금씩 나아집니다(1.0 → 0.41).
# - B: A와 같다가 8번째 에포크에서 한 번 나빠집니다(0.5 → 0.52).
# - C: 처음부터 계속 나빠집니다.
#
# 표의 `wait` 열에는 `patience` 3보다 큰 값도 나옵니다. 기준값에 못 미친 개선은 대기를 0으로
# 되돌리지 않고 1 늘리며, 나아진 에포크에서는 멈출지 따지지 않기 때문입니다. 곡선마다 아래에서
# 설명합니다.

# %% [markdown] lang="en"
# ## 6. `baseline`: an improvement that falls short
#
# `baseline` is the value the monitor should at least reach. An epoch that beats the best but not
# the baseline does change `best`, but the wait is not reset to 0: it keeps growing.
#
# Keras 3.15's docstring says that "if no epoch improves on baseline, training will run for
# `patience` epochs". The code does something slightly different: it only considers stopping **at
# an epoch without improvement**. Take `baseline=0.3`, `patience=3`, and three curves that never
# reach the baseline:
#
# - A: improves a little every epoch for 10 epochs (1.0 → 0.41);
# - B: like A, but gets worse once, at the 8th epoch (0.5 → 0.52);
# - C: gets worse from the start.
#
# The `wait` column shows values above `patience`, 3: an improvement short of the baseline does not
# reset `wait` but adds 1 to it, and an improving epoch never checks whether to stop. Each curve is
# explained below the table.

# %%
# NBVAL_CHECK_OUTPUT
curves = {
    "A": [1.0, 0.9, 0.8, 0.7, 0.6, 0.55, 0.5, 0.45, 0.42, 0.41],
    "B": [1.0, 0.9, 0.8, 0.7, 0.6, 0.55, 0.5, 0.52, 0.45, 0.41],
    "C": [1.0, 1.1, 1.2, 1.3, 1.4, 1.5],
}
rows = []
for name, values in curves.items():
    for baseline in (None, 0.3):
        early = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, baseline=baseline)
        epochs_run, _ = drive([early], {"val_loss": values}, standin)
        rows.append((name, repr(baseline), len(values), epochs_run, early.wait))
pd.DataFrame(rows, columns=["curve", "baseline", "epochs", "epochs_run", "wait"])

# %% [markdown] lang="ko"
# - A: 기준값 0.3에 한 번도 닿지 않았는데 10 에포크를 모두 학습합니다. 마지막 대기는 10으로 `patience`
#   3을 훌쩍 넘었지만, 매 에포크가 최고 기록을 새로 썼으므로 멈출지 따져 볼 기회가 없었습니다.
# - B: `baseline`이 없으면 끝까지 갑니다. `baseline=0.3`이면 처음으로 나빠진 8번째 에포크에서
#   바로 멈춥니다. 그때 대기가 이미 8이었기 때문입니다.
# - C: 기준값이 있으면 한 에포크 일찍(3번째) 멈춥니다. 기준값에 못 미친 첫 값도 대기로 세기
#   때문입니다. 설명 문서와 맞는 것은 이 경우뿐입니다.
#
# B에 `baseline=0.3`을 준 과정을 cbteach 설명으로 보면 대기가 쌓이는 모습이 보입니다. 첫 에포크의
# 1.0도 기준값에 못 미치므로, 대기는 첫 에포크부터 1로 시작합니다.

# %% [markdown] lang="en"
# - A never reaches the baseline 0.3, yet all 10 epochs run. The final wait is 10, far past
#   `patience` 3, but every epoch set a new best, so the stopping test never came up.
# - B runs to the end without a baseline. With `baseline=0.3` it stops at once at the 8th epoch,
#   the first one that got worse, because by then the wait was already 8.
# - C stops one epoch earlier (at the 3rd) with a baseline, because the first value, short of the
#   baseline, already counts as waiting. This is the only case that matches the docstring.
#
# cbteach's explanation of B with `baseline=0.3` shows the wait piling up. The first epoch's 1.0
# falls short of the baseline too, so the wait is already 1 after the first epoch:

# %%
# NBVAL_CHECK_OUTPUT
early = cbteach.EarlyStopping(monitor="val_loss", patience=3, baseline=0.3)
drive([early], {"val_loss": curves["B"]}, standin)
print(early.events.explain())

# %% [markdown] lang="ko"
# 정리하면, `baseline`은 "기준값에 닿을 때까지는 대기를 초기화하지 않는다"는 뜻입니다. 기준값에
# 못 미친 채 계속 나아지는 동안에는 멈추지 않지만, 처음 나빠지는 순간 그동안 쌓인 대기 때문에 바로
# 멈춥니다.

# %% [markdown] lang="en"
# In short, `baseline` means "do not reset the wait until the baseline is reached". While the
# curve keeps improving short of the baseline nothing stops it; the first epoch that gets worse
# stops training at once, because of the wait that has piled up.

# %% [markdown] lang="ko"
# ## 7. `start_from_epoch`: 처음 몇 에포크는 보지 않기
#
# `start_from_epoch=k`를 주면 처음 k 에포크는 **아예 보지 않습니다**. 대기를 세지 않을 뿐 아니라
# 최고 기록으로도 삼지 않습니다. 학습 초반에 지표가 크게 흔들리는 모델에 쓰는 준비 구간(warm-up)입니다.
# 에포크 2에서 뚝 떨어졌다가 다시 오르는 곡선에 `patience=2`를 주고, `start_from_epoch`를 0과 3으로
# 바꿔 비교합니다.

# %% [markdown] lang="en"
# ## 7. `start_from_epoch`: ignoring the first epochs
#
# `start_from_epoch=k` makes the callback ignore the first k epochs **entirely**: they neither
# count as waiting nor can they become the best. It is a warm-up for models whose metrics jump
# about early in training. A curve that dips at epoch 2 and then climbs, with `patience=2`, and
# `start_from_epoch` 0 versus 3:

# %%
# NBVAL_CHECK_OUTPUT
curve = {"val_loss": [1.0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0]}
rows = []
for start_from_epoch in (0, 3):
    early = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=2, start_from_epoch=start_from_epoch
    )
    epochs_run, _ = drive([early], curve, standin)
    rows.append((start_from_epoch, epochs_run, early.best, early.best_epoch + 1))
pd.DataFrame(rows, columns=["start_from_epoch", "epochs_run", "best", "best_epoch + 1"])

# %% [markdown] lang="ko"
# `start_from_epoch=0`이면 에포크 2의 0.5가 최고 기록이 되고 4번째 에포크에서 멈춥니다.
# `start_from_epoch=3`이면 에포크 1–3을 보지 않으므로 0.5는 최고 기록이 되지 못합니다. 에포크 4의
# 0.7이 첫 값이자 최고 기록이 되고, 6번째 에포크에서 멈춥니다. `restore_best_weights=True`였다면
# 복원하는 가중치도 에포크 2가 아니라 에포크 4의 가중치입니다.

# %% [markdown] lang="en"
# With `start_from_epoch=0`, epoch 2's 0.5 is the best and training stops at the 4th epoch. With
# `start_from_epoch=3`, epochs 1–3 are not looked at, so 0.5 never becomes the best: epoch 4's 0.7
# is the first value and the best, and training stops at the 6th epoch. With
# `restore_best_weights=True` the weights restored would be epoch 4's, not epoch 2's.

# %%
# NBVAL_CHECK_OUTPUT
early = cbteach.EarlyStopping(monitor="val_loss", patience=2, start_from_epoch=3)
drive([early], curve, standin)
print(early.events.explain())

# %% [markdown] lang="ko"
# ### 함정: 첫 값이 NaN이면
#
# 학습이 발산하면 손실이 NaN(not a number)이 됩니다. Keras에는 NaN을 따로 다루는 코드가 없고, NaN과의
# 비교는 늘 거짓입니다. 그러면 **첫 에포크의 값이 NaN**일 때 어떻게 될지 예측해 보세요. 곡선은 NaN
# 다음에 0.4, 0.3, 0.2, 0.1로 꾸준히 나아집니다. 아래 셀은 cbteach가 아닌 Keras의 원래 클래스를
# 씁니다.

# %% [markdown] lang="en"
# ### A trap: a NaN first value
#
# When training diverges, the loss becomes NaN (not a number). Keras has no special case for NaN,
# and every comparison with NaN is false. Predict what happens when **the first epoch's value is
# NaN** and the curve then improves steadily: 0.4, 0.3, 0.2, 0.1. The cell uses Keras' own
# classes, not cbteach's:

# %%
# NBVAL_CHECK_OUTPUT
import os
import tempfile

nan_first = {"val_loss": [float("nan"), 0.4, 0.3, 0.2, 0.1]}
plain_early = keras.callbacks.EarlyStopping(monitor="val_loss", patience=2)
saves_folder = tempfile.mkdtemp()
plain_checkpoint = keras.callbacks.ModelCheckpoint(
    os.path.join(saves_folder, "best.{epoch:02d}.keras"), monitor="val_loss", save_best_only=True
)
print(drive([plain_early], nan_first, standin_model())[0], plain_early.best)
print(drive([plain_checkpoint], nan_first, standin_model())[0], sorted(os.listdir(saves_folder)))

# %% [markdown] lang="ko"
# 첫 값 NaN이 최고 기록(`best`)이 되고, 그 뒤의 어떤 값도 NaN보다 "나아질" 수 없습니다.
# `EarlyStopping`은 곡선이 계속 좋아지는데도 `patience`만큼 기다린 뒤 3번째 에포크에서 멈추고,
# `ModelCheckpoint(save_best_only=True)`는 NaN인 에포크 1만 저장하고 다시는 저장하지 않습니다.
# 손실이 NaN이 되면 학습을 끝내는 것이 맞으니, Keras의 `keras.callbacks.TerminateOnNaN`을 함께
# 붙이세요. 배치의 학습 손실이 NaN이나 무한대가 되는 순간 학습을 멈춥니다. NaN은 대개 너무 큰
# 학습률이나 입력 데이터의 NaN에서 생깁니다.

# %% [markdown] lang="en"
# The first value, NaN, becomes `best`, and no later value can "improve" on NaN. `EarlyStopping`
# waits out its `patience` and stops at the 3rd epoch although the curve keeps getting better, and
# `ModelCheckpoint(save_best_only=True)` saves the NaN epoch 1 and never again. A NaN loss means
# training should end anyway: add Keras' `keras.callbacks.TerminateOnNaN`, which stops training as
# soon as a batch's training loss is NaN or infinite. A NaN usually comes from too large a learning
# rate or from NaN in the input data.


# %% [markdown] lang="ko"
# ## 정리
#
# | 인자 | 기본값 | 하는 일 |
# |---|---|---|
# | `monitor` | `"val_loss"` | 지켜볼 지표입니다. 손실이 아닐 수도 있습니다. |
# | `patience` | `0` | 최고 기록 뒤로 개선 없는 에포크가 연속으로 이만큼 끝나면 멈춥니다. 0과 1은 같습니다. |
# | `min_delta` | `0` | 최고 기록보다 이 값을 넘게 나아져야 개선으로 칩니다. |
# | `mode` | `"auto"` | `min` 또는 `max`입니다. `auto`는 `loss`면 `min`, 그 밖에는 컴파일된 지표의 방향을 따릅니다. 반대로 주면 거의 곧바로 멈춥니다. |
# | `restore_best_weights` | `False` | `False`면 마지막 에포크의 가중치가 남습니다. `True`면 학습이 끝날 때, 멈추지 않았더라도 최고 기록 에포크의 가중치로 복원합니다. |
# | `baseline` | `None` | 기준값에 닿기 전의 개선은 대기를 초기화하지 않습니다. 계속 나아지는 동안은 멈추지 않고, 처음 나빠지는 에포크에서 바로 멈출 수 있습니다. |
# | `start_from_epoch` | `0` | 처음 이만큼의 에포크는 대기에도 최고 기록에도 넣지 않습니다. |
#
# `EarlyStopping`은 학습을 멈출 뿐 파일을 남기지 않습니다. 최고 기록의 모델을 파일로 남기려면
# `ModelCheckpoint`와 함께 쓰세요. 다음 레슨에서 노트의 예제처럼 세 콜백을 함께 써 봅니다.
#
# 다음: **04 세 콜백 함께 쓰기**

# %% [markdown] lang="en"
# ## Summary
#
# | Argument | Default | What it does |
# |---|---|---|
# | `monitor` | `"val_loss"` | the metric to watch; not necessarily a loss |
# | `patience` | `0` | stop once this many epochs in a row after the best have not improved; 0 and 1 are the same |
# | `min_delta` | `0` | an improvement must beat the best by more than this |
# | `mode` | `"auto"` | `min`/`max`; `auto` means `min` for `loss`, else the compiled metric's direction. The wrong way stops almost at once |
# | `restore_best_weights` | `False` | `False` keeps the last epoch's weights; `True` restores the best epoch's when training ends (stopped or not) |
# | `baseline` | `None` | improvements short of the baseline do not reset the wait; no stop while it keeps improving, but the first worse epoch may stop at once |
# | `start_from_epoch` | `0` | this many first epochs count neither for the wait nor for the best |
#
# `EarlyStopping` only stops training; it writes no file. To keep the best model in a file, use it
# together with `ModelCheckpoint`. The next lesson uses all three callbacks together, as the notes'
# example does.
#
# Next: **04 All three together**
