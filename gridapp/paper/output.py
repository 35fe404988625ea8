"""What every PDF writer shares: the QR image (the file itself is written through
gridapp.files.atomic_output, like every other file)."""

from __future__ import annotations

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.utils import ImageReader


def qr_image(payload: str, box: int = 4) -> ImageReader:
    """A QR code as a raster image for `drawImage` (~4× faster than reportlab's vector
    QR). A fixed mask skips qrcode's trial of all eight (~3× faster); scanners accept
    any mask. Built from the module matrix: qrcode's own image drawing is per module."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4, mask_pattern=0)
    qr.add_data(payload)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    size = len(matrix)
    raw = bytes(0 if dark else 255 for row in matrix for dark in row)
    image = Image.frombytes("L", (size, size), raw)
    if box > 1:
        # Whole pixels per module: a viewer scaling a 1-pixel module smooths edges.
        image = image.resize((size * box, size * box), Image.Resampling.NEAREST)
    return ImageReader(image)
