# %% [markdown] lang="ko"
# # 02 심화. `ReduceLROnPlateau`의 세부 동작
#
# 이 노트북은 선택 사항입니다. [02 레슨](02_reduce_lr_on_plateau.ipynb)의 핵심을 마친 뒤, 더 알고
# 싶은 세부 동작을 실제 Keras로 하나씩 확인합니다. 기본값, Keras가 float32 학습률을 출력하는 방식,
# `factor`의 오류, `patience`를 세는 방식, 최소 변화량(`min_delta`), 쿨다운(cooldown)이 실제로 쉬는
# 에포크 수, 최소 학습률(`min_lr`)에 닿은 뒤의 대기(wait), 로그의 `learning_rate` 항목, Keras가 조용히
# 버리는 오타, 학습률 스케줄(learning rate schedule)과의 충돌을 다룹니다.

# %% [markdown] lang="en"
# # 02 deep dive. `ReduceLROnPlateau` in detail
#
# This notebook is optional: it checks, on real Keras, the details behind the core of
# [lesson 02](02_reduce_lr_on_plateau.ipynb): the defaults, how Keras prints a float32 learning
# rate, `factor`'s error, how `patience` counts, `min_delta`, how many epochs `cooldown` really
# rests, the wait at the `min_lr` floor, the `learning_rate` log entry, the typo Keras swallows, and
# learning-rate schedules.

# %% [markdown] lang="ko"
# ## 시작하기
#
# 첫 셀은 02 레슨과 같습니다. `drive`와 `replay`는 실제로 학습하지 않고 Keras 콜백을 에포크마다
# 호출해 주는 cbteach 함수입니다.

# %% [markdown] lang="en"
# ## Getting started
#
# The first cell is the same as in lesson 02. `drive` and `replay` are cbteach functions that call
# real Keras callbacks epoch by epoch without training.

# %%
# NBVAL_IGNORE_OUTPUT
LANGUAGE = "en"

import cbteach

import keras
import numpy as np

from cbteach import recorded, workbook
from cbteach.replay import drive, replay, standin_model

plan = workbook.start(LANGUAGE)

# %% [markdown] lang="ko"
# ## 규칙
#
# `ReduceLROnPlateau`는 에포크가 끝날 때마다(`on_epoch_end`) 한 번씩 판단합니다.
#
# 1. 지켜보는 지표(`monitor`, 기본값 `"val_loss"`)가 지금까지의 최고 기록(best)보다 `min_delta`
#    넘게 나아졌으면 개선입니다. 그러면 최고 기록을 바꾸고 대기(wait)를 0으로 되돌립니다.
# 2. 개선이 아니면 대기를 1 늘립니다. 단, 쿨다운(cooldown) 중이면 세지 않습니다.
# 3. 대기가 인내(patience)에 이르면(`wait >= patience`) 학습률을
#    `new_lr = max(lr × factor, min_lr)`로 낮추고, 대기를 0으로 되돌리고, 쿨다운을 시작합니다.
#    학습률이 이미 `min_lr`과 같으면 아무것도 바꾸지 않습니다.
#
# 인자를 하나도 주지 않았을 때의 기본값부터 봅시다.

# %% [markdown] lang="en"
# ## The rule
#
# `ReduceLROnPlateau` decides once at the end of every epoch (`on_epoch_end`):
#
# 1. If the monitored metric (`monitor`, `"val_loss"` by default) beats the best value so far
#    (`best`) by more than `min_delta`, that is an improvement: `best` moves and the wait counter
#    (`wait`) goes back to 0.
# 2. Otherwise `wait` goes up by 1 (unless the callback is cooling down).
# 3. When `wait` reaches `patience` (`wait >= patience`), the learning rate becomes
#    `new_lr = max(lr × factor, min_lr)`, `wait` goes back to 0 and the cooldown starts. If the LR
#    is already at `min_lr`, nothing changes.
#
# First, the defaults, when no argument is given:

# %%
# NBVAL_CHECK_OUTPUT
defaults = keras.callbacks.ReduceLROnPlateau()
print(defaults.monitor, defaults.mode)
print(defaults.factor, defaults.patience, defaults.min_delta, defaults.cooldown, defaults.min_lr)

# %% [markdown] lang="ko"
# `factor=0.1`, `patience=10`, `min_delta=0.0001`, `cooldown=0`, `min_lr=0.0`입니다. 아무것도 주지
# 않으면 개선 없는 에포크가 10번 이어질 때마다 학습률을 10분의 1로 낮추고, 바닥 없이 계속 낮춥니다.

# %% [markdown] lang="en"
# `factor=0.1`, `patience=10`, `min_delta=0.0001`, `cooldown=0`, `min_lr=0.0`. With nothing set, it
# divides the LR by 10 after every 10 epochs without improvement, with no floor.

# %% [markdown] lang="ko"
# ## 기록 위에서 돌려 보기
#
# `plateau` 기록(recorded run)은 작은 CNN을 MNIST 샘플로 학습률 1e-3, 배치 크기(batch size) 128로 60 에포크
# 동안 콜백 없이 학습한 기록입니다. `val_loss`가 꾸준히 내려가다가 30번째 에포크 무렵부터는 거의
# 내려가지 않고 오르내립니다.
#
# `replay(기록, [콜백])` 함수는 이 기록의 에포크별 로그(logs)를 진짜 Keras 콜백에 차례로 넘겨 줍니다.
# 콜백은 작은 대역 모델(stand-in model)에 붙어 있어서, 실제 옵티마이저(optimizer)의 학습률을
# 낮춥니다. 여기서는 cbteach의 콜백이 아니라 **Keras의** `ReduceLROnPlateau`를 그대로 쓰고,
# `patience=3`, `verbose=1`을 주었습니다. `verbose=1`이면 학습률을 낮출 때마다 Keras가 직접 한 줄을
# 찍습니다.

