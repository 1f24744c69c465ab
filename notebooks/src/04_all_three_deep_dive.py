# %% [markdown] lang="ko"
# # 04 심화: 노트 예제의 실수를 하나씩, 그리고 세 콜백 조합의 세부 사항
#
# 이 노트북은 선택 사항입니다. [04 레슨](04_all_three.ipynb)의 핵심을 마친 뒤, 노트의 "세 개 한 번에"
# 예제에 든 실수 하나하나와 세 콜백 조합의 세부 사항을 출력 검사 셀로 하나씩 확인합니다.
#
# 이 노트북에는 **일부러 오류를 내는 셀**이 여러 개 있습니다. 그런 셀은 바로 앞 설명에서 미리 알려
# 드립니다.

# %% [markdown] lang="en"
# # 04 deep dive: the notes' mistakes one by one, and the details of the three together
#
# This notebook is optional: after the core of [lesson 04](04_all_three.ipynb), it proves, one
# checked cell at a time, each mistake of the notes' "all three at once" example and the details of
# the three callbacks together.
#
# Several cells here **fail on purpose**; the text just before each one says so.

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
from cbteach.replay import drive, replay, standin_model
from cbteach.summary import summarize

plan = workbook.start(LANGUAGE)
overfit = recorded.load("overfit")

# %% [markdown] lang="ko"
# ## 1. import 줄: `import ModelCheckpoint()`
#
# `import` 뒤에는 불러올 **이름**만 쓸 수 있습니다. `()`를 붙이는 형태는 파이썬 문법에 없으므로, 파이썬은
# 코드를 실행하기도 전에 읽는 단계에서 `SyntaxError`(문법 오류)를 냅니다. 아래 셀은 **일부러
# 실패합니다**. 메시지 괄호 안의 `....py`는 Jupyter가 셀마다 붙이는 임시 파일 이름입니다.

# %% [markdown] lang="en"
# ## 1. The import line: `import ModelCheckpoint()`
#
# After `import` only **names** may follow. Python's grammar has no form with `()` there, so Python
# refuses the code while reading it, before running anything: a `SyntaxError`. The cell below
# **fails on purpose**. The `....py` in brackets is the temporary file name Jupyter gives each cell.

# %% tags=["raises-exception"]
# NBVAL_CHECK_OUTPUT
from tensorflow.keras.callbacks import ModelCheckpoint()

# %% [markdown] lang="ko"
# 괄호를 지우면 되고, 세 줄을 한 줄로 합쳐도 됩니다. `tensorflow.keras`는 Keras 3 그 자체입니다. 그래서
# 이렇게 불러온 클래스는 `keras.callbacks`의 클래스와 **같은 객체**입니다(`True`).

# %% [markdown] lang="en"
# Delete the brackets; the three lines may also become one. `tensorflow.keras` *is* Keras 3, so the
# classes imported this way are **the very same objects** as those in `keras.callbacks` (`True`):

# %%
# NBVAL_CHECK_OUTPUT
import os
from tensorflow.keras.callbacks import ModelCheckpoint, ReduceLROnPlateau, EarlyStopping

print(ModelCheckpoint is keras.callbacks.ModelCheckpoint)
print(ReduceLROnPlateau is keras.callbacks.ReduceLROnPlateau)
print(EarlyStopping is keras.callbacks.EarlyStopping)

# %% [markdown] lang="ko"
# ## 2. 저장 경로: 구분자와 확장자
#
# > `save_path = os.getcwd() + 'weights.{epoch:02d}-{val_loss:.2f}.hdf5'`
#
# **첫째, 구분자가 없습니다.** `os.getcwd()`는 끝에 `/`(Windows에서는 `\`)가 없는 경로를 돌려주므로,
# `+`로 이으면 폴더 이름과 파일 이름이 붙어 버립니다. 작업 폴더가 `/home/me/project`라면 파일은 그 폴더
# **안**이 아니라 **옆**에 `projectweights...`라는 이름으로 생기고, 오류도 나지 않습니다. 이
# 노트북에서는 컴퓨터마다 다른 `os.getcwd()` 대신 고정된 폴더 이름 `"project"`로 같은 상황을
# 재현합니다. 첫 줄은 `os.getcwd()`가 구분자로 끝나지 않는다는 것(`False`), 나머지 두 줄은 `+`로 이은
# 경로와 `os.path.join`으로 이은 경로입니다.

