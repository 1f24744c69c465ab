# %% [markdown] lang="ko"
# # 05. 실습 문제: 직접 설정을 찾고 확인 셀로 점검하기
#
# 01–04 레슨에서 세 콜백(callback)이 언제, 왜 동작하는지 살펴봤습니다. 이번에는 직접 설정을 고쳐
# 봅니다. 문제는 여섯 개이고, 모두 같은 순서로 풉니다.
#
# 1. **문제**를 읽습니다.
# 2. **시작 셀**을 고칩니다. 그대로 실행해도 돌아가지만, 설정이 틀렸거나 덜 채워져 있습니다.
# 3. **확인 셀**을 실행합니다. `exercises.check_...` 함수가 여러분의 콜백을 실제 Keras로 돌려 보고,
#    항목마다 ✓(맞음) 또는 ✗(고칠 곳)를 한 줄씩 보여 줍니다. 답이 틀려도 오류 메시지(traceback)가
#    쏟아지지 않고, 무엇을 고치면 되는지 문장으로 알려 줍니다. 모든 줄이 ✓가 될 때까지 2와 3을
#    되풀이하세요.
# 4. 막히면 **풀이**를 엽니다. 풀이 셀은 접혀 있습니다. 셀 왼쪽의 파란 막대나 `…` 표시를 누르면
#    펼쳐집니다. 풀이 뒤의 해설도 접혀 있습니다.
#
# 문제 1–5는 학습을 하지 않습니다. 00 레슨에서 소개한 기록(recorded run) 위에서 여러분의 콜백을
# 리플레이(replay)해서 판정하므로, 결과가 바로 나오고 누구에게나 같습니다. 문제 6만 실제로
# 학습합니다.

# %% [markdown] lang="en"
# # 05. Exercises: find the settings yourself and check them
#
# Lessons 01–04 showed when and why the three callbacks act. Now you set them yourself. There are
# six exercises, all worked the same way:
#
# 1. Read the **task**.
# 2. Edit the **starter cell**. It runs as it is, but its settings are wrong or unfinished.
# 3. Run the **check cell**. An `exercises.check_...` function runs your callbacks on real Keras
#    and prints one line per point: ✓ (right) or ✗ (to fix). A wrong answer never ends in a
#    traceback; the line says what to change. Repeat 2 and 3 until every line is a ✓.
# 4. Stuck? Open the **solution**. Solution cells are folded: click the blue bar or the `…` to the
#    left of the cell to unfold it. The explanation after each solution is folded too.
#
# Exercises 1–5 do no training: the checks replay your callbacks over the recorded runs introduced
# in lesson 00, so the verdict comes at once and is the same for everyone. Only exercise 6 trains
# for real.

# %% [markdown] lang="ko"
# ## 시작하기
#
# 늘 그렇듯 첫 셀에서 언어를 정하고, 장치(device)를 확인하고, 학습 규모를 고릅니다. 문제 6에서는
# 이 계획(`plan`)대로 학습합니다.

# %% [markdown] lang="en"
# ## Getting started
#
# As always, the first cell sets the language, checks the device and picks how much to train.
# Exercise 6 trains with this `plan`.

# %%
# NBVAL_IGNORE_OUTPUT
LANGUAGE = "en"

import cbteach

import keras
import matplotlib.pyplot as plt
import pandas as pd

from cbteach import exercises, recorded, workbook
from cbteach.data import load_mnist
from cbteach.plots import plot_run
from cbteach.replay import replay
from cbteach.training import train

plan = workbook.start(LANGUAGE)

# %% [markdown] lang="ko"
# ## 문제에 쓰는 기록
#
# 문제 1–5는 cbteach에 들어 있는 기록 세 개를 씁니다.
#
# | 기록 | 에포크(epoch) | 어떤 곡선인가 | 쓰는 문제 |
# |---|---|---|---|
# | `overfit` | 100 | MLP, 학습률(learning rate) 3e-3. `val_loss`가 에포크 7에서 가장 낮고 그 뒤로 과적합(overfitting) | 1, 4, 5 |
# | `plateau` | 60 | CNN, 학습률 1e-3. `val_loss`가 천천히 내려가다 후반에 제자리걸음 | 2 |
# | `accuracy` | 60 | CNN, 학습률 5e-4. `val_accuracy`가 계단처럼 조금씩 오름 | 3 |
#
# 아래 표는 `overfit` 기록의 처음 14 에포크입니다. 문제 1과 5에서 다시 보게 됩니다.

