# %% [markdown] lang="ko"
# # 03. EarlyStopping: 언제, 왜 멈추는가
#
# `EarlyStopping`은 지켜보는 지표(`monitor`)가 더 나아지지 않으면 학습을 일찍 끝내는 콜백입니다.
# 이런 기법을 조기 종료(early stopping)라고 합니다. 노트에는 이렇게 적혀 있습니다.
#
# > specifical epochs 동안 performance가 개선되지 않을 시 learning을 조기에 stop
#
# 큰 줄기는 맞습니다. 과적합(overfitting)이 시작되면 학습 손실은 계속 줄어도 검증 손실은 다시
# 커집니다. 그 뒤의 에포크는 시간만 쓰고 모델을 나쁘게 만들므로, 검증 손실이 바닥을 지나면 멈추는
# 것입니다.
#
# 이 레슨을 마치면 다음을 할 수 있습니다.
#
# 1. `val_loss` 곡선과 `patience`만 보고 학습이 몇 번째 에포크에서 멈출지 예측합니다. 직전
#    에포크가 아니라 최고 기록(best)과 비교합니다.
# 2. 멈춘 뒤 모델에 어떤 가중치(weights)가 남는지 말하고, `restore_best_weights=True`로 최고 기록의
#    가중치를 되돌립니다.
# 3. 같은 설정으로 콜백 없이 학습한 결과와 비교해, 조기 종료가 아낀 에포크와 지킨 `val_loss`를
#    숫자로 말합니다.
#
# 세부 동작(오타, `patience=0`, `min_delta`, `mode`, 멈추지 않아도 일어나는 복원, `baseline`,
# `start_from_epoch`, 첫 값이 NaN일 때의 함정)은 선택 사항인
# [심화 노트북](03_early_stopping_deep_dive.ipynb)에 있습니다.

# %% [markdown] lang="en"
# # 03. EarlyStopping: when it stops, and why
#
# `EarlyStopping` is the callback that ends training early once the monitored metric (the
# monitor) stops improving; the technique is called early stopping. The notes put it like this:
#
# > If performance does not improve during specific epochs, stop learning early.
#
# That is the gist. Once overfitting sets in, the training loss keeps falling while the validation
# loss climbs again; the epochs after that cost time and make the model worse, so training stops
# once the validation loss has passed its lowest point.
#
# After this lesson you can:
#
# 1. predict the epoch at which training stops from a `val_loss` curve and `patience`, comparing
#    with the best so far, not with the previous epoch;
# 2. say which weights the model holds after a stop, and get the best epoch's back with
#    `restore_best_weights=True`;
# 3. say in numbers what early stopping saved (epochs) and kept (`val_loss`), against the same run
#    without the callback.
#
# The details (the typo, `patience=0`, `min_delta`, `mode`, a restore without a stop, `baseline`,
# `start_from_epoch`, the trap of a NaN first value) are in the optional
# [deep dive](03_early_stopping_deep_dive.ipynb).

# %% [markdown] lang="ko"
# ## 시작하기
#
# 언어를 정하고 이 컴퓨터의 장치(device)를 확인합니다. `replay`는 기록해 둔 학습의 에포크별 로그를
# 실제로 학습하지 않고 진짜 Keras 콜백에 차례로 넘기는 cbteach 함수입니다.

# %% [markdown] lang="en"
# ## Getting started
#
# Pick the language and check this computer's device. `replay` hands a recorded run's per-epoch
# logs, one epoch after another, to real Keras callbacks, without training.

# %%
# NBVAL_IGNORE_OUTPUT
LANGUAGE = "en"

import cbteach

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from cbteach import predictions, recorded, workbook
from cbteach.replay import replay

plan = workbook.start(LANGUAGE)

# %% [markdown] lang="ko"
# ## 에포크마다 하는 일
#
# `EarlyStopping`은 에포크가 끝날 때마다 한 번씩 불려서 다음 일을 합니다.
#
# 1. 로그에서 `monitor` 값을 읽습니다. 기본값은 `"val_loss"`입니다.
# 2. 지금까지의 최고 기록 `best`와 비교합니다. 직전 에포크가 아니라 **최고 기록**과 비교합니다.
# 3. 나아졌으면 `best`를 바꾸고 대기 `wait`를 0으로 되돌립니다. 나아지지 않았으면 `wait`를 1 늘립니다.
# 4. `wait >= patience`가 되면 그 에포크를 마친 뒤 학습을 멈춥니다.
#
# 노트는 `patience`를 이렇게 설명합니다.
#
# > patience = 10 이면 epoch가 10회 iteration 할 동안 loss 개선이 없으면 Early Stopping
#
# 거의 맞습니다. 다만 세는 것은 **연속으로** 개선이 없었던 에포크이고, 지켜보는 값은 손실이 아니라
# `monitor`로 정한 지표(metric)입니다.

