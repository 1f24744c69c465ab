# %% [markdown] lang="ko"
# # 05. 실습 문제: 직접 설정을 찾고 확인 셀로 점검하기
#
# 01–04 레슨에서 세 콜백(callback)이 언제, 왜 동작하는지 살펴봤습니다. 이번에는 직접 설정을 고쳐
# 봅니다. 문제는 다섯 개이고, 모두 같은 순서로 풉니다.
#
# 1. **문제**를 읽습니다.
# 2. **시작 셀**을 고칩니다. 그대로 실행해도 돌아가지만, 설정이 틀렸거나 덜 채워져 있습니다.
# 3. **확인 셀**을 실행합니다. `exercises.check_...` 함수가 여러분의 콜백을 실제 Keras로 돌려 보고,
#    항목마다 ✓(맞음) 또는 ✗(고칠 곳)를 한 줄씩 보여 줍니다. 답이 틀려도 오류 메시지(traceback)가
#    쏟아지지 않고, 무엇을 고치면 되는지 문장으로 알려 줍니다. 모든 줄이 ✓가 될 때까지 2와 3을
#    되풀이하세요.
# 4. 막히면 접혀 있는 **힌트**를 눌러 펼칩니다. 먼저 직접 풀어 보세요. 풀이는 학습자 노트북이 아니라
#    강사의 답안지(answer key)에 있습니다. 혼자 공부한다면 `cbteach lessons 폴더 --answers`로
#    답안지를 받을 수 있습니다.
#
# 문제 1–4는 학습을 하지 않습니다. 00 레슨에서 소개한 기록(recorded run) 위에서 여러분의 콜백을
# 리플레이(replay)해서 판정하므로, 결과가 바로 나오고 누구에게나 같습니다. 문제 5만 실제로
# 학습합니다.

# %% [markdown] lang="en"
# # 05. Exercises: find the settings yourself and check them
#
# Lessons 01–04 showed when and why the three callbacks act. Now you set them yourself. There are
# five exercises, all worked the same way:
#
# 1. Read the **task**.
# 2. Edit the **starter cell**. It runs as it is, but its settings are wrong or unfinished.
# 3. Run the **check cell**. An `exercises.check_...` function runs your callbacks on real Keras
#    and prints one line per point: ✓ (right) or ✗ (to fix). A wrong answer never ends in a
#    traceback; the line says what to change. Repeat 2 and 3 until every line is a ✓.
# 4. Stuck? Click a folded **hint** to open it, after you have tried yourself. The solutions are
#    in the teacher's answer key, not in the learners' notebooks; studying alone, get it with
#    `cbteach lessons FOLDER --answers`.
#
# Exercises 1–4 do no training: the checks replay your callbacks over the recorded runs introduced
# in lesson 00, so the verdict comes at once and is the same for everyone. Only exercise 5 trains
# for real.

# %% [markdown] lang="ko"
# ## 시작하기
#
# 늘 그렇듯 첫 셀에서 언어를 정하고, 장치(device)를 확인하고, 학습 규모를 고릅니다. 문제 5에서는
# 이 계획(`plan`)대로 학습합니다.

# %% [markdown] lang="en"
# ## Getting started
#
# As always, the first cell sets the language, checks the device and picks how much to train.
# Exercise 5 trains with this `plan`.

# %%
# NBVAL_IGNORE_OUTPUT
LANGUAGE = "en"

import cbteach

import keras
import matplotlib.pyplot as plt

from cbteach import exercises, recorded, workbook
from cbteach.data import load_mnist
from cbteach.plots import plot_run
from cbteach.training import train

plan = workbook.start(LANGUAGE)

# %% [markdown] lang="ko"
# ## 문제에 쓰는 기록
#
# 문제 1–4는 cbteach에 들어 있는 기록 세 개를 씁니다.
#
# | 기록 | 에포크(epoch) | 어떤 곡선인가 | 쓰는 문제 |
# |---|---|---|---|
# | `overfit` | 100 | MLP, 학습률(learning rate) 3e-3. `val_loss`가 에포크 7에서 가장 낮고 그 뒤로 과적합(overfitting) | 1, 4 |
# | `plateau` | 60 | CNN, 학습률 1e-3. `val_loss`가 천천히 내려가다 후반에 제자리걸음 | 2 |
# | `accuracy` | 60 | CNN, 학습률 5e-4. `val_accuracy`가 계단처럼 조금씩 오름 | 3 |
#
# 아래 표는 `overfit` 기록의 처음 14 에포크입니다. 문제 1과 4에서 다시 보게 됩니다.