# %% [markdown] lang="en"
# ## The recordings the exercises use
#
# Exercises 1–5 use three recordings that ship with cbteach:
#
# | Recording | Epochs | What the curve does | Used in |
# |---|---|---|---|
# | `overfit` | 100 | MLP, learning rate 3e-3: `val_loss` is lowest at epoch 7, then the model overfits | 1, 4, 5 |
# | `plateau` | 60 | CNN, learning rate 1e-3: `val_loss` creeps down, then marks time | 2 |
# | `accuracy` | 60 | CNN, learning rate 5e-4: `val_accuracy` climbs in small steps | 3 |
#
# The table holds the first 14 epochs of `overfit`; exercises 1 and 5 come back to it.

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

# %% [markdown] lang="ko"
# **풀이는 접혀 있습니다.** 직접 풀어 본 다음, 아래 셀 왼쪽을 눌러 펼쳐 보세요.

# %% [markdown] lang="en"
# **The solution is folded (hidden): click to the left of the next cell to open it**, after you
# have tried yourself.

# %% jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
es_solution = cbteach.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)

rows = []
for patience in range(1, 6):
    trial = replay(
        overfit,
        [cbteach.EarlyStopping(monitor="val_loss", patience=patience, restore_best_weights=True)],
    )
    rows.append((patience, trial.stopped_epoch, trial.restored_epoch))
print(pd.DataFrame(rows, columns=["patience", "stopped_epoch", "restored_epoch"]).to_string(index=False))

exercises.check_early_stopping(es_solution)

# %% [markdown] lang="ko" jupyter={"source_hidden": true}
# **해설.** `patience=3`이면 에포크 8, 9, 10에서 `val_loss`가 에포크 7의 최고 기록(best)보다
# 나아지지 않아 대기(wait)가 1, 2, 3으로 늘고, 에포크 10에서 학습을 멈춥니다.
# `restore_best_weights=True`가 있어야 학습이 끝날 때 에포크 7의 가중치로 되돌아갑니다. 이
# 인자(argument)를 빼면 모델에는 마지막 에포크의 가중치가 남습니다.
#
# 표를 보면 `patience`는 2, 3, 4 가운데 무엇이든 정답입니다. `patience=1`은 에포크 5에서 `val_loss`가
# 한 번 올라간 것만 보고 멈춰서 에포크 7까지 가지 못하고, 에포크 4를 복원(restore)합니다.
# `patience=5`부터는 에포크 12나 그 뒤에 멈춥니다. 인내(patience)와 대기의 규칙은 03 레슨에 자세히
# 나옵니다.

# %% [markdown] lang="en" jupyter={"source_hidden": true}
# **Why.** With `patience=3`, epochs 8, 9 and 10 do not beat the best `val_loss` of epoch 7, so
# the wait goes 1, 2, 3 and training stops at epoch 10. Only `restore_best_weights=True` puts
# epoch 7's weights back when training ends; without it the model keeps the last epoch's weights.
#
# The table shows that `patience` 2, 3 or 4 all pass. `patience=1` stops at epoch 5, when
# `val_loss` goes up once, never reaches epoch 7 and restores epoch 4. From `patience=5` on,
# training stops at epoch 12 or later. Lesson 03 has the rules of patience and wait in detail.

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

# %% [markdown] lang="ko"
# **풀이는 접혀 있습니다.** 직접 풀어 본 다음, 아래 셀 왼쪽을 눌러 펼쳐 보세요.

# %% [markdown] lang="en"
# **The solution is folded (hidden): click to the left of the next cell to open it**, after you
# have tried yourself.

# %% jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
rlr_solution = cbteach.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=3, min_lr=1e-5)

trial = replay(plateau, [cbteach.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=3, min_lr=1e-5)])
decisions = trial.events.to_frame()
decisions = decisions[decisions["action"].isin(["reduced_lr", "at_min_lr"])]
print(decisions[["epoch", "action", "lr_before", "lr_after"]].to_string(index=False, float_format="{:.1e}".format))

