"""A small stand-in for the parts of torchvision that keeganstoner/nn-symmetry's scripts import.

Not torchvision: only `datasets.FashionMNIST` (read from local IDX files, never downloaded) and
`transforms.ToTensor / Normalize / Compose`, each with torchvision's semantics for 8-bit grey images. It is put
first on sys.path by ../run_peer.py so that `from torchvision import datasets, transforms` in the authors'
unmodified script resolves here.
"""
from . import datasets, transforms  # noqa: F401

__version__ = "0.0-nnsym-standin"
