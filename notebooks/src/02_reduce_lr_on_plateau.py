# %% [markdown] lang="ko"
# # 02. `ReduceLROnPlateau`: 정체 구간에서 학습률 낮추기
#
# 노트는 `ReduceLROnPlateau`를 이렇게 요약합니다.
#
# > 특정 epochs 횟수동안 performance가 개선 되지 않으면 learning rate를 동적으로 감소시킴
#
# 맞는 요약입니다. 검증 손실(validation loss)이 한동안 나아지지 않는 구간을 정체 구간(plateau)이라고
# 합니다. 여기에 들어서면 이 콜백은 학습률(learning rate)에 `factor`를 곱해 낮춥니다. 최저점 근처에서는 큰 보폭이 최저점을
# 건너뛰어 버리므로, 보폭을 줄여 그 안으로 내려앉게 하려는 것입니다. 다만 노트의 `patience` 설명은
# 틀렸습니다. 그 점은 여러분이 직접 예측하면서 확인하게 됩니다.
#
# 이 레슨을 마치면 다음을 할 수 있습니다.
#
# 1. `val_loss` 곡선과 `patience`만 보고 학습률을 낮추는 에포크를 예측합니다.
# 2. 낮출 때마다 학습률이 얼마가 되는지 계산하고, `min_lr`로 바닥을 정합니다.
# 3. 같은 설정으로 콜백 없이 학습한 결과와 나란히 놓고, 학습률 감소가 `val_loss`에서 무엇을
#    얻었는지 숫자로 말합니다.
#
# 세부 동작(float32 학습률 출력, `cooldown`, `min_delta`, 로그의 `learning_rate` 항목, Keras가 조용히
# 버리는 오타, 학습률 스케줄)은 선택 사항인 [심화 노트북](02_reduce_lr_on_plateau_deep_dive.ipynb)에
# 있습니다.

# %% [markdown] lang="en"
# # 02. `ReduceLROnPlateau`: lowering the learning rate on a plateau
#
# The notes sum up `ReduceLROnPlateau` like this:
#
# > If performance does not improve for a certain number of epochs, it lowers the learning rate
# > dynamically.
#
# That is right. When the validation loss stops improving for a while, a plateau, the callback
# multiplies the learning rate by `factor`. Near a minimum a big step jumps across it; a smaller
# step lets training settle into it. The notes get `patience` wrong, though, and you will catch
# that yourself with a prediction.
#
# After this lesson you can:
#
# 1. predict the epoch of a cut from a `val_loss` curve and `patience`;
# 2. work out the learning rate after each cut, and set a floor with `min_lr`;
# 3. say in numbers what a cut bought in `val_loss`, from a real run drawn beside the same run
#    without the callback.
#
# The details (float32 printing, `cooldown`, `min_delta`, the `learning_rate` log entry, the typo
# Keras swallows, schedules) are in the optional [deep dive](02_reduce_lr_on_plateau_deep_dive.ipynb).

# %% [markdown] lang="ko"
# ## 시작하기
#
# 첫 셀은 언어를 정하고, 장치(device)를 확인하고, 이 레슨에서 학습할 규모를 알려 줍니다.
# `replay`는 기록해 둔 학습의 에포크별 로그를 실제로 학습하지 않고 진짜 Keras 콜백에 차례로 넘기는
# cbteach 함수입니다.

# %% [markdown] lang="en"
# ## Getting started
#
# The first cell picks the language, checks the device and says how much this lesson trains.
# `replay` hands a recorded run's per-epoch logs, one epoch after another, to real Keras callbacks,
# without training.

# %%
# NBVAL_IGNORE_OUTPUT
LANGUAGE = "en"

import cbteach

import matplotlib.pyplot as plt
import pandas as pd

from cbteach import predictions, recorded, workbook
from cbteach.replay import replay

plan = workbook.start(LANGUAGE)