# %% [markdown] lang="en"
# ## Running it over a recording
#
# The `plateau` recording is a small CNN trained on the MNIST sample for 60 epochs at learning rate
# 1e-3, batch size 128, without callbacks. Its `val_loss` falls steadily, then from around epoch 30 it
# hardly falls any more and goes up and down.
#
# `replay(recording, [callbacks])` hands that recording's per-epoch logs to real Keras callbacks,
# one epoch after another. The callbacks sit on a tiny stand-in model, so the LR they cut is a real
# optimizer's. Here the callback is **Keras' own** `ReduceLROnPlateau`, not cbteach's, with
# `patience=3` and `verbose=1`: with `verbose=1` Keras itself prints a line at every cut.

# %%
# NBVAL_CHECK_OUTPUT
plateau = recorded.load("plateau")
plain = keras.callbacks.ReduceLROnPlateau(monitor="val_loss", patience=3, verbose=1)
plateau_run = replay(plateau, [plain])

# %% [markdown] lang="ko"
# 메시지의 `Epoch 31`은 31번째 에포크가 **끝난 뒤** 학습률을 낮췄다는 뜻입니다. 그래서 새 학습률은
# 32번째 에포크부터 적용됩니다. `run.lrs`에는 각 에포크 동안 쓰인 학습률이 들어 있고,
# `run.to_frame()`의 `lr` 열에도 같은 값이 나옵니다.

# %% [markdown] lang="en"
# `Epoch 31` in the message means the cut happened **after** epoch 31 ended, so the new LR applies
# from epoch 32 on. `run.lrs` holds the LR in effect during each epoch, and `run.to_frame()` shows it
# as the `lr` column:

# %%
# NBVAL_CHECK_OUTPUT
plateau_run.to_frame().loc[26:36, ["val_loss", "lr"]].round(6)

# %% [markdown] lang="ko"
# 28번째 에포크의 `val_loss` 0.0896이 최고 기록이고, 29·30·31번째 에포크는 그보다 나아지지
# 않았습니다. 개선 없는 에포크가 3번 이어지자(대기 3/3) 학습률이 0.001에서 0.0001로 내려갔습니다.
#
# 옵티마이저는 학습률을 32비트 실수(float32)로 저장하는데, 0.001은 float32로 정확히 나타낼 수
# 없습니다. 그래서 메시지에는 `0.0001` 대신 `0.00010000000474974513`이 찍힙니다.

# %% [markdown] lang="en"
# Epoch 28's `val_loss`, 0.0896, is the best; epochs 29, 30 and 31 do not beat it. After 3 epochs
# in a row without improvement (wait 3/3) the LR drops from 0.001 to 0.0001.
#
# The message says `0.00010000000474974513` rather than `0.0001` because the optimizer stores its
# learning rate as a 32-bit float (float32), and 0.001 has no exact float32 representation:

# %%
# NBVAL_CHECK_OUTPUT
print(float(np.float32(0.001)))
print(float(np.float32(0.001)) * 0.1)

# %% [markdown] lang="ko"
# cbteach의 `ReduceLROnPlateau`는 Keras 클래스를 상속한 하위 클래스입니다. 학습 중의 판단은 모두
# Keras가 내리고, cbteach는 그 판단을 기록하고 설명합니다(학습 전에 cbteach가 먼저 거절하는 입력은
# [docs/STRICTER.md](https://github.com/cbteach/cbteach/blob/main/docs/STRICTER.md)에 있습니다). `events`에 쌓인
# 이벤트(event)를 `explain()`으로 읽으면, 에포크마다 무엇을 보고 어떻게 판단했는지 문장으로
# 나옵니다. cbteach는 학습률을 어디서나 `1.0e-03`(= 0.001)처럼 지수 표기로 씁니다. 같은 기록의
# 27~32번째 에포크입니다.

# %% [markdown] lang="en"
# cbteach's `ReduceLROnPlateau` subclasses the Keras class. During training every decision is
# Keras' own, and cbteach records and explains it (the few inputs cbteach refuses before training
# are listed in [docs/STRICTER.md](https://github.com/cbteach/cbteach/blob/main/docs/STRICTER.md)). Reading
# its `events` with `explain()` says, for each epoch, what it saw and what it did. cbteach writes
# every learning rate in exponent form, `1.0e-03` (= 0.001). Epochs 27 to 32 of the same recording:

# %%
# NBVAL_CHECK_OUTPUT
watched = cbteach.ReduceLROnPlateau(monitor="val_loss", patience=3)
replay(plateau, [watched])
for event in watched.events[26:32]:
    print(event.explain())

# %% [markdown] lang="ko"
# ## `factor`: 한 번에 얼마나 낮추는가
#
# 노트의 `factor` 설명 `new_lr = lr*factor`는 맞습니다. 기본값 0.1이면 한 번 낮출 때마다 10분의 1이
# 되어, 위 메시지처럼 0.001 → 0.0001 → 0.00001로 내려갑니다. 같은 기록을 `factor=0.5`로 돌리면
# 낮출 때마다 절반이 됩니다.

# %% [markdown] lang="en"
# ## `factor`: how much one cut lowers the LR
#
# The notes get `factor` right: `new_lr = lr*factor`. With the default 0.1 every cut divides the LR
# by 10, 0.001 → 0.0001 → 0.00001 as in the messages above. With `factor=0.5` on the same recording,
# every cut halves it:

# %%
# NBVAL_CHECK_OUTPUT
halving = cbteach.ReduceLROnPlateau(monitor="val_loss", patience=3, factor=0.5)
halved = replay(plateau, [halving])
[(cut.epoch, f"{cut.lr_before:g}", f"{cut.lr_after:g}") for cut in halved.lr_cuts]