# %% [markdown] lang="en"
# ## The recordings the exercises use
#
# Exercises 1–4 use three recordings that ship with cbteach:
#
# | Recording | Epochs | What the curve does | Used in |
# |---|---|---|---|
# | `overfit` | 100 | MLP, learning rate 3e-3: `val_loss` is lowest at epoch 7, then the model overfits | 1, 4 |
# | `plateau` | 60 | CNN, learning rate 1e-3: `val_loss` creeps down, then marks time | 2 |
# | `accuracy` | 60 | CNN, learning rate 5e-4: `val_accuracy` climbs in small steps | 3 |
#
# The table holds the first 14 epochs of `overfit`; exercises 1 and 4 come back to it.

# %%
# NBVAL_CHECK_OUTPUT
overfit = recorded.load("overfit")
plateau = recorded.load("plateau")
accuracy = recorded.load("accuracy")
print(overfit.epochs, plateau.epochs, accuracy.epochs)
overfit.to_frame().loc[1:14, ["loss", "val_loss"]].round(4)

# %%
plot_run(overfit)
plt.show()

# %% [markdown] lang="ko"
# ## 문제 1. `EarlyStopping`: 일찍 멈추되 최고 기록은 지키기
#
# `overfit` 기록에서 `val_loss`는 에포크 7에서 가장 낮고, 그 뒤로 100 에포크까지 한 번도 그보다
# 낮아지지 않습니다. 다음 조건을 모두 만족하는 `EarlyStopping`을 만드세요.
#
# - `val_loss`를 지켜봅니다.
# - 에포크 12가 되기 전에 학습을 멈춥니다.
# - 학습이 끝났을 때 모델에 에포크 7의 가중치(weights)가 들어 있습니다.
#
# 시작 셀의 설정은 조건에 맞지 않습니다. 먼저 확인 셀을 그대로 실행해서 어느 줄이 ✗인지 보고,
# 시작 셀을 고치세요.

# %% [markdown] lang="en"
# ## Exercise 1. `EarlyStopping`: stop early, keep the best
#
# On the `overfit` recording, `val_loss` is lowest at epoch 7 and never gets that low again in
# 100 epochs. Build an `EarlyStopping` that does all of this:
#
# - it watches `val_loss`;
# - it stops training before epoch 12;
# - when training ends, the model holds the weights of epoch 7.
#
# The starter settings do not meet the task. Run the check cell as it is first, see which lines
# are ✗, then edit the starter cell.

# %%
es_answer = cbteach.EarlyStopping(monitor="val_loss", patience=10)

# %%
# NBVAL_IGNORE_OUTPUT
exercises.check_early_stopping(es_answer)

# %% [markdown] lang="ko" solution=true
# <details><summary>풀이</summary>
#
# ```python
# es_answer = cbteach.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
# ```
#
# `patience=3`이면 에포크 8, 9, 10에서 `val_loss`가 에포크 7의 최고 기록(best)보다 나아지지 않아
# 대기(wait)가 1, 2, 3으로 늘고, 에포크 10에서 학습을 멈춥니다. `restore_best_weights=True`가 있어야
# 학습이 끝날 때 에포크 7의 가중치로 되돌아갑니다. 이 인자(argument)를 빼면 모델에는 마지막 에포크의
# 가중치가 남습니다.
#
# `patience`는 2, 3, 4 가운데 무엇이든 정답입니다(멈추는 에포크는 9, 10, 11). `patience=1`은 에포크
# 5에서 `val_loss`가 한 번 올라간 것만 보고 멈춰서 에포크 7까지 가지 못하고, 에포크 4를
# 복원(restore)합니다. `patience=5`부터는 에포크 12나 그 뒤에 멈춥니다. 인내(patience)와 대기의 규칙은
# 03 레슨에 자세히 나옵니다.
# </details>

# %% [markdown] lang="en" solution=true
# <details><summary>Solution</summary>
#
# ```python
# es_answer = cbteach.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
# ```
#
# With `patience=3`, epochs 8, 9 and 10 do not beat the best `val_loss` of epoch 7, so the wait
# goes 1, 2, 3 and training stops at epoch 10. Only `restore_best_weights=True` puts epoch 7's
# weights back when training ends; without it the model keeps the last epoch's weights.
#
# `patience` 2, 3 or 4 all pass (they stop at epochs 9, 10 and 11). `patience=1` stops at epoch 5,
# when `val_loss` goes up once, never reaches epoch 7 and restores epoch 4. From `patience=5` on,
# training stops at epoch 12 or later. Lesson 03 has the rules of patience and wait in detail.
# </details>

