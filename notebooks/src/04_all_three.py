# %% [markdown] lang="ko"
# # 04. 세 콜백 함께 쓰기: 노트의 예제를 그대로 돌려 보고 고치기
#
# 노트의 마지막 절 "세 개 한 번에"는 콜백(callback) `ModelCheckpoint`, `ReduceLROnPlateau`,
# `EarlyStopping`을 한 번의 학습에 함께 붙이는 예제입니다. 노트에 적힌 그대로 옮기면 다음과 같습니다.
#
# ```python
# import os
# from tensorflow.keras.callbacks import ModelCheckpoint()
# from tensorflow.keras.callbacks import ReduceLROnPlateau
# from tensorflow.keras.callbacks import EarlyStopping
#
# save_path = os.getcwd() + 'weights.{epoch:02d}-{val_loss:.2f}.hdf5'
#
# model.compile(~~~)
#
# mcp_cb = ModelCheckpoint(filepath = save_path, monitor = 'val_loss',
#                         save_best_only = True, save_weights_only = True,
#                         mode = 'min', verbose = 1)
# rlr_cb = ReduceLROnPlateau(monitor = 'val_loss', fector = 0.3,
#                            patienc = 10, mode = 'min', verbose = 1)
# elr_cb = EarlyStopping(monitor = 'val_loss', patienc = 20,
#                        mode = 'min', verbose = 1)
#
# loss_acc = model.fit(x = train_iamges, y = train_oh_labels, batch_szie = 128, epoch = 50, validation_data = (val_images, val_oh_labels), callbacks = [mcp_cb , rlr_cb, elr_cb])
# ```
#
# 이 레슨은 두 부분으로 나뉩니다.
#
# 1. 이 코드를 실제 Keras 3에서 위에서부터 **그대로** 실행합니다. 멈추는 곳이 나오면 그 실수 하나만
#    고치고 다음 줄로 넘어가는 식으로 끝까지 갑니다.
# 2. 노트가 의도한 설정을 cbteach의 콜백으로 다시 써서, 먼저 기록(recorded run) 위에서
#    리플레이(replay)한 다음 실제로 한 번 학습합니다. 그러면서 두 `patience`의 크기 순서가 왜
#    중요한지, `restore_best_weights`와 `ModelCheckpoint`를 함께 쓰면 모델과 파일에 각각 어느
#    에포크(epoch)의 가중치(weights)가 남는지도 확인합니다.
#
# 이 레슨에는 **일부러 오류를 내는 셀**이 여러 개 있습니다. 그런 셀은 바로 앞 설명에서 미리 알려
# 드리고, 셀 아래에 나오는 오류 메시지가 바로 보여 드리려는 결과입니다.

# %% [markdown] lang="en"
# # 04. All three together: the notes' example, run as written and then fixed
#
# The last section of the notes, "all three at once", attaches `ModelCheckpoint`,
# `ReduceLROnPlateau` and `EarlyStopping` to one training run. Here it is exactly as the notes
# wrote it:
#
# ```python
# import os
# from tensorflow.keras.callbacks import ModelCheckpoint()
# from tensorflow.keras.callbacks import ReduceLROnPlateau
# from tensorflow.keras.callbacks import EarlyStopping
#
# save_path = os.getcwd() + 'weights.{epoch:02d}-{val_loss:.2f}.hdf5'
#
# model.compile(~~~)
#
# mcp_cb = ModelCheckpoint(filepath = save_path, monitor = 'val_loss',
#                         save_best_only = True, save_weights_only = True,
#                         mode = 'min', verbose = 1)
# rlr_cb = ReduceLROnPlateau(monitor = 'val_loss', fector = 0.3,
#                            patienc = 10, mode = 'min', verbose = 1)
# elr_cb = EarlyStopping(monitor = 'val_loss', patienc = 20,
#                        mode = 'min', verbose = 1)
#
# loss_acc = model.fit(x = train_iamges, y = train_oh_labels, batch_szie = 128, epoch = 50, validation_data = (val_images, val_oh_labels), callbacks = [mcp_cb , rlr_cb, elr_cb])
# ```
#
# The lesson has two parts.
#
# 1. Run this code on real Keras 3, from the top, **as written**. Wherever it stops, fix that one
#    mistake and carry on to the next line, until the end.
# 2. Rewrite the settings the notes meant with cbteach's callbacks, replay them on a recorded run,
#    then train once for real. Along the way: why the order of the two `patience` values matters,
#    and, with `restore_best_weights` and `ModelCheckpoint` together, which epoch's weights end up
#    in the model and which in the file.
#
# Several cells in this lesson **fail on purpose**. The text just before each one says so, and the
# error message under it is the result it is there to show.

# %% [markdown] lang="ko"
# ## 시작하기
#
# 첫 셀은 언어를 정하고, 장치(device)와 학습 규모를 알려 줍니다(00 레슨과 같습니다).

# %% [markdown] lang="en"
# ## Getting started
#
# The first cell sets the language and reports the device and how much the lesson will train (as in
# lesson 00).

# %%
# NBVAL_IGNORE_OUTPUT
LANGUAGE = "en"

import cbteach

import inspect

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from cbteach import recorded, workbook
from cbteach.plots import plot_run
from cbteach.replay import replay
from cbteach.summary import summarize

plan = workbook.start(LANGUAGE)

# %% [markdown] lang="ko"
# ## 1부. 노트의 예제를 그대로 실행하기
#
# ### 실수 1: `import ModelCheckpoint()`
#
# 첫 번째 import 줄부터 멈춥니다. `import` 뒤에는 불러올 **이름**만 쓸 수 있습니다. 이름 뒤에
# `()`를 붙이면 "불러오면서 바로 호출하라"는 뜻처럼 보이지만, 파이썬 문법에는 그런 형태가 없습니다.
# 그래서 파이썬은 코드를 실행하기도 전에, 코드를 읽는 단계에서 `SyntaxError`(문법 오류)를 냅니다.
#
# 아래 셀에는 노트의 그 줄 하나만 들어 있고, **일부러 실패합니다**. 메시지 괄호 안의 `....py`는
# Jupyter가 셀마다 붙이는 임시 파일 이름이니 신경 쓰지 않아도 됩니다.

# %% [markdown] lang="en"
# ## Part 1. Running the notes' example as written
#
# ### Mistake 1: `import ModelCheckpoint()`
#
# It stops at the very first import line. After `import` only **names** may follow. Adding `()`
# looks like "import it and call it right away", but Python's grammar has no such form, so Python
# refuses the code while reading it, before running anything: a `SyntaxError`.
#
# The cell below holds just that line from the notes and **fails on purpose**. The `....py` in
# brackets in the message is the temporary file name Jupyter gives each cell; ignore it.

# %% tags=["raises-exception"]
# NBVAL_CHECK_OUTPUT
from tensorflow.keras.callbacks import ModelCheckpoint()

# %% [markdown] lang="ko"
# 괄호만 지우면 됩니다. 세 줄을
# `from tensorflow.keras.callbacks import ModelCheckpoint, ReduceLROnPlateau, EarlyStopping` 한 줄로
# 합쳐도 됩니다. 00 레슨에서 본 것처럼 `tensorflow.keras`는 Keras 3 그 자체이므로, 1부에서 쓰는
# 콜백은 아무것도 덧붙이지 않은 Keras의 콜백입니다.

# %% [markdown] lang="en"
# Deleting the brackets is the whole fix. The three lines may also become one:
# `from tensorflow.keras.callbacks import ModelCheckpoint, ReduceLROnPlateau, EarlyStopping`. As
# lesson 00 showed, `tensorflow.keras` *is* Keras 3, so the callbacks in Part 1 are plain Keras
# callbacks with nothing added.