# %% [markdown] lang="ko"
# 이 콜백은 학습률을 낮추기만 하므로 `factor`는 1보다 작아야 합니다. 다음 셀은 일부러 오류를
# 냅니다. `factor=1.5`를 주면 Keras가 객체를 만드는 순간 `ValueError`를 냅니다.

# %% [markdown] lang="en"
# `factor` must be below 1: this callback only ever lowers the LR. The next cell fails on purpose:
# with `factor=1.5` Keras raises `ValueError` as soon as the object is built.

# %% tags=["raises-exception"]
# NBVAL_CHECK_OUTPUT
keras.callbacks.ReduceLROnPlateau(factor=1.5)

# %% [markdown] lang="ko"
# ## `patience`: 세는 것은 "개선이 없는 에포크"
#
# 노트는 `patience`를 이렇게 설명합니다.
#
# > patience = 10 이면 epoch가 10회 iteration 할 동안 lr가 변함이 없을 때 factor를 곱함
#
# 틀린 설명입니다. `patience`가 세는 것은 학습률이 그대로인 에포크가 아니라 **모니터링 지표가
# 나아지지 않은 에포크가 몇 번 연달아 나왔는지**(대기, `wait`)입니다. 노트대로라면 학습률이 10
# 에포크 동안 그대로일 때마다 낮춰야 하니, 학습이 잘 되고 있어도 10, 20, 30번째 에포크에 학습률이
# 내려가야 합니다.
#
# 직접 만든 곡선으로 확인해 봅시다. `drive(콜백들, 히스토리, 모델)` 함수는 `replay`의 바탕이 되는
# 함수로, 손으로 적은 `{"val_loss": [...]}` 곡선을 에포크마다 진짜 콜백에 넘기고, 실행한 에포크 수와
# 에포크별 학습률을 돌려줍니다. `standin_model()`은 콜백을 붙일 작은 대역 모델입니다. 첫 곡선은
# 30 에포크 내내 `val_loss`가 1.0에서 0.5까지 꾸준히 내려갑니다.

# %% [markdown] lang="en"
# ## `patience`: it counts epochs without improvement
#
# The notes explain `patience` like this:
#
# > If patience = 10, it multiplies by factor when the lr has not changed for 10 epoch iterations.
#
# That is wrong. `patience` does not count epochs with an unchanged LR; it counts **how many epochs
# in a row the monitored metric has not improved** (the wait counter, `wait`). If the notes were
# right, the LR would drop whenever it had stayed the same for 10 epochs, so at epochs 10, 20 and 30
# even while training goes well.
#
# Check it with a hand-made curve. `drive(callbacks, history, model)`, the function under `replay`,
# hands a hand-written `{"val_loss": [...]}` curve to real callbacks epoch by epoch and returns the
# number of epochs run and the LR of each epoch. `standin_model()` is a tiny stand-in model to host
# the callbacks. The first curve falls steadily from 1.0 to 0.5 over 30 epochs:

# %%
# NBVAL_CHECK_OUTPUT
standin = standin_model()
improving = np.linspace(1.0, 0.5, 30).round(4).tolist()
steady = cbteach.ReduceLROnPlateau(monitor="val_loss", patience=10)
epochs, lrs = drive([steady], {"val_loss": improving}, standin, learning_rate=0.001)
print(epochs, len(steady.events.with_action("reduced_lr")))
print({f"{lr:g}" for lr in lrs})

# %% [markdown] lang="ko"
# 학습률은 30 에포크 내내 0.001 그대로였지만(`{'0.001'}`) 콜백은 한 번도 낮추지 않았습니다(감소
# 0번). 매 에포크가 개선이라 대기가 계속 0이었기 때문입니다. 노트대로였다면 10, 20, 30번째 에포크에
# 낮췄을 것입니다.
#
# 두 번째 곡선은 3 에포크 동안 나아지다가 그 뒤로는 0.85에 머뭅니다. 이벤트 표의 `wait_after` 열은
# 각 에포크가 끝난 뒤의 대기입니다. 이제부터는 곡선 하나를 콜백에 넣고 에포크별 학습률을 보기 좋게
# 돌려주는 작은 함수 `lr_trace`를 씁니다.

# %% [markdown] lang="en"
# The LR stayed at 0.001 for all 30 epochs (`{'0.001'}`), and yet the callback never cut it (0
# cuts), where the notes' reading would have cut it at epochs 10, 20 and 30. Every epoch was an
# improvement, so `wait` stayed at 0.
#
# The second curve improves for 3 epochs and then sits at 0.85. In the event table, `wait_after` is
# the wait counter after each epoch. From here on, a small function `lr_trace` feeds one curve to a
# callback and returns each epoch's LR, neatly printed.

# %%
# NBVAL_CHECK_OUTPUT
def lr_trace(callback, val_loss, learning_rate=0.001):
    epochs, lrs = drive([callback], {"val_loss": val_loss}, standin, learning_rate=learning_rate)
    return [f"{lr:g}" for lr in lrs]


stuck = [1.0, 0.9, 0.8] + [0.85] * 12
counting = cbteach.ReduceLROnPlateau(monitor="val_loss", patience=10)
lr_trace(counting, stuck)
counting.events.to_frame()[["epoch", "value", "best_after", "wait_after", "lr_after", "action"]]

# %% [markdown] lang="ko"
# 3번째 에포크의 0.8이 최고 기록이고, 4번째 에포크부터 대기가 1, 2, …로 올라갑니다. 대기가 10이 되는
# 13번째 에포크가 끝날 때 학습률을 낮추고(`reduced_lr`), 대기는 다시 0부터 셉니다. `patience=10`은
# "개선 없는 에포크가 10번 연달아 나오면"이라는 뜻입니다.