# %% [markdown] lang="en"
# ## What happens at each epoch
#
# `EarlyStopping` is called once at the end of every epoch, and each time it:
#
# 1. reads the `monitor` value (default `"val_loss"`) from the logs;
# 2. compares it with `best`, the **best value so far**, not with the previous epoch;
# 3. if the value is better, makes it the new `best` and sets the wait counter `wait` back to 0;
#    if not, adds 1 to `wait`;
# 4. once `wait >= patience`, stops training after that epoch.
#
# The notes describe `patience` like this:
#
# > With patience = 10, if the loss does not improve for 10 epoch iterations, Early Stopping.
#
# Nearly right: it counts epochs without improvement **in a row**, and the value it watches is
# whatever `monitor` names, not necessarily the loss.

# %% [markdown] lang="ko"
# ## 예측: 몇 번째 에포크에서 멈출까
#
# 00 레슨에서 본 `overfit` 기록(recorded run)은 MLP를 콜백 없이 100 에포크 학습하면서 남긴 로그입니다.
# 처음 12 에포크의 `val_loss`입니다.

# %% [markdown] lang="en"
# ## Predict: where does it stop?
#
# The `overfit` recording from lesson 00 holds the logs of an MLP trained for 100 epochs without
# callbacks. Its `val_loss` over the first 12 epochs:

# %%
# NBVAL_CHECK_OUTPUT
overfit = recorded.load("overfit")
overfit.to_frame().loc[1:12, ["val_loss"]].round(4)

# %% [markdown] lang="ko"
# 이 기록에 `EarlyStopping(patience=3)` 콜백을 붙이면 몇 번째 에포크를 마친 뒤 멈출까요? `...` 자리에
# 에포크 번호를 적고 셀을 실행하세요.

# %% [markdown] lang="en"
# With `EarlyStopping(patience=3)` on this recording, after which epoch does training stop? Write
# the epoch number in place of `...` and run the cell.

# %%
# NBVAL_CHECK_OUTPUT
predictions.check("es_stop", ...)

# %% [markdown] lang="ko"
# 이제 리플레이(replay)로 진짜 Keras `EarlyStopping`의 판단을 봅니다. 모델을 학습하지는 않지만,
# cbteach의 `EarlyStopping`은 Keras 클래스에 기록 기능만 더한 것이라 판단은 Keras가 내립니다.
# `explain()` 메서드는 에포크마다 한 줄씩 씁니다.

# %% [markdown] lang="en"
# Now the replay, with real Keras deciding: nothing is trained, but cbteach's `EarlyStopping` is
# the Keras class plus a recorder. `explain()` writes one line per epoch:

# %%
# NBVAL_CHECK_OUTPUT
early = cbteach.EarlyStopping(monitor="val_loss", patience=3)
replayed = replay(overfit, [early])
print(replayed.events.explain())

# %% [markdown] lang="ko"
# 읽는 법은 이렇습니다.
#
# - 최고 기록은 에포크 7의 0.2148입니다. 에포크 5는 나빠졌지만(대기 1) 에포크 6에서 다시 최고
#   기록이 나와 대기가 0으로 돌아갔습니다. "연속으로"가 바로 이 뜻입니다.
# - 에포크 10의 0.2224는 에포크 9의 0.2264보다 낮습니다. 그래도 최고 기록 0.2148보다는 높으니
#   개선이 아니고, 대기는 3/3이 됩니다. 직전 에포크가 아니라 최고 기록과 비교하기 때문입니다.
# - 그래서 에포크 10(= 최고 기록 에포크 7 + `patience` 3)을 마친 뒤 학습이 멈춥니다. 기록에는
#   100 에포크가 있지만 리플레이는 에포크 10에서 끝났습니다.

# %% [markdown] lang="en"
# How to read it:
#
# - The best is epoch 7, at 0.2148. Epoch 5 got worse (wait 1), but epoch 6 set a new best and
#   the wait went back to 0: that is what "in a row" means.
# - Epoch 10's 0.2224 is lower than epoch 9's 0.2264, yet it is still above the best, 0.2148, so
#   it is no improvement and the wait reaches 3/3. The comparison is with the best, not with the
#   previous epoch.
# - So training stops after epoch 10 (= best epoch 7 + `patience` 3). The recording has 100
#   epochs; the replay ended at 10.