# %%
import os
from tensorflow.keras.callbacks import ModelCheckpoint
from tensorflow.keras.callbacks import ReduceLROnPlateau
from tensorflow.keras.callbacks import EarlyStopping

# %% [markdown] lang="ko"
# ### 실수 2: 저장 경로 `os.getcwd() + 'weights...hdf5'`
#
# 노트는 저장 경로를 이렇게 만듭니다.
#
# > `save_path = os.getcwd() + 'weights.{epoch:02d}-{val_loss:.2f}.hdf5'`
#
# 여기에는 문제가 두 가지 있습니다.
#
# **첫째, 폴더와 파일 이름 사이에 구분자가 없습니다.** `os.getcwd()`는 지금 작업 중인 폴더의
# 경로를 돌려주는데, 끝에 `/`(Windows에서는 `\`)가 붙어 있지 않습니다. 그래서 문자열을 `+`로 이으면
# 폴더 이름과 파일 이름이 한 단어로 붙어 버립니다. 작업 폴더가 `/home/me/project`라면 경로는
# `/home/me/projectweights.01-0.37.hdf5`가 되고, 파일은 `project` 폴더 **안**이 아니라 그 **옆**에
# `projectweights...`라는 이름으로 생깁니다. 오류가 나지 않으니 알아채기도 어렵습니다.
#
# `os.getcwd()`의 결과는 컴퓨터마다 다르고, 뒤에서 볼 Keras의 오류 메시지는 경로를 통째로 찍습니다.
# 그래서 이 레슨에서는 `os.getcwd()` 자리에 고정된 폴더 이름 `"project"`를 넣어 같은 상황을
# 재현합니다. 아래 셀의 첫 줄은 `os.getcwd()`의 결과가 구분자로 끝나지 않는다는 것(`False`)을,
# 나머지 두 줄은 `+`로 이은 경로와 `os.path.join`으로 이은 경로를 보여 줍니다. `os.path.join`은
# 운영체제에 맞는 구분자를 알아서 넣어 줍니다.

# %% [markdown] lang="en"
# ### Mistake 2: the path `os.getcwd() + 'weights...hdf5'`
#
# The notes build the save path like this:
#
# > `save_path = os.getcwd() + 'weights.{epoch:02d}-{val_loss:.2f}.hdf5'`
#
# Two things are wrong with it.
#
# **First, there is no separator between the folder and the file name.** `os.getcwd()` returns the
# path of the current working folder without a trailing `/` (`\` on Windows), so gluing strings
# with `+` runs the folder name and the file name together. With the working folder
# `/home/me/project` the path becomes `/home/me/projectweights.01-0.37.hdf5`: the file lands
# **next to** `project`, named `projectweights...`, not **inside** it. Nothing fails, so it is easy
# to miss.
#
# `os.getcwd()` differs from one computer to the next, and the Keras error below prints the whole
# path, so this lesson puts the fixed folder name `"project"` where `os.getcwd()` was; the effect
# is the same. The first line of the next cell shows that `os.getcwd()` does not end with a
# separator (`False`); the other two show the path glued with `+` and the path joined with
# `os.path.join`, which puts in the right separator for the operating system.

# %%
# NBVAL_CHECK_OUTPUT
print(os.getcwd().endswith(os.sep))

folder = "project"
print(folder + 'weights.{epoch:02d}-{val_loss:.2f}.hdf5')
print(os.path.join(folder, 'weights.{epoch:02d}-{val_loss:.2f}.hdf5'))

# %% [markdown] lang="ko"
# **둘째, 확장자가 `.hdf5`입니다.** Keras 3에서 `save_weights_only=True`로 가중치만 저장하려면
# 파일 이름이 반드시 `.weights.h5`로 끝나야 합니다. Keras는 이것을 학습할 때가 아니라
# `ModelCheckpoint`를 **만드는 순간** 검사합니다. 아래 셀은 노트의 두 문장을 그대로 실행하므로
# **일부러 실패합니다**. 메시지 끝의 `Received: filepath=projectweights...`에서 구분자가 빠진 것도
# 함께 보입니다.

# %% [markdown] lang="en"
# **Second, the extension is `.hdf5`.** In Keras 3, saving only the weights with
# `save_weights_only=True` requires a file name ending in `.weights.h5`, and Keras checks it the
# moment the `ModelCheckpoint` is **built**, not later during training. The cell below runs the
# notes' two statements as they are and **fails on purpose**. The end of the message,
# `Received: filepath=projectweights...`, shows the missing separator too.

# %% tags=["raises-exception"]
# NBVAL_CHECK_OUTPUT
save_path = folder + 'weights.{epoch:02d}-{val_loss:.2f}.hdf5'

mcp_cb = ModelCheckpoint(filepath = save_path, monitor = 'val_loss',
                        save_best_only = True, save_weights_only = True,
                        mode = 'min', verbose = 1)

# %% [markdown] lang="ko"
# 두 가지를 고칩니다. 경로는 `os.path.join`으로 잇고, 확장자는 `.weights.h5`로 바꿉니다. 폴더로는
# `workbook.output_folder("04_all_three")`가 이 레슨을 실행할 때마다 새로 만들어 주는 폴더를 쓰고,
# 노트 예제의 파일은 그 안의 `notes` 폴더에 둡니다. 폴더가 아직 없으면 `ModelCheckpoint`가 처음
# 저장할 때 만듭니다. 파일 이름 속 `{epoch:02d}`와 `{val_loss:.2f}`는 노트에 적힌 대로 저장할
# 때마다 채워지므로 고칠 필요가 없습니다.
#
# 아래 셀은 오류 없이 지나가고, 출력 폴더를 기준으로 한 경로를 찍습니다.

# %% [markdown] lang="en"
# Two fixes: join the path with `os.path.join`, and change the extension to `.weights.h5`. For the
# folder, use the fresh one that `workbook.output_folder("04_all_three")` makes each time this
# lesson runs, and put the notes example's files in a `notes` folder inside it; `ModelCheckpoint`
# creates a missing folder when it first saves. The `{epoch:02d}` and `{val_loss:.2f}` in the
# name are filled in at each save just as the notes describe, so they stay.
#
# This cell runs without error and prints the path relative to the output folder:

# %%
# NBVAL_CHECK_OUTPUT
out = workbook.output_folder("04_all_three")
save_path = os.path.join(out, "notes", "weights.{epoch:02d}-{val_loss:.2f}.weights.h5")

mcp_cb = ModelCheckpoint(filepath = save_path, monitor = 'val_loss',
                        save_best_only = True, save_weights_only = True,
                        mode = 'min', verbose = 1)
print(os.path.relpath(mcp_cb.filepath, out))

# %% [markdown] lang="ko"
# ### 실수 3: `fector`, `patienc`는 아무 말 없이 통과한다
#
# 다음 줄입니다.
#
# > `rlr_cb = ReduceLROnPlateau(monitor = 'val_loss', fector = 0.3, patienc = 10, mode = 'min', verbose = 1)`
#
# `factor`를 `fector`로, `patience`를 `patienc`로 잘못 적었습니다. 그런데 아래 셀은 **오류 없이
# 실행됩니다**. 만들어진 콜백의 `factor`와 `patience`를 찍어 보고, 잘못 적은 이름이 어딘가에 남아
# 있는지도 확인합니다. 마지막 줄은 `patienc=3`을 주었을 때의 `patience`입니다.

