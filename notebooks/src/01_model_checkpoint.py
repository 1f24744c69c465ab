# %% [markdown] lang="ko"
# # 01. ModelCheckpoint: 가장 좋은 모델을 파일로 남기기
#
# 00 레슨에서 본 `overfit` 기록(recorded run)은 7번째 에포크(epoch)에서 검증 손실(validation loss)
# `val_loss`가 가장 낮았지만, 학습이 끝났을 때 손에 남는 것은 100번째 에포크의 모델입니다. 7번째
# 에포크의 모델을 쓰려면 학습 도중에 파일로 저장해 두어야 합니다. 이렇게 저장한 파일을
# 체크포인트(checkpoint)라고 하고, 그 일을 맡는 콜백(callback)이 `ModelCheckpoint`입니다.
#
# 이 레슨을 마치면 다음을 할 수 있습니다.
#
# 1. `val_loss`가 가장 좋은 에포크를 남기는 `ModelCheckpoint`를 쓰고, 그 파일을 다시 불러옵니다.
# 2. 파일 이름과 `save_best_only`만 보고 파일이 몇 개 남을지 예측합니다.
# 3. 체크포인트 파일에 어느 에포크의 모델이 들어 있는지, 콜백 없이 학습했을 때보다 무엇을
#    얻었는지 숫자로 말합니다.
#
# 세부 동작(`mode="auto"`가 방향을 정하는 방식, `monitor`에 쓸 이름, `initial_value_threshold`, 배치
# 단위의 `save_freq`와 Keras 2의 `period`, `verbose`, 확장자 규칙, `safe_mode`)은 선택 사항인
# [심화 노트북](01_model_checkpoint_deep_dive.ipynb)에 있습니다.

# %% [markdown] lang="en"
# # 01. ModelCheckpoint: keeping the best model in a file
#
# On the `overfit` recording from lesson 00, the validation loss `val_loss` was lowest at epoch 7,
# yet what you hold when training ends is epoch 100's model. To use epoch 7's model you have to
# write it to a file while training runs. Such a file is a checkpoint, and the callback that
# writes it is `ModelCheckpoint`.
#
# After this lesson you can:
#
# 1. write a `ModelCheckpoint` that keeps the epoch with the best `val_loss`, and load that file
#    back;
# 2. predict how many files a checkpoint leaves, from its file name and `save_best_only`;
# 3. say which epoch a checkpoint file holds, and what it bought against training without it, in
#    numbers.
#
# The details (how `mode="auto"` picks a direction, which names `monitor` takes,
# `initial_value_threshold`, `save_freq` in batches and Keras 2's `period`, `verbose`, the suffix
# rules, `safe_mode`) are in the optional [deep dive](01_model_checkpoint_deep_dive.ipynb).

# %% [markdown] lang="ko"
# ## 노트의 예제, 고친 모습
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
# 이대로는 Keras 3에서 동작하지 않고(확장자), 동작하게 고쳐도 파일이 엉뚱한 폴더에 생깁니다(경로).
# 둘 다 뒤에서 확인하고, 먼저 고친 코드부터 봅시다.
#
# ```python
# save_path = os.path.join(os.getcwd(), "weights.{epoch:02d}-{val_loss:.2f}.keras")
#
# mcp_cb = ModelCheckpoint(filepath=save_path, monitor="val_loss",
#                          save_best_only=True, mode="min", verbose=1)
# ```
#
# 저장할 때마다 `{epoch:02d}`에는 1부터 센 에포크 번호가 두 자리로, `{val_loss:.2f}`에는 그
# 에포크의 `val_loss`가 소수점 아래 두 자리로 들어갑니다. `save_best_only=True`는 `val_loss`가 최고
# 기록(best)보다 나아질 때만 저장하고, `.keras` 파일에는 모델 전체가 들어갑니다.

# %% [markdown] lang="en"
# ## The notes' call, fixed
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
# As written it fails in Keras 3 (the suffix), and once it runs its files land in the wrong folder
# (the path). Both come later; first the fixed call:
#
# ```python
# save_path = os.path.join(os.getcwd(), "weights.{epoch:02d}-{val_loss:.2f}.keras")
#
# mcp_cb = ModelCheckpoint(filepath=save_path, monitor="val_loss",
#                          save_best_only=True, mode="min", verbose=1)
# ```
#
# At each save, `{epoch:02d}` gets the epoch number (from 1) in two digits and `{val_loss:.2f}`
# that epoch's `val_loss` with two decimals. `save_best_only=True` saves only when `val_loss`
# beats the best so far, and a `.keras` file holds the whole model.