# %% [markdown] lang="en"
# Epoch 3's 0.8 is the best; from epoch 4 on, `wait` goes 1, 2, ... At the end of epoch 13, when
# `wait` reaches 10, the LR is cut (`reduced_lr`) and `wait` starts again from 0. `patience=10` means
# "after 10 epochs in a row without improvement".

# %% [markdown] lang="ko"
# ## 낮춘 뒤에도 최고 기록은 그대로
#
# 학습률을 낮추면 대기는 0으로 돌아가지만 최고 기록(`best`)은 그대로 남습니다. 그래서 낮춘 다음에도
# 옛 최고 기록보다 나아지지 못하면 `patience` 에포크마다 또 낮춥니다. 첫 에포크의 0.5 뒤로 계속 0.6에
# 머무는 곡선에 `patience=3`, `factor=0.5`를 주어 봅시다.

# %% [markdown] lang="en"
# ## `best` survives a cut
#
# A cut sends `wait` back to 0 but keeps the best value (`best`). If the curve still does not beat
# the old best after the cut, the LR is cut again every `patience` epochs. A curve that starts at 0.5
# and then stays at 0.6, with `patience=3` and `factor=0.5`:

# %%
# NBVAL_CHECK_OUTPUT
flat = [0.5] + [0.6] * 12
repeating = cbteach.ReduceLROnPlateau(monitor="val_loss", patience=3, factor=0.5)
print(lr_trace(repeating, flat))
print([cut.epoch for cut in repeating.events.with_action("reduced_lr")])

# %% [markdown] lang="ko"
# 4, 7, 10, 13번째 에포크에서, 정확히 3 에포크마다 학습률이 절반이 됩니다. 실제 학습에서도
# 과적합(overfitting)이 시작되면 옛 최고 기록보다 다시 나아지기 어려워서, 학습률이 이렇게 계단처럼 계속
# 내려가기 쉽습니다. 아래 `min_lr` 절에서 `overfit` 기록으로 다시 봅니다.

# %% [markdown] lang="en"
# At epochs 4, 7, 10 and 13, exactly every 3 epochs, the LR halves. Real training easily does the
# same once overfitting sets in: the old best is hard to beat again, so the LR keeps stepping down.
# The `min_lr` section below shows it on the `overfit` recording.

# %% [markdown] lang="ko"
# `patience`가 작을수록 더 일찍, 더 자주 낮춥니다. 02 레슨의 플레이그라운드가 처음 보여 주는 설정
# (`plateau` 기록, `factor=0.3`)에서 `patience`만 3과 2로 바꾸어 낮춘 에포크를 비교합니다.

# %% [markdown] lang="en"
# The smaller `patience`, the earlier and the more often it cuts. The settings the lesson 02
# Playground opens with (the `plateau` recording, `factor=0.3`), with only `patience` at 3 and 2:

# %%
# NBVAL_CHECK_OUTPUT
for patience in (3, 2):
    tried = replay(plateau, [cbteach.ReduceLROnPlateau(patience=patience, factor=0.3)])
    print(patience, len(tried.lr_cuts), [cut.epoch for cut in tried.lr_cuts])

# %% [markdown] lang="ko"
# `patience=3`은 6번 낮추고 처음 낮추는 에포크는 31입니다. `patience=2`는 12번 낮추고, 처음
# 낮추는 에포크가 22로 당겨집니다. 에포크 20의 최고 기록 뒤로 21, 22 두 에포크만 흔들려도 충분하기
# 때문입니다.

# %% [markdown] lang="en"
# `patience=3` cuts 6 times, first at epoch 31. `patience=2` cuts 12 times, and the first cut moves
# up to epoch 22: after the best at epoch 20, a wobble of two epochs, 21 and 22, is enough.

# %% [markdown] lang="ko"
# ## `min_delta`: 아주 작은 개선은 개선이 아니다
#
# 최소 변화량(`min_delta`)보다 적게 나아지면 개선으로 치지 않습니다. `ReduceLROnPlateau`의
# 기본값은 `1e-4`이고, `EarlyStopping`의 기본값은 `0`입니다. 두 콜백을 함께 쓸 때 헷갈리기 쉬운
# 차이입니다.

# %% [markdown] lang="en"
# ## `min_delta`: a tiny improvement is no improvement
#
# An improvement smaller than `min_delta` does not count. `ReduceLROnPlateau`'s default is `1e-4`,
# `EarlyStopping`'s is `0`: an easy difference to miss when the two are used together.

# %%
# NBVAL_CHECK_OUTPUT
print(keras.callbacks.ReduceLROnPlateau().min_delta, keras.callbacks.EarlyStopping().min_delta)

# %% [markdown] lang="ko"
# 에포크마다 0.00002씩만 내려가는 곡선을 `patience=3`으로 돌려 봅시다. 기본값 `min_delta=1e-4`에서는
# 이 정도 변화는 개선이 아니어서 최고 기록이 첫 값 0.5에 머물고, 4번째 에포크에 학습률을 낮춥니다.
# `min_delta=0`이면 매 에포크가 개선이라 한 번도 낮추지 않습니다.

# %% [markdown] lang="en"
# Run a curve that falls by only 0.00002 per epoch with `patience=3`. Under the default
# `min_delta=1e-4` such a change is no improvement: `best` stays at the first value, 0.5, and the LR
# is cut at epoch 4. With `min_delta=0` every epoch is an improvement and the LR is never cut.

# %%
# NBVAL_CHECK_OUTPUT
creeping = [0.5, 0.49998, 0.49996, 0.49994, 0.49992, 0.4999]
strict = cbteach.ReduceLROnPlateau(monitor="val_loss", patience=3)
print(lr_trace(strict, creeping))
print(lr_trace(cbteach.ReduceLROnPlateau(monitor="val_loss", patience=3, min_delta=0), creeping))
strict.events.to_frame()[["epoch", "value", "best_after", "wait_after", "action"]]