# %% [markdown] lang="en"
# ### Mistake 3: `fector` and `patienc` pass without a word
#
# The next line:
#
# > `rlr_cb = ReduceLROnPlateau(monitor = 'val_loss', fector = 0.3, patienc = 10, mode = 'min', verbose = 1)`
#
# `factor` is spelled `fector` and `patience` is spelled `patienc`. Yet the cell below **runs
# without any error**. It prints the callback's `factor` and `patience`, checks whether the
# misspelled names were kept anywhere, and on the last line gives `patienc=3` to see what
# `patience` becomes.

# %%
# NBVAL_CHECK_OUTPUT
rlr_cb = ReduceLROnPlateau(monitor = 'val_loss', fector = 0.3,
                           patienc = 10, mode = 'min', verbose = 1)
print(rlr_cb.factor, rlr_cb.patience)
print(hasattr(rlr_cb, "fector"), hasattr(rlr_cb, "patienc"))
print(ReduceLROnPlateau(patienc=3).patience)

# %% [markdown] lang="ko"
# `factor`는 의도한 0.3이 아니라 기본값(default) 0.1입니다. `patience`는 10으로 나오지만, 노트의
# 값이 전달된 것이 아닙니다. 기본값이 마침 10일 뿐이라서 `patienc=3`을 줘도 `patience`는 10입니다.
# 잘못 적은 두 인자(argument)는 어디에도 남지 않고, Keras가 그냥 버렸습니다.
#
# 이유는 Keras의 시그니처(signature)에 있습니다. 세 콜백이 받는 인자 목록의 마지막 항목을 찍어
# 보면 `ReduceLROnPlateau`만 `**kwargs`로 끝납니다. 이름이 무엇이든 받아 두기만 하고 쓰지 않는
# 자리입니다. 나머지 두 콜백에는 이런 자리가 없어서, 모르는 이름을 주면 바로 오류가 납니다.

# %% [markdown] lang="en"
# `factor` is 0.1, the default, not the 0.3 the notes meant. `patience` is 10 not because the
# notes' value got through but because the default happens to be 10: with `patienc=3` it is still
# 10. Both misspelled arguments were simply thrown away.
#
# The reason is in Keras' signatures. Print the last parameter each of the three callbacks accepts:
# only `ReduceLROnPlateau` ends with `**kwargs`, a slot that takes any name and never uses it. The
# other two have no such slot, so an unknown name fails at once.

# %%
# NBVAL_CHECK_OUTPUT
for callback in (ModelCheckpoint, ReduceLROnPlateau, EarlyStopping):
    last = list(inspect.signature(callback).parameters.values())[-1]
    print(callback.__name__, last)

# %% [markdown] lang="ko"
# 이 예제의 실수 가운데 이것이 가장 위험합니다. 학습은 멀쩡히 돌고 학습률(learning rate)도 실제로
# 낮아지는데, 낮아지는 폭만 조용히 다릅니다. 00 레슨의 `overfit` 기록 위에서 노트의 콜백(`fector`)과
# 고친 콜백(`factor`)을 리플레이해, 에포크마다 쓰인 학습률을 나란히 놓아 봅시다. 리플레이는 기록된
# 곡선은 그대로 두고 콜백의 판단만 다시 돌리는 기능입니다. 여기서 보려는 것은 콜백이 정하는 학습률
# 값이므로 리플레이로 충분합니다. 노트의 콜백으로는 위에서 만든 `rlr_cb`를 그대로 쓰므로,
# `verbose=1` 설정에 따라 Keras가 학습률을 낮출 때마다 메시지를 찍습니다.

# %% [markdown] lang="en"
# Of all the mistakes in the example, this is the most dangerous. Training runs fine and the
# learning rate really is lowered; only the size of each cut is silently different. Replay the
# notes' callback (`fector`) and the fixed one (`factor`) on lesson 00's `overfit` recording and
# put the learning rate of each epoch side by side. A replay keeps the recorded curve and reruns
# only the callbacks' decisions; the learning rates a callback sets are exactly what we want to see
# here, so a replay is enough. The notes' callback is the `rlr_cb` built above, so with its
# `verbose=1` Keras prints a message at every cut.

# %%
# NBVAL_CHECK_OUTPUT
overfit = recorded.load("overfit")
typo_run = replay(overfit, [rlr_cb])
fixed_run = replay(overfit, [ReduceLROnPlateau(monitor='val_loss', factor=0.3, patience=10, mode='min')])
lrs = pd.DataFrame(
    {"fector=0.3": typo_run.lrs, "factor=0.3": fixed_run.lrs},
    index=pd.RangeIndex(1, overfit.epochs + 1, name="epoch"),
)
lrs.loc[[17, 18, 28, 100]].map("{:.1e}".format)

# %% [markdown] lang="ko"
# 두 콜백 모두 17번째 에포크가 끝날 때 처음으로 학습률을 낮추므로, 18번째 에포크부터 값이
# 갈립니다. 노트의 콜백은 3.0e-03을 10분의 1인 3.0e-04로 줄이고, 고친 콜백은 의도대로 9.0e-04로
# 줄입니다. 조기 종료(early stopping) 없이 100 에포크까지 가면 차이는 더 벌어집니다. Keras의
# 메시지도 `reducing learning rate to 0.0003...`이라고 새 값을 알려 주기는 하지만, 그 값이 의도와
# 다르다는 것까지 알려 주지는 않습니다.
#
# 철자를 바로잡으면 값이 제대로 들어갑니다.

# %% [markdown] lang="en"
# Both callbacks make their first cut at the end of epoch 17, so the values part from epoch 18 on:
# the notes' callback divides 3.0e-03 by ten, to 3.0e-04, while the fixed one lowers it to
# 9.0e-04 as intended. Over 100 epochs without early stopping the gap keeps growing. Keras'
# message does say `reducing learning rate to 0.0003...`, but nothing says that this is not the
# value you meant.
#
# Spelled correctly, the values get through:

# %%
# NBVAL_CHECK_OUTPUT
rlr_cb = ReduceLROnPlateau(monitor = 'val_loss', factor = 0.3,
                           patience = 10, mode = 'min', verbose = 1)
print(rlr_cb.factor, rlr_cb.patience)

# %% [markdown] lang="ko"
# ### 실수 4: `EarlyStopping(patienc=20)`
#
# 같은 오타가 `EarlyStopping`에도 있습니다. 여기서는 조용히 넘어가지 않습니다. 위에서 본 것처럼
# `EarlyStopping`에는 `**kwargs`가 없으므로, 파이썬이 모르는 인자라며 `TypeError`를 냅니다.
# 아래 셀은 노트의 줄을 그대로 실행하므로 **일부러 실패합니다**.

# %% [markdown] lang="en"
# ### Mistake 4: `EarlyStopping(patienc=20)`
#
# `EarlyStopping` has the same typo, and here it does not pass quietly: as shown above,
# `EarlyStopping` has no `**kwargs`, so Python rejects the unknown argument with a `TypeError`. The
# cell below runs the notes' line as it is and **fails on purpose**.

# %% tags=["raises-exception"]
# NBVAL_CHECK_OUTPUT
elr_cb = EarlyStopping(monitor = 'val_loss', patienc = 20,
                       mode = 'min', verbose = 1)

# %% [markdown] lang="ko"
# 이 오류는 오히려 고마운 오류입니다. 철자를 고치면 됩니다.

# %% [markdown] lang="en"
# This error is a helpful one. Fix the spelling:

# %%
# NBVAL_CHECK_OUTPUT
elr_cb = EarlyStopping(monitor = 'val_loss', patience = 20,
                       mode = 'min', verbose = 1)
print(elr_cb.patience)

# %% [markdown] lang="ko"
# ### 모델과 데이터: `model.compile(~~~)` 대신
#
# 노트에는 모델과 데이터를 만드는 코드가 없고 `model.compile(~~~)`이라고만 적혀 있습니다. 여기서는
# `fit` 줄의 문제만 빨리 확인하면 되므로, 아주 작은 모델과 무작위 데이터를 씁니다. 레이블은 노트의
# 변수 이름(`oh_labels`)이 뜻하는 대로 원-핫(one-hot) 벡터로 만들고, 그에 맞춰 손실(loss) 함수는
# `categorical_crossentropy`로 컴파일합니다. 이미지 변수 이름은 흔히 쓰는 `train_images`로
# 지었습니다.

# %% [markdown] lang="en"
# ### The model and the data, in place of `model.compile(~~~)`
#
# The notes have no code for the model or the data, only `model.compile(~~~)`. The point here is
# to check the `fit` line quickly, so a tiny model and random data will do. The labels are one-hot
# vectors, as the notes' variable name `oh_labels` suggests, so the model is compiled with the
# `categorical_crossentropy` loss. The image variable gets the usual name `train_images`.

# %%
rng = np.random.default_rng(0)
train_images = rng.random((64, 28, 28), dtype="float32")
train_oh_labels = keras.utils.to_categorical(rng.integers(0, 10, size=64), 10)
val_images = rng.random((32, 28, 28), dtype="float32")
val_oh_labels = keras.utils.to_categorical(rng.integers(0, 10, size=32), 10)

keras.utils.set_random_seed(0)
model = keras.Sequential(
    [keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")]
)
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])

# %% [markdown] lang="ko"
# ### 실수 5: `fit` 줄의 오타
#
# 이제 마지막 줄입니다. 이 줄에는 오타가 세 개 있습니다. `train_iamges`, `batch_szie`,
# `epoch`(`epochs`가 맞습니다)입니다. 파이썬은 함수를 부르기 전에 인자로 넘길 값부터 계산하므로,
# 가장 먼저 걸리는 것은 없는 변수 `train_iamges`입니다. 노트가 실제로 변수 이름을 `train_iamges`로
# 지었다면 문제가 없었겠지만, 여기서는 `train_images`로 지었으니 `NameError`가 납니다. 아래 셀은
# 노트의 줄을 그대로 실행하므로 **일부러 실패합니다**.

# %% [markdown] lang="en"
# ### Mistake 5: the typos in the `fit` line
#
# Now the last line. It has three typos: `train_iamges`, `batch_szie` and `epoch` (it should be
# `epochs`). Python computes the values of the arguments before it calls the function, so the first
# to be caught is the variable `train_iamges`, which does not exist. Had the notes really named the
# variable `train_iamges` this would be fine, but here it is `train_images`, so the result is a
# `NameError`. The cell below runs the notes' line as it is and **fails on purpose**.

# %% tags=["raises-exception"]
# NBVAL_CHECK_OUTPUT
loss_acc = model.fit(x = train_iamges, y = train_oh_labels, batch_szie = 128, epoch = 50, validation_data = (val_images, val_oh_labels), callbacks = [mcp_cb , rlr_cb, elr_cb])

# %% [markdown] lang="ko"
# 변수 이름을 고치면 이번에는 `fit`이 인자 이름을 문제 삼습니다. 오타는 둘이지만 한 번에 하나씩만
# 알려 주는데, 먼저 걸리는 것은 `batch_szie`입니다. `TensorFlowTrainer`는 TensorFlow
# 백엔드(backend)에서 `fit` 메서드를 가진 클래스의 이름입니다. 아래 셀도 **일부러 실패합니다**.

# %% [markdown] lang="en"
# With the variable fixed, `fit` objects to an argument name. There are two typos but it reports one
# at a time, and the first it catches is `batch_szie`. `TensorFlowTrainer` is the name of the class
# that owns `fit` on the TensorFlow backend. This cell also **fails on purpose**:

# %% tags=["raises-exception"]
# NBVAL_CHECK_OUTPUT
loss_acc = model.fit(x = train_images, y = train_oh_labels, batch_szie = 128, epoch = 50, validation_data = (val_images, val_oh_labels), callbacks = [mcp_cb , rlr_cb, elr_cb])

# %% [markdown] lang="ko"
# `batch_size`로 고치면 그다음 오타 `epoch`가 걸립니다. 역시 **일부러 실패하는** 셀입니다.

# %% [markdown] lang="en"
# Fix it to `batch_size` and the next typo, `epoch`, is caught. Another cell that **fails on
# purpose**:

# %% tags=["raises-exception"]
# NBVAL_CHECK_OUTPUT
loss_acc = model.fit(x = train_images, y = train_oh_labels, batch_size = 128, epoch = 50, validation_data = (val_images, val_oh_labels), callbacks = [mcp_cb , rlr_cb, elr_cb])

# %% [markdown] lang="ko"
# `epochs`로 고치면 노트의 예제가 드디어 끝까지 실행됩니다. 무작위 데이터라 학습 자체에는 의미가
# 없지만, 검증 손실(validation loss)이 금방 나빠지므로 세 콜백이 모두 동작하는 모습을 볼 수
# 있습니다. 출력에서 `saving model to ...`(저장),
# `ReduceLROnPlateau reducing learning rate to ...`(학습률 감소), `early stopping`(조기 종료)
# 메시지를 찾아보세요. 마지막 두 줄은 실제로 학습한 에포크 수와
# `notes` 폴더에 생긴 파일입니다.

# %% [markdown] lang="en"
# Fix it to `epochs` and the notes' example finally runs to the end. On random data the training
# itself means nothing, but the validation loss soon gets worse, so all three callbacks get to act.
# Look in the output for `saving model to ...` (a save), `ReduceLROnPlateau reducing learning rate
# to ...` (a cut) and `early stopping`. The last two lines are the number of epochs that ran and
# the files in the `notes` folder.

# %%
# NBVAL_IGNORE_OUTPUT
loss_acc = model.fit(x = train_images, y = train_oh_labels, batch_size = 128, epochs = 50, validation_data = (val_images, val_oh_labels), callbacks = [mcp_cb , rlr_cb, elr_cb])
print(len(loss_acc.history["loss"]))
print(sorted(os.listdir(os.path.join(out, "notes"))))

# %% [markdown] lang="ko"
# 지금까지 고친 것을 정리하면 다음과 같습니다.
#
# | 노트 | Keras 3에서 일어나는 일 | 고친 것 |
# |---|---|---|
# | `import ModelCheckpoint()` | `SyntaxError` | 괄호 삭제 |
# | `os.getcwd() + 'weights...'` | 오류 없음. 폴더 안이 아니라 옆에 파일이 생김 | `os.path.join(폴더, 'weights...')` |
# | `.hdf5` + `save_weights_only=True` | `ValueError` (만드는 순간) | `.weights.h5` |
# | `fector=0.3`, `patienc=10` | **오류 없음.** `factor=0.1`, `patience=10`(기본값)으로 동작 | `factor`, `patience` |
# | `EarlyStopping(patienc=20)` | `TypeError` | `patience` |
# | `x = train_iamges` | `NameError` (변수 이름이 다를 때) | 변수 이름 통일 |
# | `batch_szie`, `epoch` | `TypeError` (하나씩) | `batch_size`, `epochs` |
#
# 오류가 나는 실수는 고치기 쉽습니다. 문제는 오류가 나지 않는 두 가지, 구분자가 빠진 경로와
# `ReduceLROnPlateau`의 오타입니다.