# %% [markdown] lang="ko"
# ## 규칙
#
# `ReduceLROnPlateau`는 에포크가 끝날 때마다 한 번씩 판단합니다.
#
# 1. 지켜보는 지표(`monitor`, 기본값 `"val_loss"`)가 지금까지의 최고 기록(best)보다 나아졌으면
#    개선(improvement)입니다. 최고 기록을 바꾸고 대기(wait)를 0으로 되돌립니다.
# 2. 개선이 아니면 대기를 1 늘립니다.
# 3. 대기가 인내(patience)에 이르면 학습률을 `max(lr × factor, min_lr)`로 낮추고 대기를 0으로
#    되돌립니다.
#
# 인자를 주지 않으면 `factor=0.1`, `patience=10`, `min_lr=0`입니다. 노트는 `patience`를 다르게
# 읽었습니다.
#
# > patience = 10 이면 epoch가 10회 iteration 할 동안 lr가 변함이 없을 때 factor를 곱함
#
# 두 가지 읽기, 즉 "학습률이 그대로인 에포크"를 세는지 "개선이 없는 에포크"를 세는지는 서로 다른
# 답을 냅니다. Keras는 어느 쪽일까요?

# %% [markdown] lang="en"
# ## The rule
#
# `ReduceLROnPlateau` decides once at the end of every epoch:
#
# 1. If the monitored metric (`monitor`, `"val_loss"` by default) beats the best value so far
#    (`best`), that is an improvement: `best` moves and the wait counter (`wait`) goes back to 0.
# 2. Otherwise `wait` goes up by 1.
# 3. When `wait` reaches `patience`, the learning rate becomes `max(lr × factor, min_lr)` and
#    `wait` goes back to 0.
#
# With no arguments, `factor=0.1`, `patience=10` and `min_lr=0`. The notes read `patience`
# differently:
#
# > If patience = 10, it multiplies by factor when the lr has not changed for 10 epoch iterations.
#
# The two readings, counting epochs with an unchanged learning rate or epochs without improvement,
# give different answers. Which one does Keras follow?

# %% [markdown] lang="ko"
# ## 예측: 처음 낮추는 에포크
#
# `plateau` 기록은 작은 CNN을 MNIST 샘플로 학습률 1e-3, 콜백 없이 60 에포크 학습한 기록입니다.
# 16번째 에포크까지는 `val_loss`가 매 에포크 최고 기록보다 나아집니다. 그 뒤는 이렇습니다.

# %% [markdown] lang="en"
# ## Predict: the first cut
#
# The `plateau` recording is a small CNN trained on the MNIST sample at learning rate 1e-3 for 60
# epochs, without callbacks. Up to epoch 16 every epoch's `val_loss` beats the best so far. After
# that:

# %%
# NBVAL_CHECK_OUTPUT
plateau = recorded.load("plateau")
plateau.to_frame().loc[16:36, ["val_loss"]].round(4)

# %% [markdown] lang="ko"
# 이 기록에 `ReduceLROnPlateau(patience=3, factor=0.5)` 콜백을 붙이면, 학습률은 몇 번째 에포크가 끝날 때
# 처음 낮아질까요? `...` 자리에 에포크 번호를 적고 셀을 실행하세요.

# %% [markdown] lang="en"
# With `ReduceLROnPlateau(patience=3, factor=0.5)` on this recording, at the end of which epoch is
# the learning rate first cut? Write the epoch number in place of `...` and run the cell.

# %%
# NBVAL_CHECK_OUTPUT
predictions.check("rlr_first_cut", ...)

# %% [markdown] lang="ko"
# 이제 진짜 Keras의 답입니다. cbteach의 `ReduceLROnPlateau`는 Keras 클래스에 기록 기능만 더한
# 것이고, `explain()` 메서드는 에포크마다 무엇을 보고 어떻게 판단했는지 한 줄로 씁니다. 28~31번째
# 에포크입니다.

