"""Confusion-matrix pictures for an evaluation report."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; no screen on servers
import matplotlib.pyplot as plt  # noqa: E402

HEADS_WITH_MATRICES = ("intent", "owner", "department")


def save_confusion_matrices(report: dict, folder: Path) -> list[Path]:
    written = []
    for head in HEADS_WITH_MATRICES:
        labels, matrix = report[head]["labels"], report[head]["confusion_matrix"]
        if not matrix:
            continue
        size = max(5.0, 0.6 * len(labels))
        figure, axes = plt.subplots(figsize=(size, size))
        axes.imshow(matrix, cmap="Blues")
        axes.set_xticks(range(len(labels)), labels, rotation=60, ha="right")
        axes.set_yticks(range(len(labels)), labels)
        axes.set_xlabel("predicted")
        axes.set_ylabel("labelled")
        axes.set_title(f"{head} (n={report[head]['n']})")
        for row, values in enumerate(matrix):
            for column, count in enumerate(values):
                if count:
                    axes.text(column, row, str(count), ha="center", va="center", fontsize=8)
        figure.tight_layout()
        path = folder / f"confusion_{head}.png"
        figure.savefig(path, dpi=100)
        plt.close(figure)
        written.append(path)
    return written