# %% [markdown] lang="en"
# Here is what was fixed:
#
# | The notes | What Keras 3 does | The fix |
# |---|---|---|
# | `import ModelCheckpoint()` | `SyntaxError` | drop the brackets |
# | `os.getcwd() + 'weights...'` | no error; the file lands next to the folder, not inside it | `os.path.join(folder, 'weights...')` |
# | `.hdf5` + `save_weights_only=True` | `ValueError` (when built) | `.weights.h5` |
# | `fector=0.3`, `patienc=10` | **no error**; runs with `factor=0.1`, `patience=10` (the defaults) | `factor`, `patience` |
# | `EarlyStopping(patienc=20)` | `TypeError` | `patience` |
# | `x = train_iamges` | `NameError` (when the variable is named otherwise) | one spelling for the variable |
# | `batch_szie`, `epoch` | `TypeError` (one at a time) | `batch_size`, `epochs` |
#
# Mistakes that raise an error are easy to fix. The trouble is the two that do not: the path
# without a separator, and the typos in `ReduceLROnPlateau`.

# %% [markdown] lang="ko"
# ### cbteach의 콜백은 오타를 받아 주지 않는다
#
# 가장 위험한 실수 3을 막으려고, cbteach의 콜백은 Keras가 쓰지 않을 인자를 받으면 바로
# `TypeError`를 냅니다. 메시지는 학습자의 언어로 나오고, 가장 비슷한 진짜 인자 이름을 알려 줍니다.
# 아래 두 셀은 노트의 줄에서 `ReduceLROnPlateau`와 `EarlyStopping` 앞에 `cbteach.`만 붙인 것이고,
# 둘 다 **일부러 실패합니다**. 첫 번째 셀에는 오타가 둘이지만 먼저 나온 `fector`부터 알려 줍니다.

# %% [markdown] lang="en"
# ### cbteach's callbacks refuse typos
#
# To catch the most dangerous mistake, number 3, cbteach's callbacks raise a `TypeError` as soon as
# they get an argument Keras would not use. The message is in the learner's language and names the
# closest real argument. The two cells below are the notes' lines with just `cbteach.` in front of
# `ReduceLROnPlateau` and `EarlyStopping`; both **fail on purpose**. The first has two typos and
# reports the first one, `fector`.

# %% tags=["raises-exception"]
# NBVAL_CHECK_OUTPUT
rlr_cb = cbteach.ReduceLROnPlateau(monitor = 'val_loss', fector = 0.3,
                                   patienc = 10, mode = 'min', verbose = 1)

# %% tags=["raises-exception"]
# NBVAL_CHECK_OUTPUT
elr_cb = cbteach.EarlyStopping(monitor = 'val_loss', patienc = 20,
                               mode = 'min', verbose = 1)

# %% [markdown] lang="ko"
# ## 2부. 고친 예제
#
# 이제 노트가 의도한 설정을 cbteach의 콜백으로 다시 씁니다. cbteach의 콜백은 Keras 클래스의 하위
# 클래스라서 판단은 Keras가 그대로 내리고, cbteach는 판단 하나하나를 이벤트(event)로 기록합니다.
#
# - 세 콜백 모두 `monitor='val_loss'`, `mode='min'`으로 둡니다. 같은 지표(metric)를 같은 방향으로
#   보므로 세 콜백이 말하는 "최고 기록(best)"은 같은 에포크입니다.
# - `ModelCheckpoint`: `save_best_only=True`, `save_weights_only=True`로 두고, 파일 이름은
#   `.weights.h5`로 끝내며 경로는 `os.path.join`으로 잇습니다.
# - `ReduceLROnPlateau`: `factor=0.3`, `patience=10`. 검증 손실이 10 에포크 동안 나아지지 않으면
#   학습률에 0.3을 곱합니다.
# - `EarlyStopping`: `patience=20`에, 노트에 없던 `restore_best_weights=True`를 더합니다. 이것이
#   없으면 학습이 멈춘 뒤 모델에는 **마지막** 에포크의 가중치가 남습니다. `True`로 두면 학습이 끝날 때
#   `val_loss`가 가장 낮았던 에포크의 가중치로 되돌립니다. 이를 복원(restore)이라고 합니다.
#
# 콜백 세 개를 만드는 코드는 함수로 묶었습니다. 리플레이용과 실제 학습용으로 두 번 넘게 만들어야
# 하기 때문입니다. 리플레이할 때는 Keras의 메시지를 끄려고 `verbose=0`을 넘기고, 맨 뒤의
# `restore_best_weights` 절에서 비교할 때는 `restore_best_weights=False`도 넘깁니다.

# %% [markdown] lang="en"
# ## Part 2. The corrected example
#
# Now the settings the notes meant, written with cbteach's callbacks. They are subclasses of the
# Keras classes: Keras makes every decision, and cbteach records each one as an event.
#
# - All three use `monitor='val_loss'` and `mode='min'`: they watch the same metric in the same
#   direction, so the "best" they each speak of is the same epoch.
# - `ModelCheckpoint`: `save_best_only=True`, `save_weights_only=True`, a file name ending in
#   `.weights.h5`, and a path joined with `os.path.join`.
# - `ReduceLROnPlateau`: `factor=0.3`, `patience=10`: when the validation loss has not improved for
#   10 epochs, multiply the learning rate by 0.3.
# - `EarlyStopping`: `patience=20`, plus `restore_best_weights=True`, which the notes lack. Without
#   it the model keeps the **last** epoch's weights once training stops; with it, when training
#   ends the model gets back the weights of the epoch with the lowest `val_loss`.
#
# A function builds the three callbacks, because they are needed more than once: for replays and
# for real training. Replays pass `verbose=0` to silence Keras' messages, and the comparison in
# the `restore_best_weights` section at the end also passes `restore_best_weights=False`.

# %%
def corrected_callbacks(folder, verbose=1, restore_best_weights=True):
    save_path = os.path.join(folder, "weights.{epoch:02d}-{val_loss:.2f}.weights.h5")
    mcp_cb = cbteach.ModelCheckpoint(
        filepath=save_path,
        monitor="val_loss",
        save_best_only=True,
        save_weights_only=True,
        mode="min",
        verbose=verbose,
    )
    rlr_cb = cbteach.ReduceLROnPlateau(
        monitor="val_loss", factor=0.3, patience=10, mode="min", verbose=verbose
    )
    elr_cb = cbteach.EarlyStopping(
        monitor="val_loss",
        patience=20,
        mode="min",
        verbose=verbose,
        restore_best_weights=restore_best_weights,
    )
    return [mcp_cb, rlr_cb, elr_cb]


# %% [markdown] lang="ko"
# 콜백 객체를 `fit` 한 번마다 새로 만드는 데에는 이유가 있습니다. `ModelCheckpoint`는 `fit`을 다시
# 불러도 지난번의 최고 기록을 잊지 않습니다. 같은 `ModelCheckpoint` 하나로 `overfit` 기록을 두 번
# 리플레이하면, 첫 번째에는 파일을 6개 저장하지만 두 번째에는 하나도 저장하지 않습니다. 두 번째
# 실행의 어떤 에포크도 첫 번째 실행의 최고 기록보다 낫지 않기 때문입니다.

# %% [markdown] lang="en"
# There is a reason to build fresh callback objects for every `fit`: `ModelCheckpoint` does not
# forget its best value when `fit` is called again. Replay the `overfit` recording twice with the
# same `ModelCheckpoint`: the first time it saves 6 files, the second time none, since no epoch of
# the second run beats the first run's best.