# %% [markdown] lang="ko"
# ## 문제 2. `ReduceLROnPlateau`: 두 번 이상 낮추되 바닥은 지키기
#
# 노트는 `ReduceLROnPlateau`에 `patience=10`을 줍니다. 60 에포크짜리 `plateau` 기록에서 이 설정이
# 학습률을 몇 번 낮추는지 확인 셀로 먼저 보세요. 그런 다음 아래 조건을 모두 만족하도록 고치세요.
#
# - `val_loss`를 지켜봅니다.
# - 60 에포크 안에 학습률을 두 번 이상 낮춥니다.
# - 마지막으로 낮춘 값까지 포함해, 학습률이 1e-5 아래로 내려가지 않습니다.
#
# 리플레이는 기록된 곡선 위에서 콜백이 무엇을 할지 보여 줄 뿐입니다. 실제로 학습률을 낮추면 그
# 뒤의 곡선도 달라지지만, 여기서는 콜백의 판단 규칙만 연습합니다.

# %% [markdown] lang="en"
# ## Exercise 2. `ReduceLROnPlateau`: cut at least twice, but keep a floor
#
# The notes give `ReduceLROnPlateau` a `patience=10`. Run the check cell first to see how often
# that cuts the learning rate on the 60-epoch `plateau` recording. Then change the settings so
# that all of this holds:
#
# - it watches `val_loss`;
# - it cuts the learning rate at least twice within the 60 epochs;
# - the learning rate never goes below 1e-5, counting the value after the last cut.
#
# A replay shows what the callback would do on the recorded curve. In real training a lower
# learning rate changes the rest of the curve; here you practise the callback's rules only.

# %%
rlr_answer = cbteach.ReduceLROnPlateau(monitor="val_loss", factor=0.1, patience=10)

# %%
# NBVAL_IGNORE_OUTPUT
exercises.check_lr_plateau(rlr_answer)

# %% [markdown] lang="ko" solution=true
# <details><summary>풀이</summary>
#
# ```python
# rlr_answer = cbteach.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=3, min_lr=1e-5)
# ```
#
# `patience=3`이면 에포크 31, 34, 45에서 학습률을 낮춥니다. `factor=0.2`라서 1e-3 → 2e-4 → 4e-5로
# 내려가고, 세 번째에는 8e-6이 될 차례지만 `min_lr=1e-5`에 막혀 1e-5에서 멈춥니다. 그 뒤로는 인내를
# 다 써도(`at_min_lr`) 더 낮추지 않습니다. 학습률이 이미 최소 학습률(`min_lr`)에 닿아 있으면 대기를
# 0으로 되돌리지 않으므로, `at_min_lr` 판단이 에포크 52, 53처럼 연달아 나옵니다.
#
# `min_lr` 없이 `factor=0.1, patience=6`으로 두어도 확인을 통과합니다. 이 곡선에서는 에포크 34와
# 48에서 딱 두 번 낮추고 1e-5에서 끝나기 때문입니다. 하지만 이것은 우연입니다. 학습이 더 길어져 세
# 번째로 낮추면 1e-6이 됩니다. 바닥을 지켜 주는 것은 `min_lr`입니다. 02 레슨에서 `factor`,
# `patience`, `min_lr`을 하나씩 다룹니다.
# </details>

# %% [markdown] lang="en" solution=true
# <details><summary>Solution</summary>
#
# ```python
# rlr_answer = cbteach.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=3, min_lr=1e-5)
# ```
#
# With `patience=3`, the learning rate is cut at epochs 31, 34 and 45. With `factor=0.2` it goes
# 1e-3 → 2e-4 → 4e-5; the third cut would give 8e-6, but `min_lr=1e-5` holds it at 1e-5. After
# that, patience runs out (`at_min_lr`) without any further cut. Once the learning rate sits at
# `min_lr` the wait is not set back to 0, so these decisions come on consecutive epochs, like 52
# and 53.
#
# `factor=0.1, patience=6` without any `min_lr` passes the check too: on this curve it cuts exactly
# twice, at epochs 34 and 48, and ends at 1e-5. That is luck. Train longer and the third cut takes
# it to 1e-6. The floor is what `min_lr` is for. Lesson 02 takes `factor`, `patience` and `min_lr`
# one at a time.
# </details>