lucky = cbteach.ReduceLROnPlateau(monitor="val_loss", factor=0.1, patience=6)
print([cut.epoch for cut in replay(plateau, [lucky]).lr_cuts], exercises.check_lr_plateau(lucky).ok)

exercises.check_lr_plateau(rlr_solution)


# %% [markdown] lang="ko" jupyter={"source_hidden": true}
# **해설.** `patience=3`이면 에포크 31, 34, 45에서 학습률을 낮춥니다. `factor=0.2`라서
# 1e-3 → 2e-4 → 4e-5로 내려가고, 세 번째에는 8e-6이 될 차례지만 `min_lr=1e-5`에 막혀 1e-5에서
# 멈춥니다. 그 뒤로는 인내를 다 써도(`at_min_lr`) 더 낮추지 않습니다. 학습률이 이미 최소
# 학습률(`min_lr`)에 닿아 있으면 대기를 0으로 되돌리지 않으므로, `at_min_lr` 행이 에포크 52, 53처럼
# 연달아 나옵니다.
#
# `min_lr` 없이 `factor=0.1, patience=6`으로 두어도 확인을 통과합니다. 이 곡선에서는 에포크 34와
# 48에서 딱 두 번 낮추고 1e-5에서 끝나기 때문입니다. 하지만 이것은 우연입니다. 학습이 더 길어져 세
# 번째로 낮추면 1e-6이 됩니다. 바닥을 지켜 주는 것은 `min_lr`입니다. 02 레슨에서 `factor`,
# `patience`, `min_lr`을 하나씩 다룹니다.

# %% [markdown] lang="en" jupyter={"source_hidden": true}
# **Why.** With `patience=3`, the learning rate is cut at epochs 31, 34 and 45. With `factor=0.2`
# it goes 1e-3 → 2e-4 → 4e-5; the third cut would give 8e-6, but `min_lr=1e-5` holds it at 1e-5.
# After that, patience runs out (`at_min_lr`) without any further cut. Once the learning rate sits
# at `min_lr` the wait is not set back to 0, so these rows come on consecutive epochs, like 52
# and 53.
#
# `factor=0.1, patience=6` without any `min_lr` passes the check too: on this curve it cuts exactly
# twice, at epochs 34 and 48, and ends at 1e-5. That is luck. Train longer and the third cut takes
# it to 1e-6. The floor is what `min_lr` is for. Lesson 02 takes `factor`, `patience` and
# `min_lr` one at a time.

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


# %% [markdown] lang="ko"
# **풀이는 접혀 있습니다.** 직접 풀어 본 다음, 아래 셀 왼쪽을 눌러 펼쳐 보세요.

# %% [markdown] lang="en"
# **The solution is folded (hidden): click to the left of the next cell to open it**, after you
# have tried yourself.

# %% jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
def checkpoint_solution():
    return cbteach.ModelCheckpoint(
        "checkpoints/{epoch:02d}-{val_accuracy:.3f}.weights.h5",
        monitor="val_accuracy",
        save_best_only=True,
        save_weights_only=True,
    )


print(accuracy.to_frame().loc[[14, 17, 18], ["val_accuracy"]])

wrong_mode = cbteach.ModelCheckpoint(
    "checkpoints/{epoch:02d}.weights.h5",
    monitor="val_accuracy",
    mode="min",
    save_best_only=True,
    save_weights_only=True,
)
print([save.epoch for save in replay(accuracy, [wrong_mode]).saves])

exercises.check_checkpoint(checkpoint_solution)

