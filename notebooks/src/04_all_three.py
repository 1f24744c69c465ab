# %% [markdown] lang="ko"
# # 04. 세 콜백 함께 쓰기: 노트의 예제를 직접 고치고, 세 콜백을 한 팀으로 쓰기
#
# 이 레슨을 마치면 다음을 할 수 있습니다.
#
# 1. 노트의 "세 개 한 번에" 코드를 실행해, 파이썬과 Keras가 알려 주는 오류를 하나씩 읽고 고칠 수 있습니다.
# 2. 두 `patience` 값만 보고, `EarlyStopping`이 멈추기 전에 `ReduceLROnPlateau`가 학습률(learning
#    rate)을 낮출 기회가 있는지 예측할 수 있습니다.
# 3. 학습이 끝난 뒤 모델과 체크포인트(checkpoint) 파일에 각각 어느 에포크(epoch)의 가중치(weights)가
#    남는지 말할 수 있습니다.
#
# 실수 하나하나의 증거와 더 자세한 내용은 선택 사항인 [심화 노트북](04_all_three_deep_dive.ipynb)에
# 있습니다.

# %% [markdown] lang="en"
# # 04. All three together: fix the notes' example yourself, then make the callbacks a team
#
# After this lesson you can:
#
# 1. run the notes' "all three at once" code, read each error Python or Keras reports, and fix
#    it, one at a time;
# 2. predict from the two `patience` values whether `ReduceLROnPlateau` gets to cut the learning
#    rate before `EarlyStopping` stops training;
# 3. say which epoch's weights end up in the model and which in the checkpoint file.
#
# Each mistake proven one by one, and the finer details, are in the optional
# [deep dive](04_all_three_deep_dive.ipynb).

# %%
# NBVAL_IGNORE_OUTPUT
LANGUAGE = "en"

import cbteach

import os

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from cbteach import exercises, predictions, recorded, workbook
from cbteach.data import load_mnist
from cbteach.plots import plot_compare
from cbteach.replay import replay
from cbteach.training import train

plan = workbook.start(LANGUAGE)
out = workbook.output_folder("04_all_three")
overfit = recorded.load("overfit")

# %% [markdown] lang="ko"
# ## 1. 노트의 코드를 직접 고치기
#
# 노트는 모델과 데이터를 만드는 코드 없이 `model.compile(~~~)`이라고만 적었습니다. 그래서 다음 셀에서
# 대신 쓸 것을 만듭니다. 아주 작은 모델과 무작위 이미지이고, 레이블은 변수 이름 `train_oh_labels`가
# 뜻하는 대로 원-핫(one-hot) 벡터입니다.

# %% [markdown] lang="en"
# ## 1. Fix the notes' code yourself
#
# The notes leave out the model and the data (`model.compile(~~~)`), so the next cell makes
# stand-ins: a tiny compiled model and random images, with one-hot labels as the name
# `train_oh_labels` suggests.

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
# 그다음 셀은 노트의 코드 그대로이고(`model.compile(~~~)` 줄만 뺐습니다), **일부러 실패합니다**.
# 여러분이 할 일은 이렇습니다.
#
# 1. 셀을 실행하고 오류의 **마지막 줄**(오류 종류와 메시지)을 읽습니다.
# 2. 그 실수 하나만 셀에서 고치고 다시 실행합니다.
# 3. 셀이 끝까지 학습할 때까지(무작위 데이터로 50 에포크, 몇 초) 되풀이합니다.
#
# 실수는 일곱 개입니다. 다섯 개는 오류를 내고, 두 개는 아무 말 없이 지나가서 그 뒤의 확인 셀만 찾아냅니다.
# 막힐 때만 아래의 접힌 힌트를 여세요.

# %% [markdown] lang="en"
# The cell after it is the notes' code as written (less the `model.compile(~~~)` line), and it
# **fails on purpose**. Your job:
#
# 1. Run it and read the **last line** of the error: its type and message.
# 2. Fix that one mistake in the cell and run it again.
# 3. Repeat until the cell trains to the end (50 epochs on random data, a few seconds).
#
# There are seven mistakes. Five raise an error; two pass without a word, and only the check
# cell after it finds them. Open a folded hint below only when you are stuck.

# %% tags=["raises-exception"]
# NBVAL_CHECK_OUTPUT
import os
from tensorflow.keras.callbacks import ModelCheckpoint()
from tensorflow.keras.callbacks import ReduceLROnPlateau
from tensorflow.keras.callbacks import EarlyStopping