# %% [markdown] lang="ko"
# ## 멈춘 뒤 남는 가중치
#
# 학습이 멈추면 모델에는 **마지막** 에포크의 가중치가 남습니다. 위의 예라면 과적합이 세 에포크 더
# 진행된 에포크 10의 가중치이지, 최고 기록 에포크 7의 가중치가 아닙니다.
# `restore_best_weights=True`를 주면 학습이 끝날 때 최고 기록 에포크의 가중치로 되돌립니다. 이것을
# 복원(restore)이라고 합니다.
#
# 이제 실제로 학습해서 확인합니다. 설정은 00 레슨과 같습니다(MLP, 학습률 3e-3, 배치 크기 32). 같은
# 시드(seed)로 먼저 콜백 없이(`no_callbacks`) 한 번 학습하고, 그다음
# `EarlyStopping(patience=3, restore_best_weights=True)` 콜백을 붙여 한 번 더 학습합니다. `explain=True`라서
# 에포크마다 판단이 한 줄씩 나오고, `live=True`라서 학습하는 동안 타임라인(timeline)이 다시 그려집니다.
# 샘플 데이터라면 최고 기록은 에포크 7 무렵, 멈추는 곳은 에포크 10 무렵입니다. GPU 계획은 MNIST
# 전체로 학습하므로 곡선이 다르고, 숫자는 컴퓨터마다 조금씩 다를 수 있습니다.

# %% [markdown] lang="en"
# ## The weights left after a stop
#
# When training stops, the model holds the **last** epoch's weights: above, epoch 10's, three
# epochs further into overfitting, not those of the best epoch, 7. With
# `restore_best_weights=True` the best epoch's weights are put back (restored) when training ends.
#
# Now check it on real training, with lesson 00's settings (the MLP, learning rate 3e-3, batch size
# 32). With the same seed, train once without callbacks (`no_callbacks`), then once with
# `EarlyStopping(patience=3, restore_best_weights=True)`. With `explain=True` each epoch's decision
# is printed, and with `live=True` the timeline is redrawn while it trains. On the sample data
# expect the best near epoch 7 and a stop near epoch 10; the GPU plan trains on full MNIST, whose
# curve differs, and the numbers may differ a little from one computer to another.

# %%
# NBVAL_IGNORE_OUTPUT
from cbteach.data import load_mnist
from cbteach.plots import plot_compare
from cbteach.training import train

data = load_mnist(plan.source, seed=plan.seed)
no_callbacks = train([], data=data, name="no_callbacks", **plan.train_args)
early = cbteach.EarlyStopping(
    monitor="val_loss", patience=3, restore_best_weights=True, explain=True
)
run = train([early], data=data, name="EarlyStopping", live=True, **plan.train_args)

# %% [markdown] lang="ko"
# 타임라인의 빨간 세로선은 학습을 멈춘 에포크, 별은 가중치를 복원한 최고 기록 에포크입니다. 아래
# 칸에서는 대기가 0으로 돌아갔다가 `patience`까지 쌓이는 모습을 볼 수 있습니다. 이제 두 학습을 한
# 그림에 그립니다.

# %% [markdown] lang="en"
# On the timeline, the red vertical line is the epoch where training stopped and the star the best
# epoch, whose weights were restored; the bottom panel shows the wait dropping back to 0, then
# piling up to `patience`. Now both runs in one figure:

# %%
plot_compare([no_callbacks, run])
plt.show()

# %% [markdown] lang="ko"
# 숫자로 비교합니다. 각 학습이 학습한 에포크 수와, 학습이 끝난 뒤 여러분 손에 남은 모델을 검증
# 데이터로 다시 평가한 `val_loss`입니다. 콜백 없는 모델은 마지막 에포크의 가중치를, 조기 종료한 모델은 복원한
# 에포크의 가중치를 들고 있습니다.

# %% [markdown] lang="en"
# In numbers: the epochs each run trained, and the `val_loss` of the model each run leaves in your
# hands, evaluated again on the validation data. The run without callbacks holds its last epoch's
# weights; the early-stopped one holds the restored epoch's.

# %%
# NBVAL_IGNORE_OUTPUT
def held_val_loss(trained):
    return trained.model.evaluate(data.x_val, data.y_val, batch_size=plan.batch_size, verbose=0)[0]


pd.DataFrame(
    {
        "epochs": [no_callbacks.epochs, run.epochs],
        "restored_epoch": [None, run.restored_epoch],
        "val_loss_held": [held_val_loss(no_callbacks), held_val_loss(run)],
    },
    index=["no_callbacks", "EarlyStopping"],
).round(4)

# %% [markdown] lang="ko"
# 조기 종료한 학습은 `no_callbacks`보다 적은 에포크만 학습했고, 여러분 손에 남은 모델의 `val_loss`도
# 더 낮습니다. 2코어 CPU에서 샘플 데이터로 학습했을 때는 15 에포크 대신 10 에포크를 학습했고, 남은
# 모델의 `val_loss`는 0.2381 대신 0.2148이었습니다. 더 학습한 에포크는 시간을 쓰고 모델을 나쁘게
# 만들었을 뿐입니다. 복원이 정말
# 일어났는지도 확인합니다. 복원한 에포크는 `val_loss`가 가장 낮은 에포크여야 하고, 모델을 다시
# 평가한 값은 그 에포크의 `val_loss`여야 합니다. 어느 컴퓨터에서든 둘 다 `True`입니다.