# %% [markdown] lang="ko" jupyter={"source_hidden": true}
# **해설.** 가중치만 저장할 때(`save_weights_only=True`) Keras 3에서는 파일 이름이 `.weights.h5`로
# 끝나야 합니다. `{epoch:02d}`는 1부터 세는 에포크 번호로 채워지므로 `07-0.936.weights.h5`처럼
# 파일마다 이름이 달라집니다. `{epoch}`가 없으면 19번 저장해도 파일은 하나만 남습니다.
#
# `mode`는 기본값(default) `"auto"`로 두면 됩니다. Keras가 `val_accuracy`를 클수록 좋은 값으로
# 알아봅니다. `mode="min"`으로 두면 정확도(accuracy)가 떨어질 때만 저장하므로, 위 목록처럼 첫
# 에포크 뒤로는 파일이 하나도 생기지 않습니다.
#
# 표에서 에포크 17의 `val_accuracy`는 에포크 14와 같은 0.968입니다. 같은 값은 나아진 것이 아니라서
# 저장하지 않고, 에포크 18의 0.970에서 다시 저장합니다. 파일 이름 서식과 `save_best_only`는 01
# 레슨에서 자세히 다룹니다.

# %% [markdown] lang="en" jupyter={"source_hidden": true}
# **Why.** For weights only (`save_weights_only=True`), Keras 3 accepts only a file name ending in
# `.weights.h5`. `{epoch:02d}` is filled with the 1-based epoch number, so each file gets its own
# name, like `07-0.936.weights.h5`. Without `{epoch}`, 19 saves leave a single file.
#
# `mode` can stay at its default `"auto"`: Keras knows that `val_accuracy` is better when larger.
# With `mode="min"` it saves only when the accuracy drops: as the list shows, no file after the
# first epoch.
#
# In the table, epoch 17's `val_accuracy` equals epoch 14's, 0.968. An equal value is not an
# improvement, so nothing is saved until 0.970 at epoch 18. Lesson 01 covers file name formatting
# and `save_best_only` in detail.

# %% [markdown] lang="ko"
# ## 문제 4. 노트의 "세 개 한 번에" 예제 고치기
#
# 노트의 마지막 예제에서 콜백을 만드는 부분만 옮겼습니다. 04 레슨에서 본 import 줄의 문법 오류
# (`ModelCheckpoint()`)와 `fit` 줄의 오타는 이 문제에서 뺐습니다.
#
# ```python
# save_path = os.getcwd() + 'weights.{epoch:02d}-{val_loss:.2f}.hdf5'
#
# mcp_cb = ModelCheckpoint(filepath = save_path, monitor = 'val_loss',
#                         save_best_only = True, save_weights_only = True,
#                         mode = 'min', verbose = 1)
# rlr_cb = ReduceLROnPlateau(monitor = 'val_loss', fector = 0.3,
#                            patienc = 10, mode = 'min', verbose = 1)
# elr_cb = EarlyStopping(monitor = 'val_loss', patienc = 20,
#                        mode = 'min', verbose = 1)
# ```
#
# 노트가 의도한 것은 이렇습니다. `val_loss`가 가장 좋은 에포크의 가중치를 파일로 남기고, 10 에포크 동안
# 나아지지 않으면 학습률에 0.3을 곱하고, 20 에포크 동안 나아지지 않으면 멈춥니다. 여기에 하나를
# 더해, 멈춘 뒤 모델이 최고 기록 에포크의 가중치를 갖게 하세요.
#
# 시작 셀은 노트를 그대로 옮겼고, 노트처럼 Keras의 원래 클래스(`keras.callbacks`, 즉
# `tensorflow.keras.callbacks`)를 씁니다. cbteach의 클래스와 달리 Keras의 `ReduceLROnPlateau`는
# 철자가 틀린 인자를 오류 없이 받아 줍니다. 확인 셀은 Keras가 실제로 가지고 있는 값을 읽으므로
# 그런 실수도 찾아냅니다. 오류가 하나씩 나올 테니, 고치고 다시 실행하기를 되풀이하세요.