# %%
# NBVAL_CHECK_OUTPUT
reused = cbteach.ModelCheckpoint(
    "weights.{epoch:02d}-{val_loss:.2f}.weights.h5", save_best_only=True, save_weights_only=True
)
print(len(replay(overfit, [reused]).saves), len(replay(overfit, [reused]).saves))

# %% [markdown] lang="ko"
# ### 기록 위에서 리플레이하기
#
# 고친 콜백 세 개를 `overfit` 기록 위에서 리플레이합니다. 학습이 없어 바로 끝나고, 누가 언제 돌려도
# 결과가 같습니다. 리플레이에서 `ModelCheckpoint`는 어떤 파일을 저장할지 정하기만 하고 실제로 쓰지는
# 않으므로, 폴더 자리에 빈 문자열 `""`을 넘겨 파일 이름만 보이게 했습니다.
#
# 아래 셀은 실제로 학습한 에포크 수, 학습을 멈춘 에포크, 가중치를 복원한 에포크, 학습률을 낮춘 에포크,
# 그리고 리플레이가 아니었다면 저장했을 파일을 차례로 보여 줍니다.

# %% [markdown] lang="en"
# ### Replaying on a recording
#
# Replay the three corrected callbacks on the `overfit` recording. It takes no training, finishes at
# once, and gives everyone the same result. In a replay `ModelCheckpoint` decides which files to
# save but writes none, so the folder is the empty string `""` and only the file names show.
#
# The cell prints, in order: how many epochs ran, the epoch where training stopped, the epoch whose
# weights were restored, the epochs where the learning rate was cut, and the files that would have
# been written outside a replay.

# %%
# NBVAL_CHECK_OUTPUT
replayed = replay(overfit, corrected_callbacks("", verbose=0))
print(replayed.epochs, replayed.stopped_epoch, replayed.restored_epoch)
print([event.epoch for event in replayed.lr_cuts])
print([event.saved_path for event in replayed.saves])

# %% [markdown] lang="ko"
# `summarize`는 같은 내용을 문장으로 풀어 줍니다. 마지막 문장은 리플레이의 주의 사항(caveat)입니다.
# `overfit` 기록은 콜백 없이, 즉 학습률을 한 번도 바꾸지 않고 학습한 곡선입니다. 실제로 17번째
# 에포크에서 학습률을 낮췄다면 그 뒤의 곡선은 달라졌을 것입니다. 그러니 리플레이가 보여 주는 것은
# "이 곡선이라면 콜백이 이렇게 판단한다"까지이고, 학습률을 낮춘 뒤의 에포크는 근삿값입니다. 문장
# 끝에 나오는 다시 학습(Retrain) 버튼은 플레이그라운드에 있는 버튼이고, 이 레슨에서는 아래의 실제
# 학습이 그 역할을 합니다.

# %% [markdown] lang="en"
# `summarize` says the same in sentences. The last sentence is the replay's caveat: the `overfit`
# recording was trained without callbacks, so its learning rate never changed. Had the learning
# rate really been cut at epoch 17, the curve after it would have been different. A replay shows
# what the callbacks decide *on this curve*; the epochs after a cut are an approximation. The
# Retrain button the sentence mentions belongs to the playground; in this lesson the real training
# run below plays its part.

# %%
# NBVAL_CHECK_OUTPUT
for line in summarize(replayed):
    print(line)

# %% [markdown] lang="ko"
# ### 세 콜백의 타임라인
#
# 에포크마다 세 콜백이 무엇을 보고 무엇을 했는지 표로 보면 다음과 같습니다. 행 하나가 에포크 하나,
# 열 하나가 콜백 하나입니다.
#
# - 1~7번째 에포크: 5번째를 빼고는 매번 `val_loss`가 나아지므로 `ModelCheckpoint`가 저장합니다.
#   7번째 에포크가 최고 기록입니다.
# - 8번째 에포크부터: 더 나아지지 않으므로 두 콜백의 대기(wait)가 늘어납니다.
# - 17번째 에포크: `ReduceLROnPlateau`의 대기가 10에 이르러 학습률을 3.0e-03에서 9.0e-04로 낮추고,
#   자신의 대기를 0으로 되돌립니다. `EarlyStopping`은 대기를 계속 세어 10/20이 됩니다.
# - 27번째 에포크: `ReduceLROnPlateau`가 다시 10 에포크를 기다린 끝에 두 번째로 학습률을 낮추고,
#   같은 에포크에 `EarlyStopping`의 대기가 20/20이 되어 학습을 멈춥니다. 이어서 7번째 에포크의
#   가중치를 복원합니다. 학습이 곧바로 끝나므로 두 번째 감소는 효과를 낼 기회가 없습니다.

# %% [markdown] lang="en"
# ### A timeline of all three
#
# Here is what each callback saw and did at each epoch: one row per epoch, one column per callback.
#
# - Epochs 1 to 7: each time `val_loss` improves, `ModelCheckpoint` saves (every epoch but the 5th).
#   Epoch 7 is the best.
# - From epoch 8: no more improvement, so both callbacks' wait counts up.
# - Epoch 17: `ReduceLROnPlateau`'s wait reaches 10; it cuts the learning rate from 3.0e-03 to
#   9.0e-04 and sets its own wait back to 0. `EarlyStopping`'s wait goes on: 10/20.
# - Epoch 27: after waiting another 10 epochs, `ReduceLROnPlateau` cuts a second time, and in the
#   same epoch `EarlyStopping`'s wait reaches 20/20 and training stops; then the weights of epoch 7
#   are restored. The second cut never gets a chance to act: training ends right away.

# %%
# NBVAL_CHECK_OUTPUT
replayed.events.explain_table()

# %% [markdown] lang="ko"
# 같은 내용을 타임라인(timeline) 그림으로 보면 다음과 같습니다. 손실 곡선 위에 저장, 학습률 감소,
# 학습 중단, 복원을 표시하고, 아래 칸에는 학습률과 두 콜백의 대기를 그립니다.

# %% [markdown] lang="en"
# The same as a picture: the loss curves with the saves, the cuts, the stop and the restore marked
# on them, and below them the learning rate and the wait of the two callbacks.

# %%
plot_run(replayed)
plt.show()

# %% [markdown] lang="ko"
# ### `EarlyStopping`의 `patience`가 더 커야 하는 이유
#
# 노트는 `ReduceLROnPlateau`에 10, `EarlyStopping`에 20을 주었습니다. 이 크기 순서가 맞습니다. 정체
# 구간(plateau)에 들어서면 먼저 학습률을 낮춰 보고, 그래도 나아지지 않을 때 멈춰야 하기 때문입니다.
# 순서가 거꾸로면 어떻게 되는지 봅시다. `ReduceLROnPlateau`는 `patience=10`으로 두고,
# `EarlyStopping`의 `patience`만 5와 20으로 바꿔 리플레이합니다.

# %% [markdown] lang="en"
# ### Why `EarlyStopping` needs the larger `patience`
#
# The notes give `ReduceLROnPlateau` 10 and `EarlyStopping` 20, and that order is right: on a
# plateau you first try a lower learning rate, and stop only if even that does not help. To see
# what the reverse order does, keep `ReduceLROnPlateau` at `patience=10` and replay with
# `EarlyStopping`'s `patience` at 5 and at 20:

# %%
# NBVAL_CHECK_OUTPUT
orders = {}
for es_patience in (5, 20):
    callbacks = [
        cbteach.ReduceLROnPlateau(monitor="val_loss", factor=0.3, patience=10, mode="min"),
        cbteach.EarlyStopping(monitor="val_loss", patience=es_patience, mode="min"),
    ]
    orders[es_patience] = replay(overfit, callbacks)
pd.DataFrame(
    {
        "stopped_epoch": [run.stopped_epoch for run in orders.values()],
        "lr_cuts": [[event.epoch for event in run.lr_cuts] for run in orders.values()],
    },
    index=pd.Index(list(orders), name="EarlyStopping patience"),
)

# %% [markdown] lang="ko"
# `patience=5`이면 12번째 에포크에서 학습이 멈추고, 학습률은 한 번도 낮아지지 않습니다.
# `ReduceLROnPlateau`는 17번째 에포크가 되어야 움직이는데 그 전에 학습이 끝나 버리니, 붙여 놓은
# 의미가 없습니다. `patience=20`이면 17번째 에포크에 학습률을 먼저 낮추고, 그 뒤 10 에포크를 더
# 지켜본 다음 27번째 에포크에서 멈춥니다.
#
# 여기서 중요한 사실이 하나 있습니다. **`EarlyStopping`은 학습률이 낮아져도 자신의 대기를 0으로
# 되돌리지 않습니다.** 대기가 0으로 돌아가는 것은 모니터링 지표(monitor)가 실제로 나아졌을
# 때뿐입니다. 아래 표는 `patience=20` 리플레이의 15~19번째 에포크에서 두 콜백의 대기와, 각
# 에포크의 판단이 끝난 뒤의 학습률을 보여 줍니다.

# %% [markdown] lang="en"
# With `patience=5` training stops at epoch 12 and the learning rate is never cut:
# `ReduceLROnPlateau` would act only at epoch 17, and training is over before that, so it might as
# well not be there. With `patience=20` the learning rate is cut first, at epoch 17, and training
# goes on for 10 more epochs before it stops at epoch 27.
#
# One fact matters here: **`EarlyStopping` does not set its wait back to 0 when the learning rate
# drops.** Only a real improvement of the monitored metric does that. The table shows epochs 15 to
# 19 of the `patience=20` replay: the wait of both callbacks, and the learning rate after each
# epoch's decision.

# %%
# NBVAL_CHECK_OUTPUT
events = orders[20].events.to_frame().set_index("epoch")
rlr_events = events[events["callback"] == "ReduceLROnPlateau"]
es_events = events[events["callback"] == "EarlyStopping"]
pd.DataFrame(
    {
        "ReduceLROnPlateau.wait": rlr_events["wait_after"],
        "learning_rate": rlr_events["lr_after"].map("{:.1e}".format),
        "EarlyStopping.wait": es_events["wait_after"],
    }
).loc[15:19]

# %% [markdown] lang="ko"
# 17번째 에포크에서 `ReduceLROnPlateau`의 대기는 0으로 돌아가지만, `EarlyStopping`의 대기는
# 10, 11, 12로 계속 올라갑니다. 앞의 타임라인 그림 맨 아래 칸에서도 같은 모습이 보입니다. 그러니
# `EarlyStopping`의 `patience`가 `ReduceLROnPlateau`의 `patience`보다 크지 않으면 학습률을 낮출
# 차례가 오기 전에 학습이 끝나고, 더 크면 그 차이만큼 낮춘 학습률이 효과를 낼 시간이 생깁니다.
# 노트의 설정(20과 10)이라면 10 에포크입니다. 낮춘 학습률로 `val_loss`가 다시 나아지면 그때
# `EarlyStopping`의 대기도 0으로 돌아갑니다. `overfit` 기록은 학습률을 바꾸지 않고 만든 곡선이라 이
# 리플레이에서는 그런 일이 일어나지 않지만, 실제 학습에서는 일어날 수 있습니다.

# %% [markdown] lang="en"
# At epoch 17 `ReduceLROnPlateau`'s wait goes back to 0, while `EarlyStopping`'s keeps climbing:
# 10, 11, 12 (the bottom panel of the timeline above shows the same). So if `EarlyStopping`'s
# `patience` is not larger than `ReduceLROnPlateau`'s, training ends before the learning rate is
# ever cut; if it is larger, the difference is the time the lower learning rate gets to make a
# difference: 10 epochs with the notes' settings (20 and 10). If `val_loss` improves again at the
# lower learning rate, that resets `EarlyStopping`'s wait. The `overfit` recording was made without
# changing the learning rate, so that cannot happen in this replay, but it can in real training.

# %% [markdown] lang="ko"
# ### 실제로 한 번 학습하기
#
# 이제 고친 예제로 MNIST를 실제로 학습합니다. 파일은 출력 폴더 안의 `mnist` 폴더에 저장합니다.
# `verbose=1`이므로 Keras가 저장할 때마다, 그리고 학습률을 낮출 때와 멈추고 복원할 때 메시지를
# 찍습니다.
#
# 빠른 모드(`CBTEACH_FAST=1`, 15 에포크)에서는 `EarlyStopping`이 멈출 수 없습니다. `patience=20`을
# 다 쓰려면 최고 기록 뒤로 20 에포크가 필요해서, 첫 에포크가 최고 기록이라 해도 21 에포크는 돌아야
# 하기 때문입니다. 15 에포크 안에 학습률을 낮추려면 최고 기록이 5번째 에포크나 그 전에 나와야
# 합니다. 빠른 모드에서는 저장 몇 번과, 멈추지 않았는데도 학습이 끝날 때 최고 기록 에포크의
# 가중치를 복원하는 모습을 보게 됩니다. 멈추기까지의 전체 흐름은 위의 리플레이가 보여 줍니다. 학습
# 계획(plan)이 CPU(40 에포크)나 GPU(30 에포크)라면 학습률 감소와 조기 종료까지 볼 수도 있습니다.

# %% [markdown] lang="en"
# ### One real training run
#
# Now train on MNIST for real with the corrected example. The files go to a `mnist` folder inside
# the output folder. With `verbose=1` Keras prints a message at each save, at each cut, and when it
# stops and restores.
#
# In fast mode (`CBTEACH_FAST=1`, 15 epochs) `EarlyStopping` cannot stop: using up `patience=20`
# takes 20 epochs after the best one, so at least 21 epochs even if epoch 1 were the best. A cut
# within 15 epochs needs the best epoch to be epoch 5 or earlier. What fast mode shows is a few
# saves, and the best epoch's weights restored when training ends, even though it never stopped. The
# replay above shows the whole story up to the stop; on the CPU plan (40 epochs) or the GPU plan (30)
# you may see the cut and the stop as well.

# %%
# NBVAL_IGNORE_OUTPUT
from cbteach.data import load_mnist
from cbteach.training import train

data = load_mnist(plan.source, seed=plan.seed)
run = train(corrected_callbacks(os.path.join(out, "mnist")), data=data, **plan.train_args)

# %% [markdown] lang="ko"
# 이 실행(run)을 문장으로 요약하고 타임라인을 그리면 다음과 같습니다. 결과는 컴퓨터와 학습 계획에
# 따라 조금씩 다릅니다.

# %% [markdown] lang="en"
# The run in sentences, and its timeline. The results differ a little with the computer and the
# plan.

# %%
# NBVAL_IGNORE_OUTPUT
for line in summarize(run):
    print(line)

# %%
plot_run(run)
plt.show()

