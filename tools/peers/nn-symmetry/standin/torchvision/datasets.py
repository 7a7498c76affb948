"""torchvision.datasets stand-in: FashionMNIST from local IDX files (the same files nnsym reads with idx:DIR).

The directory is $NNSYM_PEER_FASHION_MNIST_DIR (set by ../run_peer.py); it holds train-images-idx3-ubyte[.gz],
train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]. `root` and `download`
are accepted and ignored (nothing is downloaded). Items are (transform(image), int label) with the image an
H x W uint8 array (torchvision gives a PIL image of mode "L"; ToTensor treats both the same).
"""
import gzip
import os

import numpy as np


def _read_idx(path):
    for p in (path, path + ".gz"):
        if os.path.exists(p):
            opener = gzip.open if p.endswith(".gz") else open
            with opener(p, "rb") as f:
                b = f.read()
            break
    else:
        raise FileNotFoundError(f"FashionMNIST stand-in: no {path}[.gz]")
    ndim = b[3]
    dims = [int.from_bytes(b[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(b, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


class FashionMNIST:
    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

    def __init__(self, root=None, train=True, transform=None, target_transform=None, download=False):
        d = os.environ.get("NNSYM_PEER_FASHION_MNIST_DIR")
        if not d:
            raise RuntimeError("FashionMNIST stand-in: set NNSYM_PEER_FASHION_MNIST_DIR to the IDX directory")
        pre = "train" if train else "t10k"
        self.data = _read_idx(os.path.join(d, f"{pre}-images-idx3-ubyte"))
        self.targets = _read_idx(os.path.join(d, f"{pre}-labels-idx1-ubyte")).astype(np.int64)
        if len(self.data) != len(self.targets):
            raise ValueError("FashionMNIST stand-in: image and label counts differ")
        self.train = train
        self.transform = transform
        self.target_transform = target_transform

    def __len__(self):
        return len(self.data)

    def __getitem__(self, i):
        img, target = self.data[i], int(self.targets[i])
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target