# %%
# NBVAL_IGNORE_OUTPUT
LANGUAGE = "en"

import cbteach

import os

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from cbteach import predictions, recorded, workbook
from cbteach.data import load_mnist
from cbteach.replay import replay
from cbteach.training import train

plan = workbook.start(LANGUAGE)
data = load_mnist(plan.source, seed=plan.seed)
folder = workbook.output_folder("01_model_checkpoint")
overfit = recorded.load("overfit")

# %% [markdown] lang="ko"
# ## 예측해 보기: 파일이 몇 개 남을까
#
# 노트에는 `save_best_only`를 두고 "결국 가장 마지막에 학습된 model이 저장되는 경우가 대부분"이라고
# 적혀 있습니다. 학습하기 전에 예측해 봅시다. 고친 코드를 `overfit` 기록의 100 에포크에 붙이면
# 어떻게 될까요? 이 기록은 이 레슨이 CPU에서 학습하는 것과 같은 모델, 같은 데이터입니다. 처음 10
# 에포크의 `val_loss`는 아래와 같고, 00 레슨에서 보았듯 7번째 에포크보다 낮은 값은 그 뒤로 나오지
# 않습니다.

# %% [markdown] lang="en"
# ## Predict: how many files?
#
# About `save_best_only`, the notes say "in the end, most of the time it is the last trained model
# that gets saved". Predict before training: what does the fixed call do over the 100 epochs of
# the `overfit` recording, the same model and data this lesson trains on a CPU? Here are the first
# 10 epochs' `val_loss`; as lesson 00 showed, nothing after epoch 7 is lower.

# %%
# NBVAL_CHECK_OUTPUT
overfit.to_frame()["val_loss"].head(10).round(4)

# %% [markdown] lang="ko"
# 100 에포크가 끝나면 파일이 몇 개 남을까요? `...`을 숫자로 바꾸고 실행하세요. 그다음 실제로
# 학습해서 확인합니다.

# %% [markdown] lang="en"
# How many files are left after the 100 epochs? Replace `...` with a number and run the cell;
# then train for real and see.

# %%
# NBVAL_CHECK_OUTPUT
predictions.check("mc_files", ...)

# %% [markdown] lang="ko"
# ## 한 번에 전체 보기: 학습하고, 가장 좋은 모델을 다시 불러오기
#
# 이제 고친 코드로 한 번 학습합니다. 파일은 `os.getcwd()` 대신 이 레슨의 출력 폴더 `folder`에 저장합니다
# (레슨을 다시 실행하면 `run-2`처럼 새 폴더가 생깁니다). `cbteach.ModelCheckpoint`는 Keras의 인자를
# 그대로 받고, 판단을 그림에 쓰려고 기록만 더합니다. 여러분의 스크립트에는
# `keras.callbacks.ModelCheckpoint`라고 쓰면 됩니다. `verbose=1`이므로 Keras가 에포크마다 나아졌는지,
# 저장했는지 한 줄씩 알려 줍니다.

# %% [markdown] lang="en"
# ## The whole game: train, then load the best model back
#
# Now train once with the fixed call. The files go to this lesson's output folder, `folder`, instead of
# `os.getcwd()` (running the lesson again makes a new one, `run-2` and so on).
# `cbteach.ModelCheckpoint` takes Keras' arguments as they are and only records each decision for
# the plots; in your own script write `keras.callbacks.ModelCheckpoint`. With `verbose=1`, Keras
# says at every epoch whether `val_loss` improved and whether it saved:

# %%
# NBVAL_IGNORE_OUTPUT
save_path = os.path.join(folder, "weights.{epoch:02d}-{val_loss:.2f}.keras")

mcp_cb = cbteach.ModelCheckpoint(
    filepath=save_path, monitor="val_loss", save_best_only=True, mode="min", verbose=1
)
run = train([mcp_cb], data=data, name="ModelCheckpoint", **plan.train_args)

# %% [markdown] lang="ko"
# 마지막으로 저장한 파일을 `keras.models.load_model`로 불러와 검증 데이터(validation data)로
# 평가합니다. `.keras` 파일에는 모델 구조(architecture), 가중치(weights), `compile()` 설정이 모두
# 들어 있어서 다른 준비 없이 바로 `evaluate()`할 수 있습니다.