# %% [markdown] lang="en"
# ## 2. The save path: separator and extension
#
# > `save_path = os.getcwd() + 'weights.{epoch:02d}-{val_loss:.2f}.hdf5'`
#
# **First, there is no separator.** `os.getcwd()` returns a path without a trailing `/` (`\` on
# Windows), so gluing with `+` runs the folder and file names together: with the working folder
# `/home/me/project` the file lands **next to** `project`, named `projectweights...`, not **inside**
# it, and nothing fails. Here the fixed folder name `"project"` stands in for `os.getcwd()`, which
# differs between computers. The first line shows that `os.getcwd()` does not end with a separator
# (`False`); the other two, the path glued with `+` and the path joined with `os.path.join`.

# %%
# NBVAL_CHECK_OUTPUT
print(os.getcwd().endswith(os.sep))

folder = "project"
print(folder + 'weights.{epoch:02d}-{val_loss:.2f}.hdf5')
print(os.path.join(folder, 'weights.{epoch:02d}-{val_loss:.2f}.hdf5'))

# %% [markdown] lang="ko"
# **둘째, 확장자가 `.hdf5`입니다.** Keras 3에서는 `save_weights_only=True`일 때 파일 이름이
# `.weights.h5`로 끝나야 하고, `ModelCheckpoint`를 **만드는 순간** 이것을 검사합니다. 아래 셀은
# **일부러 실패합니다**. 메시지 끝의 `Received: filepath=projectweights...`에 구분자가 빠진 것도 보입니다.

# %% [markdown] lang="en"
# **Second, the extension is `.hdf5`.** In Keras 3, `save_weights_only=True` requires a file name
# ending in `.weights.h5`, checked the moment the `ModelCheckpoint` is **built**. The cell below
# **fails on purpose**; the end of its message, `Received: filepath=projectweights...`, shows the
# missing separator too.

# %% tags=["raises-exception"]
# NBVAL_CHECK_OUTPUT
save_path = folder + 'weights.{epoch:02d}-{val_loss:.2f}.hdf5'

mcp_cb = ModelCheckpoint(filepath = save_path, monitor = 'val_loss',
                        save_best_only = True, save_weights_only = True,
                        mode = 'min', verbose = 1)

# %% [markdown] lang="ko"
# 경로를 `os.path.join`으로 잇고 확장자를 `.weights.h5`로 바꾸면 오류 없이 만들어집니다. 폴더는
# `workbook.output_folder`가 실행할 때마다 새로 만들어 주는 폴더 안의 `notes` 폴더입니다. 아래 셀은 그
# 출력 폴더를 기준으로 한 경로를 찍습니다.

# %% [markdown] lang="en"
# Joined with `os.path.join` and ending in `.weights.h5`, it builds without error. The folder is
# `notes` inside the fresh one `workbook.output_folder` makes at each run; the cell prints the path
# relative to that output folder.

# %%
# NBVAL_CHECK_OUTPUT
out = workbook.output_folder("04_all_three_deep_dive")
save_path = os.path.join(out, "notes", "weights.{epoch:02d}-{val_loss:.2f}.weights.h5")

mcp_cb = ModelCheckpoint(filepath = save_path, monitor = 'val_loss',
                        save_best_only = True, save_weights_only = True,
                        mode = 'min', verbose = 1)
print(os.path.relpath(mcp_cb.filepath, out))

# %% [markdown] lang="ko"
# ## 3. `fector`, `patienc`는 아무 말 없이 통과한다
#
# > `rlr_cb = ReduceLROnPlateau(monitor = 'val_loss', fector = 0.3, patienc = 10, mode = 'min', verbose = 1)`
#
# 아래 셀은 **오류 없이 실행됩니다**. 만들어진 콜백의 `factor`와 `patience`, 잘못 적은 이름이 어딘가에
# 남았는지, 그리고 `patienc=3`을 주었을 때의 `patience`를 찍습니다.