# %% [markdown] lang="en"
# ## Exercise 4. Fix the notes' "all three at once" example
#
# This is the part of the notes' last example that builds the callbacks. The syntax error of its
# import line (`ModelCheckpoint()`) and the typos of its `fit` line, seen in lesson 04, are left out
# here:
#
# ```python
# save_path = os.getcwd() + 'weights.{epoch:02d}-{val_loss:.2f}.hdf5'
#
# mcp_cb = ModelCheckpoint(filepath = save_path, monitor = 'val_loss',
#                         save_best_only = True, save_weights_only = True,
#                         mode = 'min', verbose = 1)
# rlr_cb = ReduceLROnPlateau(monitor = 'val_loss', fector = 0.3,
#                            patienc = 10, mode = 'min', verbose = 1)
# elr_cb = EarlyStopping(monitor = 'val_loss', patienc = 20,
#                        mode = 'min', verbose = 1)
# ```
#
# What the notes meant: keep the weights with the best `val_loss` in a file, multiply the learning
# rate by 0.3 after 10 epochs without improvement, and stop after 20. Add one thing: once training
# stops, the model should hold the best epoch's weights.
#
# The starter cell is the notes as written, and like the notes it uses Keras' own classes
# (`keras.callbacks`, which is `tensorflow.keras.callbacks`). Unlike cbteach's classes, Keras'
# `ReduceLROnPlateau` accepts a misspelled argument without a word. The check reads the values
# Keras actually kept, so it finds those mistakes too. The errors come one at a time: fix, run
# again, repeat.

# %%
import os


def notes_answer():
    save_path = os.getcwd() + "weights.{epoch:02d}-{val_loss:.2f}.hdf5"
    mcp_cb = keras.callbacks.ModelCheckpoint(
        filepath=save_path,
        monitor="val_loss",
        save_best_only=True,
        save_weights_only=True,
        mode="min",
        verbose=1,
    )
    rlr_cb = keras.callbacks.ReduceLROnPlateau(
        monitor="val_loss", fector=0.3, patienc=10, mode="min", verbose=1
    )
    elr_cb = keras.callbacks.EarlyStopping(monitor="val_loss", patienc=20, mode="min", verbose=1)
    return [mcp_cb, rlr_cb, elr_cb]


# %%
# NBVAL_IGNORE_OUTPUT
exercises.check_combined(notes_answer)


# %% [markdown] lang="ko"
# **풀이는 접혀 있습니다.** 직접 풀어 본 다음, 아래 셀 왼쪽을 눌러 펼쳐 보세요.

# %% [markdown] lang="en"
# **The solution is folded (hidden): click to the left of the next cell to open it**, after you
# have tried yourself.

# %% jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
def notes_solution():
    save_path = "checkpoints/weights.{epoch:02d}-{val_loss:.2f}.weights.h5"
    mcp_cb = keras.callbacks.ModelCheckpoint(
        filepath=save_path,
        monitor="val_loss",
        save_best_only=True,
        save_weights_only=True,
        mode="min",
        verbose=1,
    )
    rlr_cb = keras.callbacks.ReduceLROnPlateau(
        monitor="val_loss", factor=0.3, patience=10, mode="min", verbose=1
    )
    elr_cb = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=20, mode="min", verbose=1, restore_best_weights=True
    )
    return [mcp_cb, rlr_cb, elr_cb]


exercises.check_combined(notes_solution)

# %% [markdown] lang="ko" jupyter={"source_hidden": true}
# **해설.** 옮겨 온 콜백 부분에는 실수가 네 개 있습니다. 04 레슨 1부의 표는 실수를 일곱 줄로
# 정리했는데, 그 가운데 import 줄을 다룬 한 줄과 `fit` 줄을 다룬 두 줄(`train_iamges`, 그리고
# `batch_szie`와 `epoch`)을 뺀 나머지 네 줄입니다.
#
# 1. 가중치만 저장하는데 파일 이름이 `.hdf5`로 끝납니다. Keras 3에서는 `.weights.h5`만 받으며,
#    콜백을 만드는 순간 `ValueError`가 납니다.
# 2. `EarlyStopping`의 `patienc=20`은 `TypeError`입니다. `EarlyStopping`은 모르는 인자를 받지 않습니다.
# 3. `ReduceLROnPlateau`의 `fector=0.3`, `patienc=10`은 오류 없이 버려집니다. 그래서 감소
#    비율(`factor`)은 기본값 0.1이 됩니다. `patience`는 기본값이 마침 10이라서 티가 나지 않을
#    뿐입니다.
# 4. `os.getcwd() + 'weights...'`에는 경로 구분자가 없습니다. 파일이 작업 폴더 안이 아니라, 폴더
#    이름 뒤에 파일 이름이 붙은 경로에 생깁니다. `os.path.join`이나 상대 경로를 쓰세요.
#
# 다음 셀에서 이 가운데 세 가지를 실제 Keras로 확인합니다. 1과 2는 오류 메시지를, 3은 Keras가
# 가지고 있는 값을 보여 줍니다. 고친 뒤 `overfit` 기록으로 리플레이하면 에포크 17에서 학습률에 0.3을 곱하고,
# 에포크 27에 학습을 멈추며, 모델과 마지막 체크포인트가 모두 에포크 7의 것이 됩니다.
# `EarlyStopping`의 인내(20)가 `ReduceLROnPlateau`의 인내(10)보다 커서, 낮춘 학습률이 효과를 낼
# 시간이 있습니다. 04 레슨에서 이 예제를 실제로 학습하며 자세히 살펴봤습니다.