# %% [markdown] lang="en"
# Load the file written last with `keras.models.load_model` and evaluate it on the validation
# data. A `.keras` file holds the architecture, the weights and the `compile()` settings, so it
# evaluates with nothing else to prepare:

# %%
# NBVAL_IGNORE_OUTPUT
last_save = run.saves[-1]
best = keras.models.load_model(last_save.saved_path)
best_val_loss = best.evaluate(data.x_val, data.y_val, batch_size=plan.batch_size, verbose=0)[0]
print(os.path.basename(last_save.saved_path), last_save.epoch, run.epochs, best_val_loss)

# %% [markdown] lang="ko"
# 출력은 파일 이름, 그 파일을 저장한 에포크, 학습한 전체 에포크 수, 불러온 모델의 `val_loss`입니다.
# 숫자는 실행마다 조금씩 다를 수 있으니, 주장은 `True`/`False`로 확인합니다.
#
# 1. 불러온 파일의 `val_loss`가 히스토리(history)에 기록된 가장 낮은 `val_loss`와 같습니다.
# 2. 마지막으로 저장한 에포크가 `val_loss`가 가장 낮았던 에포크입니다.
# 3. 폴더에 든 파일 수가 저장 횟수와 같습니다. 이름에 `{epoch}`가 있어 서로 덮어쓰지 않습니다.
#    CPU에서는 이 학습이 `overfit` 기록을 그대로 따라가므로, 예측한 그 파일들이 생깁니다.

# %% [markdown] lang="en"
# The line reads: the file name, the epoch it was saved at, the number of epochs trained, and the
# loaded model's `val_loss`. Numbers vary a little from run to run, so the claims are checked as
# `True`/`False`:
#
# 1. The loaded file gives the lowest `val_loss` recorded in the history.
# 2. The last save is the epoch with the lowest `val_loss`.
# 3. The folder holds as many files as there were saves: `{epoch}` in the name keeps them from
#    overwriting each other. On a CPU this run retraces the `overfit` recording, so these are the
#    files you predicted.

# %%
# NBVAL_CHECK_OUTPUT
val_loss = run.history["val_loss"]
print(bool(np.isclose(best_val_loss, min(val_loss), rtol=1e-4)))
print(last_save.epoch == int(np.argmin(val_loss)) + 1)
print(len(os.listdir(folder)) == len(run.saves))

# %% [markdown] lang="ko"
# ## 콜백 없이 학습한 결과와 비교하기
#
# 체크포인트가 학습을 바꾸었을까요? 00 레슨처럼 같은 모델을 같은 시드(seed)로 콜백 없이 학습한
# `no_callbacks`와 나란히 그려 봅시다.

# %% [markdown] lang="en"
# ## Against no callback
#
# Did the checkpoint change training? Train the same model with the same seed without any callback,
# `no_callbacks` as in lesson 00, and draw the two side by side:

# %%
# NBVAL_IGNORE_OUTPUT
no_callbacks = train([], data=data, name="no_callbacks", **plan.train_args)

# %%
from cbteach.plots import plot_compare

plot_compare([no_callbacks, run])
plt.show()

# %% [markdown] lang="ko"
# 두 학습은 곡선이 같아서(GPU에서는 마지막 자릿수까지는 아닐 수 있습니다) 하나로 그려집니다.
# `ModelCheckpoint`는 로그를 읽고 파일을 쓸 뿐 학습에는 손대지 않습니다. 얻은
# 것은 동그라미로 표시된, 저장한 에포크들이고 파일에는 그 마지막 에포크의 모델이 들어 있습니다.
# 아래 표는 그 파일을 `no_callbacks`에서 손에 남는 마지막 에포크의 모델과 나란히 놓습니다. 테스트
# 데이터(test data)는 아무것도 고르는 데 쓰지 않았고, 샘플은 테스트 이미지가 500장뿐이라
# 정확도(accuracy) 차이가 작거나 뒤바뀔 수도 있습니다. 체크포인트가 주는 것은 어느 에포크를 쓸지
# 검증 데이터를 보고 고를 수 있다는 점입니다.

# %% [markdown] lang="en"
# Both runs give the same curve (on a GPU, up to the last digits), drawn once: `ModelCheckpoint`
# reads the logs and writes files, and changes nothing in training. What it bought are the circles, the epochs it saved; the file holds
# the last of them. The table puts that file beside what `no_callbacks` leaves you, the last
# epoch's model. The test data chose nothing; with 500 test images in the sample, the accuracy gap
# can be small or even reversed. What the checkpoint gives you is the choice of epoch, made on
# validation data.

