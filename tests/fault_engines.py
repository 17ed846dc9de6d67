"""OCR engines that fail on purpose, loaded through the `ocr_engine` setting ("module:function")."""

import os


def raising_engine(image, settings):
    raise RuntimeError("engine exploded")


def aborting_engine(image, settings):
    os.abort()  # a native crash: the worker process dies without a Python exception


def hanging_engine(image, settings):
    """Never returns, as a Tesseract stuck in a loop would (a sleep: no Python code runs meanwhile either)."""
    import time

    time.sleep(3600)


def hungry_engine(image, settings):
    """Asks for 8 GB, as OCR of a page whose image decodes to more than the machine holds would."""
    return bytearray(8 << 30), None


def counting_engine(image, settings):
    """Tesseract, noting each whole-page image it is given in engine-calls.log beside the OCR cache folder (the
    workers' own files: they do not share this process's memory)."""
    from extractors.pages.ocr import tesseract_words

    if image.size[0] > 1000:
        with open(os.path.join(os.path.dirname(settings.ocr_cache_dir), "engine-calls.log"), "a") as log:
            log.write(f"{image.size}\n")
    return tesseract_words(image, settings)