# %% [markdown] lang="en"
# Early stopping trained fewer epochs than `no_callbacks`, and the model it leaves you has the lower
# `val_loss` (with the sample data on a 2-core CPU: 10 epochs instead of 15, and 0.2148 instead of
# 0.2381): the extra epochs cost time and only made the model worse. Check that the restore
# really happened: the restored epoch must be the one with the lowest `val_loss`, and evaluating the
# model again must give that epoch's `val_loss`. Both are `True` on any computer:

# %%
# NBVAL_CHECK_OUTPUT
frame = run.to_frame()
print(run.restored_epoch == int(frame["val_loss"].idxmin()))
print(bool(np.isclose(held_val_loss(run), frame["val_loss"].min(), rtol=1e-4)))

# %% [markdown] lang="ko"
# ## 직접 움직여 보기
#
# 아래 `Playground`는 슬라이더를 움직일 때마다 기록된 학습 곡선 위에서 진짜 `EarlyStopping`을 다시
# 돌려 그림과 설명을 바꿉니다. 처음 화면은 `overfit` 기록, `patience=5`입니다.
#
# **질문:** `patience`를 넣지 않으면 기본값 0이 쓰입니다. `patience`를 0으로 두면 몇 번째
# 에포크에서 멈출까요? 1이면요? 답을 적어 두고 나서 슬라이더를 옮겨 확인하세요.

# %% [markdown] lang="en"
# ## Try it yourself
#
# The `Playground` below replays the recorded curves through a real `EarlyStopping` every time a
# slider moves, and redraws the plot and the explanation. It opens on `overfit` with `patience=5`.
#
# **Question:** leave `patience` out and it is 0, the default. Where does `patience=0` stop? And
# `patience=1`? Write your answers down, then move the slider and check.

# %%
# NBVAL_IGNORE_OUTPUT
from cbteach.widgets import Playground

Playground(
    ["overfit", "accuracy"],
    callbacks=["EarlyStopping"],
    controls=[
        "run",
        "monitor",
        "mode",
        "es_patience",
        "es_min_delta",
        "restore_best_weights",
        "start_from_epoch",
        "baseline",
        "language",
    ],
)

# %% [markdown] lang="ko"
# <details><summary>답</summary>
#
# 둘 다 에포크 5에서 멈춥니다. 멈추는 조건이 `wait >= patience`이고, 개선 없는 첫 에포크에서 대기가
# 이미 1이 되기 때문입니다. 그래서 `patience`를 빼먹으면 한 번 흔들리는 것만으로 학습이 끝나고, 최고
# 기록 에포크 7은 오지도 못합니다. 심화 노트북이 이것을 확인합니다.
#
# </details>

# %% [markdown] lang="en"
# <details><summary>Answer</summary>
#
# Both stop at epoch 5. The test is `wait >= patience`, and the first epoch without improvement
# already makes the wait 1. So leaving `patience` out ends training at the first wobble, before the
# best epoch, 7, ever comes. The deep dive checks this.
#
# </details>

# %% [markdown] lang="ko"
# ## 질문
#
# 1. `overfit`에서 에포크 10의 `val_loss`는 에포크 9보다 낮은데도 왜 대기가 늘었나요?
# 2. `patience=3`인 학습이 멈췄을 때, `restore_best_weights`가 `False`이면 모델에는 어느 에포크의
#    가중치가 남나요? `True`이면요?
# 3. 여러분의 실제 학습에서 조기 종료는 몇 에포크를 아꼈고, 손에 남은 모델의 `val_loss`는 콜백
#    없을 때보다 얼마나 낮았나요?
# 4. 조기 종료를 쓰지 **않는** 편이 나은 경우는 언제일까요? 예를 들어 `ReduceLROnPlateau`가 학습률을
#    낮춘 뒤 `val_loss`가 다시 나아질 수 있다면, `patience`를 어떻게 잡겠습니까?
#
# 다음: **04 세 콜백 함께 쓰기**

# %% [markdown] lang="en"
# ## Questions
#
# 1. On `overfit`, epoch 10's `val_loss` is lower than epoch 9's. Why did the wait still grow?
# 2. When a `patience=3` run stops, which epoch's weights does the model hold with
#    `restore_best_weights=False`? With `True`?
# 3. In your real run, how many epochs did early stopping save, and how much lower is the
#    `val_loss` of the model you hold than without the callback?
# 4. When would you rather **not** stop early? For instance, if `val_loss` may improve again after
#    `ReduceLROnPlateau` lowers the learning rate, how would you set `patience`?
#
# Next: **04 All three together**