save_path = os.getcwd() + 'weights.{epoch:02d}-{val_loss:.2f}.hdf5'

mcp_cb = ModelCheckpoint(filepath = save_path, monitor = 'val_loss',
                        save_best_only = True, save_weights_only = True,
                        mode = 'min', verbose = 1)
rlr_cb = ReduceLROnPlateau(monitor = 'val_loss', fector = 0.3,
                           patienc = 10, mode = 'min', verbose = 1)
elr_cb = EarlyStopping(monitor = 'val_loss', patienc = 20,
                       mode = 'min', verbose = 1)

loss_acc = model.fit(x = train_iamges, y = train_oh_labels, batch_szie = 128, epoch = 50, validation_data = (val_images, val_oh_labels), callbacks = [mcp_cb , rlr_cb, elr_cb])

# %% [markdown] lang="ko"
# <details><summary>힌트 1: import 줄의 <code>SyntaxError</code></summary>
#
# `import` 뒤에는 이름만 올 수 있습니다. 괄호를 지우세요: `import ModelCheckpoint`.
# </details>
#
# <details><summary>힌트 2: <code>ModelCheckpoint</code>의 <code>ValueError</code></summary>
#
# Keras 3에서는 `save_weights_only=True`일 때 파일 이름이 `.weights.h5`로 끝나야 하고, 콜백을 만드는
# 순간 이것을 검사합니다. 메시지 속 경로도 보세요. 폴더 이름과 `weights...` 사이에 구분자가 없어서 파일이
# 폴더 안이 아니라 옆에 생깁니다. 둘 다 고치고, 이 레슨의 출력 폴더에 저장하세요.
#
# ```python
# save_path = os.path.join(out, 'weights.{epoch:02d}-{val_loss:.2f}.weights.h5')
# ```
# </details>
#
# <details><summary>힌트 3: <code>EarlyStopping</code>의 <code>TypeError</code></summary>
#
# `EarlyStopping`에는 `patienc`라는 인자가 없습니다. `patience`로 고치세요. 바로 위의
# `ReduceLROnPlateau`에도 같은 오타가 있는데 그 줄은 아무 오류도 내지 않았습니다. 힌트 7을 보세요.
# </details>
#
# <details><summary>힌트 4: <code>NameError</code> (<code>train_iamges</code>)</summary>
#
# 파이썬은 `fit`을 부르기 전에 인자 값부터 계산하므로 틀린 변수 이름이 먼저 걸립니다: `train_images`.
# </details>
#
# <details><summary>힌트 5와 6: <code>fit</code>의 <code>TypeError</code></summary>
#
# `fit`은 모르는 인자를 한 번에 하나씩 알려 줍니다. `batch_szie`는 `batch_size`, `epoch`는
# `epochs`입니다.
# </details>
#
# <details><summary>힌트 7: 끝까지 돌았는데 확인 셀이 <code>factor</code>가 0.1이라고 할 때</summary>
#
# Keras의 `ReduceLROnPlateau`는 모르는 인자를 `**kwargs`로 받아서 버립니다. `fector=0.3`과
# `patienc=10`이 버려져 기본값(default)인 `factor=0.1`, `patience=10`으로 학습했습니다. 철자를
# 고치세요. cbteach의 콜백은 이런 오타를 거절합니다.
# </details>

