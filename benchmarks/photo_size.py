"""How small and how fast a phone photo becomes when it is normalised for storage.

Run: .venv/bin/python benchmarks/photo_size.py [--n 6] [--max-px 2048]
Makes photo-like samples (12 megapixels: soft colour fields, objects with edges, texture and sensor
grain; JPEG at quality 95 with EXIF and GPS, 3–8 MB each), normalises each one and prints per image
the normalised bytes / original bytes (goal: median ≤ 0.2), the picture's fidelity (PSNR against
the original scaled to the same size) and the time against a baseline measured in the same run: a
plain Pillow decode and encode of the same file at the same quality, interleaved with the
normalisation so both see the same machine.
"""

from __future__ import annotations

import argparse
import io
import math
import random
import statistics
import time

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps, ImageStat

from certify.images.normalised import QUALITY, normalise

SIZE = (4000, 3000)
GOAL_RATIO = 0.2


def _noise(rng: random.Random, size: tuple[int, int], mode: str = "L") -> Image.Image:
    bands = len(mode)
    return Image.frombytes(mode, size, rng.randbytes(size[0] * size[1] * bands))


def sample_photo(seed: int) -> bytes:
    """A photo-like JPEG: reproducible from its seed, compresses like a phone's picture."""
    rng = random.Random(seed)
    width, height = SIZE
    picture = _noise(rng, (8, 6), "RGB").resize(SIZE, Image.Resampling.BICUBIC)  # light and colour
    draw = ImageDraw.Draw(picture)
    for _ in range(rng.randint(25, 45)):  # shelves, boxes, a safe: objects with edges
        x, y = rng.randrange(width), rng.randrange(height)
        box = (x, y, x + rng.randint(80, 1400), y + rng.randint(80, 1000))
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.rectangle if rng.random() < 0.6 else draw.ellipse)(box, fill=colour)
    picture = picture.filter(ImageFilter.GaussianBlur(1.2))
    texture = _noise(rng, (width // 6, height // 6), "RGB").resize(SIZE, Image.Resampling.BICUBIC)
    picture = Image.blend(picture, texture, rng.uniform(0.1, 0.25))  # surfaces: wood, fabric, concrete
    grain = _noise(rng, SIZE).filter(ImageFilter.GaussianBlur(0.7)).convert("RGB")
    picture = Image.blend(picture, grain, rng.uniform(0.03, 0.4))  # the sensor's noise (light, ISO)
    exif = Image.Exif()
    exif[0x0112] = rng.choice((1, 6, 8))  # how the phone was held
    exif[0x010F], exif[0x0110] = "Telefonmakarna AB", "Modell 12"
    exif[0x8825] = {1: "N", 2: (60.0, 29.0, 10.0), 3: "E", 4: (15.0, 25.0, 3.0)}  # GPS
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=95, exif=exif)
    return out.getvalue()


def baseline(data: bytes) -> bytes:
    """What any server does at least: decode the file and encode it again at the same quality."""
    with Image.open(io.BytesIO(data)) as image:
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=QUALITY)
        return out.getvalue()


def psnr(original: bytes, normalised: bytes) -> float:
    """Fidelity of the stored picture against the original, upright and scaled to the same size."""
    with Image.open(io.BytesIO(normalised)) as stored, Image.open(io.BytesIO(original)) as source:
        reference = ImageOps.exif_transpose(source).resize(stored.size, Image.Resampling.LANCZOS)
        squared = ImageStat.Stat(ImageChops.difference(reference, stored.convert("RGB"))).rms
        mse = statistics.fmean(value * value for value in squared)
    return math.inf if mse == 0 else 10 * math.log10(255 * 255 / mse)


def timed(work: object, data: bytes, *args: object) -> tuple[float, object]:
    started = time.perf_counter()
    result = work(data, *args)  # type: ignore[operator]
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=6, help="sample photos")
    parser.add_argument("--max-px", type=int, default=2048, help="CERTIFY_IMAGE_MAX_PX")
    parser.add_argument("--repeat", type=int, default=3, help="timings per photo (median)")
    args = parser.parse_args()

    ratios, own_times, base_times = [], [], []
    print(
        f"{'photo':>5} {'original':>10} {'stored':>9} {'ratio':>6} {'size':>10} {'PSNR':>7} "
        f"{'normalise':>10} {'baseline':>9} {'×':>5}"
    )
    for seed in range(args.n):
        photo = sample_photo(seed)
        own, base = [], []
        for _ in range(args.repeat):  # interleaved: the baseline sees the same machine
            seconds, result = timed(normalise, photo, args.max_px)
            own.append(seconds)
            base.append(timed(baseline, photo)[0])
        stored = result.data  # type: ignore[attr-defined]
        ratio = len(stored) / len(photo)
        t_own, t_base = statistics.median(own), statistics.median(base)
        ratios.append(ratio)
        own_times.append(t_own)
        base_times.append(t_base)
        size = f"{result.width}×{result.height}"  # type: ignore[attr-defined]
        print(
            f"{seed:>5} {len(photo) / 1e6:>8.2f}MB {len(stored) / 1e6:>7.2f}MB {ratio:>6.3f} {size:>10} "
            f"{psnr(photo, stored):>5.1f}dB {t_own * 1000:>8.0f}ms {t_base * 1000:>7.0f}ms "
            f"{t_own / t_base:>5.2f}"
        )
    median_ratio = statistics.median(ratios)
    verdict = "met" if median_ratio <= GOAL_RATIO else "NOT met"
    print(f"median bytes ratio stored/original: {median_ratio:.3f} (goal ≤ {GOAL_RATIO}: {verdict})")
    print(
        f"median time per photo: normalise {statistics.median(own_times) * 1000:.0f} ms, "
        f"baseline decode+encode {statistics.median(base_times) * 1000:.0f} ms, "
        f"ratio {statistics.median(own_times) / statistics.median(base_times):.2f}"
    )


if __name__ == "__main__":
    main()