# %%
# NBVAL_IGNORE_OUTPUT
pd.DataFrame(
    {
        "epoch": [no_callbacks.epochs, last_save.epoch],
        "val_loss": [no_callbacks.history["val_loss"][-1], best_val_loss],
        "test_accuracy": [
            no_callbacks.model.evaluate(data.x_test, data.y_test, verbose=0)[1],
            best.evaluate(data.x_test, data.y_test, verbose=0)[1],
        ],
    },
    index=["no_callbacks", os.path.basename(last_save.saved_path)],
)

# %% [markdown] lang="ko"
# ## 고정된 이름, 그리고 `save_best_only=False`
#
# 파일 이름을 `best.keras`로 고정하거나 `save_best_only`를 끄면 어떻게 될까요? 이번에는 학습하지
# 않습니다. cbteach 함수 `replay`는 `overfit` 기록의 로그를 에포크마다 진짜 Keras 콜백에 넘기고,
# cbteach에만 있는 `write=False`는 저장 판단은 Keras에 맡기되 파일은 쓰지 않게 합니다. `saves`는
# 저장한 횟수, `files`는 서로 다른 파일 수입니다.

# %% [markdown] lang="en"
# ## A fixed name, and `save_best_only=False`
#
# What if the name is fixed, `best.keras`, or `save_best_only` is off? No training this time:
# `replay`, a cbteach function, hands the `overfit` recording's logs epoch by epoch to real Keras
# callbacks, and `write=False` (cbteach only) lets Keras decide every save but writes nothing.
# `saves` counts the saves, `files` the distinct files:

# %%
# NBVAL_CHECK_OUTPUT
filepath = "weights.{epoch:02d}-{val_loss:.2f}.keras"
rows = []
for path in [filepath, "best.keras"]:
    for best_only in [False, True]:
        checkpoint = cbteach.ModelCheckpoint(path, save_best_only=best_only, write=False)
        saves = replay(overfit, [checkpoint]).saves
        paths = [event.saved_path for event in saves]
        rows.append((path, best_only, len(paths), len(set(paths)), saves[-1].epoch, paths[-1]))
pd.DataFrame(rows, columns=["filepath", "save_best_only", "saves", "files", "last_saved_epoch", "last_file"])

# %% [markdown] lang="ko"
# - 서식 이름 + `save_best_only=True`: 예측한 그 경우입니다. 파일 6개가 남고, 마지막 파일
#   `weights.07-0.21.keras`에는 100번째가 아니라 7번째 에포크의 모델이 들어 있습니다.
# - `best.keras` + `save_best_only=True`: 같은 파일에 6번 쓰고, 마지막에 7번째 에포크의 모델이
#   남습니다. 파일 하나에 늘 최고 기록의 모델이 들어 있으니 가장 흔히 쓰는 설정입니다.
# - `best.keras` + `save_best_only=False`: 에포크마다 덮어써서 이름과 달리 100번째 에포크의 모델이
#   남습니다.
#
# 그러니 노트의 문장은 `save_best_only=False`에서만 맞습니다. `True`면 남는 파일에는 최고 기록
# 에포크의 모델이 들어 있고, 그것이 마지막 모델이기도 한 것은 마지막 에포크가 최고 기록일 때뿐입니다.

# %% [markdown] lang="en"
# - Formatted name + `save_best_only=True`: the case you predicted. 6 files, and the last one,
#   `weights.07-0.21.keras`, holds epoch 7, not epoch 100.
# - `best.keras` + `save_best_only=True`: the same file written 6 times, ending with epoch 7's
#   model. One file that always holds the best so far: the most common setting.
# - `best.keras` + `save_best_only=False`: overwritten every epoch, so whatever the name says, it
#   ends up holding epoch 100.
#
# So the notes' sentence holds only for `save_best_only=False`. With `True` the file kept holds the
# best epoch's model, which is also the last model only when the last epoch was the best.

# %% [markdown] lang="ko"
# ## 확장자와 경로
#
# 노트의 설정을 확장자까지 그대로 옮기면, Keras 3은 콜백을 만드는 순간 거절합니다(다음 셀은
# **일부러 오류를 냅니다**).