# %% [markdown] lang="en"
# <details><summary>Hint 1: <code>SyntaxError</code> on the import line</summary>
#
# After `import` only names may follow. Delete the brackets: `import ModelCheckpoint`.
# </details>
#
# <details><summary>Hint 2: <code>ValueError</code> from <code>ModelCheckpoint</code></summary>
#
# With `save_weights_only=True`, Keras 3 wants a file name ending in `.weights.h5`, and checks it
# when the callback is built. Look at the path in the message too: the folder and `weights...` are
# glued together with no separator, so the files would land next to the folder, not inside it.
# Fix both, and save into this lesson's output folder:
#
# ```python
# save_path = os.path.join(out, 'weights.{epoch:02d}-{val_loss:.2f}.weights.h5')
# ```
# </details>
#
# <details><summary>Hint 3: <code>TypeError</code> from <code>EarlyStopping</code></summary>
#
# `EarlyStopping` has no argument `patienc`: spell it `patience`. The line above, in
# `ReduceLROnPlateau`, has the same typo and raised nothing: see hint 7.
# </details>
#
# <details><summary>Hint 4: <code>NameError</code> (<code>train_iamges</code>)</summary>
#
# Python computes the arguments before it calls `fit`, so the misspelled variable is caught
# first: `train_images`.
# </details>
#
# <details><summary>Hints 5 and 6: <code>TypeError</code> from <code>fit</code></summary>
#
# `fit` reports one unknown argument at a time: `batch_szie` is `batch_size`, `epoch` is `epochs`.
# </details>
#
# <details><summary>Hint 7: it ran, but the check says <code>factor</code> is 0.1</summary>
#
# Keras' `ReduceLROnPlateau` takes unknown keywords in `**kwargs` and throws them away: `fector=0.3`
# and `patienc=10` were dropped, so it trained with the defaults, `factor=0.1` and `patience=10`.
# Fix the spelling. cbteach's callbacks refuse such typos.
# </details>

# %% [markdown] lang="ko"
# 셀이 끝까지 돌면 확인 셀을 실행하세요. 세 콜백을 `overfit` 기록 위에서 리플레이(replay)하고 Keras가
# 실제로 가진 값을 읽으므로, 조용히 지나간 두 실수도 찾아냅니다. 노트에 빠진 것 하나도 요구합니다.
# `EarlyStopping`의 `restore_best_weights=True`입니다(4절에서 이유를 봅니다). 위 셀이 아직 끝까지
# 돌지 않았다면 오류 메시지(traceback) 대신 한 줄로 알려 줍니다.

# %% [markdown] lang="en"
# Once the cell trains to the end, run the check. It replays your three callbacks on the `overfit`
# recording and reads what Keras really kept, so it finds the two silent mistakes. It also asks
# for the one thing the notes forgot, `restore_best_weights=True` in `EarlyStopping` (section 4
# shows why). Until your cell runs through, it answers with a line, not a traceback.

# %%
# NBVAL_IGNORE_OUTPUT
exercises.check_combined(lambda: [mcp_cb, rlr_cb, elr_cb])

# %% [markdown] lang="ko" solution=true
# <details><summary>풀이: 고친 줄</summary>
#
# ```python
# from tensorflow.keras.callbacks import ModelCheckpoint, ReduceLROnPlateau, EarlyStopping
# save_path = os.path.join(out, 'weights.{epoch:02d}-{val_loss:.2f}.weights.h5')
# rlr_cb = ReduceLROnPlateau(monitor='val_loss', factor=0.3, patience=10, mode='min', verbose=1)
# elr_cb = EarlyStopping(monitor='val_loss', patience=20, mode='min', verbose=1, restore_best_weights=True)
# loss_acc = model.fit(x=train_images, y=train_oh_labels, batch_size=128, epochs=50, validation_data=(val_images, val_oh_labels), callbacks=[mcp_cb, rlr_cb, elr_cb])
# ```
# </details>

# %% [markdown] lang="en" solution=true
# <details><summary>Solution: the lines that change</summary>
#
# ```python
# from tensorflow.keras.callbacks import ModelCheckpoint, ReduceLROnPlateau, EarlyStopping
# save_path = os.path.join(out, 'weights.{epoch:02d}-{val_loss:.2f}.weights.h5')
# rlr_cb = ReduceLROnPlateau(monitor='val_loss', factor=0.3, patience=10, mode='min', verbose=1)
# elr_cb = EarlyStopping(monitor='val_loss', patience=20, mode='min', verbose=1, restore_best_weights=True)
# loss_acc = model.fit(x=train_images, y=train_oh_labels, batch_size=128, epochs=50, validation_data=(val_images, val_oh_labels), callbacks=[mcp_cb, rlr_cb, elr_cb])
# ```
# </details>