# %% [markdown] lang="en" jupyter={"source_hidden": true}
# **Why.** The callback part has four mistakes. Lesson 04 sums the mistakes up in a seven-row table
# in part 1; these are its rows less the one for the import line and the two for the `fit` line
# (`train_iamges`; `batch_szie` and `epoch`).
#
# 1. It saves weights only, but the file name ends in `.hdf5`. Keras 3 accepts only `.weights.h5`
#    and raises `ValueError` as soon as the callback is built.
# 2. `patienc=20` in `EarlyStopping` is a `TypeError`: `EarlyStopping` takes no unknown argument.
# 3. `fector=0.3` and `patienc=10` in `ReduceLROnPlateau` are dropped without a word, so the factor
#    is the default 0.1. The default `patience` happens to be 10, which hides the second typo.
# 4. `os.getcwd() + 'weights...'` has no path separator: the files land at the folder's name with
#    the file name glued on, not inside the folder. Use `os.path.join` or a relative path.
#
# The next cell shows three of them on real Keras: the error messages of 1 and 2, and the values
# Keras kept for 3. Fixed, on the `overfit` recording the learning rate is cut ×0.3 at epoch 17,
# training stops at epoch 27, and both the model and the last checkpoint are epoch 7's.
# `EarlyStopping`'s patience (20) is larger than `ReduceLROnPlateau`'s (10), so the lower
# learning rate has time to help. Lesson 04 trained this example for real and looked closer.

# %% jupyter={"source_hidden": true}
# NBVAL_CHECK_OUTPUT
try:
    keras.callbacks.ModelCheckpoint("weights.{epoch:02d}-{val_loss:.2f}.hdf5", save_weights_only=True)
except ValueError as error:
    print("ValueError:", error)
try:
    keras.callbacks.EarlyStopping(monitor="val_loss", patienc=20)
except TypeError as error:
    print("TypeError:", error)
swallowed = keras.callbacks.ReduceLROnPlateau(monitor="val_loss", fector=0.3, patienc=10)
print(swallowed.factor, swallowed.patience)

# %% [markdown] lang="ko"
# ## 문제 5. 예측하기: `patience=0`, `1`, `2`는 어디서 멈출까
#
# 이번에는 코드를 고치지 않고 숫자를 적습니다. `overfit` 기록에서 아래 세 `EarlyStopping`이 각각 몇
# 번째 에포크에서 학습을 멈출지 예측하세요. 나머지 인자는 모두 기본값이고, 에포크 번호는 1부터
# 셉니다. 위의 `val_loss` 표를 한 줄씩 따라가 보면 풀 수 있습니다.
#
# - `EarlyStopping(monitor="val_loss", patience=0)`
# - `EarlyStopping(monitor="val_loss", patience=1)`
# - `EarlyStopping(monitor="val_loss", patience=2)`
#
# 확인 셀은 틀린 예측에 정답 대신 "너무 이르다" 또는 "너무 늦다"만 알려 줍니다.

# %% [markdown] lang="en"
# ## Exercise 5. Predict: where do `patience=0`, `1` and `2` stop?
#
# No code to fix this time: write numbers. On the `overfit` recording, at which epoch does each of
# these `EarlyStopping`s stop training? All other arguments are defaults; epochs count from 1.
# Following the `val_loss` table above line by line is enough.
#
# - `EarlyStopping(monitor="val_loss", patience=0)`
# - `EarlyStopping(monitor="val_loss", patience=1)`
# - `EarlyStopping(monitor="val_loss", patience=2)`
#
# For a wrong guess the check says only "too early" or "too late", not the answer.