# %% [markdown] lang="ko"
# ## 문제 3. `ModelCheckpoint`: 나아질 때마다 파일 하나씩
#
# `accuracy` 기록에서 `val_accuracy`가 최고 기록을 새로 쓸 때마다 체크포인트(checkpoint)를 남기려고
# 합니다. 조건은 다음과 같습니다.
#
# - 가중치만 저장합니다.
# - `val_accuracy`를 지켜보고, 최고 기록이 나아질 때만 저장합니다.
# - 나아질 때마다 파일이 따로 생겨야 합니다. 파일 이름에 에포크 번호를 넣어, 앞의 파일을 덮어쓰지
#   않게 하세요.
#
# 이번 시작 셀은 콜백을 바로 만들지 않고, 콜백을 만들어 돌려주는 **함수**입니다. Keras는 파일
# 이름이 설정과 맞지 않으면 콜백을 만드는 순간 오류를 냅니다. 함수로 넘기면 확인 셀이 그 오류를 대신
# 받아 ✗ 줄로 보여 줍니다. 리플레이는 파일을 실제로 쓰지 않으니 경로는 마음대로 정해도 됩니다.

# %% [markdown] lang="en"
# ## Exercise 3. `ModelCheckpoint`: one file per improvement
#
# On the `accuracy` recording, keep a checkpoint every time `val_accuracy` sets a new best:
#
# - save weights only;
# - watch `val_accuracy` and save only when the best improves;
# - every improvement gets its own file: put the epoch number in the file name, so that no file
#   overwrites an earlier one.
#
# This starter cell does not build the callback directly: it is a **function** that builds and
# returns it. Keras refuses a file name that does not fit the settings the moment the callback is
# built; passed as a function, the check catches that error and shows it as a ✗ line. A replay
# writes no file, so any path will do.

# %%
def checkpoint_answer():
    return cbteach.ModelCheckpoint("checkpoints/best.keras", monitor="val_loss")


# %%
# NBVAL_IGNORE_OUTPUT
exercises.check_checkpoint(checkpoint_answer)


# %% [markdown] lang="ko" solution=true
# <details><summary>풀이</summary>
#
# ```python
# def checkpoint_answer():
#     return cbteach.ModelCheckpoint(
#         "checkpoints/{epoch:02d}-{val_accuracy:.3f}.weights.h5",
#         monitor="val_accuracy",
#         save_best_only=True,
#         save_weights_only=True,
#     )
# ```
#
# 가중치만 저장할 때(`save_weights_only=True`) Keras 3에서는 파일 이름이 `.weights.h5`로 끝나야
# 합니다. `{epoch:02d}`는 1부터 세는 에포크 번호로 채워지므로 `07-0.936.weights.h5`처럼 파일마다
# 이름이 달라집니다. `{epoch}`가 없으면 19번 저장해도 파일은 하나만 남습니다.
#
# `mode`는 기본값(default) `"auto"`로 두면 됩니다. Keras가 `val_accuracy`를 클수록 좋은 값으로
# 알아봅니다. `mode="min"`으로 두면 정확도(accuracy)가 떨어질 때만 저장하므로 첫 에포크 뒤로는 파일이
# 하나도 생기지 않습니다. 에포크 17의 `val_accuracy`는 에포크 14와 같은 0.968입니다. 같은 값은 나아진
# 것이 아니라서 저장하지 않고, 에포크 18의 0.970에서 다시 저장합니다. 파일 이름 서식과
# `save_best_only`는 01 레슨에서 자세히 다룹니다.
# </details>

# %% [markdown] lang="en" solution=true
# <details><summary>Solution</summary>
#
# ```python
# def checkpoint_answer():
#     return cbteach.ModelCheckpoint(
#         "checkpoints/{epoch:02d}-{val_accuracy:.3f}.weights.h5",
#         monitor="val_accuracy",
#         save_best_only=True,
#         save_weights_only=True,
#     )
# ```
#
# For weights only (`save_weights_only=True`), Keras 3 accepts only a file name ending in
# `.weights.h5`. `{epoch:02d}` is filled with the 1-based epoch number, so each file gets its own
# name, like `07-0.936.weights.h5`. Without `{epoch}`, 19 saves leave a single file.
#
# `mode` can stay at its default `"auto"`: Keras knows that `val_accuracy` is better when larger.
# With `mode="min"` it saves only when the accuracy drops: no file after the first epoch. Epoch
# 17's `val_accuracy` equals epoch 14's, 0.968; an equal value is not an improvement, so nothing is
# saved until 0.970 at epoch 18. Lesson 01 covers file name formatting and `save_best_only` in
# detail.
# </details>