# %% [markdown] lang="en"
# Now real Keras' answer. cbteach's `ReduceLROnPlateau` is the Keras class plus a recorder, and
# `explain()` writes one line per epoch: what it saw and what it did. Epochs 28 to 31:

# %%
# NBVAL_CHECK_OUTPUT
halving = cbteach.ReduceLROnPlateau(monitor="val_loss", patience=3, factor=0.5)
halved = replay(plateau, [halving])
for event in halving.events[27:31]:
    print(event.explain())

# %% [markdown] lang="ko"
# 28번째 에포크의 0.0896이 최고 기록이고, 29, 30, 31번째 에포크는 그보다 나아지지 않았습니다.
# 대기가 3/3이 된 31번째 에포크가 끝날 때 학습률이 절반이 되고, 32번째 에포크부터 적용됩니다.
# 학습률은 30 에포크 동안 그대로였지만 그사이 한 번도 낮추지 않았습니다. 노트와 달리 `patience`는
# 학습률이 그대로인 에포크가 아니라 **개선 없이 연달아 지난 에포크**를 셉니다. 25번째처럼 한 번
# 나빠져도 다음 에포크가 최고 기록을 새로 쓰면 대기는 0부터 다시 셉니다.

# %% [markdown] lang="en"
# Epoch 28's 0.0896 is the best, and epochs 29, 30 and 31 do not beat it. At the end of epoch 31
# the wait reaches 3/3 and the learning rate halves, from epoch 32 on. The learning rate had not
# changed for 30 epochs, yet nothing was cut before: `patience` counts **epochs in a row without
# improvement**, not epochs with an unchanged learning rate. One worse epoch, like epoch 25, is
# forgotten as soon as the next one sets a new best: the wait starts again from 0.

# %% [markdown] lang="ko"
# ## 예측: 두 번째로 낮춘 뒤의 학습률
#
# 낮춘 뒤 대기는 0이 되지만 최고 기록은 그대로 남습니다. 이 리플레이(replay)는 학습률을 두 번째로
# 34번째 에포크에서 낮춥니다. 처음 학습률은 1e-3입니다. 두 번째로 낮춘 뒤의 학습률은 얼마일까요?

# %% [markdown] lang="en"
# ## Predict: the learning rate after the second cut
#
# A cut sends the wait back to 0 but keeps `best`. This replay cuts a second time at epoch 34. The
# learning rate started at 1e-3. What is it after the second cut?

# %%
# NBVAL_CHECK_OUTPUT
predictions.check("rlr_second_lr", ...)

# %% [markdown] lang="ko"
# 이 리플레이에서 학습률을 낮춘 에포크와, 낮추기 전과 후의 학습률입니다.

# %% [markdown] lang="en"
# Every cut of this replay: the epoch, the learning rate before, and after.

# %%
# NBVAL_CHECK_OUTPUT
[(cut.epoch, f"{cut.lr_before:g}", f"{cut.lr_after:g}") for cut in halved.lr_cuts]

# %% [markdown] lang="ko"
# 낮출 때마다 `factor`를 곱하므로 1e-3 → 5e-4 → 2.5e-4입니다. 두 번째 감소가 첫 감소 딱 3 에포크
# 뒤에 온 것은 최고 기록이 감소 뒤에도 살아 있어서, 28번째 에포크의 최고 기록보다 나아지지 못한
# 에포크가 다시 3번 쌓였기 때문입니다. 60 에포크 동안 6번 낮춥니다.

# %% [markdown] lang="en"
# Each cut multiplies by `factor`: 1e-3 → 5e-4 → 2.5e-4. The second cut comes exactly 3 epochs
# after the first because `best` survived the cut, so three more epochs failed to beat epoch 28.
# Over 60 epochs it cuts 6 times.

# %% [markdown] lang="ko"
# ## `min_lr`: 바닥
#
# 정체가 끝나지 않으면 감소도 끝나지 않습니다. 00 레슨의 `overfit` 기록(MLP, 학습률 3e-3, 100
# 에포크)은 7번째 에포크의 최고 기록보다 다시는 나아지지 못합니다. `patience=2`, `factor=0.3`으로
# 리플레이하되, `min_lr` 없이 한 번, `min_lr=1e-5`로 한 번 돌려 낮춘 횟수와 마지막 학습률을 봅니다.