# %% [markdown] lang="en"
# ## 3. `fector` and `patienc` pass without a word
#
# > `rlr_cb = ReduceLROnPlateau(monitor = 'val_loss', fector = 0.3, patienc = 10, mode = 'min', verbose = 1)`
#
# The cell below **runs without any error**. It prints the callback's `factor` and `patience`,
# whether the misspelled names were kept anywhere, and what `patience` becomes with `patienc=3`.

# %%
# NBVAL_CHECK_OUTPUT
rlr_cb = ReduceLROnPlateau(monitor = 'val_loss', fector = 0.3,
                           patienc = 10, mode = 'min', verbose = 1)
print(rlr_cb.factor, rlr_cb.patience)
print(hasattr(rlr_cb, "fector"), hasattr(rlr_cb, "patienc"))
print(ReduceLROnPlateau(patienc=3).patience)

# %% [markdown] lang="ko"
# `factor`는 의도한 0.3이 아니라 기본값(default) 0.1입니다. `patience`가 10인 것도 기본값이 마침 10이기
# 때문이라서 `patienc=3`을 줘도 10입니다. 이유는 시그니처(signature)에 있습니다. 세 콜백이 받는 인자
# 목록의 마지막 항목을 찍어 보면 `ReduceLROnPlateau`만 `**kwargs`로 끝납니다. 어떤 이름이든 받아 두기만
# 하고 쓰지 않는 자리입니다.

# %% [markdown] lang="en"
# `factor` is 0.1, the default, not 0.3. `patience` is 10 only because the default happens to be
# 10: with `patienc=3` it is still 10. The reason is in the signatures: print the last parameter of
# each callback, and only `ReduceLROnPlateau` ends with `**kwargs`, a slot that takes any name and
# never uses it.

# %%
# NBVAL_CHECK_OUTPUT
for callback in (ModelCheckpoint, ReduceLROnPlateau, EarlyStopping):
    last = list(inspect.signature(callback).parameters.values())[-1]
    print(callback.__name__, last)

# %% [markdown] lang="ko"
# 학습은 멀쩡히 돌고 학습률(learning rate)도 실제로 낮아지는데, 낮아지는 폭만 조용히 다릅니다. `overfit`
# 기록 위에서 노트의 콜백(`fector`)과 고친 콜백(`factor`)을 리플레이(replay)해 에포크(epoch)마다 쓰인
# 학습률을 나란히 놓습니다. 노트의 콜백은 `verbose=1`이라 Keras가 낮출 때마다 메시지를 찍습니다.

# %% [markdown] lang="en"
# Training runs fine and the learning rate really is lowered; only the size of each cut is silently
# different. Replay the notes' callback (`fector`) and the fixed one (`factor`) on the `overfit`
# recording and put the learning rate of each epoch side by side. The notes' callback has
# `verbose=1`, so Keras prints a message at every cut.

# %%
# NBVAL_CHECK_OUTPUT
typo_run = replay(overfit, [rlr_cb])
fixed_run = replay(overfit, [ReduceLROnPlateau(monitor='val_loss', factor=0.3, patience=10, mode='min')])
lrs = pd.DataFrame(
    {"fector=0.3": typo_run.lrs, "factor=0.3": fixed_run.lrs},
    index=pd.RangeIndex(1, overfit.epochs + 1, name="epoch"),
)
lrs.loc[[17, 18, 28, 100]].map("{:.1e}".format)

# %% [markdown] lang="ko"
# 두 콜백 모두 17번째 에포크가 끝날 때 처음 낮추므로 18번째 에포크부터 값이 갈립니다. 노트의 콜백은
# 3.0e-03을 3.0e-04로, 고친 콜백은 의도대로 9.0e-04로 줄입니다. Keras의 메시지는 새 값을 알려 주지만
# 그 값이 의도와 다르다는 것까지 알려 주지는 않습니다. 철자를 바로잡으면 값이 제대로 들어갑니다.

# %% [markdown] lang="en"
# Both make their first cut at the end of epoch 17, so the values part from epoch 18 on: the
# notes' callback divides 3.0e-03 by ten, to 3.0e-04, the fixed one lowers it to 9.0e-04 as meant.
# Keras' message gives the new value, but nothing says it is not the one you meant. Spelled
# correctly, the values get through:

# %%
# NBVAL_CHECK_OUTPUT
rlr_cb = ReduceLROnPlateau(monitor = 'val_loss', factor = 0.3,
                           patience = 10, mode = 'min', verbose = 1)
print(rlr_cb.factor, rlr_cb.patience)

# %% [markdown] lang="ko"
# ## 4. `EarlyStopping(patienc=20)`
#
# `EarlyStopping`에는 `**kwargs`가 없으므로 같은 오타가 여기서는 `TypeError`가 됩니다. 아래 셀은 **일부러
# 실패합니다**. 고마운 오류입니다. 그다음 셀처럼 철자를 고치면 됩니다.

# %% [markdown] lang="en"
# ## 4. `EarlyStopping(patienc=20)`
#
# `EarlyStopping` has no `**kwargs`, so here the same typo is a `TypeError`. The cell below **fails
# on purpose**; a helpful error. Fix the spelling as in the cell after it.

# %% tags=["raises-exception"]
# NBVAL_CHECK_OUTPUT
elr_cb = EarlyStopping(monitor = 'val_loss', patienc = 20,
                       mode = 'min', verbose = 1)

# %%
# NBVAL_CHECK_OUTPUT
elr_cb = EarlyStopping(monitor = 'val_loss', patience = 20,
                       mode = 'min', verbose = 1)
print(elr_cb.patience)

# %% [markdown] lang="ko"
# ## 5. `fit` 줄의 오타 세 개
#
# 노트에는 모델과 데이터가 없으므로, 04 레슨처럼 아주 작은 모델과 무작위 데이터를 씁니다. 레이블은
# 원-핫(one-hot) 벡터이고 손실(loss) 함수는 `categorical_crossentropy`입니다.

# %% [markdown] lang="en"
# ## 5. The three typos of the `fit` line
#
# The notes have no model or data, so, as in lesson 04, a tiny model and random data stand in. The
# labels are one-hot vectors, so the loss is `categorical_crossentropy`.

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
# 파이썬은 함수를 부르기 전에 인자 값부터 계산하므로, 가장 먼저 걸리는 것은 없는 변수 `train_iamges`의
# `NameError`입니다. 아래 셀은 **일부러 실패합니다**.

# %% [markdown] lang="en"
# Python computes the arguments before it calls the function, so the first to be caught is the
# variable `train_iamges`, which does not exist: a `NameError`. The cell **fails on purpose**.

# %% tags=["raises-exception"]
# NBVAL_CHECK_OUTPUT
loss_acc = model.fit(x = train_iamges, y = train_oh_labels, batch_szie = 128, epoch = 50, validation_data = (val_images, val_oh_labels), callbacks = [mcp_cb , rlr_cb, elr_cb])

# %% [markdown] lang="ko"
# 변수 이름을 고치면 `fit`이 인자 이름을 문제 삼는데, 한 번에 하나씩 알려 줍니다. 먼저 `batch_szie`입니다.
# `TensorFlowTrainer`는 TensorFlow 백엔드(backend)에서 `fit`을 가진 클래스입니다. **일부러 실패합니다**.

# %% [markdown] lang="en"
# With the variable fixed, `fit` objects to argument names, one at a time: first `batch_szie`.
# `TensorFlowTrainer` is the class that owns `fit` on the TensorFlow backend. This cell also
# **fails on purpose**:

# %% tags=["raises-exception"]
# NBVAL_CHECK_OUTPUT
loss_acc = model.fit(x = train_images, y = train_oh_labels, batch_szie = 128, epoch = 50, validation_data = (val_images, val_oh_labels), callbacks = [mcp_cb , rlr_cb, elr_cb])

# %% [markdown] lang="ko"
# `batch_size`로 고치면 그다음 `epoch`가 걸립니다. 역시 **일부러 실패합니다**.

# %% [markdown] lang="en"
# Fixed to `batch_size`, the next typo, `epoch`, is caught. It **fails on purpose** too:

# %% tags=["raises-exception"]
# NBVAL_CHECK_OUTPUT
loss_acc = model.fit(x = train_images, y = train_oh_labels, batch_size = 128, epoch = 50, validation_data = (val_images, val_oh_labels), callbacks = [mcp_cb , rlr_cb, elr_cb])