# %% [markdown] lang="ko"
# ### `restore_best_weights`와 `ModelCheckpoint`: 모델에 남는 가중치, 파일에 남는 가중치
#
# 두 콜백을 함께 쓰면 학습이 끝난 뒤 가중치가 두 군데에 있습니다. 메모리에 있는 모델과 디스크에
# 있는 파일입니다.
#
# - 디스크: `save_best_only=True`이므로 `val_loss`가 나아질 때마다 새 파일이 생깁니다. 파일 이름에
#   에포크가 들어 있어 서로 덮어쓰지 않으므로 폴더에는 파일이 여러 개 남고, 그중 에포크 번호가 가장
#   큰 파일이 최고 기록입니다.
# - 모델: `restore_best_weights`에 달려 있습니다. `False`(기본값)면 학습이 멈춘 **마지막** 에포크의
#   가중치가, `True`면 최고 기록 에포크의 가중치가 남습니다.
#
# 먼저 리플레이로 `restore_best_weights=False`인 경우를 봅니다. 학습은 27번째 에포크에서 멈추고,
# 복원은 없으며(`None`), 마지막으로 저장한 파일은 7번째 에포크의 것입니다. 요약 문장이 그 차이를
# 짚어 줍니다. 모델에는 27번째 에포크의 가중치가 있고, 최고 기록인 7번째 에포크의 가중치는 파일에만
# 있습니다.

# %% [markdown] lang="en"
# ### `restore_best_weights` and `ModelCheckpoint`: the weights in the model, the weights in the file
#
# With both callbacks, once training ends there are weights in two places: the model in memory and
# the files on disk.
#
# - On disk: with `save_best_only=True` each improvement of `val_loss` writes a new file. The epoch
#   is in the file name, so no file overwrites another: the folder holds several files, and the one
#   with the highest epoch number is the best.
# - In the model: that depends on `restore_best_weights`. With `False` (the default) the model keeps
#   the weights of the **last** epoch, where training stopped; with `True`, those of the best epoch.
#
# First a replay with `restore_best_weights=False`: training stops at epoch 27, nothing is restored
# (`None`), and the last file saved is epoch 7's. The summary sentence points at the gap: the model
# holds epoch 27's weights, and the best weights, epoch 7's, exist only in the file.

# %%
# NBVAL_CHECK_OUTPUT
kept_last = replay(overfit, corrected_callbacks("", verbose=0, restore_best_weights=False))
print(kept_last.stopped_epoch, kept_last.restored_epoch, kept_last.saves[-1].epoch)
print(summarize(kept_last)[1])

# %% [markdown] lang="ko"
# 고친 예제처럼 `restore_best_weights=True`면 모델과 마지막 파일이 같은 에포크를 가리킵니다. 위의
# 실제 학습으로 확인해 봅시다. 아래 셀은 복원한 에포크, 마지막으로 저장한 파일의 에포크, `mnist`
# 폴더의 파일 목록을 보여 줍니다. 숫자는 학습할 때마다 다를 수 있습니다.

# %% [markdown] lang="en"
# With `restore_best_weights=True`, as in the corrected example, the model and the last file point
# at the same epoch. Check it on the real run above. This cell shows the restored epoch, the epoch
# of the last file saved, and the files in the `mnist` folder; the numbers may differ from run to
# run.

# %%
# NBVAL_IGNORE_OUTPUT
print(run.restored_epoch, run.saves[-1].epoch)
print(sorted(os.listdir(os.path.join(out, "mnist"))))

# %% [markdown] lang="ko"
# 두 에포크가 같은지, 그리고 마지막 파일을 같은 구조의 새 모델에 불러오면 학습이 끝난 모델과
# 가중치가 똑같은지를 `True`/`False`로 확인합니다. 두 콜백이 같은 지표를 같은 방향으로 보므로, 이
# 결과는 학습 계획이나 데이터와 상관없이 같습니다. 그러니 `restore_best_weights=True`라면 학습 직후의
# 모델을 바로 써도 되고, 나중에 그 가중치가 다시 필요할 때는 마지막 파일을 불러오면 됩니다.

# %% [markdown] lang="en"
# Now check with `True`/`False` that the two epochs are the same, and that the last file, loaded
# into a fresh model of the same architecture, holds exactly the weights of the trained model.
# Both callbacks watch the same metric in the same direction, so this comes out the same whatever
# the plan or the data. So with `restore_best_weights=True` you can use the model right after
# training, and load the last file whenever you need those weights again.

# %%
# NBVAL_CHECK_OUTPUT
best_file = run.saves[-1].saved_path
reloaded = keras.models.clone_model(run.model)
reloaded.load_weights(best_file)
print(run.restored_epoch == run.saves[-1].epoch)
print(all(np.array_equal(a, b) for a, b in zip(reloaded.get_weights(), run.model.get_weights())))

# %% [markdown] lang="ko"
# ## 정리
#
# - 노트의 예제에는 1부의 표에 정리한 일곱 가지 실수가 있었습니다(실수 2와 실수 5는 표에서
#   두 줄씩입니다). 05 레슨의 문제 4는 그 가운데 콜백 부분의 네 가지만 다룹니다. 일곱 가지 중 둘은
#   오류 없이 지나갑니다. 구분자가 빠진 경로와 `ReduceLROnPlateau`의 `fector`, `patienc`입니다.
#   `ReduceLROnPlateau`는 모르는 인자를 `**kwargs`로 받아서 버리므로 `factor`가 기본값 0.1로
#   동작합니다. cbteach의 콜백은 이런 오타를 `TypeError`로 막습니다.
# - `save_weights_only=True`일 때 파일 이름은 `.weights.h5`로 끝나야 하고, 경로는 `os.path.join`으로
#   잇습니다.
# - `EarlyStopping`의 `patience`는 `ReduceLROnPlateau`의 `patience`보다 커야 합니다. `EarlyStopping`은
#   학습률이 낮아져도 대기를 되돌리지 않으므로, 둘의 차이가 바로 낮춘 학습률이 효과를 낼 시간입니다.
# - `restore_best_weights=True`를 더하면 학습이 끝난 모델과 `ModelCheckpoint`의 마지막 파일이 같은
#   최고 기록 에포크의 가중치를 갖습니다. 이 설정이 없으면 모델에는 마지막 에포크의 가중치가 남습니다.
# - 콜백 객체는 `fit` 한 번마다 새로 만드세요. `ModelCheckpoint`는 지난 최고 기록을 기억합니다.
#
# 다음: **05 실습 문제**

# %% [markdown] lang="en"
# ## Summary
#
# - The notes' example has the seven mistakes of the table in part 1 (mistakes 2 and 5 take two
#   rows each); exercise 4 of lesson 05 takes only the four in its callback lines. Two of the seven
#   pass without an error: the path without a separator, and `fector` and `patienc` in
#   `ReduceLROnPlateau`. `ReduceLROnPlateau` swallows unknown arguments in `**kwargs`, so `factor`
#   stays at its default, 0.1. cbteach's callbacks stop such typos with a `TypeError`.
# - With `save_weights_only=True` the file name must end in `.weights.h5`; join the path with
#   `os.path.join`.
# - `EarlyStopping`'s `patience` should be larger than `ReduceLROnPlateau`'s. `EarlyStopping` does
#   not reset its wait when the learning rate drops, so the difference between the two is the time
#   the lower learning rate gets to help.
# - With `restore_best_weights=True`, the trained model and `ModelCheckpoint`'s last file hold the
#   same weights, the best epoch's. Without it the model keeps the last epoch's weights.
# - Build new callback objects for every `fit`: `ModelCheckpoint` remembers its old best.
#
# Next: **05 Exercises**