# %% [markdown] lang="en"
# ## `min_lr`: the floor
#
# When the plateau never ends, neither do the cuts. Lesson 00's `overfit` recording (an MLP,
# learning rate 3e-3, 100 epochs) never beats its best of epoch 7 again. Replay it with
# `patience=2` and `factor=0.3`, once without `min_lr` and once with `min_lr=1e-5`: the number of
# cuts and the last learning rate.

# %%
# NBVAL_CHECK_OUTPUT
overfit = recorded.load("overfit")
sinking = replay(overfit, [cbteach.ReduceLROnPlateau(monitor="val_loss", patience=2, factor=0.3)])
bounded = replay(
    overfit, [cbteach.ReduceLROnPlateau(monitor="val_loss", patience=2, factor=0.3, min_lr=1e-5)]
)
print(len(sinking.lr_cuts), f"{sinking.lrs[-1]:.2g}")
print(len(bounded.lr_cuts), f"{bounded.lrs[-1]:.2g}")

# %% [markdown] lang="ko"
# `min_lr`이 없으면 46번 낮춰 학습률이 2.7e-27까지 내려갑니다. 이런 학습률로는 가중치(weights)가
# 사실상 움직이지 않습니다. `min_lr=1e-5`를 주면 5번 낮춘 뒤 1e-05에서 멈춥니다.

# %% [markdown] lang="en"
# Without `min_lr` it cuts 46 times and the learning rate ends at 2.7e-27, where the weights
# practically stop moving. With `min_lr=1e-5` it stops after 5 cuts, at 1e-05.

# %% [markdown] lang="ko"
# ## 실제 학습: 콜백이 있을 때와 없을 때
#
# 리플레이는 기록된 곡선을 그대로 쓰므로 학습률을 낮춰도 곡선이 바뀌지 않습니다. 실제 학습에서는
# 감소 뒤의 모든 에포크가 달라집니다. 이 레슨의 계획(`overfit` 기록과 같은 MLP, 학습률 3e-3, 배치
# 크기 32)으로 같은 시드(seed)를 써서 두 번 학습합니다. 한 번은 콜백 없이(`no_callbacks`), 한 번은
# `ReduceLROnPlateau(patience=2, factor=0.3, min_lr=1e-5)` 콜백을 붙여서입니다. `factor=0.3`은 노트가
# 쓰려던 값입니다. `explain=True`라서 에포크마다 판단이 한 줄씩 나옵니다.

# %% [markdown] lang="en"
# ## Real training, with and without the callback
#
# A replay keeps the recorded curve, so a cut changes nothing there. In real training a cut changes
# every epoch after it. Train this lesson's plan (the `overfit` recording's MLP, learning rate 3e-3,
# batch size 32) twice with the same seed: once without callbacks (`no_callbacks`), once with
# `ReduceLROnPlateau(patience=2, factor=0.3, min_lr=1e-5)`, the `factor` the notes meant to use.
# With `explain=True` each epoch's decision is printed.

# %%
# NBVAL_IGNORE_OUTPUT
from cbteach.data import load_mnist
from cbteach.plots import plot_compare
from cbteach.training import train

data = load_mnist(plan.source, seed=plan.seed)
no_callbacks = train([], data=data, name="no_callbacks", **plan.train_args)
reducer = cbteach.ReduceLROnPlateau(
    monitor="val_loss", factor=0.3, patience=2, min_lr=1e-5, explain=True
)
run = train([reducer], data=data, name="ReduceLROnPlateau", **plan.train_args)

# %% [markdown] lang="ko"
# 두 학습의 `val_loss`를 한 그림에 그립니다. 학습률을 낮춘 에포크는 아래 띠에 ▼로 표시됩니다.