# %% [markdown] lang="ko"
# ## `cooldown`: 낮춘 뒤 쉬는 기간
#
# 쿨다운은 학습률을 낮춘 직후 대기를 세지 않고 쉬는 기간입니다. 새 학습률이 효과를 낼 시간을 주기
# 위해서입니다. 그런데 Keras 코드를 보면 에포크가 끝날 때 쿨다운 카운터를 **먼저 1 줄인** 다음에
# 쿨다운 중인지를 확인합니다. 그래서 `cooldown=1`은 아무것도 바꾸지 못하고, `cooldown=2`가 되어야
# 한 에포크를 쉽니다. 학습률을 한 번 낮춘 뒤 다시 낮추기까지는 `patience + max(cooldown - 1, 0)`
# 에포크가 걸립니다.
#
# 계속 나아지지 않는 곡선에 `patience=2`를 주고 `cooldown`만 0, 1, 2로 바꿔 봅시다.

# %% [markdown] lang="en"
# ## `cooldown`: a rest after each cut
#
# The cooldown is a rest right after a cut, during which `wait` is not counted, to give the new LR
# time to work. But Keras' code, at the end of an epoch, **first decrements** the cooldown counter
# and only then checks whether it is cooling down. So `cooldown=1` changes nothing, and it takes
# `cooldown=2` to rest for one epoch. The gap between two cuts is `patience + max(cooldown - 1, 0)`
# epochs.
#
# A curve that never improves again, `patience=2`, and only `cooldown` changed, 0, 1, 2:

# %%
# NBVAL_CHECK_OUTPUT
never_again = [1.0] + [1.2] * 14
traces = {}
for cooldown in (0, 1, 2):
    resting = cbteach.ReduceLROnPlateau(
        monitor="val_loss", patience=2, factor=0.5, cooldown=cooldown
    )
    traces[cooldown] = lr_trace(resting, never_again)
    print(cooldown, [cut.epoch for cut in resting.events.with_action("reduced_lr")])
print(traces[0] == traces[1], traces[0] == traces[2])

# %% [markdown] lang="ko"
# `cooldown` 0과 1은 똑같이 3, 5, 7, …번째 에포크에서, 즉 2 에포크 간격으로 낮추고, 에포크별
# 학습률도 완전히 같습니다(`True`). `cooldown=2`는 3, 6, 9, …번째 에포크에서 낮춰 간격이 한 에포크
# 늘었습니다(`False`). `cooldown=2`에서 학습률을 낮춘 앞뒤 에포크의 설명(explanation)을 보면,
# 쉬는 에포크는 낮춘 바로 다음 에포크 하나뿐이고 그다음 에포크부터 다시 센다는 것을 확인할 수
# 있습니다.

# %% [markdown] lang="en"
# Cooldown 0 and 1 both cut at epochs 3, 5, 7, ..., every 2 epochs, with exactly the same LR trace
# (`True`). `cooldown=2` cuts at epochs 3, 6, 9, ...: one epoch more between cuts (`False`). The
# explanations around a cut with `cooldown=2` show that only the epoch right after the cut rests,
# and that `wait` is counted again from the epoch after that:

# %%
# NBVAL_CHECK_OUTPUT
for event in resting.events[2:6]:
    print(event.explain())

# %% [markdown] lang="ko"
# cbteach의 설명이 아니라 Keras 자신에게 물어봅시다. 이번에는 Keras의 `ReduceLROnPlateau`를 그대로
# 쓰고, 그 뒤에 `LambdaCallback`을 하나 붙여 에포크가 끝날 때마다 Keras의 `wait`와
# `cooldown_counter`를 읽습니다. 열은 차례대로 에포크, `wait`, `cooldown_counter`, 그 에포크에 쓰인
# 학습률입니다.

# %% [markdown] lang="en"
# Now ask Keras itself rather than cbteach's explanation: Keras' own `ReduceLROnPlateau`, followed by
# a `LambdaCallback` that reads Keras' `wait` and `cooldown_counter` at the end of every epoch. The
# columns are the epoch, `wait`, `cooldown_counter` and the LR in effect during that epoch.

# %%
# NBVAL_CHECK_OUTPUT
plain = keras.callbacks.ReduceLROnPlateau(monitor="val_loss", patience=2, factor=0.5, cooldown=2)
states = []
peek = keras.callbacks.LambdaCallback(
    on_epoch_end=lambda epoch, logs: states.append((epoch + 1, plain.wait, plain.cooldown_counter))
)
epochs, lrs = drive([plain, peek], {"val_loss": never_again[:10]}, standin, learning_rate=0.001)
for (epoch, wait, counter), lr in zip(states, lrs):
    print(epoch, wait, counter, f"{lr:g}")

# %% [markdown] lang="ko"
# 3번째 에포크가 끝날 때 학습률을 낮추고 카운터를 `cooldown` 값인 2로 맞춥니다. 4번째 에포크에서는
# 카운터를 먼저 1로 줄인 뒤 확인하는데, 아직 0보다 크므로 쉽니다(`wait` 0). 5번째 에포크에서는
# 카운터가 0이 된 뒤에 확인하므로 바로 대기를 셉니다(`wait` 1). 그래서 `cooldown=2`가 쉬는 에포크는
# 4번째 하나뿐이고, 6번째 에포크에서 다시 낮춥니다. 일반적으로 `cooldown=c`는 낮출 때마다
# c − 1 에포크를 쉽니다. cbteach의 설명이 "에포크 5부터 다시 셉니다"라고 한 것도 이 때문입니다.