# %% [markdown] lang="ko"
# ## 문제 4. 동료의 세 콜백 고치기
#
# 동료가 `overfit` 기록과 같은 학습(학습률 3e-3)에 아래 세 콜백을 붙였습니다. 그런데 학습률은 한 번도
# 바뀌지 않았고, 학습이 끝난 모델도 최고 기록의 모델이 아니었습니다. 동료가 원한 것은 이렇습니다.
#
# - `val_loss`가 정체 구간(plateau)에 들어서면 먼저 학습률에 0.3을 곱해 보고, 낮춘 학습률로도
#   나아지지 않을 때 멈춥니다.
# - 학습이 끝나면 메모리의 모델과 가장 최근 체크포인트 파일이 모두 `val_loss`가 가장 낮은 에포크의
#   가중치를 갖습니다.
#
# 실수는 네 개인데, 어느 것도 오류를 내지 않습니다. Keras는 이 설정으로 아무 말 없이 학습합니다. 확인
# 셀은 고친 콜백을 `overfit` 기록 위에서 리플레이하고, 처음 찾은 문제 하나만 알려 줍니다. 고치고 다시
# 실행하세요. 04 레슨에서 한 생각을 새 설정에 적용하는 문제입니다.

# %% [markdown] lang="en"
# ## Exercise 4. Repair a colleague's three callbacks
#
# A colleague attached the three callbacks below to a training run like the `overfit` recording
# (learning rate 3e-3). The learning rate never changed, and the model they had after training was
# not the best one. What they wanted:
#
# - when `val_loss` reaches a plateau, first multiply the learning rate by 0.3, and stop only when
#   even the lower rate does not help;
# - when training ends, the model in memory and the newest checkpoint file both hold the weights of
#   the epoch with the lowest `val_loss`.
#
# There are four mistakes, and none raises an error: Keras trains with all of them without a word.
# The check replays your repaired callbacks on `overfit` and reports the first problem it finds:
# fix it and run it again. This is lesson 04's thinking, on a new configuration.

# %%
def team_answer():
    return [
        keras.callbacks.ModelCheckpoint(
            "checkpoints/{epoch:02d}.weights.h5",
            monitor="val_accuracy",
            save_best_only=True,
            save_weights_only=True,
        ),
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.3, patience=10, min_lr=1e-2),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=5),
    ]


# %%
# NBVAL_IGNORE_OUTPUT
exercises.check_team(team_answer)


# %% [markdown] lang="ko"
# <details><summary>힌트 1: 학습률이 한 번도 바뀌지 않는다</summary>
#
# Keras는 학습률이 최소 학습률(`min_lr`)보다 클 때만 낮춥니다. 시작 학습률과 `min_lr`을 비교해 보세요.
# </details>
#
# <details><summary>힌트 2: 낮출 차례가 오기 전에 멈춘다</summary>
#
# `EarlyStopping`은 학습률이 낮아져도 대기를 0으로 되돌리지 않습니다. 두 `patience` 가운데 어느 쪽이
# 커야 할까요? 04 레슨 2절을 떠올려 보세요.
# </details>
#
# <details><summary>힌트 3: 모델이 최고 기록의 모델이 아니다</summary>
#
# 학습이 끝날 때 최고 기록 에포크의 가중치로 되돌리는 인자는 기본값이 `False`입니다.
# </details>
#
# <details><summary>힌트 4: 파일과 모델의 에포크가 다르다</summary>
#
# `ModelCheckpoint`와 `EarlyStopping`이 각각 무엇을 지켜보는지 비교해 보세요.
# </details>

# %% [markdown] lang="en"
# <details><summary>Hint 1: the learning rate never changes</summary>
#
# Keras cuts only while the learning rate is above `min_lr`. Compare the starting learning rate
# with `min_lr`.
# </details>
#
# <details><summary>Hint 2: training stops before the cut comes</summary>
#
# `EarlyStopping` does not reset its wait when the learning rate drops. Which of the two `patience`
# values should be larger? Think back to section 2 of lesson 04.
# </details>
#
# <details><summary>Hint 3: the model is not the best one</summary>
#
# The argument that puts the best epoch's weights back when training ends defaults to `False`.
# </details>
#
# <details><summary>Hint 4: the file and the model are from different epochs</summary>
#
# Compare what `ModelCheckpoint` and `EarlyStopping` each watch.
# </details>