# %%
stop_with_patience_0 = 1
stop_with_patience_1 = 2
stop_with_patience_2 = 3

# %%
# NBVAL_IGNORE_OUTPUT
exercises.check_prediction(stop_with_patience_0, stop_with_patience_1, stop_with_patience_2)

# %% [markdown] lang="ko"
# **풀이는 접혀 있습니다.** 직접 풀어 본 다음, 아래 셀 왼쪽을 눌러 펼쳐 보세요. 풀이는 예측 대신
# 실제 Keras 콜백을 리플레이해서 답을 구합니다.

# %% [markdown] lang="en"
# **The solution is folded (hidden): click to the left of the next cell to open it**, after you
# have tried yourself. Instead of predicting, it replays the real Keras callbacks to get the answer.

# %% jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
stops = [
    replay(overfit, [cbteach.EarlyStopping(monitor="val_loss", patience=patience)]).stopped_epoch
    for patience in (0, 1, 2)
]
print(stops)
exercises.check_prediction(*stops)

# %% [markdown] lang="ko" jupyter={"source_hidden": true}
# **해설.** 답은 5, 5, 9입니다. 에포크 1–4에서는 `val_loss`가 계속 나아집니다. 나아진 에포크에서는
# 대기가 0으로 돌아가고, 그런 에포크에서는 절대 멈추지 않습니다. 에포크 5의 0.2413은 에포크
# 4의 0.2245보다 나쁘므로 대기가 1이 되고, `patience`가 0이든 1이든 `wait >= patience`가 성립해
# 에포크 5에서 멈춥니다. 그래서 `patience=0`은 "나빠지는 즉시 멈춤"이 아니라 `patience=1`과 똑같이
# 동작합니다.
#
# `patience=2`이면 에포크 5에서는 대기 1로 버팁니다. 에포크 6(0.2186)과 7(0.2148)이 다시 나아져
# 대기가 0이 되고, 에포크 8과 9에서 대기가 1, 2로 늘어 에포크 9에서 멈춥니다. 03 레슨에서 같은
# 규칙을 직접 만든 곡선으로 확인합니다.

# %% [markdown] lang="en" jupyter={"source_hidden": true}
# **Why.** The answer is 5, 5, 9. Over epochs 1–4, `val_loss` keeps improving; an improving epoch
# sets the wait back to 0 and never stops training. Epoch 5's 0.2413 is worse than epoch 4's
# 0.2245, so the wait becomes 1, and with `patience` 0 or 1 alike, `wait >= patience` holds:
# training stops at epoch 5. That is why `patience=0` does not mean "stop the moment it gets
# worse" but behaves exactly like `patience=1`.
#
# With `patience=2`, epoch 5 only brings the wait to 1. Epochs 6 (0.2186) and 7 (0.2148) improve
# again and set it back to 0; epochs 8 and 9 bring it to 1 and 2, and training stops at epoch 9.
# Lesson 03 shows the same rule on hand-made curves.

# %% [markdown] lang="ko"
# ## 문제 6. 실제 학습: 내 손에 있는 모델이 정말 최고 기록의 모델인가
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
# ## Exercise 6. Real training: is the model in your hands really the best one?
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

# %% [markdown] lang="ko"
# **풀이는 접혀 있습니다.** 직접 풀어 본 다음, 아래 셀 왼쪽을 눌러 펼쳐 보세요. 학습 결과는 컴퓨터마다
# 조금씩 다르므로, 풀이 셀은 최종 판정 한 줄만 보여 주고 자세한 내용은 그다음 셀에서 보여 줍니다.

# %% [markdown] lang="en"
# **The solution is folded (hidden): click to the left of the next cell to open it**, after you
# have tried yourself. Training results differ a little between computers, so the solution cell
# prints only the final verdict; the cell after it shows the details.

# %% jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_IGNORE_OUTPUT
solution_folder = workbook.output_folder("05_exercises")
trained_solution = train(
    [
        cbteach.ModelCheckpoint(
            str(solution_folder / "{epoch:02d}.weights.h5"),
            monitor="val_loss",
            save_best_only=True,
            save_weights_only=True,
        ),
        cbteach.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True),
    ],
    data=data,
    **plan.train_args,
)

