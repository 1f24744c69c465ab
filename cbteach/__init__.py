"""cbteach: learn Keras' ModelCheckpoint, ReduceLROnPlateau and EarlyStopping by watching them decide.

>>> from cbteach import EarlyStopping, set_language
>>> set_language("ko")
>>> es = EarlyStopping(monitor="val_loss", patience=3, explain=True)  # a real keras EarlyStopping
"""

import os

os.environ.setdefault(
    "TF_CPP_MIN_LOG_LEVEL", "2"
)  # keep TensorFlow's start-up chatter out of lessons

from cbteach.startup import import_keras

import_keras()  # before anything else imports it: TensorFlow's native start-up lines stay quiet

from cbteach.callbacks import EarlyStopping, ModelCheckpoint, ReduceLROnPlateau
from cbteach.events import Action, Event, EventLog
from cbteach.i18n import get_language, set_language, t

__version__ = "0.1.0"

__all__ = [
    "Action",
    "EarlyStopping",
    "Event",
    "EventLog",
    "ModelCheckpoint",
    "ReduceLROnPlateau",
    "get_language",
    "set_language",
    "t",
]