# %% [markdown] lang="ko" solution=true
# <details><summary>풀이</summary>
#
# ```python
# def team_answer():
#     return [
#         keras.callbacks.ModelCheckpoint(
#             "checkpoints/{epoch:02d}.weights.h5",
#             monitor="val_loss",
#             save_best_only=True,
#             save_weights_only=True,
#         ),
#         keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.3, patience=10, min_lr=1e-5),
#         keras.callbacks.EarlyStopping(monitor="val_loss", patience=20, restore_best_weights=True),
#     ]
# ```
#
# 1. `min_lr=1e-2`는 시작 학습률 3e-3보다 큽니다. Keras는 학습률이 `min_lr`보다 클 때만 낮추므로,
#    이 콜백은 아무 말 없이 한 번도 낮추지 않습니다. `min_lr`은 시작값보다 훨씬 작은 바닥입니다.
# 2. `EarlyStopping`의 `patience=5`가 `ReduceLROnPlateau`의 10보다 작아서, 에포크 12에서 멈춥니다.
#    `ReduceLROnPlateau`가 처음 낮출 에포크 17보다 앞섭니다. 10으로 같게 두면 낮추는 바로 그
#    에포크에 멈춥니다. 10보다 커야 하고, 20이면 낮춘 학습률로 10 에포크를 학습합니다.
# 3. `restore_best_weights`가 없으면 모델에는 멈춘 에포크의 가중치가 남습니다.
# 4. `ModelCheckpoint`가 `val_accuracy`를 지켜보면 파일은 `val_accuracy`가 가장 좋은 에포크 20의
#    것이고, 모델은 `val_loss`가 가장 낮은 에포크 7의 것입니다. 같은 monitor를 지켜봐야 둘이
#    맞아떨어집니다.
# </details>

# %% [markdown] lang="en" solution=true
# <details><summary>Solution</summary>
#
# ```python
# def team_answer():
#     return [
#         keras.callbacks.ModelCheckpoint(
#             "checkpoints/{epoch:02d}.weights.h5",
#             monitor="val_loss",
#             save_best_only=True,
#             save_weights_only=True,
#         ),
#         keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.3, patience=10, min_lr=1e-5),
#         keras.callbacks.EarlyStopping(monitor="val_loss", patience=20, restore_best_weights=True),
#     ]
# ```
#
# 1. `min_lr=1e-2` is above the starting learning rate, 3e-3. Keras cuts only while the learning
#    rate is above `min_lr`, so this callback silently never cuts. `min_lr` is a floor far below
#    the start.
# 2. `EarlyStopping`'s `patience=5` is smaller than `ReduceLROnPlateau`'s 10, so training stops at
#    epoch 12, before the first cut would come at epoch 17. Equal patiences stop at the very epoch
#    of the cut. It must be larger than 10; with 20, 10 epochs train at the lower rate.
# 3. Without `restore_best_weights` the model keeps the weights of the epoch where it stopped.
# 4. With `ModelCheckpoint` on `val_accuracy`, the file is from epoch 20, the best `val_accuracy`,
#    and the model from epoch 7, the lowest `val_loss`. Only the same monitor makes them agree.
# </details>

# %% [markdown] lang="ko"
# ## 문제 5. 실제 학습: 내 손에 있는 모델이 정말 최고 기록의 모델인가
#
# 마지막 문제는 실제로 학습합니다. 학습이 끝난 뒤 다음 두 가지가 모두 참이 되게 하세요.
#
# - 메모리에 있는 모델(`run.model`)이 이번 학습에서 `val_loss`가 가장 낮았던 에포크의 모델입니다.
# - 마지막으로 저장된 체크포인트 파일에도 같은 모델이 들어 있습니다.
#
# 확인 함수는 `EarlyStopping`이 어느 에포크를 복원했다고 하는지 보는 데서 그치지 않습니다.
# 메모리의 모델과 파일에서 다시 불러온 모델을 검증 데이터(validation data)로 직접 평가해서,
# 히스토리(history)의 최고 `val_loss`와 같은지 확인합니다.
#
# 시작 셀은 `EarlyStopping` 하나로 학습합니다. 학습은 계획(`plan`)대로 돌고, 빠른 모드에서는 몇
# 초면 끝납니다. 파일을 저장한다면 `answer_folder` 안에 두세요. 셀을 실행할 때마다 새로 만드는
# `run-N` 폴더라서 앞서 시도한 파일과 섞이지 않습니다.