# %% [markdown] lang="en"
# At the end of epoch 3 the LR is cut and the counter is set to `cooldown`, 2. At epoch 4 the
# counter first drops to 1 and is then checked: still above 0, so the epoch rests (`wait` 0). At
# epoch 5 it drops to 0 before the check, so `wait` is counted at once (`wait` 1). So `cooldown=2`
# rests for epoch 4 alone, and the next cut comes at epoch 6. In general `cooldown=c` rests c − 1
# epochs after each cut, which is why cbteach's explanation said "wait counts again from epoch 5".

# %% [markdown] lang="ko"
# ## `min_lr`: 학습률의 바닥
#
# 새 학습률은 `max(lr × factor, min_lr)`로 정해지므로 `min_lr` 아래로는 내려가지 않습니다.
# 학습률이 이미 `min_lr`에 닿았으면 대기가 인내에 이르러도 아무 일도 일어나지 않고, `verbose=1`이어도
# 메시지가 찍히지 않습니다. Keras의 콜백을 그대로 쓰고 `patience=2`, `min_lr=3e-5`를 주어 앞의
# 곡선을 넣어 봅시다.

# %% [markdown] lang="en"
# ## `min_lr`: the floor
#
# The new LR is `max(lr × factor, min_lr)`, so it never goes below `min_lr`. Once the LR is at
# `min_lr`, nothing happens when `wait` reaches `patience`, and nothing is printed even with
# `verbose=1`. Keras' own callback with `patience=2` and `min_lr=3e-5`, on the same curve:

# %%
# NBVAL_CHECK_OUTPUT
floored = keras.callbacks.ReduceLROnPlateau(monitor="val_loss", patience=2, min_lr=3e-5, verbose=1)
print(lr_trace(floored, never_again))

# %% [markdown] lang="ko"
# 메시지는 두 줄뿐입니다. 3번째 에포크에서 0.001 → 0.0001로 낮추고, 5번째 에포크에서는
# 0.0001 × 0.1 = 0.00001이 `min_lr`보다 작아서 학습률이 `min_lr`인 `3e-05`가 되었습니다. 그 뒤로는
# 학습률이 `3e-05`에 머물고 메시지도 없습니다. cbteach 콜백으로 같은 곡선을 돌려 보면 그동안 무슨
# 일이 있었는지 보입니다. 표의 `wait_after`가 `patience`인 2를 넘어 3, 4, …로 커지는 것을 눈여겨보세요.
# 학습률을 낮추지 못한 에포크에서는 대기도 0으로 돌아가지 않기 때문입니다.

# %% [markdown] lang="en"
# Only two messages: at epoch 3, 0.001 → 0.0001; at epoch 5, 0.0001 × 0.1 = 0.00001 is below
# `min_lr`, so the LR becomes `min_lr`, `3e-05`. After that the LR stays at `3e-05` and nothing is
# printed. cbteach's callback on the same curve shows what went on meanwhile. Watch `wait_after`
# grow past `patience`, 2, to 3, 4, ...: an epoch where the LR could not be cut does not reset
# `wait` either.

# %%
# NBVAL_CHECK_OUTPUT
at_floor = cbteach.ReduceLROnPlateau(monitor="val_loss", patience=2, min_lr=3e-5)
lr_trace(at_floor, never_again)
at_floor.events.to_frame()[["epoch", "wait_after", "lr_before", "lr_after", "action"]].tail(10)

# %% [markdown] lang="ko"
# 7번째 에포크부터는 대기가 인내 2에 이르렀는데도 학습률이 이미 바닥이라
# 낮추지 못합니다(`at_min_lr`). 낮추지 못했으니 대기도 0으로 돌아가지 않고 에포크마다 계속 늘어납니다.
# 그래서 설명에는 "대기 3/2"처럼 대기가 인내보다 큰 값이 나옵니다.
#
# 바닥이 왜 필요한지는 `overfit` 기록에서 드러납니다. `overfit` 기록은 00 레슨에서 본 것으로, MLP를
# 학습률 3e-3, 배치 크기 32로 100 에포크 동안 학습한 기록이며 `val_loss`는 7번째 에포크에서 가장
# 낮습니다. 그 뒤로는 최고 기록보다 다시 나아지지 못하니, `min_lr`이 없으면 학습률이 끝없이 내려갑니다.

# %% [markdown] lang="en"
# From epoch 7 on, `wait` has reached `patience` 2, but the LR is already at the floor, so there is no
# cut (`at_min_lr`). Since nothing was cut, `wait` is not reset either and keeps growing every epoch.
#
# Why a floor matters shows on the `overfit` recording, seen in lesson 00: the MLP trained for 100
# epochs at learning rate 3e-3, batch size 32, whose `val_loss` is lowest at epoch 7. The old best is
# never beaten again, so without `min_lr` the LR sinks without end:

# %%
# NBVAL_CHECK_OUTPUT
overfit = recorded.load("overfit")
sinking = replay(overfit, [cbteach.ReduceLROnPlateau(monitor="val_loss", patience=2, factor=0.3)])
bounded = replay(
    overfit, [cbteach.ReduceLROnPlateau(monitor="val_loss", patience=2, factor=0.3, min_lr=1e-5)]
)
print(len(sinking.lr_cuts), f"{sinking.lrs[-1]:.2g}")
print(len(bounded.lr_cuts), f"{bounded.lrs[-1]:.2g}")
print([(cut.epoch, f"{cut.lr_after:g}") for cut in bounded.lr_cuts])

