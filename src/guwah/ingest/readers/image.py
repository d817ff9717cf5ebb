"""Images (a photographed letter, a scanned notice, an ID card): read by OCR.

The image's size is checked from its header before its pixels are decoded (an image that
declares more than ``MAX_PIXELS`` is refused), and only its first frame is read.
``Document.text`` is what Tesseract reads; ``Document.ocr`` is true.
"""

from __future__ import annotations

import io
import warnings

from guwah.ingest.document import Document
from guwah.ingest.readers import ocr
from guwah.ingest.readers.limits import MAX_PIXELS, Budget, checked, digest
from guwah.model.errors import InvalidInput

ASSUMED_DPI = 300  # when the image does not say (a phone photo)


def read_image(name: str, data: bytes, media_type: str, budget: Budget) -> Document:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise InvalidInput(
                        f"{name}: refused, the image is {width}x{height} pixels "
                        f"(at most {MAX_PIXELS:,})"
                    )
                image.load()
                dpi = image.info.get("dpi", (ASSUMED_DPI,))[0]
                frame = image.copy()
    except InvalidInput:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidInput(f"{name}: refused, the image declares too many pixels") from None
    except Exception as exc:  # Pillow raises many types for damaged images
        raise InvalidInput(f"{name}: not a readable image ({type(exc).__name__})") from None
    try:
        langs = ocr.languages()
    except ocr.OcrUnavailable as exc:
        raise InvalidInput(f"{name}: an image can only be read by OCR, and {exc}") from None
    dpi = int(dpi) if isinstance(dpi, int | float) and 50 <= dpi <= 1200 else ASSUMED_DPI
    text = ocr.ocr_image(name, frame, dpi, budget.remaining(), langs)
    return checked(
        Document(
            text=text.strip(),
            sha256=digest(data),
            media_type=media_type,
            filename=name,
            ocr=True,
            notes=(f"OCR ({'+'.join(langs)})",),
        )
    )