# %% [markdown] lang="en"
# ## Exercise 5. Real training: is the model in your hands really the best one?
#
# The last exercise trains for real. When training ends, both of these must be true:
#
# - the model in memory (`run.model`) is the model of the epoch with this run's lowest `val_loss`;
# - the last checkpoint file saved holds that same model.
#
# The check does not stop at which epoch `EarlyStopping` says it restored: it evaluates the model
# in memory, and the model loaded back from the file, on the validation data, and compares both
# with the best `val_loss` in the history.
#
# The starter cell trains with a single `EarlyStopping`. Training follows the `plan`; in fast mode
# it takes a few seconds. If you save files, put them in `answer_folder`: a new `run-N` folder
# each time the cell runs, so earlier attempts' files never mix in.

# %%
# NBVAL_IGNORE_OUTPUT
data = load_mnist(plan.source, seed=plan.seed)

# %%
# NBVAL_IGNORE_OUTPUT
answer_folder = workbook.output_folder("05_exercises")
trained_answer = train(
    [cbteach.EarlyStopping(monitor="val_loss", patience=3)],
    data=data,
    **plan.train_args,
)

# %%
# NBVAL_IGNORE_OUTPUT
exercises.check_trained(trained_answer, data)

# %% [markdown] lang="ko" solution=true
# <details><summary>풀이</summary>
#
# ```python
# answer_folder = workbook.output_folder("05_exercises")
# trained_answer = train(
#     [
#         cbteach.ModelCheckpoint(
#             str(answer_folder / "{epoch:02d}.weights.h5"),
#             monitor="val_loss",
#             save_best_only=True,
#             save_weights_only=True,
#         ),
#         cbteach.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True),
#     ],
#     data=data,
#     **plan.train_args,
# )
# ```
#
# `restore_best_weights=True`가 없으면 모델에는 학습을 멈춘 에포크의 가중치가 남습니다.
# `EarlyStopping`은 최고 기록이 나온 뒤 `patience` 에포크가 지나서 멈추므로, 그 모델을 검증 데이터로
# 평가한 `val_loss`는 히스토리의 최고 기록보다 나쁩니다. 파일 쪽은 `save_best_only=True`가
# 핵심입니다. `val_loss`가 나아질 때만 저장하므로 마지막 파일이 바로 최고 기록 에포크의 파일이고,
# `EarlyStopping`이 복원한 에포크와 같습니다. 두 콜백이 같은 `monitor`를 지켜봐야 이 둘이
# 맞아떨어집니다. `save_best_only=False`로 두면 마지막 파일은 학습을 멈춘 에포크의 것이라 메모리의
# 모델과 다릅니다.
# </details>

# %% [markdown] lang="en" solution=true
# <details><summary>Solution</summary>
#
# ```python
# answer_folder = workbook.output_folder("05_exercises")
# trained_answer = train(
#     [
#         cbteach.ModelCheckpoint(
#             str(answer_folder / "{epoch:02d}.weights.h5"),
#             monitor="val_loss",
#             save_best_only=True,
#             save_weights_only=True,
#         ),
#         cbteach.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True),
#     ],
#     data=data,
#     **plan.train_args,
# )
# ```
#
# Without `restore_best_weights=True`, the model keeps the weights of the epoch where training
# stopped. `EarlyStopping` stops `patience` epochs after the best one, so that model's `val_loss`
# on the validation data is worse than the best in the history. For the file, `save_best_only=True`
# is the key: it saves only when `val_loss` improves, so the last file is the best epoch's, the
# same epoch `EarlyStopping` restores. The two agree only when both callbacks watch the same
# `monitor`. With `save_best_only=False` the last file is the epoch where training stopped, which
# differs from the model in memory.
# </details>