# %% [markdown] lang="ko"
# ## 2. 어느 `patience`가 더 커야 할까
#
# 노트는 `ReduceLROnPlateau`에 10, `EarlyStopping`에 20을 줍니다. 정체 구간(plateau)에서는 먼저
# 학습률을 낮춰 보고, 그래도 나아지지 않을 때 멈춰야 하기 때문입니다. 열쇠는 이것입니다.
# **`EarlyStopping`은 학습률이 낮아져도 대기(wait)를 0으로 되돌리지 않습니다.** 되돌리는 것은 실제로
# 나아진 에포크뿐입니다.
#
# **예측해 보세요.** `overfit` 기록(에포크 7의 `val_loss`가 최고 기록이고 그 뒤로 나아지지 않습니다)에서
# 순서를 뒤집어 `EarlyStopping(patience=5)` 콜백과 `ReduceLROnPlateau(patience=10, factor=0.3)` 콜백을
# 함께 쓰면 학습률이 한 번이라도 낮아질까요? `...`를 `True`(예)나 `False`(아니요)로 바꾸세요.

# %% [markdown] lang="en"
# ## 2. Which `patience` should be larger?
#
# The notes give `ReduceLROnPlateau` 10 and `EarlyStopping` 20: on a plateau, first try a lower
# learning rate, and stop only if even that does not help. The key fact: **`EarlyStopping` does
# not set its wait back to 0 when the learning rate drops.** Only a real improvement does.
#
# **Predict.** On the `overfit` recording (best `val_loss` at epoch 7, never beaten later), swap
# the order: `EarlyStopping(patience=5)` with `ReduceLROnPlateau(patience=10, factor=0.3)`. Is the
# learning rate ever cut? Replace `...` with `True` (yes) or `False` (no).

# %%
# NBVAL_CHECK_OUTPUT
predictions.check("combined_cut", ...)

# %% [markdown] lang="ko"
# 리플레이로 확인합니다. `ReduceLROnPlateau`는 `patience=10`으로 두고 `EarlyStopping`의 `patience`만
# 5, 10, 20으로 바꿉니다.

# %% [markdown] lang="en"
# The replay answers it, with `ReduceLROnPlateau` at `patience=10` and `EarlyStopping` at 5, 10
# and 20:

# %%
# NBVAL_CHECK_OUTPUT
orders = {}
for es_patience in (5, 10, 20):
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
# - **5 < 10**: 12번째 에포크에서 멈춥니다. `ReduceLROnPlateau`는 17번째 에포크에야 움직이므로 붙여
#   놓은 의미가 없습니다.
# - **10 = 10**: 두 콜백이 17번째 에포크의 같은 `on_epoch_end`에서 함께 동작합니다. 학습률은 낮아지지만
#   바로 그 에포크에서 학습이 끝나므로, 낮춘 학습률로는 한 에포크도 학습하지 않습니다.
# - **20 > 10**: 17번째 에포크에 먼저 학습률을 낮추고, 10 에포크를 더 지켜본 뒤 27번째 에포크에서
#   멈춥니다. 두 `patience`의 차이가 낮춘 학습률이 효과를 낼 시간입니다.
#
# 아래 표는 `patience=20` 리플레이의 15~19번째 에포크입니다. 학습률을 낮출 때 `ReduceLROnPlateau`의
# 대기는 0으로 돌아가지만, `EarlyStopping`의 대기는 계속 올라갑니다.

# %% [markdown] lang="en"
# - **5 < 10**: training stops at epoch 12; `ReduceLROnPlateau` would act only at epoch 17, so it
#   might as well not be there.
# - **10 = 10**: both act in the same `on_epoch_end`, at epoch 17. The learning rate is cut, but
#   training stops at that very epoch: no epoch ever trains at the lower rate.
# - **20 > 10**: the cut comes first, at epoch 17, and training goes on for 10 more epochs before
#   it stops at epoch 27. The difference between the two patiences is the time the lower rate
#   gets to help.
#
# The table shows epochs 15 to 19 of the `patience=20` replay: at the cut `ReduceLROnPlateau`'s
# wait goes back to 0, while `EarlyStopping`'s keeps climbing.

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
# 낮춘 학습률에서 `val_loss`가 다시 나아지면 그때는 `EarlyStopping`의 대기도 0으로 돌아갑니다.
# `overfit` 기록은 학습률을 바꾸지 않고 만든 곡선이라 리플레이에서는 그럴 수 없지만, 실제 학습에서는
# 일어날 수 있습니다.

# %% [markdown] lang="en"
# If `val_loss` improves at the lower rate, that does reset `EarlyStopping`'s wait. The `overfit`
# recording was made at one learning rate, so a replay cannot show it; real training can.