# %% [markdown] lang="ko"
# `epochs`로 고치면 끝까지 실행됩니다. 무작위 데이터라 검증 손실(validation loss)이 금방 나빠지므로 세
# 콜백이 모두 동작합니다. 출력에서 `saving model to ...`, `ReduceLROnPlateau reducing learning rate to
# ...`, `early stopping` 메시지를 찾아보세요. 노트의 변수 이름 `loss_acc`와 달리 `fit()`이 돌려주는 것은
# `History` 객체이고, 에포크별 값은 `loss_acc.history["loss"]`처럼 그 안의 사전에 있습니다. 마지막 세
# 줄은 그 자료형, 실제로 학습한 에포크 수, `notes` 폴더의 파일입니다.

# %% [markdown] lang="en"
# Fixed to `epochs`, it runs to the end. On random data the validation loss soon gets worse, so all
# three callbacks act: look for `saving model to ...`, `ReduceLROnPlateau reducing learning rate to
# ...` and `early stopping`. Despite the notes' name `loss_acc`, `fit()` returns a `History` object;
# the per-epoch values are in its dictionary, `loss_acc.history["loss"]`. The last three lines are
# its type, the number of epochs that ran, and the files in the `notes` folder.

# %%
# NBVAL_IGNORE_OUTPUT
loss_acc = model.fit(x = train_images, y = train_oh_labels, batch_size = 128, epochs = 50, validation_data = (val_images, val_oh_labels), callbacks = [mcp_cb , rlr_cb, elr_cb])
print(type(loss_acc).__name__)
print(len(loss_acc.history["loss"]))
print(sorted(os.listdir(os.path.join(out, "notes"))))

# %% [markdown] lang="ko"
# ## 6. 정리: 일곱 가지 실수
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

# %% [markdown] lang="en"
# ## 6. Summary: the seven mistakes
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

# %% [markdown] lang="ko"
# ## 7. cbteach의 콜백은 오타를 받아 주지 않는다
#
# cbteach의 콜백은 Keras가 쓰지 않을 인자를 받으면 바로 `TypeError`를 내고, 학습자의 언어로 가장 비슷한
# 진짜 인자 이름을 알려 줍니다. 아래 두 셀은 노트의 줄 앞에 `cbteach.`만 붙인 것이고, 둘 다 **일부러
# 실패합니다**. 첫 번째 셀은 오타 둘 가운데 먼저 나온 `fector`부터 알려 줍니다. cbteach가 학습 전에 먼저
# 거절하는 입력은
# [docs/STRICTER.md](https://github.com/cbteach/cbteach/blob/main/docs/STRICTER.md)에 있습니다.

# %% [markdown] lang="en"
# ## 7. cbteach's callbacks refuse typos
#
# cbteach's callbacks raise a `TypeError` as soon as they get an argument Keras would not use, in
# the learner's language, naming the closest real argument. The two cells below are the notes'
# lines with `cbteach.` in front; both **fail on purpose**. The first reports the first of its two
# typos, `fector`. The inputs cbteach refuses before training are listed in
# [docs/STRICTER.md](https://github.com/cbteach/cbteach/blob/main/docs/STRICTER.md).

# %% tags=["raises-exception"]
# NBVAL_CHECK_OUTPUT
rlr_cb = cbteach.ReduceLROnPlateau(monitor = 'val_loss', fector = 0.3,
                                   patienc = 10, mode = 'min', verbose = 1)

# %% tags=["raises-exception"]
# NBVAL_CHECK_OUTPUT
elr_cb = cbteach.EarlyStopping(monitor = 'val_loss', patienc = 20,
                               mode = 'min', verbose = 1)