# %% [markdown] lang="ko"
# `min_lr`이 없으면 46번 낮춰 학습률이 2.7e-27까지 내려갑니다. 이런 학습률로는 가중치(weights)가
# 사실상 움직이지 않습니다. `min_lr=1e-5`를 주면 5번 낮춘 뒤 1e-05에서 멈춥니다.
# 기록에서는 7번째 에포크의 최고 기록보다 끝내 나아지지 못하므로 9, 11, 13, 15, 17번째 에포크에서
# 2 에포크마다 낮추고, 그 뒤로는 바닥에 머뭅니다. 실제 학습에서는 학습률을 낮춘 뒤 `val_loss`가 옛
# 최고 기록보다 다시 나아질 수 있고, 그러면 다음 감소가 리플레이보다 늦어집니다.

# %% [markdown] lang="en"
# Without `min_lr` it cuts 46 times and the LR ends at 2.7e-27, where the weights practically stop
# moving. With `min_lr=1e-5` it stops after 5 cuts, at 1e-05.
# On the recording the best of epoch 7 is never beaten again, so it cuts every 2 epochs, at epochs
# 9, 11, 13, 15 and 17, and then stays at the floor. In real training `val_loss` may beat the old
# best again after a cut, and then the next cut comes later than in the replay.

# %% [markdown] lang="ko"
# 그래서 리플레이는 기록해 둔 곡선을 그대로 쓰지만, 실제로 학습률을 낮추면 그 뒤의 곡선 자체가
# 달라집니다. 학습률을 한 번이라도 낮춘 리플레이에는 `run.caveats`에 그 사실을 주의 사항(caveat)으로
# 적어 둡니다. `run.caveats`에는 메시지 카탈로그의 키가 들어 있고, `cbteach.t()`가 그 키를 문장으로
# 바꿉니다.

# %% [markdown] lang="en"
# So a replay keeps the recorded curve, whereas a real cut would change the curve after it. A replay
# in which the LR was cut at least once says so in `run.caveats`, which holds catalog keys;
# `cbteach.t()` turns a key into its sentence:

# %%
# NBVAL_CHECK_OUTPUT
print(sinking.caveats)
print(cbteach.t(sinking.caveats[0]))

# %% [markdown] lang="ko"
# ## 로그와 히스토리의 `learning_rate`
#
# `ReduceLROnPlateau`는 판단하기 전에 그 에포크 동안 쓰인 학습률을 로그에 `logs["learning_rate"]`로
# 적어 넣습니다. 그래서 `model.fit()`이 돌려주는 히스토리(history)에도 `learning_rate` 항목이 생깁니다.
# 이 콜백(또는 `LearningRateScheduler`)이 없으면 그런 항목은 없습니다. 작은 모델을 2 에포크씩 두 번
# 학습해서 히스토리의 항목 이름만 비교해 봅시다.

# %% [markdown] lang="en"
# ## `learning_rate` in the logs and the history
#
# Before it decides, `ReduceLROnPlateau` writes the LR in effect during that epoch into the logs as
# `logs["learning_rate"]`, which is how the history that `model.fit()` returns gets a
# `learning_rate` entry. Without this callback (or `LearningRateScheduler`) there is none. Train a
# tiny model for 2 epochs twice and compare only the names in the history:

# %%
# NBVAL_CHECK_OUTPUT
rng = np.random.default_rng(0)
x_tiny = rng.random((64, 4), dtype="float32")
y_tiny = rng.integers(0, 3, size=64)
tiny = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
tiny.compile(optimizer=keras.optimizers.Adam(0.001), loss="sparse_categorical_crossentropy")
fit_args = {"epochs": 2, "batch_size": 32, "validation_data": (x_tiny, y_tiny), "verbose": 0}
without_rlr = tiny.fit(x_tiny, y_tiny, **fit_args)
with_rlr = tiny.fit(x_tiny, y_tiny, callbacks=[keras.callbacks.ReduceLROnPlateau()], **fit_args)
print(sorted(without_rlr.history))
print(sorted(with_rlr.history))

# %% [markdown] lang="ko"
# 에포크마다 학습률을 기록해 두고 싶다면 이 항목을 쓰면 됩니다. 단, `ReduceLROnPlateau`가 있을 때만
# 생긴다는 점을 기억하세요. cbteach의 `train()`은 콜백과 상관없이 각 에포크의 학습률을 `run.lrs`에
# 따로 저장합니다.

# %% [markdown] lang="en"
# That entry is the way to log the LR per epoch, as long as you remember it exists only when
# `ReduceLROnPlateau` is there. cbteach's `train()` records each epoch's LR in `run.lrs` whatever
# the callbacks.

# %% [markdown] lang="ko"
# ## 함정 1: 오타가 조용히 넘어간다
#
# 노트의 예제에는 이런 줄이 있습니다.
#
# > `rlr_cb = ReduceLROnPlateau(monitor = 'val_loss', fector = 0.3, patienc = 10, mode = 'min', verbose = 1)`
#
# `fector`와 `patienc`는 오타입니다. 그런데 Keras의 `ReduceLROnPlateau`는 모르는 키워드 인자를
# `**kwargs`로 받아서 **아무 말 없이 버립니다**. 객체는 잘 만들어지고, `factor`는 0.3이 아니라
# 기본값 0.1입니다. `patience`는 10이지만, 그것도 기본값이 마침 10이라서일 뿐입니다.

# %% [markdown] lang="en"
# ## Trap 1: a typo passes silently
#
# The notes' example has this line:
#
# > `rlr_cb = ReduceLROnPlateau(monitor = 'val_loss', fector = 0.3, patienc = 10, mode = 'min', verbose = 1)`
#
# `fector` and `patienc` are typos. Keras' `ReduceLROnPlateau` takes unknown keyword arguments
# through `**kwargs` and **silently drops them**: the object builds fine, and `factor` is the default
# 0.1, not 0.3. `patience` is 10 only because the default happens to be 10.