# %% [markdown] lang="ko"
# ## 3. 실제 학습: 콜백 없는 학습과 나란히
#
# 이제 고친 설정으로 MNIST를 실제로 학습하고(cbteach의 콜백이 판단을 하나하나 기록합니다), 같은
# 계획(plan)과 같은 시드(seed)로 콜백 없이도 한 번 학습합니다. 첫 학습률 감소 전까지 두 학습은 같은 가중치를
# 학습하므로 곡선이 겹칩니다. 달라지는 부분은 모두 콜백 때문입니다. 빠른 모드(15 에포크)에서는
# `patience=20`으로 멈출 수 없어서 저장과 복원까지만 보이고, CPU 계획(40 에포크)에서는 세 콜백이 모두
# 동작합니다.

# %% [markdown] lang="en"
# ## 3. One real run, beside no callbacks
#
# Now train MNIST for real with the fixed settings (cbteach's callbacks record each decision), and
# once without callbacks, same plan and seed. Until the first cut both train the same weights, so
# the curves coincide: any difference is the callbacks'. In fast mode (15 epochs) `patience=20`
# cannot stop: you see saves and the restore. On the CPU plan (40 epochs) all three act.

# %%
# NBVAL_IGNORE_OUTPUT
def three_callbacks(folder, restore_best_weights=True):
    return [
        cbteach.ModelCheckpoint(
            os.path.join(folder, "weights.{epoch:02d}-{val_loss:.2f}.weights.h5"),
            monitor="val_loss", save_best_only=True, save_weights_only=True, mode="min",
        ),
        cbteach.ReduceLROnPlateau(monitor="val_loss", factor=0.3, patience=10, mode="min"),
        cbteach.EarlyStopping(
            monitor="val_loss", patience=20, mode="min", restore_best_weights=restore_best_weights
        ),
    ]


data = load_mnist(plan.source, seed=plan.seed)
no_callbacks = train([], data=data, name="no_callbacks", **plan.train_args)
run = train(three_callbacks(os.path.join(out, "mnist")), data=data, name="three_callbacks",
            **plan.train_args)

# %%
plot_compare([no_callbacks, run])
plt.show()

# %% [markdown] lang="ko"
# 두 학습이 끝났을 때의 차이를 숫자로 봅니다. `held_val_loss`는 학습이 끝난 뒤 손에 쥔 모델의
# `val_loss`입니다.

# %% [markdown] lang="en"
# The difference in numbers. `held_val_loss` is the `val_loss` of the model you hold once training
# ends.

# %%
# NBVAL_IGNORE_OUTPUT
rows = {}
for r in (no_callbacks, run):
    val_loss = r.history["val_loss"]
    held = r.restored_epoch or r.epochs
    rows[r.name] = {
        "epochs_trained": r.epochs,
        "best_epoch": int(np.argmin(val_loss)) + 1,
        "held_epoch": held,
        "held_val_loss": round(val_loss[held - 1], 4),
        "last_val_loss": round(val_loss[-1], 4),
        "files": len(r.saves),
        "last_lr": f"{r.lrs[-1]:.1e}",
    }
pd.DataFrame(rows).T

# %% [markdown] lang="ko"
# CPU 계획으로 학습하면 다음과 같습니다(컴퓨터에 따라 숫자가 조금 다를 수 있습니다). 콜백이 없으면
# 40 에포크를 모두 학습하고 40번째 에포크의 모델(`val_loss` 0.3356)이 남습니다. 세 콜백은 27번째
# 에포크에서 멈춰 **13 에포크를 아끼고**, 7번째 에포크의 모델(`val_loss` 0.2148)을 **되돌려 주며**, 그
# 가중치를 파일로도 남깁니다. 17번째 에포크의 학습률 감소(3.0e-03 → 9.0e-04)는 새 최고 기록을 내지
# 못했습니다. 학습 손실(training loss)은 0.0235에서 0.0048로 떨어졌지만 `val_loss`는 0.23~0.25에
# 머물렀습니다(콜백이 없을 때는 0.24~0.33). 낮춘 학습률은 주로 외우는 속도를 높였을 뿐입니다.

# %% [markdown] lang="en"
# On the CPU plan our run gave this (yours may differ a little). Without callbacks all 40 epochs
# run and you keep epoch 40's model (`val_loss` 0.3356). The three callbacks stop at epoch 27,
# **13 epochs sooner**, and **give back** epoch 7's model (`val_loss` 0.2148), also kept in a file.
# The cut at epoch 17 (3.0e-03 → 9.0e-04) bought no new best: training loss fell from 0.0235 to
# 0.0048 while `val_loss` stayed at 0.23–0.25 (0.24–0.33 without callbacks). The lower rate mostly
# sped up memorising.