# %% [markdown] lang="ko"
# ## 8. 세 콜백의 "최고 기록"이 서로 다를 때: `min_delta`의 기본값
#
# 세 콜백이 모두 `val_loss`를 `mode="min"`으로 보더라도 "나아졌다"의 기준은 같지 않습니다.
# 최소 변화량(`min_delta`)의 기본값이 `ReduceLROnPlateau`는 1e-4, `EarlyStopping`은 0이고,
# `ModelCheckpoint`에는 이 인자가 없어서 조금이라도 작아지면 나아진 것으로 봅니다. 아래 셀은 3번째
# 에포크가 5e-5만큼만 나아지는 곡선에서 세 콜백을 실행하고, 각 콜백의 `best`와 대기(`wait`)를
# 보여 줍니다. `overfit` 기록에서는 세 최고 기록이 같은 에포크라서 이 차이가 드러나지 않습니다.

# %% [markdown] lang="en"
# ## 8. When the three "bests" differ: the `min_delta` defaults
#
# All three watch `val_loss` with `mode="min"`, yet they do not agree on what counts as an
# improvement: `min_delta` defaults to 1e-4 for `ReduceLROnPlateau` and to 0 for `EarlyStopping`,
# and `ModelCheckpoint` has no such argument, so any decrease counts. The cell runs the three over a
# curve whose epoch 3 improves by only 5e-5 and shows each one's `best` and `wait`. On the `overfit`
# recording the three bests are the same epoch, so the difference never shows there.

# %%
# NBVAL_CHECK_OUTPUT
curve = {"loss": [0.5, 0.3, 0.29995, 0.35], "val_loss": [0.5, 0.3, 0.29995, 0.35]}
three = [
    cbteach.ModelCheckpoint("w.{epoch:02d}.weights.h5", save_best_only=True,
                            save_weights_only=True, write=False),
    cbteach.ReduceLROnPlateau(patience=10),
    cbteach.EarlyStopping(patience=10),
]
drive(three, curve, standin_model())


def min_delta_default(keras_class):
    parameter = inspect.signature(keras_class).parameters.get("min_delta")
    return "—" if parameter is None else parameter.default


keras_classes = [ModelCheckpoint, ReduceLROnPlateau, EarlyStopping]
pd.DataFrame(
    {
        "min_delta default": [min_delta_default(k) for k in keras_classes],
        "best": [float(cb.best) for cb in three],
        "wait": [getattr(cb, "wait", "—") for cb in three],
    },
    index=[type(cb).__name__ for cb in three],
)

# %% [markdown] lang="ko"
# `ModelCheckpoint`와 `EarlyStopping`에게는 3번째 에포크(0.29995)가 최고 기록이지만, `ReduceLROnPlateau`의
# 최고 기록은 2번째 에포크(0.3)에 머물고 대기가 하나 더 쌓였습니다.

# %% [markdown] lang="en"
# For `ModelCheckpoint` and `EarlyStopping` epoch 3 (0.29995) is the best; `ReduceLROnPlateau`'s
# best stays at epoch 2 (0.3), and its wait is one epoch further along.

# %% [markdown] lang="ko"
# ## 9. 콜백 객체는 `fit` 한 번마다 새로 만들기
#
# `ModelCheckpoint`는 `fit`을 다시 불러도 지난번의 최고 기록을 잊지 않습니다. 같은 `ModelCheckpoint`
# 하나로 `overfit` 기록을 두 번 리플레이하면, 첫 번째에는 파일을 6개 저장하지만 두 번째에는 하나도
# 저장하지 않습니다. 두 번째의 어떤 에포크도 첫 번째의 최고 기록보다 낫지 않기 때문입니다.

# %% [markdown] lang="en"
# ## 9. Build new callback objects for every `fit`
#
# `ModelCheckpoint` does not forget its best value when `fit` is called again. Replay the `overfit`
# recording twice with the same `ModelCheckpoint`: the first time it saves 6 files, the second time
# none, since no epoch of the second run beats the first run's best.

# %%
# NBVAL_CHECK_OUTPUT
reused = cbteach.ModelCheckpoint(
    "weights.{epoch:02d}-{val_loss:.2f}.weights.h5", save_best_only=True, save_weights_only=True
)
print(len(replay(overfit, [reused]).saves), len(replay(overfit, [reused]).saves))