# %% jupyter={"source_hidden": true, "outputs_hidden": true}
# NBVAL_CHECK_OUTPUT
solution_check = exercises.check_trained(trained_solution, data)
print(solution_check.verdict)

# %% jupyter={"source_hidden": true}
# NBVAL_IGNORE_OUTPUT
solution_check

# %% [markdown] lang="ko" jupyter={"source_hidden": true}
# **해설.** `restore_best_weights=True`가 없으면 모델에는 학습을 멈춘 에포크의 가중치가 남습니다.
# `EarlyStopping`은 최고 기록이 나온 뒤 `patience` 에포크가 지나서 멈추므로, 그 모델을 검증 데이터로
# 평가한 `val_loss`는 히스토리의 최고 기록보다 나쁩니다. 파일 쪽은 `save_best_only=True`가
# 핵심입니다. `val_loss`가 나아질 때만 저장하므로 마지막 파일이 바로 최고 기록 에포크의 파일이고,
# `EarlyStopping`이 복원한 에포크와 같습니다. 두 콜백이 같은 `monitor`를 지켜봐야 이 둘이
# 맞아떨어집니다. `save_best_only=False`로 두면 마지막 파일은 학습을 멈춘 에포크의 것이라 메모리의
# 모델과 다릅니다.

# %% [markdown] lang="en" jupyter={"source_hidden": true}
# **Why.** Without `restore_best_weights=True`, the model keeps the weights of the epoch where
# training stopped. `EarlyStopping` stops `patience` epochs after the best one, so that model's
# `val_loss` on the validation data is worse than the best in the history. For the file, `save_best_only=True` is the key: it saves only when `val_loss` improves,
# so the last file is the best epoch's, the same epoch `EarlyStopping` restores. The two agree
# only when both callbacks watch the same `monitor`. With `save_best_only=False` the last file
# is the epoch where training stopped, which differs from the model in memory.

# %% [markdown] lang="ko"
# ## 정리: 세 콜백 한눈에 보기
#
# | | `ModelCheckpoint` | `ReduceLROnPlateau` | `EarlyStopping` |
# |---|---|---|---|
# | 하는 일 | 모델이나 가중치를 파일로 저장 | 정체 구간(plateau)에서 학습률 × `factor` | 학습을 멈추고, 원하면 최고 기록 에포크의 가중치를 복원 |
# | 기준 | `monitor`(기본값 `"val_loss"`), `mode` | 같음 | 같음 |
# | 꼭 챙길 인자 | `filepath`(`{epoch}` 같은 자리 표시자(placeholder), `.keras` 또는 `.weights.h5`), `save_best_only`, `save_weights_only` | `factor`, `patience`, `min_lr`, `cooldown` | `patience`, `min_delta`, `restore_best_weights` |
# | 이 워크북에서 본 함정 | `.hdf5` 이름은 거절, `{epoch}` 없으면 덮어쓰기 | 철자가 틀린 인자를 오류 없이 무시(Keras의 원래 클래스), `min_lr`이 없으면 바닥이 없음 | `patience=0`은 `patience=1`과 같음, `restore_best_weights`의 기본값은 `False` |
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
# | Traps seen in this notebook | an `.hdf5` name is refused; without `{epoch}` files overwrite each other | misspelled arguments silently ignored (Keras' own class); no floor without `min_lr` | `patience=0` is the same as `patience=1`; `restore_best_weights` defaults to `False` |
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
# - **04 세 콜백 함께 쓰기**: 노트의 예제를 그대로 돌려 보고 고치기

# %% [markdown] lang="en"
# This is the end of the workbook. If something is still unclear, go back to its lesson:
#
# - **01 ModelCheckpoint**: file name formatting, `monitor` and `mode`, `save_best_only`, `save_weights_only`
# - **02 ReduceLROnPlateau**: `factor`, `patience`, `min_delta`, `cooldown`, `min_lr`
# - **03 EarlyStopping**: `patience`, `min_delta`, `restore_best_weights`, `baseline`, `start_from_epoch`
# - **04 All three together**: the notes' example run as written, then fixed