# %% [markdown] lang="ko"
# ## 4. 모델에 남는 가중치, 파일에 남는 가중치
#
# `save_best_only=True`이면 나아질 때마다 새 파일이 생기므로 가장 최근 파일이 최고 기록 에포크의
# 파일입니다. 모델에 무엇이 남는지는 `restore_best_weights`에 달려 있습니다. 이것 없이 리플레이하면
# 27번째 에포크에서 멈추고, 복원하지 않으며(`None`), 마지막 파일은 7번째 에포크의 것입니다. 즉 모델에는
# 27번째 에포크의 가중치가 있고, 최고 기록의 가중치는 파일에만 있습니다.

# %% [markdown] lang="en"
# ## 4. The weights in the model, the weights in the file
#
# With `save_best_only=True` every improvement writes a new file, so the newest file is the best
# epoch's. What the model holds depends on `restore_best_weights`. Replayed without it, training
# stops at epoch 27, nothing is restored (`None`), and the last file is epoch 7's: the model holds
# epoch 27's weights, and the best weights exist only in the file.

# %%
# NBVAL_CHECK_OUTPUT
kept_last = replay(overfit, three_callbacks("", restore_best_weights=False))
print(kept_last.stopped_epoch, kept_last.restored_epoch, kept_last.saves[-1].epoch)

# %% [markdown] lang="ko"
# `restore_best_weights=True`로 학습한 위의 실제 학습에서는 복원한 에포크와 마지막 파일의 에포크가
# 같고, 마지막 파일을 새 모델에 불러오면 학습이 끝난 모델과 가중치가 똑같습니다. 학습 계획이나 데이터와
# 상관없이 그렇습니다.

# %% [markdown] lang="en"
# In the real run above, trained with `restore_best_weights=True`, the restored epoch is the last
# file's epoch, and the last file, loaded into a fresh model, holds exactly the trained model's
# weights, whatever the plan or the data:

# %%
# NBVAL_CHECK_OUTPUT
reloaded = keras.models.clone_model(run.model)
reloaded.load_weights(run.saves[-1].saved_path)
print(run.restored_epoch == run.saves[-1].epoch)
print(all(np.array_equal(a, b) for a, b in zip(reloaded.get_weights(), run.model.get_weights())))

# %% [markdown] lang="ko"
# ## 질문
#
# 1. 노트의 일곱 가지 실수 가운데 실행하지 않고도 찾을 수 있었던 것은 무엇이고, 확인 셀이 있어야
#    찾은 것은 무엇인가요? 오류가 나지 않는 실수가 더 위험한 이유는 무엇일까요?
# 2. `EarlyStopping(patience=8)` 콜백과 `ReduceLROnPlateau(patience=5)` 콜백을 함께 쓰고 최고 기록 뒤로
#    `val_loss`가 나아지지 않는다면, 낮춘 학습률로 몇 에포크를 학습할까요?
# 3. `restore_best_weights=True`가 주는 것 가운데 마지막 체크포인트 파일이 주지 못하는 것은
#    무엇이고, 그 반대는 무엇인가요?
# 4. 이번 학습에서는 학습률 감소가 새 최고 기록을 내지 못했습니다. 어떤 학습이라면
#    `ReduceLROnPlateau`를 빼고 `EarlyStopping`만 쓰겠습니까? 반대로 일찍 멈추지 않는 편이 나은
#    경우는 언제일까요?
#
# 다음: **05 실습 문제**

# %% [markdown] lang="en"
# ## Questions
#
# 1. Which of the notes' seven mistakes could you have found without running the code, and which
#    only with the check? Why are the silent ones the dangerous ones?
# 2. With `EarlyStopping(patience=8)` and `ReduceLROnPlateau(patience=5)`, and no improvement after
#    the best epoch, how many epochs train at the lower learning rate?
# 3. What does `restore_best_weights=True` give you that the last checkpoint file does not, and
#    the other way round?
# 4. Here the cut bought no new best. For what kind of training would you leave
#    `ReduceLROnPlateau` out and keep only `EarlyStopping`? And when is it better not to stop
#    early at all?
#
# Next: **05 Exercises**