# %% [markdown] lang="en"
# Both runs' `val_loss` in one figure; the lane below marks each cut with ▼.

# %%
plot_compare([no_callbacks, run])
plt.show()

# %% [markdown] lang="ko"
# 처음 낮추기 전까지 두 곡선은 같습니다(같은 시드, 같은 학습률). 그 뒤를 숫자로 봅니다. 낮춘
# 에포크와 새 학습률, 첫 감소 에포크부터 다섯 에포크의 `val_loss`, 그리고 각 학습의 가장 낮은
# `val_loss`(`min`)와 그 에포크(`idxmin`)입니다.

# %% [markdown] lang="en"
# Up to the first cut both curves are the same (same seed, same learning rate). After it, in
# numbers: the cuts, `val_loss` for five epochs from the first cut, and each run's lowest
# `val_loss` (`min`) and its epoch (`idxmin`).

# %%
# NBVAL_IGNORE_OUTPUT
both = pd.DataFrame(
    {"no_callbacks": no_callbacks.history["val_loss"], "ReduceLROnPlateau": run.history["val_loss"]},
    index=range(1, run.epochs + 1),
)
first = run.lr_cuts[0].epoch if run.lr_cuts else 1
print([(cut.epoch, f"{cut.lr_after:g}") for cut in run.lr_cuts])
print(both.loc[first : first + 4].round(4))
print(both.agg(["min", "idxmin"]).round(4))

# %% [markdown] lang="ko"
# 여러분의 숫자로 답해 보세요. 감소 뒤 `val_loss`가 콜백 없는 학습보다 낮아졌나요? 가장 낮은
# `val_loss`는 얼마나 나아졌나요? 2코어 CPU에서 샘플 데이터로 학습했을 때는 9번째 에포크가 끝날 때
# 처음 낮췄고, 11번째 에포크의 `val_loss`가 0.2025로 콜백 없는 학습의 최고 기록 0.2148(에포크 7)보다
# 낮았습니다. 작은 보폭 덕분에 최저점 안으로 더 내려앉은 것입니다. 하지만 감소가 과적합(overfitting)까지
# 막지는 못합니다. 가장 좋은 모델을 남기고 학습을 멈추는 일은 `ModelCheckpoint`(01 레슨)와
# `EarlyStopping`(03 레슨)이 맡습니다.

# %% [markdown] lang="en"
# Answer from your numbers: after the cut, is `val_loss` lower than without the callback, and by
# how much? With the sample data on a 2-core CPU, the first cut came after epoch 9, and epoch 11
# reached 0.2025, below the best without the callback, 0.2148 (epoch 7): the smaller step settled
# deeper into the minimum. A cut does not prevent overfitting, though. Keeping the best model and
# stopping are the work of `ModelCheckpoint` (lesson 01) and `EarlyStopping` (lesson 03).

# %% [markdown] lang="ko"
# ## 플레이그라운드
#
# 슬라이더를 움직이면 고른 기록 위에서 진짜 `ReduceLROnPlateau`를 곧바로 다시 돌려 그림과 설명을
# 바꿉니다. 처음 화면은 `plateau` 기록, `patience=3`, `factor=0.3`입니다. 앞에서처럼 6번 낮추고,
# 처음 낮추는 에포크는 31입니다.
#
# **질문:** `patience`를 2로 옮기면 처음 낮추는 에포크는 30일까요, 더 이를까요? 60 에포크 동안 몇
# 번 낮출까요? 답을 적어 두고 나서 슬라이더를 옮겨 확인하세요.

# %% [markdown] lang="en"
# ## Playground
#
# A slider replays the chosen recording through a real `ReduceLROnPlateau` and redraws the plot
# and the explanation. It opens on `plateau` with `patience=3` and `factor=0.3`:
# 6 cuts, the first at epoch 31, as above.
#
# **Question:** with `patience` at 2, does the first cut come at epoch 30, or earlier? How many cuts
# in the 60 epochs? Write your answer down, then move the slider and check.