# %% [markdown] lang="ko"
# ## 10. 고친 예제를 에포크별로: 리플레이, 요약, 타임라인
#
# 고친 세 콜백을 `overfit` 기록 위에서 리플레이합니다. 리플레이에서 `ModelCheckpoint`는 저장할 파일을
# 정하기만 하고 쓰지는 않으므로 폴더 자리에 빈 문자열 `""`을 넘깁니다. 아래 셀은 학습한 에포크 수, 멈춘
# 에포크, 복원한 에포크, 학습률을 낮춘 에포크, 저장했을 파일을 차례로 보여 줍니다.

# %% [markdown] lang="en"
# ## 10. The corrected example epoch by epoch: replay, summary, timeline
#
# Replay the three corrected callbacks on the `overfit` recording. In a replay `ModelCheckpoint`
# decides which files to save but writes none, so the folder is the empty string `""`. The cell
# prints how many epochs ran, the stop, the restored epoch, the cuts, and the files that would have
# been written.

# %%
# NBVAL_CHECK_OUTPUT
def corrected_callbacks(folder, verbose=1, restore_best_weights=True):
    save_path = os.path.join(folder, "weights.{epoch:02d}-{val_loss:.2f}.weights.h5")
    return [
        cbteach.ModelCheckpoint(filepath=save_path, monitor="val_loss", save_best_only=True,
                                save_weights_only=True, mode="min", verbose=verbose),
        cbteach.ReduceLROnPlateau(monitor="val_loss", factor=0.3, patience=10, mode="min",
                                  verbose=verbose),
        cbteach.EarlyStopping(monitor="val_loss", patience=20, mode="min", verbose=verbose,
                              restore_best_weights=restore_best_weights),
    ]


replayed = replay(overfit, corrected_callbacks("", verbose=0))
print(replayed.epochs, replayed.stopped_epoch, replayed.restored_epoch)
print([event.epoch for event in replayed.lr_cuts])
print([event.saved_path for event in replayed.saves])

# %% [markdown] lang="ko"
# `summarize`는 같은 내용을 문장으로 풀어 줍니다. 마지막 문장은 리플레이의 주의 사항(caveat)입니다.
# `overfit` 기록은 학습률을 한 번도 바꾸지 않고 학습한 곡선이므로, 학습률을 낮춘 뒤의 에포크는
# 근삿값입니다. 문장 끝의 다시 학습(Retrain) 버튼은 플레이그라운드에 있고, 04 레슨에서는 실제 학습이 그
# 역할을 합니다.

# %% [markdown] lang="en"
# `summarize` says the same in sentences. The last one is the replay's caveat: the `overfit`
# recording never changed its learning rate, so the epochs after a cut are an approximation. The
# Retrain button it mentions belongs to the playground; in lesson 04 the real run plays its part.

# %%
# NBVAL_CHECK_OUTPUT
for line in summarize(replayed):
    print(line)

# %% [markdown] lang="ko"
# 에포크마다 세 콜백이 무엇을 했는지 표로 보면 다음과 같습니다. 17번째 에포크에서 `ReduceLROnPlateau`가
# 학습률을 3.0e-03에서 9.0e-04로 낮추고 자신의 대기를 0으로 되돌리며, 27번째 에포크에서 두 번째로
# 낮추는 그 에포크에 `EarlyStopping`의 대기가 20/20이 되어 학습을 멈추고 7번째 에포크의 가중치(weights)를
# 복원합니다.

# %% [markdown] lang="en"
# Here is what each callback did at each epoch where something happened. At epoch 17
# `ReduceLROnPlateau` cuts the learning rate from 3.0e-03 to 9.0e-04 and sets its own wait back to
# 0; at epoch 27 it cuts a second time, and in that same epoch `EarlyStopping`'s wait reaches 20/20:
# training stops and epoch 7's weights are restored.

# %%
# NBVAL_CHECK_OUTPUT
replayed.events.explain_table()

# %% [markdown] lang="ko"
# 같은 내용을 타임라인 그림으로 봅니다.

# %% [markdown] lang="en"
# The same as a timeline:

# %%
plot_run(replayed)
plt.show()

# %% [markdown] lang="ko"
# 핵심 노트북으로 돌아가기: **[04 세 콜백 함께 쓰기](04_all_three.ipynb)**. 다음: **05 실습 문제**

# %% [markdown] lang="en"
# Back to the core: **[04 All three together](04_all_three.ipynb)**. Next: **05 Exercises**