# %% [markdown] lang="ko"
# ## 정리: 세 콜백 한눈에 보기
#
# | | `ModelCheckpoint` | `ReduceLROnPlateau` | `EarlyStopping` |
# |---|---|---|---|
# | 하는 일 | 모델이나 가중치를 파일로 저장 | 정체 구간(plateau)에서 학습률 × `factor` | 학습을 멈추고, 원하면 최고 기록 에포크의 가중치를 복원 |
# | 기준 | `monitor`(기본값 `"val_loss"`), `mode` | 같음 | 같음 |
# | 꼭 챙길 인자 | `filepath`(`{epoch}` 같은 자리 표시자(placeholder), `.keras` 또는 `.weights.h5`), `save_best_only`, `save_weights_only` | `factor`, `patience`, `min_lr`, `cooldown` | `patience`, `min_delta`, `restore_best_weights` |
# | 이 워크북에서 본 함정 | `.hdf5` 이름은 거절, `{epoch}` 없으면 덮어쓰기 | 철자가 틀린 인자를 오류 없이 무시(Keras의 원래 클래스), `min_lr`이 없으면 바닥이 없음, `min_lr`이 시작 학습률보다 크면 한 번도 낮추지 않음 | `patience=0`은 `patience=1`과 같음, `restore_best_weights`의 기본값은 `False` |
# | 자세히 | 01 레슨 | 02 레슨 | 03 레슨 |
#
# 세 콜백을 함께 쓸 때는 `EarlyStopping`의 `patience`를 `ReduceLROnPlateau`보다 크게 잡고, 세 콜백이
# 같은 `monitor`를 지켜보게 하세요. 04 레슨에서 노트의 예제를 실제로 학습하며 이 조합을 살펴봤습니다.
#
# 아래 셀은 실제 Keras 클래스의 기본값을 보여 줍니다. 표의 기본값이 맞는지 직접 확인해 보세요.

# %% [markdown] lang="en"
# ## Recap: the three callbacks at a glance
#
# | | `ModelCheckpoint` | `ReduceLROnPlateau` | `EarlyStopping` |
# |---|---|---|---|
# | What it does | saves the model or its weights to a file | on a plateau, multiplies the learning rate by `factor` | stops training and, if asked, restores the best epoch's weights |
# | Judged by | `monitor` (default `"val_loss"`), `mode` | the same | the same |
# | Arguments to get right | `filepath` (placeholders like `{epoch}`, `.keras` or `.weights.h5`), `save_best_only`, `save_weights_only` | `factor`, `patience`, `min_lr`, `cooldown` | `patience`, `min_delta`, `restore_best_weights` |
# | Traps seen in this workbook | an `.hdf5` name is refused; without `{epoch}` files overwrite each other | misspelled arguments silently ignored (Keras' own class); no floor without `min_lr`; a `min_lr` above the starting rate never cuts | `patience=0` is the same as `patience=1`; `restore_best_weights` defaults to `False` |
# | More in | lesson 01 | lesson 02 | lesson 03 |
#
# When you use all three, give `EarlyStopping` a larger `patience` than `ReduceLROnPlateau`, and
# let all three watch the same `monitor`. Lesson 04 trained the notes' example for real to look at
# this combination.
#
# The next cell shows the defaults of the real Keras classes, so you can check the table yourself.

# %%
# NBVAL_CHECK_OUTPUT
import inspect

for callback_class in (
    keras.callbacks.ModelCheckpoint,
    keras.callbacks.ReduceLROnPlateau,
    keras.callbacks.EarlyStopping,
):
    parameters = inspect.signature(callback_class).parameters.values()
    defaults = {p.name: p.default for p in parameters if p.default is not inspect.Parameter.empty}
    print(callback_class.__name__, defaults)

# %% [markdown] lang="ko"
# 워크북은 여기까지입니다. 헷갈리는 부분이 있으면 해당 레슨으로 돌아가세요.
#
# - **01 ModelCheckpoint**: 파일 이름 서식, `monitor`와 `mode`, `save_best_only`, `save_weights_only`
# - **02 ReduceLROnPlateau**: `factor`, `patience`, `min_delta`, `cooldown`, `min_lr`
# - **03 EarlyStopping**: `patience`, `min_delta`, `restore_best_weights`, `baseline`, `start_from_epoch`
# - **04 세 콜백 함께 쓰기**: 노트의 예제를 직접 고치기, 두 `patience`의 순서, 모델과 파일에 남는 가중치

# %% [markdown] lang="en"
# This is the end of the workbook. If something is still unclear, go back to its lesson:
#
# - **01 ModelCheckpoint**: file name formatting, `monitor` and `mode`, `save_best_only`, `save_weights_only`
# - **02 ReduceLROnPlateau**: `factor`, `patience`, `min_delta`, `cooldown`, `min_lr`
# - **03 EarlyStopping**: `patience`, `min_delta`, `restore_best_weights`, `baseline`, `start_from_epoch`
# - **04 All three together**: fixing the notes' example yourself, the order of the two `patience` values, the weights in the model and in the file