# %%
# NBVAL_IGNORE_OUTPUT
from cbteach.widgets import Playground

Playground(
    ["plateau", "overfit"],
    callbacks=["ReduceLROnPlateau"],
    controls=["run", "rlr_patience", "factor", "cooldown", "min_lr", "language", "retrain"],
    data=data,
    epochs=plan.epochs,
)

# %% [markdown] lang="ko"
# <details><summary>답</summary>
#
# 처음 낮추는 에포크는 22로 당겨지고, 12번 낮춥니다. 에포크 20의 최고 기록 뒤로 21, 22 두 에포크만
# 흔들려도 충분하기 때문입니다. `patience`가 작으면 빨리 반응하지만 잡음에도 반응합니다. 심화
# 노트북이 이 숫자를 확인합니다.
#
# </details>
#
# **더 해 보기:** 리플레이는 감소가 곡선을 어떻게 바꾸는지 보여 주지 못합니다. `overfit`을 고르고
# `patience`를 2로 둔 채 "다시 학습(Retrain)" 버튼을 누르면, 같은 설정으로 실제로 학습해 그 결과를
# 실행(run) 목록에 넣습니다. 가장 낮은 `val_loss`가 리플레이보다 낮아졌나요?

# %% [markdown] lang="en"
# <details><summary>Answer</summary>
#
# The first cut moves up to epoch 22, and it cuts 12 times: after the best at epoch 20, a wobble of
# two epochs, 21 and 22, is enough. A small `patience` reacts fast, and to noise too. The deep dive
# checks these numbers.
#
# </details>
#
# **If you finish early:** a replay cannot show what a cut does to the curve. Pick `overfit`, keep
# `patience` at 2 and press Retrain: it trains for real with these settings and adds the run to the
# run list. Is its lowest `val_loss` lower than the replay's?

# %% [markdown] lang="ko"
# ## 질문
#
# 1. 노트는 `patience=10`이면 "학습률이 10 에포크 동안 그대로일 때" 낮춘다고 했습니다. `patience`가
#    실제로 세는 것은 무엇이고, `plateau` 기록의 1~28번째 에포크에서는 왜 한 번도 낮추지 않았나요?
# 2. 처음 학습률이 3e-3이고 `factor=0.3`이면 세 번 낮춘 뒤의 학습률은 얼마인가요? `min_lr=1e-4`이면요?
# 3. 낮춘 뒤 대기는 0이 되지만 최고 기록은 그대로입니다. 끝나지 않는 정체 구간에서는 어떤 일이
#    생기고, 무엇이 그것을 멈추나요?
# 4. 여러분의 `val_loss`가 에포크마다 0.01쯤 오르내린다면 `patience`를 늘리겠습니까,
#    `min_delta`를 늘리겠습니까, 아니면 `ReduceLROnPlateau`를 쓰지 않겠습니까? 이유는요?
# 5. 실제 학습에서 학습률 감소는 `val_loss`에서 무엇을 얻었고, 무엇은 막지 못했나요?
#
# 다음: **03 EarlyStopping**

# %% [markdown] lang="en"
# ## Questions
#
# 1. The notes say `patience=10` cuts the learning rate "when it has not changed for 10 epochs".
#    What does `patience` count instead, and why was nothing cut in epochs 1 to 28 of `plateau`?
# 2. Starting at 3e-3 with `factor=0.3`, what is the learning rate after three cuts? With
#    `min_lr=1e-4`?
# 3. A cut sends the wait back to 0 but keeps `best`. What happens on a plateau that never ends,
#    and what stops it?
# 4. Your `val_loss` wobbles up and down by about 0.01 from epoch to epoch. Would you raise
#    `patience`, raise `min_delta`, or leave `ReduceLROnPlateau` out? Why?
# 5. In the real run, what did the cut buy in `val_loss`, and what did it not prevent?
#
# Next: **03 EarlyStopping**