# %%
# NBVAL_CHECK_OUTPUT
rlr_cb = keras.callbacks.ReduceLROnPlateau(
    monitor="val_loss", fector=0.3, patienc=10, mode="min", verbose=1
)
print(rlr_cb.factor, rlr_cb.patience)

# %% [markdown] lang="ko"
# cbteach의 `ReduceLROnPlateau`는 같은 줄을 받아 주지 않습니다. 다음 셀은 일부러 오류를 냅니다.
# 모르는 인자를 받으면 `TypeError`를 내고, 가장 비슷한 인자 이름을 알려 줍니다. 노트의 예제 전체는
# 04 레슨에서 고칩니다.

# %% [markdown] lang="en"
# cbteach's `ReduceLROnPlateau` refuses the same line. The next cell fails on purpose: on an unknown
# argument it raises `TypeError` and suggests the closest name. Lesson 04 fixes the notes' whole
# example.

# %% tags=["raises-exception"]
# NBVAL_CHECK_OUTPUT
cbteach.ReduceLROnPlateau(monitor="val_loss", fector=0.3, patienc=10, mode="min", verbose=1)

# %% [markdown] lang="ko"
# ## 함정 2: 학습률 스케줄과 함께 쓰면 오류
#
# 옵티마이저의 학습률을 숫자 대신 학습률 스케줄(learning rate schedule, 예:
# `keras.optimizers.schedules.ExponentialDecay`)로 주면, 학습률을 스텝마다 스케줄에서 계산하므로
# 밖에서 바꿀 수 없습니다. 그래서 `ReduceLROnPlateau`가 학습률을 낮추려는 순간 `TypeError`가
# 납니다. 콜백을 만들 때도, 처음 몇 에포크 동안에도 아무 문제가 없다가 처음 낮추려는 에포크에서야
# 터집니다. 다음 셀은 일부러 오류를 냅니다. 스케줄로 컴파일한 작은 모델에 `drive`로 나아지지 않는
# 곡선을 넣었습니다. 실제 `model.fit()`에서도 같은 오류가 납니다.

# %% [markdown] lang="en"
# ## Trap 2: learning-rate schedules
#
# When an optimizer's learning rate is a learning-rate schedule rather than a number (for example
# `keras.optimizers.schedules.ExponentialDecay`), the LR is computed from the schedule at every step
# and cannot be set from outside. So the moment `ReduceLROnPlateau` tries to cut it, Keras raises
# `TypeError`: nothing goes wrong when the callback is built or during the first epochs, only at the
# first cut. The next cell fails on purpose: it drives a non-improving curve through a tiny model
# compiled with a schedule. A real `model.fit()` fails the same way.

# %% tags=["raises-exception"]
# NBVAL_CHECK_OUTPUT
schedule = keras.optimizers.schedules.ExponentialDecay(0.001, decay_steps=100, decay_rate=0.9)
scheduled = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
scheduled.compile(optimizer=keras.optimizers.SGD(schedule), loss="mse")
drive([keras.callbacks.ReduceLROnPlateau(patience=1)], {"val_loss": [1.0, 1.0]}, scheduled)

# %% [markdown] lang="ko"
# 학습률을 정해진 일정대로 바꿀지(스케줄), 지표(metric)를 보고 바꿀지(`ReduceLROnPlateau`) 둘 중
# 하나만 고르세요.

# %% [markdown] lang="en"
# Pick one: change the LR on a fixed timetable (a schedule), or by watching a metric
# (`ReduceLROnPlateau`).

# %% [markdown] lang="ko"
# ## 정리
#
# - 기본값은 `factor=0.1`, `patience=10`, `min_delta=1e-4`, `cooldown=0`, `min_lr=0`입니다.
#   Keras의 메시지에 찍히는 긴 숫자는 학습률이 float32로 저장되기 때문입니다.
# - `patience`는 학습률이 그대로인 에포크가 아니라 개선 없는 에포크를 연달아 셉니다. 낮춘 뒤에도
#   최고 기록은 그대로라서, 정체가 이어지면 `patience` 에포크마다 또 낮춥니다.
# - `min_delta`의 기본값은 `1e-4`입니다(`EarlyStopping`은 0). `cooldown=c`는 낮출 때마다
#   c − 1 에포크를 쉬므로 `cooldown=1`은 효과가 없고, `cooldown=2`가 한 에포크를 쉽니다.
# - 학습률이 `min_lr`에 닿으면 더 낮추지 않고, 대기도 0으로 되돌리지 않습니다.
# - 철자가 틀린 인자는 Keras의 `ReduceLROnPlateau`가 조용히 버립니다(`EarlyStopping`과
#   `ModelCheckpoint`는 `TypeError`를 냅니다). 또 학습률 스케줄과는 함께 쓸 수 없습니다.
#
# 다음: **03 EarlyStopping**

# %% [markdown] lang="en"
# ## Summary
#
# - The defaults are `factor=0.1`, `patience=10`, `min_delta=1e-4`, `cooldown=0`, `min_lr=0`. The
#   long digits in Keras' messages come from the LR being stored as a float32.
# - `patience` counts epochs in a row without improvement, not epochs with an unchanged LR. `best`
#   survives a cut, so on a lasting plateau it cuts again every `patience` epochs.
# - `min_delta` defaults to `1e-4` (0 for `EarlyStopping`); `cooldown=c` rests c − 1 epochs after
#   each cut, so `cooldown=1` has no effect and `cooldown=2` rests one epoch.
# - At `min_lr` the LR is not cut further, and the wait is not reset either.
# - Keras' `ReduceLROnPlateau` silently drops misspelled arguments (`EarlyStopping` and
#   `ModelCheckpoint` raise `TypeError`), and the callback cannot work with a learning-rate
#   schedule.
#
# Next: **03 EarlyStopping**
