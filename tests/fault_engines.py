"""OCR engines that fail on purpose, loaded through the `ocr_engine` setting ("module:function")."""

import os


def raising_engine(image, settings):
    raise RuntimeError("engine exploded")


def aborting_engine(image, settings):
    os.abort()  # a native crash: the worker process dies without a Python exception