# %% [markdown] lang="en"
# ## The suffix and the path
#
# Copied with its suffix, the notes' call is refused the moment the callback is built (the next
# cell **fails on purpose**):

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
# 가중치만 저장하려면(`save_weights_only=True`) 이름이 `.weights.h5`로 끝나야 하고, 모델 전체를
# 저장하려면(기본값 `False`) `.keras`로 끝나야 합니다. `.weights.h5` 파일은 작지만 모델 구조가
# 없어서, 같은 구조의 모델을 코드로 만든 뒤 `load_weights`로 채워야 합니다. "`False`에는 TF 2의
# 문제가 있다"는 노트의 말은 Keras 2 시절 이야기입니다. 위에서 모델 전체를 `.keras`로 저장하고
# 문제없이 불러왔습니다.
#
# 경로도 봅시다. `os.getcwd()`는 현재 작업 폴더의 경로를 끝에 `/` 없이 돌려주므로, 문자열을 그냥
# 이어 붙이면 폴더 이름과 파일 이름이 한데 붙습니다. 현재 폴더가 `/home/me/project`라고 하고 두
# 경로를 (경로, 파일이 놓일 폴더, 파일 이름)으로 나눠 봅시다.

# %% [markdown] lang="en"
# Saving only the weights (`save_weights_only=True`) needs a name ending in `.weights.h5`; saving
# the whole model (the default, `False`) needs `.keras`. A `.weights.h5` file is smaller but has no
# architecture: you build a model of the same architecture in code, then fill it with
# `load_weights`. The notes' "False has a TF 2 issue" is a Keras 2 story: above, the whole model was
# saved as `.keras` and loaded back without trouble.
#
# Now the path. `os.getcwd()` returns the current working folder without a trailing `/`, so plain
# concatenation glues the folder name onto the file name. Say the current folder is
# `/home/me/project`, and split both paths into (path, folder the file lands in, file name):

# %%
# NBVAL_CHECK_OUTPUT
project = "/home/me/project"
for path in [project + filepath, os.path.join(project, filepath)]:
    print((path, os.path.dirname(path), os.path.basename(path)))

# %% [markdown] lang="ko"
# 이어 붙인 경로에서는 파일이 `/home/me/project` **안**이 아니라 **옆**, 즉 `/home/me`에
# `projectweights.01-0.37.keras` 같은 이름으로 생깁니다. 오류가 나지 않아 알아채기 어렵습니다.
# `os.path.join`을 쓰거나, 현재 작업 폴더에 저장할 때는 `"weights.{epoch:02d}-{val_loss:.2f}.keras"`
# 같은 상대 경로만 써도 됩니다.
#
# ## 질문
#
# 1. 노트는 "결국 가장 마지막에 학습된 model이 저장되는 경우가 대부분"이라고 했습니다. 이 말이
#    맞는 설정과 틀린 설정은 무엇이고, 왜 그런가요?
# 2. 학습이 끝나고 `fit()`이 돌려준 모델과 체크포인트 파일의 모델은 어떻게 다른가요? 어느 쪽을 쓸지
#    무엇을 보고 고르나요?
# 3. 체크포인트를 붙인 학습과 `no_callbacks`의 곡선이 같은 이유는 무엇인가요? 그렇다면 체크포인트는
#    무엇을 얻게 해 주나요?
# 4. (판단) 모델 파일 하나가 수백 MB이고 디스크가 좁습니다. 나아질 때마다 새 파일을 남기는 서식 이름과,
#    최고 기록만 덮어쓰는 `best.keras` 가운데 무엇을 고르겠습니까? 서식 이름이 더 나은 경우는
#    언제일까요?
#
# 다음: **02 ReduceLROnPlateau**

# %% [markdown] lang="en"
# With concatenation the file lands not **inside** `/home/me/project` but **beside** it, in
# `/home/me`, under a name like `projectweights.01-0.37.keras`. Nothing fails, so it is easy to
# miss. Use `os.path.join`; or, to save in the current working folder, a relative path such as
# `"weights.{epoch:02d}-{val_loss:.2f}.keras"` is enough.
#
# ## Questions
#
# 1. The notes say "in the end, most of the time it is the last trained model that gets saved".
#    With which settings is that true, with which is it not, and why?
# 2. How does the model `fit()` returns differ from the model in the checkpoint file? What do you
#    look at to choose which one to use?
# 3. Why do the run with the checkpoint and `no_callbacks` share one curve? What, then, does a
#    checkpoint buy you?
# 4. (Judgement call) Each model file is hundreds of MB and the disk is small. Would you pick a
#    formatted name that leaves a new file per improvement, or `best.keras`, overwritten at each new
#    best? When is the formatted name the better choice?
#
# Next: **02 ReduceLROnPlateau**
